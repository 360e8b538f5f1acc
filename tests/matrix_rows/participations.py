"""Access rows of the participations API (the other side confirms or disputes one participation).

A board-recorded event is answered by the named provider's own users, a provider-recorded one by the board's;
everyone else who may see the event is refused (403), anyone who may not is answered 404.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from tests.matrix_rows import Case
from tracker.models import EngagementEvent, EventTopic, Participation
from tracker.web.extensions import db

ANSWER = {"status": "confirmed"}
PATH = "/api/v1/events/{%s}/participations/{%s}"

ROWS: dict[str, list[Case]] = {
    "api.answer_participation": [
        Case("POST", PATH % ("parts_hwb_event_in", "provider"),
             {"anon": 401, "provider": 200, "hwb": 403, "assurer": 403, "regional": 404, "admin": 403},
             token=True, json=ANSWER),
        Case("POST", PATH % ("parts_provider_event_in", "provider"),
             {"anon": 401, "provider": 403, "hwb": 200, "assurer": 403, "regional": 404, "admin": 403},
             token=True, json=ANSWER),
        Case("POST", PATH % ("parts_hwb_event_out", "other_provider"),
             {"anon": 401, "provider": 404, "hwb": 404, "assurer": 403, "regional": 403, "admin": 403},
             token=True, json=ANSWER),
        # The event does not name that provider.
        Case("POST", PATH % ("parts_hwb_event_out", "provider"),
             {"anon": 401, "provider": 404, "hwb": 404, "assurer": 404, "regional": 404, "admin": 404},
             token=True, json=ANSWER),
    ],
}


def _event(plan_id: int, recorder_id: int | None, provider_id: int, ref: str) -> str:
    db.session.add(EngagementEvent(
        ref=ref, plan_id=plan_id, recorded_by="provider" if recorder_id else "hwb", recorded_by_provider_id=recorder_id,
        date=date(2014, 6, 12), kind="meeting", depth=3, summary="Matrix event", topics=[EventTopic(topic="schemes")],
        participations=[Participation(provider_id=provider_id)]))
    db.session.flush()
    return ref


def extend_world(world: dict[str, Any]) -> dict[str, Any]:
    """A board event and a provider event on board IN's plan naming provider IN, and a board event on board OUT's."""
    plan_in, plan_out = world["plans"]["in"], world["plans"]["out"]
    mine, theirs = world["providers"]["in"], world["providers"]["out"]
    return {"parts_hwb_event_in": _event(plan_in.id, None, mine.id, "EV-PARTSHWBIN"),
            "parts_provider_event_in": _event(plan_in.id, mine.id, mine.id, "EV-PARTSPROVIN"),
            "parts_hwb_event_out": _event(plan_out.id, None, theirs.id, "EV-PARTSHWBOUT")}
