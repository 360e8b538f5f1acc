"""Security headers on every response, and a friendly answer to an expired or missing CSRF token."""
from __future__ import annotations

from flask import Flask, request
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from tracker.web.errors import wants_json
from tracker.web.kept_forms import kept_and_redirected
from tracker.web.templating import csp_nonce


def content_security_policy(nonce: str) -> str:
    """Scripts only from this site plus the design system's one inline line (by nonce); no framing."""
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' https://assets.nhs.uk",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def register_security(app: Flask) -> None:
    """Attach the headers and the CSRF handler."""

    @app.after_request
    def _headers(response: Response) -> Response:
        # A view may set a stricter policy of its own (evidence downloads are sandboxed); it is kept.
        response.headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if "Cache-Control" not in response.headers and response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):  # noqa: ANN202
        if wants_json() or request.method != "POST":
            from tracker.web.errors import error_response

            return error_response(exc)
        # The session ended or the page was open too long: what was typed is kept and offered again.
        return kept_and_redirected()
