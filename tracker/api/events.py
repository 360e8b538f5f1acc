"""GET and POST /api/v1/plans/{hwb_code}/{year}/events."""
from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from flask import abort, url_for
from sqlalchemy.orm import selectinload

from tracker.api import bp
from tracker.api.auth import api_user, token_required
from tracker.api.once import created_once
from tracker.api.schemas import ErrorBody, EventIn, EventOut, PageQuery
from tracker.domain import scope
from tracker.domain.engagement import (
    EventInput,
    EventRejected,
    ParticipantInput,
    event_as_dict,
    provider_codes,
    record_event,
)
from tracker.models import EngagementEvent
from tracker.web import access
from tracker.web.clock import today
from tracker.web.extensions import db


@bp.get("/plans/<string:hwb_code>/<string:year>/events")
@token_required
@bp.arguments(PageQuery, location="query", error_status_code=422)
@bp.response(200, EventOut(many=True), description="Newest first; paging in the X-Pagination header")
@bp.alt_response(404, schema=ErrorBody, description="No such plan in the caller's scope")
def list_events(args: dict[str, Any], hwb_code: str, year: str) -> tuple[list[dict[str, Any]], int, dict[str, str]]:
    """The plan's events the caller may see, newest first, a page at a time."""
    user = api_user()
    plan = access.plan_or_404(user, hwb_code, year)
    visible = scope.events_visible(user, plan)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(visible.subquery()))
    page, per_page = args["page"], args["per_page"]
    events = db.session.scalars(
        visible.options(selectinload(EngagementEvent.topics), selectinload(EngagementEvent.participations))
        .order_by(EngagementEvent.date.desc(), EngagementEvent.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    codes = provider_codes(db.session, list(events))
    pages = max(1, -(-total // per_page))
    header = {"total": total, "total_pages": pages, "page": page, "per_page": per_page}
    return [event_as_dict(e, codes) for e in events], 200, {"X-Pagination": json.dumps(header)}

@bp.post("/plans/<string:hwb_code>/<string:year>/events")
@token_required
@bp.arguments(EventIn, location="json", error_status_code=422)
@bp.response(201, EventOut)
@bp.alt_response(404, schema=ErrorBody, description="No such plan in the caller's scope")
@bp.alt_response(422, schema=ErrorBody, description="Invalid input; the error names the field")
def create_event(body: dict[str, Any], hwb_code: str, year: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Record an event as the caller's side; an Idempotency-Key makes a retry return the first answer."""
    user = api_user()
    plan = access.plan_or_404(user, hwb_code, year)
    if not scope.can_record_event(db.session, user, plan):
        abort(403, description="Only the board's users and the providers serving it can record its events")

    def create() -> dict[str, Any]:
        event_input = EventInput(
            date=body["date"], kind=body["kind"], depth=body["depth"], topics=tuple(body["topics"]),
            summary=body["summary"], evidence_url=body.get("evidence_url"),
            participations=tuple(ParticipantInput(p["provider_code"], p["leadership"])
                                 for p in body["participations"]),
        )
        try:
            event = record_event(db.session, user, plan, event_input, today=today())
        except EventRejected as rejected:
            db.session.rollback()
            abort(422, description="; ".join(f"{f}: {m}" for f, m in rejected.errors.items()))
        return event_as_dict(event, provider_codes(db.session, [event]))

    return created_once(user.id, create, url_for("api.list_events", hwb_code=hwb_code, year=year))
