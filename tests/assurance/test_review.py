"""The plan review page and recording reviews: the override rule, append-only history, status and scope."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.assurance.builders import declare_all, rated_plan
from tests.factories import make_concern, make_event, make_membership, make_provider, sign_in_as
from tracker.assurance import queries
from tracker.domain import vocab
from tracker.models import AssuranceReview, AuditEntry, EngagementEvent, ImpactAssessment, Plan
from tracker.web.extensions import db

CONDITIONS = {f"condition_{c}": "met" for c in vocab.NATIONAL_CONDITIONS}


@pytest.fixture
def plans(app_ctx) -> dict[str, Plan]:
    """A strong plan in the north with a confidential and an escalated concern; a London plan; a weak one."""
    strong = rated_plan("strong", "north", code="E06000201", name="Northfield")
    acute = strong.hwb.providers[0]
    voluntary = make_provider("voluntary", [])
    make_concern(strong, acute, "resolved", ref="CPUBLIC", text="Resolved worry")
    make_concern(strong, voluntary, "open", confidential=True, ref="CSECRET", text="They ignore social care voices")
    make_membership(strong.hwb, provider=acute, name="Dr A Acute")
    make_membership(strong.hwb, seat="chair", name="Cllr B Chair")
    declare_all(strong)
    london = rated_plan("adequate", "london", code="E09000201", name="Southwark")
    weak = rated_plan("weak", "north", code="E06000202", name="Weakton")
    db.session.commit()
    return {"strong": strong, "london": london, "weak": weak}


def url(plan: Plan, suffix: str = "") -> str:
    return f"/assurance/plans/{plan.hwb.code}/{plan.year}{suffix}"


def post_review(client, plan: Plan, **fields: str):
    data = {**CONDITIONS, "evidence_rating": "strong", "rating": "strong", "decision": "approved", "tranche": "1",
            **fields}
    return client.post(url(plan, "/review"), data=data)


def reviews_of(plan: Plan) -> list[AssuranceReview]:
    return list(db.session.scalars(sa.select(AssuranceReview).where(AssuranceReview.plan_id == plan.id)
                                   .order_by(AssuranceReview.id)))


def test_plan_page_explains_every_criterion_with_its_records(client, assurer, plans) -> None:
    sign_in_as(client, assurer)
    html = client.get(url(plans["weak"])).get_data(as_text=True)
    for cid in ("E1", "E2", "E3", "E4", "E5", "E6", "E7"):
        assert f'id="criterion-{cid}"' in html
    assert "No acute hospital provider engaged" in html
    acute = plans["weak"].hwb.providers[0] if plans["weak"].hwb.providers[0].sector == "acute" else \
        plans["weak"].hwb.providers[1]
    assert f'href="#provider-{acute.code}"' in html and f'id="provider-{acute.code}"' in html
    assert "Find a peer board" in html


def test_plan_page_shows_confidential_concerns_marked_and_the_board(client, assurer, plans) -> None:
    sign_in_as(client, assurer)
    html = client.get(url(plans["strong"])).get_data(as_text=True)
    secret = html[html.index('id="concern-CSECRET"'):]
    assert "They ignore social care voices" in secret and "Confidential" in secret[:600]
    assert "Resolved worry" in html
    assert "Dr A Acute" in html and "Cllr B Chair" in html
    assert 'data-figure="coverage">100%</span> (1 of 1 footprint providers engaged)' in html
    assert "No review has been recorded yet." in html


def test_recording_a_review_snapshots_the_evidence_and_sets_the_status(client, assurer, plans) -> None:
    sign_in_as(client, assurer)
    form = client.get(url(plans["strong"], "/review")).get_data(as_text=True)
    assert "The acute sector&#39;s view" in form or "The acute sector's view" in form
    assert 'name="evidence_rating" type="hidden" value="strong"' in form
    assert re.search(r'name="rating" type="radio" value="strong"\s+checked', form)  # the evidence's, to start
    response = post_review(client, plans["strong"], conditions="", intervention="")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(url(plans["strong"]) + "#history")
    [review] = reviews_of(plans["strong"])
    assert (review.rating, review.suggested_rating, review.decision, review.tranche) == (
        "strong", "strong", "approved", 1)
    assert review.reviewer_id == assurer.id
    assert review.condition_views == {c: "met" for c in vocab.NATIONAL_CONDITIONS}
    assert [c["passed"] for c in review.criteria_snapshot["criteria"]] == [True] * 7
    assert review.criteria_snapshot["coverage"] == 1.0
    assert review.thresholds["coverage_min"] == 0.8
    db.session.refresh(plans["strong"])
    assert plans["strong"].status == "approved"
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "assurance.review"))
    assert audit.entity_id == str(review.id) and audit.after["decision"] == "approved"
    page = client.get(url(plans["strong"])).get_data(as_text=True)
    assert 'data-figure="status">Approved' in page and "Approved, tranche 1" in page


def test_a_decision_against_the_suggested_tranche_needs_a_reason(client, assurer, plans) -> None:
    sign_in_as(client, assurer)
    response = post_review(client, plans["strong"], tranche="2")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and "Enter why the decision goes against the evidence" in html
    assert "The evidence suggests tranche 1; the decision gives tranche 2" in html
    assert reviews_of(plans["strong"]) == []
    assert post_review(client, plans["strong"], tranche="2", override_reason="Waiting for the CCG's sign-off"
                       ).status_code == 303
    assert reviews_of(plans["strong"])[0].override_reason == "Waiting for the CCG's sign-off"


def test_approving_a_weak_plan_in_its_suggested_tranche_needs_no_reason(client, assurer, plans) -> None:
    sign_in_as(client, assurer)
    fields = {"evidence_rating": "weak", "rating": "weak", "decision": "approved_with_support", "tranche": "3",
              "peer": "none"}
    assert post_review(client, plans["weak"], **fields).status_code == 303
    db.session.refresh(plans["weak"])
    assert plans["weak"].status == "approved_with_support"
    assert reviews_of(plans["weak"])[0].override_reason == ""


def test_every_field_is_checked_with_nhs_wording(client, assurer, plans) -> None:
    sign_in_as(client, assurer)
    html = client.post(url(plans["strong"], "/review"), data={"evidence_rating": "strong"}).get_data(as_text=True)
    for message in ("Select your view of: plans jointly agreed by the board, the council and the ccgs",
                    "Select a decision", "Select a tranche, or intervention"):
        assert message in html
    assert "Not a valid choice" not in html
    assert reviews_of(plans["strong"]) == []


def test_a_review_made_on_stale_evidence_is_refused(client, assurer, plans) -> None:
    sign_in_as(client, assurer)
    html = post_review(client, plans["strong"], evidence_rating="adequate").get_data(as_text=True)
    assert "The evidence changed while you were reviewing" in html
    assert 'type="hidden" value="strong"' in html  # the form now carries the current rating
    assert reviews_of(plans["strong"]) == []


def test_reviews_are_append_only_and_the_latest_is_the_status(client, assurer, plans) -> None:
    sign_in_as(client, assurer)
    assert post_review(client, plans["strong"]).status_code == 303
    first = reviews_of(plans["strong"])[0]
    first_values = (first.decision, first.tranche, first.created_at, dict(first.criteria_snapshot))
    # The evidence changes (an acute provider now disagrees: E7 fails, adequate), and a second review follows.
    acute = plans["strong"].hwb.providers[0]
    db.session.execute(sa.update(ImpactAssessment).values(agreement="disagree"))
    db.session.commit()
    assert post_review(client, plans["strong"], evidence_rating="adequate", rating="adequate",
                       decision="approved_subject_to_conditions", tranche="2",
                       conditions=f"Agree the acute impact with {acute.name}").status_code == 303
    db.session.expire_all()
    first_again, second = reviews_of(plans["strong"])
    assert (first_again.decision, first_again.tranche, first_again.created_at,
            first_again.criteria_snapshot) == first_values
    assert second.suggested_rating == "adequate" and not second.criteria_snapshot["criteria"][6]["passed"]
    assert db.session.get(Plan, plans["strong"].id).status == "approved_subject_to_conditions"
    history = client.get(url(plans["strong"])).get_data(as_text=True)
    ids = re.findall(r'data-review="(\d+)"', history)
    assert ids == [str(second.id), str(first.id)]  # newest first, both kept


def test_no_route_changes_or_deletes_a_review(app) -> None:
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("assurance.")]
    assert len(rules) > 1 and "assurance.overview" in {rule.endpoint for rule in rules}  # the routes are there
    for rule in rules:
        assert rule.methods - {"GET", "HEAD", "OPTIONS", "POST"} == set(), rule
    writers = {rule.endpoint for rule in rules if "POST" in rule.methods}
    # Answering a concern (assurance.concern) writes the concern only; deciding a condition writes its verdict.
    assert writers == {"assurance.review", "assurance.concern", "assurance.condition"}, \
        "only recording a review (and its conditions' verdicts) writes a review"


def test_a_regional_assurer_reviews_only_its_region(client, london_assurer, plans) -> None:
    sign_in_as(client, london_assurer)
    for suffix in ("", "/review", "/peers", "/pack", "/pack.pdf"):
        assert client.get(url(plans["strong"], suffix)).status_code == 404
    assert post_review(client, plans["strong"]).status_code == 404
    assert client.get(url(plans["london"])).status_code == 200
    assert reviews_of(plans["strong"]) == []


def test_plan_page_shows_the_events_a_page_at_a_time_newest_first(client, assurer, plans, monkeypatch) -> None:
    """A plan of national scale has thousands of events: the page shows EVENTS_PER_PAGE of them, with links on."""
    monkeypatch.setattr(queries, "EVENTS_PER_PAGE", 2)
    plan = plans["london"]
    provider = plan.hwb.providers[0]
    before = db.session.scalar(sa.select(sa.func.count()).select_from(EngagementEvent)
                               .where(EngagementEvent.plan_id == plan.id))
    newest = [make_event(plan, date(2014, 10, 20) + timedelta(days=n), 2, [(provider, "confirmed")])
              for n in range(3)]
    db.session.commit()
    total = before + 3
    sign_in_as(client, assurer)
    first = client.get(url(plan)).get_data(as_text=True)
    assert f"{total} events, newest first (page 1 of {(total + 1) // 2}: events 1 to 2)" in first
    assert f'id="event-{newest[2].ref}"' in first and f'id="event-{newest[1].ref}"' in first
    assert f'id="event-{newest[0].ref}"' not in first
    assert f'href="{url(plan)}?page=2#events"' in first
    second = client.get(url(plan, "?page=2")).get_data(as_text=True)
    assert f'id="event-{newest[0].ref}"' in second and f'id="event-{newest[2].ref}"' not in second
    beyond = client.get(url(plan, "?page=999")).get_data(as_text=True)
    assert "There is no page 999 of this plan's events." in beyond
