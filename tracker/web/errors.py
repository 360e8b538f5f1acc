"""Error pages in the NHS.UK style, and JSON errors for the API; never a stack trace."""
from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from tracker.web.extensions import db

API_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
             413: "too_large", 422: "invalid_input", 429: "too_many_requests", 500: "internal_error"}


def wants_json() -> bool:
    """API callers get JSON errors; browsers get pages."""
    return request.path.startswith("/api/")


def field_errors(exc: HTTPException) -> dict[str, str]:
    """Field -> first message, from webargs' validation messages or an explicit `fields` entry."""
    data: dict[str, Any] = getattr(exc, "data", None) or {}
    if "fields" in data:
        return dict(data["fields"])
    flat: dict[str, str] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            flat[prefix] = value[0]
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(f"{prefix}.{index}", inner)

    for location_messages in (data.get("messages") or {}).values():
        walk("", location_messages)
    return flat


def api_error(status: int, message: str, fields: dict[str, str] | None = None) -> tuple[Response, int]:
    """The API's error body: {"error": {"code", "message"[, "fields"]}}."""
    body: dict[str, Any] = {"code": API_CODES.get(status, "error"), "message": message}
    if fields:
        body["fields"] = fields
    return jsonify(error=body), status


def error_response(exc: HTTPException) -> tuple[Response | str, int]:
    """Render one HTTP error the way the caller expects."""
    code = exc.code or 500
    if wants_json():
        fields = field_errors(exc)
        message = "; ".join(f"{name}: {text}" for name, text in fields.items()) if fields else exc.description
        response, status = api_error(code, message or exc.name, fields)
        if code == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return response, status
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
