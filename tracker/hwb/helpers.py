"""Small helpers shared by the HWB workspace's views: which plan, and the links that keep it."""
from __future__ import annotations

from flask import abort, request

from tracker.domain import plans, vocab
from tracker.models import Plan
from tracker.web import access
from tracker.web.extensions import db
from tracker.web.helpers import me


def plan_year() -> str:
    """The plan year asked for with ?year=, or the board's latest year with a plan; 404 for a year that is not a
    financial year, or when the board has no plan at all."""
    year = request.args.get("year") or plans.latest_year(db.session, me())
    if not vocab.is_year(year):
        abort(404)
    return year


def board_plan(year: str | None = None) -> Plan:
    """The signed-in board's plan for the year (404 when it has none): through the access policy."""
    user = me()
    if user.hwb is None:
        abort(404)
    return access.plan_or_404(user, user.hwb.code, year or plan_year())


def year_args(plan: Plan) -> dict[str, str]:
    """The ?year= argument that keeps the plan's year in links."""
    return {"year": plan.year}


def year_context(plan: Plan) -> dict[str, object]:
    """What a page of one year's plan shows about years: the years the board has plans for (to choose from), and the
    year whose plan the board can start next when this is its latest plan."""
    years = plans.years_with_plans(db.session, me())
    following = vocab.next_year(plan.year) if plan.year == years[0] else None
    return {"years": years, "next_plan_year": following}
