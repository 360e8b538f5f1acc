"""The escalations queue: escalated concerns across the assurer's scope, oldest first."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user

from tracker.assurance import queries
from tracker.assurance.blueprint import bp
from tracker.web.access import roles_required
from tracker.web.extensions import db
from tracker.web.helpers import page_number

PER_PAGE = 50


@bp.get("/escalations")
@roles_required("assurer", "admin")
def escalations() -> str:
    """Escalated concerns (confidential ones included, marked) with their plan and provider, fifty to a page."""
    page = db.paginate(queries.escalated_concerns(current_user), page=page_number(), per_page=PER_PAGE,
                       error_out=False)
    return render_template("assurance/escalations.html", page=page,
                           escalated_on=queries.escalation_dates([c.id for c in page.items]))
