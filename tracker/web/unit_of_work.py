"""Each request's database work is one unit: stamped with where it came from, and ended at the request's end."""
from __future__ import annotations

from flask import Flask, request

from tracker.domain import audit
from tracker.web.extensions import db


def register_unit_of_work(app: Flask) -> None:
    """Stamp each request's session with the client's address for the audit trail, and forget it afterwards."""

    @app.before_request
    def _stamp() -> None:
        audit.stamp_origin(db.session, request.remote_addr or "")

    @app.teardown_request
    def _forget(_error: BaseException | None) -> None:
        audit.clear_origin(db.session)
