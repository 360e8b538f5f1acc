"""The reviews API: who sees which fields, recording through the page's own service, the override rule, 422s naming
the field, idempotency; every answer checked against the OpenAPI document."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.assurance.builders import rated_plan
from tests.factories import make_membership, make_user
from tracker.domain.reviews.conditions import answer_condition, decide_condition
from tracker.models import AssuranceReview, AuditEntry, Notification, Plan, ReviewCondition
from tracker.web.extensions import db

REVIEWS = "/api/v1/plans/E06000001/2015-16/reviews"
OUT = "/api/v1/plans/E09000001/2015-16/reviews"


def body(**overrides):
    # Board IN's plan has no engagement: the evidence rates it insufficient and suggests intervention.
    review = {"rating": "insufficient", "decision": "not_approved", "tranche": None,
              "intervention": "Regional support team to run a provider forum"}
    review.update(overrides)
    return review


def count_reviews() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AssuranceReview))


def test_following_the_suggestion_needs_no_reason(call) -> None:
    response = call("assurer", "POST", REVIEWS, json=body())
    assert response.status_code == 201, response.json
    answer = response.json
    assert (answer["decision"], answer["tranche"], answer["rating"], answer["suggested_rating"]) == (
        "not_approved", None, "insufficient", "insufficient")
    assert answer["override_reason"] == "" and "@" in answer["reviewer"]
    assert [c["id"] for c in answer["criteria"]] == [f"E{n}" for n in range(1, 8)]
    assert db.session.scalar(sa.select(Plan.status).where(Plan.id == db.session.scalar(
        sa.select(AssuranceReview.plan_id)))) == "not_approved"
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "assurance.review")) is not None


def test_going_against_the_suggestion_needs_a_reason(call) -> None:
    against = body(decision="approved_subject_to_conditions", tranche=3, intervention="",
                   conditions=["Hold a provider forum", "Agree the acute impact"])
    refused = call("assurer", "POST", REVIEWS, json=against)
    assert refused.status_code == 422
    assert refused.json["error"]["message"].startswith("override_reason")
    assert count_reviews() == 0
    made = call("assurer", "POST", REVIEWS, json={**against, "override_reason": "Recovery plan agreed"})
    assert made.status_code == 201
    conditions = made.json["conditions"]
    assert [(c["text"], c["status"], c["met_on"]) for c in conditions] == [
        ("Hold a provider forum", "open", None), ("Agree the acute impact", "open", None)]
    assert made.headers["Location"].endswith(REVIEWS)


@pytest.mark.parametrize("change, field", [
    ({"rating": "great"}, "rating"),
    ({"decision": "maybe"}, "decision"),
    ({"tranche": 4}, "tranche"),
    ({"tranche": "1"}, "tranche"),
    ({"tranche": 2}, "tranche"),  # not approved: no tranche
    ({"decision": "approved", "tranche": None, "override_reason": "x"}, "tranche"),
    ({"intervention": ""}, "intervention"),
    ({"conditions": ["A condition"]}, "conditions"),  # only for an approval subject to conditions
    ({"decision": "approved_subject_to_conditions", "tranche": 3, "conditions": [" "], "override_reason": "x"},
     "conditions"),
    ({"conditions": ["x"] * 21}, "conditions"),
    ({"peer_hwb_code": "E06999999"}, "peer_hwb_code"),
    ({"colour": "blue"}, "colour"),
])
def test_invalid_input_answers_422_naming_the_field(call, change, field) -> None:
    response = call("assurer", "POST", REVIEWS, json=body(**change))
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == "invalid_input"
    assert field in response.json["error"]["message"]
    assert count_reviews() == 0


@pytest.mark.parametrize("role, status", [("provider", 403), ("hwb", 403), ("other_provider", 404),
                                          ("regional", 404), (None, 401)])
def test_only_assurers_in_scope_record(call, role, status) -> None:
    assert call(role, "POST", REVIEWS, json=body()).status_code == status
    assert count_reviews() == 0


def test_a_regional_assurer_records_in_its_region(call) -> None:
    response = call("regional", "POST", OUT, json=body())
    assert response.status_code == 201, response.json


def test_who_sees_which_fields(call) -> None:
    call("assurer", "POST", REVIEWS, json=body())
    call("assurer", "POST", REVIEWS, json=body(decision="approved", tranche=3, intervention="",
                                               override_reason="The CCG vouches for the engagement"))
    for role in ("assurer", "admin"):
        listed = call(role, "GET", REVIEWS).json
        assert [r["decision"] for r in listed] == ["approved", "not_approved"]  # newest first
        assert listed[0]["override_reason"] == "The CCG vouches for the engagement" and listed[0]["reviewer"]
    for role in ("provider", "hwb"):
        listed = call(role, "GET", REVIEWS).json
        assert [r["decision"] for r in listed] == ["approved", "not_approved"]
        assert "override_reason" not in listed[0] and "reviewer" not in listed[0]
    for role in ("other_provider", "regional"):
        assert call(role, "GET", REVIEWS).status_code == 404
    assert call(None, "GET", REVIEWS).status_code == 401


def test_conditions_met_show_their_date(call, api_world) -> None:
    made = call("assurer", "POST", REVIEWS, json=body(decision="approved_subject_to_conditions", tranche=3,
                                                      intervention="", conditions=["Provider forum"],
                                                      override_reason="Recovery plan"))
    item = db.session.get(ReviewCondition, made.json["conditions"][0]["id"])
    answer_condition(db.session, api_world["users"]["hwb"], item, "Held on 2 March", "https://example.org/m")
    decide_condition(db.session, api_world["users"]["assurer"], item, True, met_on=date(2015, 3, 3), reason="",
                     today=date(2015, 3, 4))
    db.session.commit()
    [listed] = call("provider", "GET", REVIEWS).json
    assert listed["conditions"] == [{"id": item.id, "text": "Provider forum", "status": "met",
                                     "met_on": "2015-03-03"}]


def test_a_peer_board_rated_strong_can_be_named(call, api_world) -> None:
    strong = rated_plan("strong", "north", code="E06000301", name="Strongtown")
    make_membership(strong.hwb, seat="chair", name="Cllr S Strong")
    make_user("hwb", "chair@strongtown.example", hwb=strong.hwb)
    db.session.commit()
    response = call("assurer", "POST", REVIEWS, json=body(peer_hwb_code="E06000301"))
    assert response.status_code == 201, response.json
    assert response.json["peer_hwb_code"] == "E06000301"
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "assurance.peer_match")) is not None


def test_idempotency_key_makes_a_retry_return_the_first_answer(call) -> None:
    first = call("assurer", "POST", REVIEWS, json=body(), headers={"Idempotency-Key": "review-1"})
    again = call("assurer", "POST", REVIEWS, json=body(), headers={"Idempotency-Key": "review-1"})
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert count_reviews() == 1
    other = call("assurer", "POST", REVIEWS, json=body(intervention="Other"), headers={"Idempotency-Key": "review-1"})
    assert other.status_code == 422
    assert count_reviews() == 1


def test_the_openapi_document_describes_the_routes(openapi) -> None:
    path = openapi.document["paths"]["/api/v1/plans/{hwb_code}/{year}/reviews"]
    assert set(path) >= {"get", "post"}
    assert {"201", "403", "404", "422"} <= set(path["post"]["responses"])


def test_a_review_with_conditions_tells_the_board_of_each_and_the_assurers_of_each_answer(call, api_world) -> None:
    board, assurer = api_world["users"]["hwb"], api_world["users"]["assurer"]
    made = call("assurer", "POST", REVIEWS, json=body(
        decision="approved_subject_to_conditions", tranche=3, rating="insufficient",
        override_reason="Recovery plan agreed", conditions=["Hold a provider forum", "Share the acute model"]))
    assert made.status_code == 201, made.json

    def kinds(user) -> list[str]:
        db.session.rollback()
        return sorted(db.session.scalars(sa.select(Notification.kind).where(Notification.user_id == user.id)))

    assert kinds(board) == ["condition_set", "condition_set", "review_recorded"]
    first = db.session.scalars(sa.select(ReviewCondition).order_by(ReviewCondition.position)).first()
    answer_condition(db.session, board, first, "Forum held on 3 March", "")
    decide_condition(db.session, assurer, first, True, met_on=date(2015, 3, 4), reason="", today=date(2015, 3, 5))
    db.session.commit()
    assert "condition_answered" in kinds(assurer)
    assert kinds(board).count("condition_met") == 1
