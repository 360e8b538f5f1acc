"""The concerns API: the whole loop by every side, the confidential loop the board never sees, every refused step
answering 422 naming `action`, scope, paging and idempotency; every answer checked against the OpenAPI document."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tracker.domain.concerns import ACTIONS, allowed_actions
from tracker.models import AuditEntry, Concern, ConcernStep
from tracker.web.extensions import db

CONCERNS = "/api/v1/plans/E06000001/2015-16/concerns"
SIDE_OF = {"provider": "provider", "hwb": "hwb", "assurer": "assurer"}


def raise_(call, confidential: bool = False, **overrides) -> dict:
    body = {"category": "financial_impact", "severity": "high", "confidential": confidential,
            "text": "The plan moves £2m from acute budgets without any modelling of the effect on admissions."}
    body.update(overrides)
    response = call("provider", "POST", CONCERNS, json=body)
    assert response.status_code == 201, response.json
    return response.json


def act(call, role: str, ref: str, action: str, message: str = "", status: int = 200) -> dict:
    response = call(role, "POST", f"/api/v1/concerns/{ref}/actions", json={"action": action, "message": message})
    assert response.status_code == status, (role, action, response.json)
    return response.json


def listed(call, role: str) -> list[str]:
    response = call(role, "GET", CONCERNS)
    assert response.status_code == 200
    return [c["ref"] for c in response.json]


def test_the_full_loop_by_every_side(call) -> None:
    concern = raise_(call)
    ref = concern["ref"]
    assert (concern["status"], concern["owed_by"], concern["overdue"], concern["provider_code"]) == (
        "open", "hwb", False, "RIN")
    assert concern["history"][0]["side"] == "provider" and concern["history"][0]["action"] == "raise"
    assert concern["acknowledgement_due"] <= concern["response_due"]
    assert listed(call, "hwb") == [ref] and listed(call, "assurer") == [ref]
    assert act(call, "hwb", ref, "acknowledge")["status"] == "acknowledged"
    answer = act(call, "hwb", ref, "respond", "We will model it for the next draft.")
    assert (answer["status"], answer["owed_by"]) == ("responded", "provider")
    answer = act(call, "provider", ref, "escalate", "No modelling has been shared.")
    assert (answer["status"], answer["owed_by"], answer["response_due"]) == ("escalated", "assurer",
                                                                             concern["response_due"])
    act(call, "hwb", ref, "respond", "More", status=422)  # the board cannot answer an escalated concern
    assert act(call, "assurer", ref, "respond", "The board must share its modelling.")["status"] == "responded"
    final = act(call, "provider", ref, "resolve")
    assert (final["status"], final["owed_by"]) == ("resolved", None)
    assert [(s["side"], s["action"]) for s in final["history"]] == [
        ("provider", "raise"), ("hwb", "acknowledge"), ("hwb", "respond"), ("provider", "escalate"),
        ("assurer", "respond"), ("provider", "resolve")]
    assert final["history"][4]["message"] == "The board must share its modelling."
    audited = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.entity_id == ref)
                                 .order_by(AuditEntry.id)).all()
    assert audited == ["concern_raised", "concern_acknowledge", "concern_respond", "concern_escalate",
                       "concern_respond", "concern_resolve"]


def test_the_confidential_loop_never_reaches_the_board(call) -> None:
    ref = raise_(call, confidential=True)["ref"]
    assert listed(call, "hwb") == []
    assert listed(call, "provider") == [ref] and listed(call, "assurer") == [ref]
    act(call, "hwb", ref, "acknowledge", status=404)
    act(call, "hwb", ref, "respond", "x", status=404)
    answer = act(call, "assurer", ref, "acknowledge")
    assert (answer["status"], answer["owed_by"]) == ("acknowledged", "assurer")
    answer = act(call, "assurer", ref, "respond", "We have asked the board for its modelling.")
    assert (answer["status"], answer["owed_by"]) == ("responded", "provider")
    assert act(call, "provider", ref, "resolve")["status"] == "resolved"
    assert listed(call, "hwb") == []
    sides = db.session.scalars(sa.select(ConcernStep.actor_side).join(ConcernStep.concern)
                               .where(Concern.ref == ref)).all()
    assert "hwb" not in sides
    evidence = call("hwb", "GET", "/api/v1/plans/E06000001/2015-16/evidence").json
    assert evidence["concerns"] == {"open": 0, "overdue": 0, "escalated": 0}


# Drive a concern to each status, then try every action each side may NOT take there: 422 naming action.
ROUTES = {
    "open": [],
    "acknowledged": [("hwb", "acknowledge", "")],
    "responded": [("hwb", "respond", "Answer")],
    "escalated": [("provider", "escalate", "Please look")],
    "resolved": [("provider", "resolve", "")],
}
CONFIDENTIAL_ROUTES = {
    "open": [],
    "acknowledged": [("assurer", "acknowledge", "")],
    "responded": [("assurer", "respond", "Answer")],
    "escalated": [("provider", "escalate", "Please look")],
    "resolved": [("provider", "resolve", "")],
}
REFUSED = [(status, confidential, role, action)
           for confidential, routes in ((False, ROUTES), (True, CONFIDENTIAL_ROUTES))
           for status, steps in routes.items()
           for role in ("provider", "hwb", "assurer")
           if not (confidential and role == "hwb")  # the board cannot see it: 404, tested above
           for action in ACTIONS
           if action not in [a.name for a in allowed_actions(status, role, confidential,
                                                             escalated=status == "escalated")]]


@pytest.mark.parametrize("status, confidential, role, action", REFUSED)
def test_every_refused_step_names_action(call, status, confidential, role, action) -> None:
    ref = raise_(call, confidential=confidential)["ref"]
    for side, step, message in (CONFIDENTIAL_ROUTES if confidential else ROUTES)[status]:
        assert act(call, side, ref, step, message)["status"] == status
    answer = act(call, role, ref, action, "A message", status=422)
    assert answer["error"]["fields"] == {"action": "That cannot be done to this concern now"}
    assert db.session.scalar(sa.select(Concern.status).where(Concern.ref == ref)) == status


@pytest.mark.parametrize("action", ["respond", "reply", "reopen", "escalate"])
def test_a_missing_message_is_named(call, action) -> None:
    ref = raise_(call)["ref"]
    if action == "reopen":
        act(call, "hwb", ref, "respond", "Answer")
    role = "hwb" if action == "respond" else "provider"
    answer = act(call, role, ref, action, "   ", status=422)
    assert list(answer["error"]["fields"]) == ["message"]


@pytest.mark.parametrize("body, field", [
    ({"category": "weather"}, "category"), ({"severity": "dire"}, "severity"), ({"text": ""}, "text"),
    ({"confidential": "perhaps"}, "confidential"), ({"colour": "red"}, "colour")])
def test_bad_values_are_named(call, body, field) -> None:
    full = {"category": "excluded", "severity": "low", "confidential": False, "text": "We were left out"} | body
    response = call("provider", "POST", CONCERNS, json=full)
    assert response.status_code == 422 and field in response.json["error"]["fields"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Concern)) == 0


def test_bad_actions_are_named(call) -> None:
    ref = raise_(call)["ref"]
    response = call("provider", "POST", f"/api/v1/concerns/{ref}/actions", json={"action": "shout"})
    assert response.status_code == 422 and list(response.json["error"]["fields"]) == ["action"]


@pytest.mark.parametrize("role, status", [("hwb", 403), ("assurer", 403), ("admin", 403),
                                          ("other_provider", 404), ("regional", 404), (None, 401)])
def test_only_a_provider_serving_the_board_raises(call, role, status) -> None:
    response = call(role, "POST", CONCERNS, json={"category": "excluded", "severity": "low", "text": "x"})
    assert response.status_code == status


def test_scope_of_the_list_and_of_actions(call, api_world) -> None:
    ref = raise_(call)["ref"]
    assert call("regional", "GET", CONCERNS).status_code == 404
    assert call("other_provider", "GET", CONCERNS).status_code == 404
    act(call, "other_provider", ref, "resolve", status=404)
    act(call, "regional", ref, "respond", "x", status=404)
    act(call, "assurer", ref, "respond", "x", status=422)  # not escalated, not confidential: the board's to answer
    act(call, "assurer", "CN-NOSUCH", "respond", "x", status=404)


def test_newest_first_and_paged(call) -> None:
    refs = [raise_(call, text=f"Concern {n}")["ref"] for n in range(3)]
    response = call("assurer", "GET", CONCERNS + "?per_page=2&page=1")
    assert [c["ref"] for c in response.json] == [refs[2], refs[1]]
    assert json.loads(response.headers["X-Pagination"]) == {"total": 3, "total_pages": 2, "page": 1, "per_page": 2}
    assert [c["ref"] for c in call("assurer", "GET", CONCERNS + "?per_page=2&page=2").json] == [refs[0]]
    assert call("assurer", "GET", CONCERNS + "?per_page=501").status_code == 422


def test_a_retry_with_the_same_key_raises_once(call) -> None:
    body = {"category": "excluded", "severity": "low", "confidential": True, "text": "We were left out"}
    first = call("provider", "POST", CONCERNS, json=body, headers={"Idempotency-Key": "concern-1"})
    again = call("provider", "POST", CONCERNS, json=body, headers={"Idempotency-Key": "concern-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Concern)) == 1
    other = call("provider", "POST", CONCERNS, json={**body, "text": "Else"}, headers={"Idempotency-Key": "concern-1"})
    assert other.status_code == 422
