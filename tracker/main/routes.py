"""The start page and the NHS.UK frontend files installed from npm."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, render_template, send_from_directory
from werkzeug.wrappers import Response

from tracker.main.blueprint import bp
from tracker.main.queries import start_page_counts
from tracker.web.access import public
from tracker.web.extensions import db


@bp.get("/")
@public
def start() -> str:
    """Explain what the service is for and who uses it."""
    return render_template("main/start.html", counts=start_page_counts())


@bp.get("/healthz")
@public
def health() -> tuple[dict[str, str], int]:
    """For a load balancer or a monitor: 200 when the app answers and reaches its database, else 503."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        current_app.logger.exception("Health check: the database does not answer")
        return {"status": "unavailable", "database": "not answering"}, 503
    return {"status": "ok", "database": "ok"}, 200


@bp.get("/assets/<path:filename>")
@public
def nhsuk_assets(filename: str) -> Response:
    """Images and icons of NHS.UK frontend; its CSS refers to them as /assets/…."""
    return send_from_directory(current_app.config["NHSUK_DIST"] + "/assets", filename, max_age=86400)


@bp.get("/nhsuk/<path:filename>")
@public
def nhsuk_dist(filename: str) -> Response:
    """The compiled NHS.UK frontend CSS and JavaScript."""
    return send_from_directory(current_app.config["NHSUK_DIST"], filename, max_age=86400)
