"""GET and POST /api/v1/plans/{hwb_code}/{year}/concerns and POST /api/v1/concerns/{ref}/actions: the concern
loop for systems that integrate with the tracker, through the same domain service as the pages."""
from __future__ import annotations

import json
from typing import Any, NoReturn

import sqlalchemy as sa
from flask import abort, url_for
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import UnprocessableEntity

from tracker.api import bp
from tracker.api.auth import api_user, token_required
from tracker.api.concern_schemas import ConcernActionIn, ConcernIn, ConcernOut
from tracker.api.once import created_once
from tracker.api.schemas import ErrorBody, PageQuery
from tracker.domain import scope
from tracker.domain.concerns import ConcernInput, ConcernRejected, owed, raise_concern, step_action, take_action
from tracker.models import Concern
from tracker.web import access
from tracker.web.clock import today
from tracker.web.deadlines import concern_days
from tracker.web.extensions import db


def concern_as_dict(concern: Concern) -> dict[str, Any]:
    """A concern in the API's field names, with who owes the next step today and its whole history."""
    next_step = owed(concern, today())
    return {
        "ref": concern.ref, "provider_code": concern.provider.code, "raised": concern.raised.isoformat(),
        "category": concern.category, "severity": concern.severity, "confidential": concern.confidential,
        "status": concern.status, "acknowledgement_due": concern.acknowledge_due.isoformat(),
        "response_due": concern.respond_due.isoformat(), "overdue": next_step.overdue, "owed_by": next_step.side,
        "history": [{"at": step.at.isoformat(), "side": "assurer" if step.actor_side == "admin" else step.actor_side,
                     "action": step_action(step.from_status, step.to_status), "message": step.message or ""}
                    for step in concern.history],
    }


def _refuse(rejected: ConcernRejected) -> NoReturn:
    """422 naming the field the domain service refused."""
    db.session.rollback()
    error = UnprocessableEntity(description=f"{rejected.field}: {rejected}")
    error.data = {"fields": {rejected.field: str(rejected)}}
    raise error


@bp.get("/plans/<string:hwb_code>/<string:year>/concerns")
@token_required
@bp.arguments(PageQuery, location="query", error_status_code=422)
@bp.response(200, ConcernOut(many=True), description="Newest first; paging in the X-Pagination header")
@bp.alt_response(404, schema=ErrorBody, description="No such plan in the caller's scope")
def list_concerns(args: dict[str, Any], hwb_code: str, year: str) -> tuple[list[dict[str, Any]], int, dict[str, str]]:
    """The plan's concerns the caller may see (a provider its own, the board all but confidential ones, assurers
    all), newest first, a page at a time."""
    user = api_user()
    plan = access.plan_or_404(user, hwb_code, year)
    visible = scope.concerns_visible(user).where(Concern.plan_id == plan.id)
    total = db.session.scalar(visible.with_only_columns(sa.func.count()).order_by(None))
    page, per_page = args["page"], args["per_page"]
    concerns = db.session.scalars(
        visible.options(joinedload(Concern.provider), selectinload(Concern.history))
        .order_by(Concern.raised.desc(), Concern.id.desc()).limit(per_page).offset((page - 1) * per_page)).all()
    header = {"total": total, "total_pages": max(1, -(-total // per_page)), "page": page, "per_page": per_page}
    return [concern_as_dict(c) for c in concerns], 200, {"X-Pagination": json.dumps(header)}


@bp.post("/plans/<string:hwb_code>/<string:year>/concerns")
@token_required
@bp.arguments(ConcernIn, location="json", error_status_code=422)
@bp.response(201, ConcernOut)
@bp.alt_response(403, schema=ErrorBody, description="Only a provider serving the board raises concerns")
@bp.alt_response(404, schema=ErrorBody, description="No such plan in the caller's scope")
@bp.alt_response(422, schema=ErrorBody, description="Invalid input; the error names the field")
def create_concern(body: dict[str, Any], hwb_code: str, year: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """A provider raises a concern on a plan in its footprint; an Idempotency-Key makes a retry return the first
    answer."""
    user = api_user()
    plan = access.plan_or_404(user, hwb_code, year)
    if user.role != "provider":
        abort(403, description="Only the providers serving the board can raise concerns about its plan")
    def create() -> dict[str, Any]:
        concern_input = ConcernInput(category=body["category"], severity=body["severity"], text=body["text"],
                                     confidential=body["confidential"])
        days = concern_days()
        try:
            concern = raise_concern(db.session, user, plan, concern_input, today=today(),
                                    acknowledge_days=days.acknowledge, respond_days=days.respond)
        except ConcernRejected as rejected:
            _refuse(rejected)
        return concern_as_dict(concern)

    return created_once(user.id, create, url_for("api.list_concerns", hwb_code=hwb_code, year=year))


@bp.post("/concerns/<string:ref>/actions")
@token_required
@bp.arguments(ConcernActionIn, location="json", error_status_code=422)
@bp.response(200, ConcernOut)
@bp.alt_response(404, schema=ErrorBody, description="No such concern visible to the caller")
@bp.alt_response(422, schema=ErrorBody, description="The caller's side may not take that step now (the error "
                                                    "names action), or a message is missing (names message)")
def concern_action(body: dict[str, Any], ref: str) -> dict[str, Any]:
    """One step of the concern's lifecycle by the caller's side, as the pages take it."""
    user = api_user()
    concern = db.one_or_404(scope.concerns_visible(user).where(Concern.ref == ref)
                            .options(joinedload(Concern.provider), selectinload(Concern.history)))
    try:
        take_action(db.session, user, concern, body["action"], body["message"], today=today(),
                    respond_days=concern_days().respond)
    except ConcernRejected as rejected:
        _refuse(rejected)
    return concern_as_dict(concern)
