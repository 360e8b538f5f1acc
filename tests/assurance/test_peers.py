"""Peer matching: the pure ranking on hand-made profiles, then the page and the recorded match."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.assurance.builders import rated_plan
from tests.factories import sign_in_as
from tracker.domain.reviews.peers import BoardProfile, mix_similarity, size_similarity, suggest_peers
from tracker.models import AssuranceReview, AuditEntry, Plan
from tracker.web.extensions import db


def profile(code: str, region: str, rating: str = "strong", **footprint: int) -> BoardProfile:
    return BoardProfile(hash(code) % 10_000, code, f"Board {code}", region, footprint, rating)


TARGET = profile("T", "north", "weak", acute=2, community=2)


def test_similarity_measures() -> None:
    assert size_similarity(4, 16) == 0.25
    assert size_similarity(0, 0) == 1.0
    assert mix_similarity({"acute": 2, "community": 2}, {"acute": 8, "community": 8}) == 1.0
    assert mix_similarity({"acute": 2, "community": 2}, {"acute": 1, "community": 1, "housing": 2}) == 0.5
    assert mix_similarity({"acute": 1}, {"housing": 3}) == 0.0
    assert mix_similarity({}, {"housing": 3}) == 0.0


def test_same_region_first_then_the_closest_footprint() -> None:
    candidates = [
        profile("L1", "london", acute=2, community=2),  # identical, but in another region
        profile("N3", "north", acute=8, community=8),  # same mix, four times the size: 0.625
        profile("N2", "north", acute=1, community=1, housing=2),  # same size, half the mix: 0.75
        profile("N1", "north", acute=2, community=2),  # identical: 1.0
        profile("N4", "north", "adequate", acute=2, community=2),  # not strong
    ]
    suggestions = suggest_peers(TARGET, candidates)
    assert [s.board.code for s in suggestions] == ["N1", "N2", "N3"]
    assert [round(s.similarity, 3) for s in suggestions] == [1.0, 0.75, 0.625]
    assert suggestions[1].reasons == [
        "Rated strong on the evidence",
        "Same region (North of England)",
        "Footprint of 4 providers, against 4 here (100% similar in size)",
        "Sector mix 50% similar: both have acute hospital and community health providers",
    ]


def test_other_regions_fill_in_when_the_region_has_too_few_strong_boards() -> None:
    candidates = [profile("N1", "north", acute=2, community=2), profile("L1", "london", acute=2, community=2),
                  profile("S1", "south", acute=1, housing=1), profile("M1", "midlands_east", acute=3, community=2)]
    suggestions = suggest_peers(TARGET, candidates)
    assert [s.board.code for s in suggestions] == ["N1", "L1", "M1"]
    assert suggestions[1].reasons[1] == "In another region (London): too few strong boards in the same region"


def test_the_board_itself_and_ties_are_handled() -> None:
    twin_b, twin_a = profile("B", "north", acute=2, community=2), profile("A", "north", acute=2, community=2)
    itself = BoardProfile(TARGET.hwb_id, "T", "Self", "north", TARGET.footprint, "strong")
    assert [s.board.code for s in suggest_peers(TARGET, [twin_b, itself, twin_a])] == ["A", "B"]
    assert suggest_peers(TARGET, []) == []


@pytest.fixture
def peer_world(app_ctx) -> dict[str, Plan]:
    """The candidates of test_same_region_first_then_the_closest_footprint, as real plans with real evidence."""
    plans = {
        "T": rated_plan("weak", "north", {"acute": 2, "community": 2}, code="E06000100", name="Target"),
        "N1": rated_plan("strong", "north", {"acute": 2, "community": 2}, code="E06000101", name="North twin"),
        "N2": rated_plan("strong", "north", {"acute": 1, "community": 1, "housing": 2}, code="E06000102",
                         name="North housing"),
        "N3": rated_plan("strong", "north", {"acute": 8, "community": 8}, code="E06000103", name="North large"),
        "N4": rated_plan("adequate", "north", {"acute": 2, "community": 2}, code="E06000104", name="North adequate"),
        "L1": rated_plan("strong", "london", {"acute": 2, "community": 2}, code="E09000101", name="London twin"),
        "LW": rated_plan("weak", "london", {"acute": 1, "community": 1}, code="E09000102", name="London weak"),
    }
    db.session.commit()
    return plans


def test_peer_page_suggests_the_expected_boards(client, assurer, peer_world) -> None:
    sign_in_as(client, assurer)
    html = client.get("/assurance/plans/E06000100/2015-16/peers").get_data(as_text=True)
    assert re.findall(r'data-peer="(\w+)"', html) == ["E06000101", "E06000102", "E06000103"]
    assert "Sector mix 50% similar: both have acute hospital and community health providers" in html
    assert "/assurance/plans/E06000100/2015-16/review?peer=E06000102#peer" in html


def test_a_strong_plan_gets_no_peer(client, assurer, peer_world) -> None:
    sign_in_as(client, assurer)
    html = client.get("/assurance/plans/E06000101/2015-16/peers").get_data(as_text=True)
    assert "Peer matching is for plans rated weak or insufficient" in html
    assert "data-peer" not in html


def test_a_regional_assurer_is_offered_only_its_region(client, london_assurer, peer_world) -> None:
    sign_in_as(client, london_assurer)
    html = client.get("/assurance/plans/E09000102/2015-16/peers").get_data(as_text=True)
    assert re.findall(r'data-peer="(\w+)"', html) == ["E09000101"]
    assert client.get("/assurance/plans/E06000100/2015-16/peers").status_code == 404


def review_form(**extra: str) -> dict[str, str]:
    views = {f"condition_{c}": "met_subject_to_conditions" for c in (
        "joint_agreement", "protect_social_care", "seven_day_services", "data_sharing", "joint_assessment",
        "acute_impact")}
    return {**views, "evidence_rating": "weak", "rating": "weak", "decision": "not_approved", "tranche": "none",
            "intervention": "Pair with a best-practice board; monthly check-ins", **extra}


def test_the_chosen_match_is_recorded_with_the_review(client, assurer, peer_world) -> None:
    sign_in_as(client, assurer)
    form = client.get("/assurance/plans/E06000100/2015-16/review?peer=E06000102").get_data(as_text=True)
    assert re.search(r'value="E06000102"\s+checked', form)
    response = client.post("/assurance/plans/E06000100/2015-16/review",
                           data=review_form(peer="E06000102", override_reason="Weak, and the board asked for help"))
    assert response.status_code == 303
    review = db.session.scalar(sa.select(AssuranceReview))
    assert review.peer_hwb_id == peer_world["N2"].hwb_id
    match = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "assurance.peer_match"))
    assert match.after == {"peer_hwb": "E06000102", "review": review.id}
    assert "paired it with <strong>North housing</strong>" in client.get(
        "/assurance/plans/E06000100/2015-16/peers").get_data(as_text=True)


def test_a_board_that_was_not_suggested_cannot_be_chosen(client, assurer, peer_world) -> None:
    sign_in_as(client, assurer)
    response = client.post("/assurance/plans/E06000100/2015-16/review",
                           data=review_form(peer="E06000104", override_reason="x"))
    assert response.status_code == 200
    assert "Select one of the suggested peer boards, or no peer match" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AssuranceReview)) == 0
