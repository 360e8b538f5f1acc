"""The events API: recording as either side, validation shared with the forms, scope, paging, idempotency."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tracker.models import AuditEntry, EngagementEvent, IdempotentRequest, Participation
from tracker.web.extensions import db

EVENTS = "/api/v1/plans/E06000001/2015-16/events"


def body(**overrides):
    event = {"date": "2014-06-12", "kind": "workshop", "depth": 3, "topics": ["schemes", "acute_impact"],
             "summary": "Joint workshop on the admission-avoidance schemes.",
             "participations": [{"provider_code": "RIN", "leadership": True}, {"provider_code": "RCO"}]}
    event.update(overrides)
    return event


def count_events() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(EngagementEvent))


def test_provider_records_an_event(call) -> None:
    response = call("provider", "POST", EVENTS, json=body())
    assert response.status_code == 201, response.json
    answer = response.json
    assert answer["recorded_by"] == "provider" and answer["depth"] == 3 and answer["withdrawn"] is False
    assert answer["topics"] == ["acute_impact", "schemes"]
    assert answer["participations"] == [{"provider_code": "RCO", "leadership": None, "status": "unconfirmed"},
                                        {"provider_code": "RIN", "leadership": True, "status": "unconfirmed"}]
    assert answer["event_ref"].startswith("EV-")
    event = db.session.scalar(sa.select(EngagementEvent))
    assert event.recorded_by_provider.code == "RIN"
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "event_recorded"))
    assert audit.entity_id == answer["event_ref"] and audit.after == answer


def test_hwb_records_an_event_on_its_own_plan(call) -> None:
    response = call("hwb", "POST", EVENTS, json=body(kind="board_meeting", depth=2))
    assert response.status_code == 201
    assert response.json["recorded_by"] == "hwb"


@pytest.mark.parametrize("role, status", [("other_provider", 404), ("regional", 404), ("assurer", 403),
                                          ("admin", 403), (None, 401)])
def test_callers_who_may_not_record_are_refused(call, role, status) -> None:
    response = call(role, "POST", EVENTS, json=body())
    assert response.status_code == status
    assert set(response.json["error"]) >= {"code", "message"}
    assert count_events() == 0


@pytest.mark.parametrize("change, field", [
    ({"depth": 7}, "depth"),
    ({"depth": "3"}, "depth"),
    ({"date": "2014-02-30"}, "date"),
    ({"date": (date.today() + timedelta(days=1)).isoformat()}, "date"),
    ({"date": "2013-12-31"}, "date"),
    ({"kind": "party"}, "kind"),
    ({"topics": ["gossip"]}, "topics"),
    ({"topics": []}, "topics"),
    ({"summary": "   "}, "summary"),
    ({"summary": "x" * 5001}, "summary"),
    ({"participations": []}, "participations"),
    ({"participations": [{"provider_code": "RCO"}]}, "participations"),  # a provider must include itself
    ({"participations": [{"provider_code": "RIN"}, {"provider_code": "NOPE"}]}, "participations"),
    ({"participations": [{"provider_code": "RIN"}, {"provider_code": "RIN"}]}, "participations"),
    ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
    ({"colour": "blue"}, "colour"),
])
def test_invalid_input_answers_422_naming_the_field(call, change, field) -> None:
    response = call("provider", "POST", EVENTS, json=body(**change))
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == "invalid_input"
    assert field in response.json["error"]["message"]
    assert count_events() == 0


def test_missing_body_and_unknown_plan(call) -> None:
    assert call("provider", "POST", EVENTS).status_code == 422
    assert call("provider", "POST", "/api/v1/plans/E06000999/2015-16/events", json=body()).status_code == 404
    assert call("provider", "POST", "/api/v1/plans/E06000001/2016-17/events", json=body()).status_code == 404


def test_idempotency_key_makes_a_retry_return_the_first_answer(call) -> None:
    first = call("provider", "POST", EVENTS, json=body(), headers={"Idempotency-Key": "retry-1"})
    again = call("provider", "POST", EVENTS, json=body(), headers={"Idempotency-Key": "retry-1"})
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert count_events() == 1
    other = call("provider", "POST", EVENTS, json=body(depth=4), headers={"Idempotency-Key": "retry-1"})
    assert other.status_code == 422 and "different request" in other.json["error"]["message"]
    assert count_events() == 1
    # The same key from another caller is that caller's own key.
    assert call("hwb", "POST", EVENTS, json=body(), headers={"Idempotency-Key": "retry-1"}).status_code == 201
    assert count_events() == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IdempotentRequest)) == 2


def test_a_rejected_request_stores_no_idempotent_answer(call) -> None:
    bad = call("provider", "POST", EVENTS, json=body(depth=9), headers={"Idempotency-Key": "k"})
    assert bad.status_code == 422
    good = call("provider", "POST", EVENTS, json=body(), headers={"Idempotency-Key": "k"})
    assert good.status_code == 201 and count_events() == 1


def test_list_is_scoped_newest_first_and_paged(call, api_world) -> None:
    for day in (1, 3, 2):
        assert call("hwb", "POST", EVENTS, json=body(date=f"2014-05-0{day}",
                                                     participations=[{"provider_code": "RCO"}])).status_code == 201
    call("provider", "POST", EVENTS, json=body(date="2014-04-01"))
    everything = call("hwb", "GET", EVENTS + "?per_page=2")
    assert everything.status_code == 200
    assert [e["date"] for e in everything.json] == ["2014-05-03", "2014-05-02"]
    assert json.loads(everything.headers["X-Pagination"]) == {"total": 4, "total_pages": 2, "page": 1, "per_page": 2}
    page_two = call("hwb", "GET", EVENTS + "?per_page=2&page=2").json
    assert [e["date"] for e in page_two] == ["2014-05-01", "2014-04-01"]
    # The provider RIN sees only the event that names it.
    mine = call("provider", "GET", EVENTS).json
    assert [e["date"] for e in mine] == ["2014-04-01"]
    assert call("other_provider", "GET", EVENTS).status_code == 404
    assert call("regional", "GET", EVENTS).status_code == 404
    assert len(call("assurer", "GET", EVENTS).json) == 4
    assert call("hwb", "GET", EVENTS + "?per_page=501").status_code == 422
    assert call("hwb", "GET", EVENTS + "?page=0").status_code == 422


def test_revoked_token_is_refused(call, api_world) -> None:
    from tracker.models import ApiToken

    for token in db.session.scalars(sa.select(ApiToken)):
        token.revoked_at = token.created_at
    db.session.commit()
    response = call("hwb", "GET", EVENTS)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_participations_start_unconfirmed(call) -> None:
    call("provider", "POST", EVENTS, json=body())
    assert set(db.session.scalars(sa.select(Participation.status))) == {"unconfirmed"}
