"""POST /api/v1/events/{event_ref}/participations/{provider_code}: the other side confirms or disputes one
participation; each provider answers for itself; who may not answer is refused (403 when it sees the event, 404
when not). Every answer is checked against the OpenAPI document (the `call` fixture)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from tracker.domain import accounts
from tracker.models import AuditEntry, EngagementEvent, Participation
from tracker.web.extensions import db

EVENTS = "/api/v1/plans/E06000001/2015-16/events"


def record(call, role: str, participations=None) -> str:
    """An event on board IN's plan recorded by `role` through the API; its ref."""
    response = call(role, "POST", EVENTS, json={
        "date": "2014-06-12", "kind": "workshop", "depth": 3, "topics": ["schemes"], "summary": "Workshop",
        "participations": participations or [{"provider_code": "RIN"}, {"provider_code": "RCO", "leadership": True}]})
    assert response.status_code == 201, response.json
    return response.json["event_ref"]


def answer_path(ref: str, code: str) -> str:
    return f"/api/v1/events/{ref}/participations/{code}"


def part(ref: str, code: str) -> Participation:
    return db.session.scalars(sa.select(Participation).join(Participation.event).join(Participation.provider)
                              .where(EngagementEvent.ref == ref, Participation.provider.has(code=code))).one()


@pytest.fixture
def rco_token(api_world) -> str:
    """A token of a user of RCO, the other provider serving board IN."""
    token = accounts.create_token(db.session, make_user("provider", provider=api_world["providers"]["RCO"]))
    db.session.commit()
    api_world["tokens"]["rco"] = token
    return token


def participations(answer: dict) -> dict[str, tuple]:
    return {p["provider_code"]: (p["leadership"], p["status"]) for p in answer["participations"]}


def test_each_named_provider_answers_for_itself_in_a_board_event(call, rco_token) -> None:
    ref = record(call, "hwb")
    response = call("provider", "POST", answer_path(ref, "RIN"), json={"status": "confirmed", "leadership": False})
    assert response.status_code == 200, response.json
    assert response.json["event_ref"] == ref and response.json["recorded_by"] == "hwb"
    # RIN's own answer and leadership; RCO's untouched (the board's view of its leadership, not yet answered).
    assert participations(response.json) == {"RIN": (False, "confirmed"), "RCO": (True, "unconfirmed")}
    response = call("rco", "POST", answer_path(ref, "RCO"), json={"status": "disputed", "note": "We sent apologies",
                                                                   "leadership": False})
    assert response.status_code == 200
    assert participations(response.json) == {"RIN": (False, "confirmed"), "RCO": (False, "disputed")}
    assert part(ref, "RCO").status_note == "We sent apologies"  # the provider's own word replaced the board's view
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action != "token_created")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["event_recorded", "participation_confirmed", "participation_leadership_stated",
                       "participation_disputed", "participation_leadership_stated"]


def test_the_board_answers_a_provider_event_one_participation_at_a_time(call, rco_token) -> None:
    ref = record(call, "provider")
    response = call("hwb", "POST", answer_path(ref, "RCO"), json={"status": "confirmed", "note": "ignored"})
    assert response.status_code == 200
    assert participations(response.json) == {"RIN": (None, "unconfirmed"), "RCO": (None, "confirmed")}
    assert part(ref, "RCO").status_note == ""  # a note is kept only with a dispute
    # A second answer replaces the first, as on the board's page.
    response = call("hwb", "POST", answer_path(ref, "RCO"), json={"status": "disputed", "note": "Not minuted"})
    assert response.status_code == 200 and participations(response.json)["RCO"] == (None, "disputed")


@pytest.mark.parametrize("role, recorder, code, status", [
    ("hwb", "hwb", "RIN", 403),            # the board does not answer its own event
    ("provider", "hwb", "RCO", 403),       # a provider answers only for itself
    ("provider", "provider", "RIN", 403),  # the recorder does not answer its own event
    ("rco", "provider", "RCO", 403),       # named in a provider's event: the board answers it
    ("assurer", "hwb", "RIN", 403),        # sees the event, answers nothing
    ("admin", "hwb", "RIN", 403),
    ("regional", "hwb", "RIN", 404),       # London assurer: board IN is out of scope
    ("other_provider", "hwb", "RIN", 404),  # not named, not in the footprint
    ("hwb", "provider", "ROUT", 404),      # the event does not name ROUT
    (None, "hwb", "RIN", 401),
])
def test_who_may_not_answer_is_refused(call, rco_token, role, recorder, code, status) -> None:
    ref = record(call, recorder)
    response = call(role, "POST", answer_path(ref, code), json={"status": "confirmed"})
    assert response.status_code == status
    assert set(response.json["error"]) >= {"code", "message"}
    assert {p.status for p in db.session.scalars(sa.select(Participation))} == {"unconfirmed"}


def test_an_event_outside_the_callers_scope_is_not_found(call) -> None:
    assert call("hwb", "POST", answer_path("EV-NOSUCHEVENT", "RIN"), json={"status": "confirmed"}).status_code == 404
    ref = record(call, "hwb", [{"provider_code": "RCO"}])
    # RIN serves the board but is not named: it cannot see the event.
    assert call("provider", "POST", answer_path(ref, "RCO"), json={"status": "confirmed"}).status_code == 404


@pytest.mark.parametrize("json, field", [
    ({"status": "disputed"}, "note"),
    ({"status": "disputed", "note": "   "}, "note"),
    ({"status": "disputed", "note": "x" * 2001}, "note"),
    ({"status": "unconfirmed"}, "status"),
    ({}, "status"),
    ({"status": "confirmed", "colour": "red"}, "colour"),
    ({"status": "confirmed", "leadership": "perhaps"}, "leadership"),
])
def test_an_invalid_answer_names_the_field_and_changes_nothing(call, json, field) -> None:
    ref = record(call, "hwb")
    response = call("provider", "POST", answer_path(ref, "RIN"), json=json)
    assert response.status_code == 422
    assert field in response.json["error"]["message"]
    assert part(ref, "RIN").status == "unconfirmed"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action.like("participation_%"))) == 0


def test_a_withdrawn_event_is_not_answered(call) -> None:
    ref = record(call, "hwb")
    event = db.session.scalars(sa.select(EngagementEvent).where(EngagementEvent.ref == ref)).one()
    event.withdrawn = True
    db.session.commit()
    response = call("provider", "POST", answer_path(ref, "RIN"), json={"status": "confirmed"})
    assert response.status_code == 422 and "status" in response.json["error"]["message"]
    assert part(ref, "RIN").status == "unconfirmed"


def test_the_events_list_gives_leadership_as_a_boolean_or_null(call) -> None:
    record(call, "provider", [{"provider_code": "RIN", "leadership": True}, {"provider_code": "RCO",
                                                                              "leadership": True}])
    [event] = call("hwb", "GET", EVENTS).json
    # A provider states only its own leadership: RCO's is not stated, whatever the recorder sent.
    assert participations(event) == {"RIN": (True, "unconfirmed"), "RCO": (None, "unconfirmed")}
