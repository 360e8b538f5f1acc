"""Small helpers shared by the HWB workspace's views: which plan, and the links that keep it."""
from __future__ import annotations

from flask import abort, request

from tracker.web import access
from tracker.domain import vocab
from tracker.models import Plan
from tracker.web.helpers import me

DEFAULT_YEAR = "2015-16"


def plan_year() -> str:
    """The plan year asked for with ?year=, or the default; 404 for a year that is not a plan year."""
    year = request.args.get("year", DEFAULT_YEAR)
    if year not in vocab.YEARS:
        abort(404)
    return year


def board_plan(year: str | None = None) -> Plan:
    """The signed-in board's plan for the year (404 when it has none): through the access policy."""
    user = me()
    if user.hwb is None:
        abort(404)
    return access.plan_or_404(user, user.hwb.code, year or plan_year())


def year_args(plan: Plan) -> dict[str, str]:
    """The ?year= argument to keep in links, only when it is not the default."""
    return {} if plan.year == DEFAULT_YEAR else {"year": plan.year}
