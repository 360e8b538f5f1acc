"""GET /api/v1/statistics/board-membership."""
from __future__ import annotations

from typing import Any

from tracker.api import bp
from tracker.api.auth import token_required
from tracker.api.schemas import ErrorBody, MembershipQuery, MembershipStatistics
from tracker.domain import membership
from tracker.web.extensions import db


@bp.get("/statistics/board-membership")
@token_required
@bp.arguments(MembershipQuery, location="query", error_status_code=422)
@bp.response(200, MembershipStatistics)
@bp.alt_response(422, schema=ErrorBody, description="A malformed date or an unknown region")
def board_membership(args: dict[str, Any]) -> dict[str, Any]:
    """Boards with provider members on a date, nationally or in one region, by sector and by region."""
    return membership.board_membership_statistics(db.session, args["as_of"], args.get("region"))
