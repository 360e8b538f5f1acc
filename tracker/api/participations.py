"""POST /api/v1/events/{event_ref}/participations/{provider_code}: the other side confirms or disputes one
participation (tracker.domain.engagement.answers): the board for an event a provider recorded, the named provider
for its own participation in an event the board recorded."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_smorest import abort as smorest_abort

from tracker.api import bp
from tracker.api.auth import api_user, token_required
from tracker.api.participation_schemas import ParticipationAnswerIn
from tracker.api.schemas import ErrorBody, EventOut
from tracker.domain import scope
from tracker.domain.engagement import EventRejected, answers, event_as_dict, provider_codes
from tracker.models import EngagementEvent, Participation, Plan, Provider, User
from tracker.web.clock import today
from tracker.web.extensions import db


def _visible_event_or_404(user: User, ref: str) -> EngagementEvent:
    """The event by its ref when the caller may see it (tracker.domain.scope); else 404, so nothing leaks."""
    event = db.session.scalar(sa.select(EngagementEvent).join(EngagementEvent.plan).join(Plan.hwb)
                              .where(EngagementEvent.ref == ref, scope.hwb_scope(user)))
    if event is None or db.session.scalar(
            scope.events_visible(user, event.plan).where(EngagementEvent.id == event.id)) is None:
        abort(404, description="No such event in your scope")
    return event


@bp.post("/events/<string:event_ref>/participations/<string:provider_code>")
@token_required
@bp.arguments(ParticipationAnswerIn, location="json", error_status_code=422)
@bp.response(200, EventOut)
@bp.alt_response(403, schema=ErrorBody, description="The caller's side does not answer for this participation")
@bp.alt_response(404, schema=ErrorBody, description="No such event in the caller's scope, or it does not name "
                                                    "the provider")
@bp.alt_response(422, schema=ErrorBody, description="Invalid input; the error names the field")
def answer_participation(body: dict[str, Any], event_ref: str, provider_code: str) -> dict[str, Any]:
    """Confirm or dispute one provider's participation in an event, as the other side; a note is required to
    dispute. Answering again replaces the earlier answer."""
    user = api_user()
    event = _visible_event_or_404(user, event_ref)
    participation = db.session.scalar(sa.select(Participation).join(Participation.provider)
                                      .where(Participation.event_id == event.id, Provider.code == provider_code))
    if participation is None:
        abort(404, description="The event does not name that provider")
    if not answers.may_answer(user, participation):
        abort(403, description="Only the other side of the event answers for this participation: the board for "
                               "a provider's event, each named provider for its own in the board's")
    try:
        answers.answer(db.session, user, participation, body["status"], body["note"],
                       leadership=body["leadership"], today=today())
    except EventRejected as rejected:
        db.session.rollback()
        smorest_abort(422, fields=rejected.errors)  # the error names each field at fault (tracker.web.errors)
    db.session.flush()
    return event_as_dict(event, provider_codes(db.session, [event]))
