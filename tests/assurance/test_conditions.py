"""Conditions as work to finish: who answers and decides, the messages, the audit trail, and what the board, its
providers and the peer board see."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.assurance.builders import rated_plan
from tests.factories import make_membership, make_user, sign_in_as
from tracker.domain.evidence import load_thresholds, plan_evidence
from tracker.domain.reviews.conditions import ConditionRefused, answer_condition, decide_condition
from tracker.domain.reviews.peers import BoardProfile
from tracker.domain.reviews.rules import ReviewChoice
from tracker.domain.reviews.service import ReviewInput, record_review
from tracker.models import AuditEntry
from tracker.web.extensions import db

TODAY = date(2014, 11, 3)


@pytest.fixture
def loop(app_ctx, assurer):
    weak = rated_plan("weak", "north", code="E06000401", name="Weakton")
    strong = rated_plan("strong", "north", code="E06000402", name="Strongton")
    make_membership(strong.hwb, seat="chair", name="Cllr S Chair")
    peer_user = make_user("hwb", "peer@strongton.example", hwb=strong.hwb)
    board = make_user("hwb", "board@weakton.example", hwb=weak.hwb)
    provider = make_user("provider", "trust@example.org", provider=weak.hwb.providers[0])
    london = make_user("assurer", "london@example.org", region="london")
    figures = plan_evidence(db.session, weak.id, TODAY, load_thresholds(db.session))
    peer = BoardProfile(strong.hwb.id, strong.hwb.code, strong.hwb.name, "north", {}, "strong")
    review = record_review(db.session, assurer, weak, figures, ReviewInput(
        ReviewChoice("weak", "weak", "approved_subject_to_conditions", 3, ("Hold a provider forum", "Agree impact")),
        {}, peer))
    db.session.commit()
    return {"plan": weak, "review": review, "board": board, "provider": provider, "london": london,
            "assurer": assurer, "peer_user": peer_user, "items": review.condition_items}


def test_the_board_answers_and_the_assurer_decides(loop) -> None:
    first = loop["items"][0]
    with pytest.raises(ConditionRefused) as refused:
        answer_condition(db.session, loop["provider"], first, "Done")
    assert "answer" in refused.value.errors
    with pytest.raises(ConditionRefused) as refused:
        answer_condition(db.session, loop["board"], first, "  ", "javascript:alert(1)")
    assert refused.value.errors == {"answer": "Enter what the board has done to meet the condition",
                                    "answer_url": "Enter a link that starts with https:// or http://"}
    answer_condition(db.session, loop["board"], first, "Forum held", "https://example.org/minutes")
    with pytest.raises(ConditionRefused):
        decide_condition(db.session, loop["london"], first, True, met_on=TODAY, reason="", today=TODAY)
    with pytest.raises(ConditionRefused) as refused:
        decide_condition(db.session, loop["assurer"], first, False, met_on=None, reason=" ", today=TODAY)
    assert refused.value.errors == {"not_met_reason": "Enter why the condition is not met yet"}
    decide_condition(db.session, loop["assurer"], first, False, met_on=None, reason="No acute trust there",
                     today=TODAY)
    assert first.status == "open" and first.not_met_reason == "No acute trust there"
    answer_condition(db.session, loop["board"], first, "Second forum with the trust")  # it can answer again
    with pytest.raises(ConditionRefused) as refused:
        decide_condition(db.session, loop["assurer"], first, True, met_on=date(2014, 11, 4), reason="", today=TODAY)
    assert "met_on" in refused.value.errors
    decide_condition(db.session, loop["assurer"], first, True, met_on=TODAY, reason="", today=TODAY)
    assert (first.status, first.met_on, first.not_met_reason) == ("met", TODAY, "")
    with pytest.raises(ConditionRefused):
        answer_condition(db.session, loop["board"], first, "More")
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.entity_type == "review_condition")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["review_condition.answered", "review_condition.not_met", "review_condition.answered",
                       "review_condition.met"]


def test_the_board_and_its_providers_see_the_outcome_not_the_reason(client, loop) -> None:
    sign_in_as(client, loop["board"])
    html = client.get("/board/review").get_data(as_text=True)
    assert "Approved subject to conditions" in html and "Hold a provider forum" in html
    assert "Strongton" in html and "Cllr S Chair" in html and "peer@strongton.example" in html
    assert loop["assurer"].email not in html
    assert "as_of=" in html  # the evidence as at the review's date
    sign_in_as(client, loop["provider"])
    html = client.get("/provider/plans/E06000401/2015-16").get_data(as_text=True)
    assert "Approved subject to conditions" in html and "2 of 2 outstanding" in html
    assert loop["assurer"].email not in html


def test_the_peer_board_sees_who_was_paired_with_it(client, loop) -> None:
    sign_in_as(client, loop["peer_user"])
    html = client.get("/board/review").get_data(as_text=True)
    assert "Weakton (E06000401)" in html


def test_a_board_answers_only_its_own_conditions(client, loop) -> None:
    other = make_user("hwb", "other@example.org", hwb=rated_plan("strong", "north").hwb)
    db.session.commit()
    sign_in_as(client, other)
    assert client.get(f"/board/review/conditions/{loop['items'][0].id}").status_code == 404
    sign_in_as(client, loop["board"])
    response = client.post(f"/board/review/conditions/{loop['items'][0].id}", data={"answer": ""})
    assert "Enter what the board has done to meet the condition" in response.get_data(as_text=True)
