"""Web plumbing shared by every area: the app factory, extensions, errors, security headers, routing,
templating, the clock, shared forms, once-only submissions, idempotency, access checks and where each role lands.
Each audience's pages live in their own blueprint package (provider, hwb, assurance, admin, account, auth, main)."""
