"""GET /api/v1/plans and GET /api/v1/plans/{hwb_code}/{year}/evidence."""
from __future__ import annotations

from typing import Any

from tracker.api import bp
from tracker.api.auth import api_user, token_required
from tracker.api.schemas import ErrorBody, Evidence, EvidenceQuery, PlansQuery, PlanSummary
from tracker.domain import evidence, scope
from tracker.domain import plans as plans_domain
from tracker.models import HWB, Plan
from tracker.web import access
from tracker.web.clock import today
from tracker.web.extensions import db


@bp.get("/plans")
@token_required
@bp.arguments(PlansQuery, location="query", error_status_code=422)
@bp.response(200, PlanSummary(many=True))
@bp.alt_response(422, schema=ErrorBody, description="An unknown year or region, or a malformed or future as_of")
def plans(args: dict[str, Any]) -> list[dict[str, Any]]:
    """The plans in the caller's scope for a year (by default the latest year with plans in scope), with coverage,
    rating and assurance status (as at as_of)."""
    user = api_user()
    year = args.get("year") or plans_domain.latest_year(db.session, user)
    query = scope.plans_in_scope(user).where(Plan.year == year).order_by(HWB.code)
    if args.get("region"):
        query = query.where(HWB.region == args["region"])
    rows = db.session.execute(query.with_only_columns(Plan, HWB)).all()
    figures = evidence.plans_evidence(db.session, [plan.id for plan, _ in rows], today(),
                                      evidence.load_thresholds(db.session), args.get("as_of"))
    return [{"hwb_code": hwb.code, "hwb_name": hwb.name, "region": hwb.region, "year": plan.year,
             "coverage": figures[plan.id].coverage, "rating": figures[plan.id].rating, "status": plan.status}
            for plan, hwb in rows]


@bp.get("/plans/<string:hwb_code>/<string:year>/evidence")
@token_required
@bp.arguments(EvidenceQuery, location="query", error_status_code=422)
@bp.response(200, Evidence)
@bp.alt_response(404, schema=ErrorBody, description="No such plan in the caller's scope")
@bp.alt_response(422, schema=ErrorBody, description="A malformed or future as_of")
def plan_evidence(args: dict[str, Any], hwb_code: str, year: str) -> dict[str, Any]:
    """The engagement evidence of one plan: coverage, depth, corroboration, concerns, criteria and rating, today's
    or as at as_of."""
    plan = access.plan_or_404(api_user(), hwb_code, year)
    day = today()
    found = evidence.plan_evidence(db.session, plan.id, day, evidence.load_thresholds(db.session), args.get("as_of"))
    return {**found.to_api(), "as_of": found.as_of or day}
