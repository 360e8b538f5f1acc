"""The old escalations queue's address: escalated concerns are now in the queue of concerns awaiting assurers."""
from __future__ import annotations

from flask import redirect, url_for
from werkzeug.wrappers import Response

from tracker.assurance.blueprint import bp
from tracker.web.access import roles_required


@bp.get("/escalations")
@roles_required("assurer", "admin")
def escalations() -> Response:
    """Moved: the concerns awaiting assurers (escalated and confidential ones) at /assurance/concerns."""
    return redirect(url_for("assurance.concerns"), 301)
