"""The working days a board has to acknowledge and to answer a concern, as the admin set them (or as configured)."""
from __future__ import annotations

from flask import current_app

from tracker.domain.settings import Deadlines, concern_deadlines
from tracker.web.extensions import db


def configured() -> Deadlines:
    """The configured defaults (CONCERN_ACKNOWLEDGE_WORKING_DAYS, CONCERN_RESPONSE_WORKING_DAYS)."""
    return Deadlines(current_app.config["CONCERN_ACKNOWLEDGE_WORKING_DAYS"],
                     current_app.config["CONCERN_RESPONSE_WORKING_DAYS"])


def concern_days() -> Deadlines:
    """The working days in force now."""
    return concern_deadlines(db.session, configured())
