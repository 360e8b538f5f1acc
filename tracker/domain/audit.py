"""Writing to the append-only audit trail. Entries are only ever added, in the caller's transaction.

Every action the code writes is named in ACTIONS with the shape of what it keeps: a record made keeps what it
holds (after), a change keeps what was and what is (before and after), and an occurrence (a sign-in, a password
reset, a bulk load) keeps who and when. tests/reliability/test_audit_trail.py makes each of them happen through
the pages, the API or the commands, and fails when the code writes an action that is not listed here, or when
one listed here is never written.
"""
from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from tracker.web.extensions import db
from tracker.models import AuditEntry, User

CREATED, CHANGED, HAPPENED = "created", "changed", "happened"

ACTIONS: dict[str, str] = {
    # Signing in and accounts (tracker/accounts.py).
    "sign_in": HAPPENED, "sign_in_failed": HAPPENED, "password_reset": HAPPENED,
    "user_created": CREATED, "role_changed": CHANGED, "user_deactivated": CHANGED, "user_reactivated": CHANGED,
    "token_created": CREATED, "token_revoked": CHANGED,
    # Engagement events and participations (tracker/engagement/service.py, tracker/provider/events.py).
    "event_recorded": CREATED, "event_changed": CHANGED, "event_withdrawn": CHANGED, "evidence_uploaded": CREATED,
    "participation_confirmed": CHANGED, "participation_disputed": CHANGED,
    # Concerns (tracker/concerns/service.py): raised, then one action a step (tracker/concerns/rules.py).
    "concern_raised": CREATED, "concern_acknowledge": CHANGED, "concern_respond": CHANGED, "concern_reply": CHANGED,
    "concern_reopen": CHANGED, "concern_escalate": CHANGED, "concern_resolve": CHANGED,
    # Impact assessments, board membership, assurance reviews.
    "impact_assessment_saved": CREATED,
    "board_member_added": CREATED, "board_member_changed": CHANGED, "board_member_ended": CHANGED,
    "assurance.review": CHANGED, "assurance.peer_match": CREATED,
    # Commands that load data in bulk (tracker/imports/command.py, tracker/demo/command.py).
    "import": HAPPENED, "seed-demo": HAPPENED,
}


def record(action: str, entity_type: str, entity_id: object = "", *, before: Any = None, after: Any = None,
           actor: User | str | None = None) -> AuditEntry:
    """Add an audit entry; the actor defaults to the signed-in user, or "cli" outside a request."""
    actor_id, label, address = None, "cli", ""
    if has_request_context():
        address = (request.remote_addr or "")[:45]
        if actor is None and current_user.is_authenticated:
            actor = current_user._get_current_object()  # noqa: SLF001 - the real User behind the proxy
    if isinstance(actor, User):
        actor_id, label = actor.id, actor.email
    elif isinstance(actor, str):
        label = actor
    elif has_request_context():
        label = "anonymous"
    entry = AuditEntry(actor_id=actor_id, actor=label, action=action, entity_type=entity_type,
                       entity_id=str(entity_id), before=before, after=after, remote_addr=address)
    db.session.add(entry)
    return entry
