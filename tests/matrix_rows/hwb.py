"""Access rows of the HWB workspace, and the records its rows need (extend_world).

HWB pages are for HWB users only: anonymous visitors are sent to sign in, every other role is refused (403),
and the board's user is answered 404 for another board's event, concern or membership, and for a confidential
concern on its own plan. POSTs here change nothing (they are refused, or shown again with their errors).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from tests.matrix_rows import Case, only
from tracker.models import BoardMembership, Concern, EngagementEvent, EventTopic, Participation
from tracker.web.extensions import db

HWB = only({"hwb"})
HWB_OUT = only({"hwb"}, code=404)
HWB_REFUSED = only({"hwb"}, code=403)

ROWS: dict[str, list[Case]] = {
    "hwb.dashboard": [Case("GET", "/board/", HWB), Case("GET", "/board/?year=2015-16", HWB),
                      Case("GET", "/board/?year=2099-00", HWB_OUT)],
    "hwb.events": [Case("GET", "/board/events", HWB)],
    "hwb.new_event": [Case("GET", "/board/events/new", HWB),
                      # Incomplete: shown again with its errors, nothing recorded.
                      Case("POST", "/board/events/new", HWB, data={"submission": "0" * 32})],
    "hwb.event": [Case("GET", "/board/events/{hwb_event_in}", HWB),
                  Case("GET", "/board/events/{hwb_provider_event_in}", HWB),
                  Case("GET", "/board/events/{hwb_event_out}", HWB_OUT)],
    "hwb.answer_event": [Case("GET", "/board/events/{hwb_provider_event_in}/answer", HWB),
                         Case("GET", "/board/events/{hwb_event_in}/answer", HWB_REFUSED),
                         Case("POST", "/board/events/{hwb_event_out}/answer", HWB_OUT,
                              data={"status": "disputed"})],
    "hwb.withdraw": [Case("GET", "/board/events/{hwb_event_in}/withdraw", HWB),
                     Case("GET", "/board/events/{hwb_provider_event_in}/withdraw", HWB_REFUSED),
                     Case("POST", "/board/events/{hwb_event_out}/withdraw", HWB_OUT)],
    "hwb.concerns": [Case("GET", "/board/concerns", HWB)],
    "hwb.concern": [Case("GET", "/board/concerns/{hwb_concern_in}", HWB),
                    Case("GET", "/board/concerns/{hwb_concern_confidential}", HWB_OUT),
                    Case("GET", "/board/concerns/{hwb_concern_out}", HWB_OUT),
                    Case("POST", "/board/concerns/{hwb_concern_confidential}", HWB_OUT,
                         data={"action": "respond", "message": "Matrix"}),
                    Case("POST", "/board/concerns/{hwb_concern_out}", HWB_OUT, data={"action": "acknowledge"})],
    "hwb.board": [Case("GET", "/board/members", HWB)],
    "hwb.new_member": [Case("GET", "/board/members/new", HWB),
                       Case("POST", "/board/members/new", HWB, data={"member_name": ""})],
    "hwb.change_membership": [Case("GET", "/board/members/{hwb_member_in}", HWB),
                              Case("GET", "/board/members/{hwb_member_out}", HWB_OUT),
                              Case("POST", "/board/members/{hwb_member_out}", HWB_OUT, data={"voting": "no"}),
                              Case("GET", "/board/members/999999", HWB_OUT)],
    "hwb.plan": [Case("GET", "/board/plan", HWB), Case("GET", "/board/plan?year=2016-17", HWB_OUT)],
    # Starting the next year's plan: the form, and a post without figures shown again with its errors.
    "hwb.next_plan": [Case("GET", "/board/plans/next", HWB),
                      Case("POST", "/board/plans/next", HWB, data={"year": "2016-17", "minimum_pool_gbp": ""})],
    "hwb.export": [Case("GET", "/board/export/events.csv", HWB), Case("GET", "/board/export/providers.csv", HWB),
                   Case("GET", "/board/export/criteria.csv", HWB), Case("GET", "/board/export/users.csv", HWB_OUT)],
    "hwb.summary": [Case("GET", "/board/export/summary", HWB)],
}


def _event(plan_id: int, recorder_id: int | None, provider_id: int, ref: str) -> str:
    event = EngagementEvent(ref=ref, plan_id=plan_id, recorded_by="provider" if recorder_id else "hwb",
                            recorded_by_provider_id=recorder_id, date=date(2014, 6, 12), kind="workshop", depth=3,
                            summary="Matrix event", topics=[EventTopic(topic="schemes")],
                            participations=[Participation(provider_id=provider_id)])
    db.session.add(event)
    db.session.flush()
    return event.ref


def _concern(plan_id: int, provider_id: int, ref: str, confidential: bool = False) -> str:
    db.session.add(Concern(ref=ref, plan_id=plan_id, provider_id=provider_id, raised=date(2014, 10, 1),
                           category="excluded", severity="high", confidential=confidential, text="Matrix concern",
                           acknowledge_due=date(2014, 10, 6), respond_due=date(2014, 10, 29)))
    return ref


def _member(hwb_id: int, name: str) -> int:
    member = BoardMembership(hwb_id=hwb_id, member_name=name, seat="chair", voting=True, start=date(2013, 4, 1))
    db.session.add(member)
    db.session.flush()
    return member.id


def extend_world(world: dict[str, Any]) -> dict[str, Any]:
    """Events on board IN's plan (one by each side) and OUT's, concerns (one confidential), a member each."""
    plan_in, plan_out = world["plans"]["in"], world["plans"]["out"]
    mine, theirs = world["providers"]["in"], world["providers"]["out"]
    ids = {
        "hwb_event_in": _event(plan_in.id, None, mine.id, "EV-HWBMATRIXIN"),
        "hwb_provider_event_in": _event(plan_in.id, mine.id, mine.id, "EV-HWBMATRIXPROV"),
        "hwb_event_out": _event(plan_out.id, None, theirs.id, "EV-HWBMATRIXOUT"),
        "hwb_concern_in": _concern(plan_in.id, mine.id, "CN-HWBMATRIXIN"),
        "hwb_concern_confidential": _concern(plan_in.id, mine.id, "CN-HWBMATRIXSECRET", confidential=True),
        "hwb_concern_out": _concern(plan_out.id, theirs.id, "CN-HWBMATRIXOUT"),
        "hwb_member_in": _member(world["boards"]["in"].id, "Matrix Chair In"),
        "hwb_member_out": _member(world["boards"]["out"].id, "Matrix Chair Out"),
    }
    db.session.flush()
    return ids
