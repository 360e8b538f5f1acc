"""Each request's database work is one unit of work, committed in one place: here.

A view, an API call or a form never commits. When the view has answered, the request's work commits if the answer
is a success or a redirect (status below 400), and rolls back otherwise (a streamed export, which only
reads, is left to read on and is closed at the end); an exception rolls it back too (the
error pages do, and the session is closed at the end of the request). A view that refuses input rolls back what
it tried before it answers. Work outside the database that must not outlive a rolled-back transaction (a stored
file) registers its undoing with `undo_on_rollback`.

Each request's session is also stamped with the client's address for the audit trail.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, request
from werkzeug.wrappers import Response

from tracker.domain import audit
from tracker.web.extensions import db

_UNDO = "undo_on_rollback"


def undo_on_rollback(undo: Callable[[], None]) -> None:
    """Run `undo` if this request's work does not commit."""
    db.session.info.setdefault(_UNDO, []).append(undo)


def _undo_all() -> None:
    for undo in db.session.info.pop(_UNDO, []):
        undo()


def register_unit_of_work(app: Flask) -> None:
    """Stamp each request's session, commit or roll back its work when the view has answered, and clean up."""

    @app.before_request
    def _stamp() -> None:
        audit.stamp_origin(db.session, request.remote_addr or "")

    @app.after_request
    def _end(response: Response) -> Response:
        if response.is_streamed:
            return response  # an export still reading as it streams; it writes nothing, and the end closes it
        if response.status_code >= 400:
            db.session.rollback()
            _undo_all()
            return response
        try:
            db.session.commit()
        except Exception:
            db.session.rollback()
            _undo_all()
            raise
        db.session.info.pop(_UNDO, None)
        return response

    @app.teardown_request
    def _forget(error: BaseException | None) -> None:
        if error is not None or db.session.info.get(_UNDO):
            db.session.rollback()
            _undo_all()
        audit.clear_origin(db.session)
