"""Error pages in the NHS.UK style, and JSON errors for the API; never a stack trace."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from tracker.extensions import db

def wants_json() -> bool:
    """API callers get JSON errors; browsers get pages."""
    return request.path.startswith("/api/")


def error_response(exc: HTTPException) -> tuple[Response | str, int]:
    """Render one HTTP error the way the caller expects."""
    code = exc.code or 500
    if wants_json():
        return jsonify(error={"code": exc.name.lower().replace(" ", "_"), "message": exc.description}), code
    return render_template("errors/error.html", status=code), code


def register_error_handlers(app: Flask) -> None:
    """Attach the handlers; a 500 rolls back first so the page can still query."""

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):  # noqa: ANN202
        return error_response(exc)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # noqa: ANN202
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return error_response(InternalServerError())
