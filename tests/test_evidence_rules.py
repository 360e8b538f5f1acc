"""The pure rules of PRODUCT.md on hand-made facts: criteria edges, every rating boundary, the tranche."""
from __future__ import annotations

import pytest

from tracker.domain.evidence import PlanEvidence
from tracker.domain.evidence.rules import AcuteProvider, EngagedProvider, PlanFacts, Thresholds, rate, suggested_tranche


def facts(footprint: dict[str, int], engaged: list[tuple[str, int, int]], *, acute=(), counted=10, corroborated=10,
          assessments=2, agreeing=2, overdue=0, escalated=0, thresholds: Thresholds | None = None) -> PlanFacts:
    return PlanFacts.from_providers(
        1, footprint, [EngagedProvider(i, sector, depth, months) for i, (sector, depth, months) in enumerate(engaged)],
        [AcuteProvider(pid, has) for pid, has in acute], thresholds or Thresholds(), counted=counted,
        corroborated=corroborated, assessments=assessments, assessments_agreeing=agreeing, concerns_overdue=overdue,
        concerns_escalated=escalated, concerns_open=overdue + escalated)


def evidence(f: PlanFacts) -> PlanEvidence:
    return PlanEvidence(f, Thresholds())


def passed(e: PlanEvidence) -> dict[str, bool]:
    return {c.id: c.passed for c in e.criteria}


def community(n_engaged: int, n_footprint: int, months: int = 3) -> PlanFacts:
    """A footprint of community providers only, n_engaged of them engaged at depth 3."""
    return facts({"community": n_footprint}, [("community", 3, months)] * n_engaged)


def test_all_seven_pass_is_strong_with_tranche_1() -> None:
    e = evidence(community(8, 10))
    assert e.coverage == 0.8 and all(passed(e).values())  # coverage exactly 0.80 passes E3
    assert (e.rating, e.suggested_tranche) == ("strong", 1)


def test_coverage_just_below_080_fails_e3() -> None:
    e = evidence(facts({"community": 10000}, [("community", 3, 3)] * 7999))
    assert not passed(e)["E3"] and e.rating == "adequate"


@pytest.mark.parametrize("failing, rating", [(2, "adequate"), (3, "weak")])
def test_adequate_allows_at_most_two_failures_of_e3_to_e7(failing, rating) -> None:
    # Coverage 0.8 passes E3; fail E4, E6, then also E7.
    f = community(8, 10)
    f.corroborated = 0  # E4 fails
    f.concerns_overdue = 1  # E6 fails
    if failing == 3:
        f.assessments_agreeing = 0  # E7 fails
    e = evidence(f)
    assert sum(not p for p in passed(e).values()) == failing
    assert e.rating == rating


def test_coverage_exactly_050_is_weak_and_below_is_insufficient() -> None:
    # E2 fails (acute providers shallow, no assessment), so not adequate: coverage decides.
    f = facts({"acute": 2, "community": 2}, [("acute", 1, 1), ("community", 1, 1)], acute=[(0, False), (9, False)])
    e = evidence(f)
    assert e.coverage == 0.5 and not passed(e)["E2"] and e.rating == "weak" and e.suggested_tranche == 3
    f = facts({"acute": 10000}, [("acute", 1, 1)] * 4999, acute=[(0, False)])
    e = evidence(f)
    assert e.coverage == 0.4999 and e.rating == "insufficient" and e.suggested_tranche is None


def test_empty_footprint_reports_null_coverage_and_is_insufficient() -> None:
    e = evidence(facts({}, [], counted=5, corroborated=5, assessments=1, agreeing=1))
    api = e.to_api()
    assert api["coverage"] is None and all(v is None for v in api["coverage_by_sector"].values())
    assert e.rating == "insufficient" and api["suggested_tranche"] is None
    assert passed(e)["E2"] is True and passed(e)["E3"] is False


def test_zero_denominators_fail_their_criteria() -> None:
    e = evidence(facts({"community": 3}, [], counted=0, corroborated=0, assessments=0, agreeing=0))
    values = {c.id: (c.passed, c.value) for c in e.criteria}
    assert values["E3"] == (False, 0.0)  # a footprint but nobody engaged: 0 of 3
    assert values["E4"] == (False, None) and values["E5"] == (False, None) and values["E7"] == (False, None)


def test_e2_passes_without_acute_providers_and_needs_depth_and_assessment() -> None:
    assert passed(evidence(community(1, 1)))["E2"] is True
    deep_no_assessment = facts({"acute": 1}, [("acute", 5, 3)], acute=[(0, False)])
    shallow_assessed = facts({"acute": 1}, [("acute", 2, 3)], acute=[(0, True)])
    good = facts({"acute": 1}, [("acute", 3, 3)], acute=[(0, True)])
    assert [passed(evidence(f))["E2"] for f in (deep_no_assessment, shallow_assessed, good)] == [False, False, True]


def test_sustained_needs_three_distinct_months_and_half_of_the_engaged() -> None:
    e = evidence(facts({"community": 4}, [("community", 3, 3), ("community", 3, 3), ("community", 3, 2),
                                          ("community", 3, 1)]))
    assert e.to_api()["sustained"] == 2 and passed(e)["E5"] is True  # exactly 50%
    e = evidence(facts({"community": 3}, [("community", 3, 3), ("community", 3, 2), ("community", 3, 2)]))
    assert passed(e)["E5"] is False


def test_depth_distribution_and_sector_maps_list_everything() -> None:
    e = evidence(facts({"acute": 1, "housing": 2}, [("acute", 5, 1), ("housing", 1, 1)], acute=[(0, True)]))
    api = e.to_api()
    assert api["depth"] == {"1": 1, "2": 0, "3": 0, "4": 0, "5": 1}
    assert len(api["footprint"]) == len(api["engaged"]) == len(api["coverage_by_sector"]) == 8
    assert api["coverage_by_sector"]["housing"] == 0.5 and api["coverage_by_sector"]["ambulance"] is None


def test_thresholds_change_the_outcome() -> None:
    f = community(7, 10)
    assert PlanEvidence(f, Thresholds()).rating == "adequate"
    assert PlanEvidence(f, Thresholds(coverage_min=0.7)).rating == "strong"
    two_months = facts({"community": 2}, [("community", 3, 2)] * 2, thresholds=Thresholds(sustained_months_min=2))
    assert two_months.sustained == 2


def test_rate_and_tranche_directly() -> None:
    assert suggested_tranche("adequate") == 2 and suggested_tranche("insufficient") is None
    assert rate([], None, 0, Thresholds()) == "insufficient"
