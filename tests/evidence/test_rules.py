"""The pure rules (criteria, rating, tranche) on hand-made facts: no database.

Most tests give the facts as the SQL aggregates count them (`facts`); the last ones describe a plan provider by
provider, as the per-provider view does, and check what PlanFacts.from_providers counts from that.
"""
from __future__ import annotations

from typing import Any

import pytest

from tracker.domain import vocab
from tracker.domain.evidence import PlanEvidence, PlanFacts, Thresholds
from tracker.domain.evidence.rules import AcuteProvider, EngagedProvider, rate, suggested_tranche
from tracker.models import CriteriaSettings

DEFAULTS = Thresholds()


def facts(footprint: dict[str, int] | None = None, engaged: dict[str, int] | None = None, **counts: Any) -> PlanFacts:
    """Facts of a plan that passes everything unless told otherwise: 10 community providers, all engaged."""
    values: dict[str, Any] = {"sustained": 10, "counted": 20, "corroborated": 20, "assessments": 4,
                              "assessments_agreeing": 4}
    values.update(counts)
    made = PlanFacts(1, **values)
    made.footprint.update(footprint if footprint is not None else {"community": 10})
    made.engaged_by_sector.update(engaged if engaged is not None else {"community": 10})
    return made


def judge(plan_facts: PlanFacts, thresholds: Thresholds = DEFAULTS) -> PlanEvidence:
    return PlanEvidence(plan_facts, thresholds)


def passed(evidence: PlanEvidence) -> dict[str, bool]:
    return {c.id: c.passed for c in evidence.criteria}


def test_all_pass_is_strong_tranche_1() -> None:
    evidence = judge(facts())
    assert passed(evidence) == dict.fromkeys(("E1", "E2", "E3", "E4", "E5", "E6", "E7"), True)
    assert (evidence.rating, evidence.suggested_tranche) == ("strong", 1)


@pytest.mark.parametrize(("engaged", "footprint", "passes", "rating"), [
    (4, 5, True, "strong"),  # exactly 0.80
    (8, 10, True, "strong"),  # exactly 0.80 again
    (799, 1000, False, "adequate"),  # 0.799: only E3 fails
    (7999, 10000, False, "adequate"),  # 0.7999
    (3, 4, False, "adequate"),
    (5, 5, True, "strong"),
    (0, 3, False, "insufficient"),  # a footprint but nobody engaged: 0 of 3 is 0.0, not "no value"
])
def test_e3_coverage_boundary(engaged: int, footprint: int, passes: bool, rating: str) -> None:
    evidence = judge(facts({"community": footprint}, {"community": engaged}, sustained=engaged))
    e3 = evidence.criteria_by_id["E3"]
    assert (e3.passed, e3.value, e3.threshold) == (passes, engaged / footprint, 0.80)
    assert evidence.rating == rating


@pytest.mark.parametrize(("corroborated", "counted", "passes"), [(7, 10, True), (69, 100, False), (0, 0, False)])
def test_e4_corroboration_boundary_and_zero_denominator(corroborated: int, counted: int, passes: bool) -> None:
    e4 = judge(facts(corroborated=corroborated, counted=counted)).criteria_by_id["E4"]
    assert e4.passed is passes
    assert e4.value == (corroborated / counted if counted else None)


@pytest.mark.parametrize(("sustained", "passes"), [(5, True), (4, False), (10, True)])
def test_e5_sustained_share_boundary(sustained: int, passes: bool) -> None:
    e5 = judge(facts(sustained=sustained)).criteria_by_id["E5"]
    assert (e5.passed, e5.value, e5.threshold) == (passes, sustained / 10, 0.50)


def test_e5_fails_with_no_engaged_provider() -> None:
    evidence = judge(facts({"community": 3}, {}, sustained=0))
    assert evidence.criteria_by_id["E5"].passed is False
    assert evidence.criteria_by_id["E5"].value is None


@pytest.mark.parametrize(("agreeing", "total", "passes"), [(1, 2, True), (2, 5, False), (0, 0, False)])
def test_e7_shared_view_boundary_and_zero_denominator(agreeing: int, total: int, passes: bool) -> None:
    e7 = judge(facts(assessments=total, assessments_agreeing=agreeing)).criteria_by_id["E7"]
    assert e7.passed is passes
    assert e7.value == (agreeing / total if total else None)


def test_e1_fails_when_a_present_sector_is_unheard_and_ignores_absent_sectors() -> None:
    evidence = judge(facts({"community": 2, "housing": 1}, {"community": 2}, sustained=2))
    e1 = evidence.criteria_by_id["E1"]
    assert (e1.passed, e1.value, e1.threshold) == (False, 0.5, 1.0)
    assert evidence.figures.unheard_sectors == ["housing"]
    assert judge(facts({"community": 2}, {"community": 1}, sustained=1)).criteria_by_id["E1"].passed


def test_e2_passes_without_an_acute_provider() -> None:
    e2 = judge(facts(acute_total=0, acute_ok=0)).criteria_by_id["E2"]
    assert (e2.passed, e2.value) == (True, None)


def test_e2_needs_every_acute_provider() -> None:
    base = {"footprint": {"acute": 2, "community": 8}, "engaged": {"acute": 2, "community": 8}}
    assert judge(facts(**base, acute_total=2, acute_ok=2)).criteria_by_id["E2"].passed
    e2 = judge(facts(**base, acute_total=2, acute_ok=1)).criteria_by_id["E2"]
    assert (e2.passed, e2.value) == (False, 0.5)


@pytest.mark.parametrize(("overdue", "escalated", "passes"), [(0, 0, True), (1, 0, False), (0, 1, False)])
def test_e6_concerns(overdue: int, escalated: int, passes: bool) -> None:
    e6 = judge(facts(concerns_open=3, concerns_overdue=overdue, concerns_escalated=escalated)).criteria_by_id["E6"]
    assert (e6.passed, e6.value, e6.threshold) == (passes, float(overdue + escalated), 0.0)


def test_adequate_with_exactly_two_of_e3_to_e7_failing() -> None:
    evidence = judge(facts(corroborated=1, assessments_agreeing=0))  # E4 and E7 fail
    assert [c.id for c in evidence.criteria if not c.passed] == ["E4", "E7"]
    assert (evidence.rating, evidence.suggested_tranche) == ("adequate", 2)


def test_three_of_e3_to_e7_failing_is_weak_when_coverage_holds() -> None:
    evidence = judge(facts(corroborated=1, assessments_agreeing=0, concerns_overdue=1))  # E4, E6, E7
    assert [c.id for c in evidence.criteria if not c.passed] == ["E4", "E6", "E7"]
    assert (evidence.rating, evidence.suggested_tranche) == ("weak", 3)


def test_e1_or_e2_failing_is_never_adequate() -> None:
    e1_fails = judge(facts({"community": 10, "housing": 1}, {"community": 10}))  # coverage 10/11 still passes E3
    assert [c.id for c in e1_fails.criteria if not c.passed] == ["E1"]
    assert e1_fails.rating == "weak"
    e2_fails = judge(facts({"acute": 1, "community": 9}, {"acute": 1, "community": 9}, acute_total=1, acute_ok=0))
    assert [c.id for c in e2_fails.criteria if not c.passed] == ["E2"]
    assert e2_fails.rating == "weak"


@pytest.mark.parametrize(("engaged", "rating"), [(5000, "weak"), (4999, "insufficient"), (0, "insufficient")])
def test_weak_boundary_at_coverage_one_half(engaged: int, rating: str) -> None:
    # Housing is unheard, so E1 fails and the plan cannot be adequate; coverage alone decides weak.
    evidence = judge(facts({"community": 5000, "housing": 5000}, {"community": engaged}, sustained=engaged))
    assert evidence.coverage == engaged / 10000
    assert evidence.rating == rating
    assert evidence.suggested_tranche == (3 if rating == "weak" else None)


def test_empty_footprint_is_insufficient_with_null_coverage() -> None:
    # Outside providers' confirmed participations and assessments could otherwise make it look adequate:
    # E1 and E2 pass vacuously and only E3 and E5 fail.
    evidence = judge(facts({}, {}, sustained=0, counted=3, corroborated=3, assessments=1, assessments_agreeing=1))
    assert evidence.coverage is None
    assert evidence.figures.coverage_by_sector == dict.fromkeys(vocab.SECTORS)
    assert [c.id for c in evidence.criteria if not c.passed] == ["E3", "E5"]
    assert evidence.criteria_by_id["E1"].value is None
    assert (evidence.rating, evidence.suggested_tranche) == ("insufficient", None)
    api = evidence.to_api()
    assert api["coverage"] is None and api["suggested_tranche"] is None
    assert rate([], None, 0, DEFAULTS) == "insufficient"  # decided before any criterion is looked at


def test_thresholds_are_taken_from_the_argument() -> None:
    plan_facts = facts({"community": 10}, {"community": 6}, sustained=6)  # coverage 0.6
    assert judge(plan_facts).rating == "adequate"  # only E3 fails
    assert judge(plan_facts, Thresholds(coverage_min=0.6)).rating == "strong"
    assert judge(plan_facts, Thresholds(rating_adequate_max_fails=0)).rating == "weak"
    assert judge(plan_facts, Thresholds(rating_adequate_max_fails=0, rating_weak_coverage_min=0.61)).rating \
        == "insufficient"


@pytest.mark.parametrize(("rating", "tranche"), [("strong", 1), ("adequate", 2), ("weak", 3), ("insufficient", None)])
def test_suggested_tranche(rating: str, tranche: int | None) -> None:
    assert suggested_tranche(rating) == tranche


def test_threshold_defaults_match_the_settings_model() -> None:
    columns = CriteriaSettings.__table__.c
    assert DEFAULTS.as_dict() == {name: columns[name].default.arg for name in DEFAULTS.as_dict()}
    # Every column of the settings record is a threshold, but its bookkeeping and the two concern deadlines (the
    # working days the board has, tracker/domain/settings.py), which no criterion reads.
    deadlines = {"acknowledge_working_days", "respond_working_days"}
    assert set(DEFAULTS.as_dict()) == set(columns.keys()) - {"id", "updated_at", "updated_by_id"} - deadlines
    with pytest.raises(AttributeError):
        DEFAULTS.coverage_min = 0.5  # type: ignore[misc]  # frozen


def test_to_api_has_exactly_the_product_fields() -> None:
    plan_facts = facts({"acute": 1, "community": 3}, {"acute": 1, "community": 1}, sustained=1, acute_total=1,
                       acute_ok=1, concerns_open=2, concerns_overdue=1, concerns_escalated=0)
    plan_facts.depths.update({"2": 1, "4": 1})
    api = judge(plan_facts).to_api()
    assert list(api) == ["footprint", "engaged", "coverage", "coverage_by_sector", "corroboration", "depth",
                         "sustained", "concerns", "criteria", "rating", "suggested_tranche"]
    assert list(api["footprint"]) == list(api["engaged"]) == list(api["coverage_by_sector"]) == list(vocab.SECTORS)
    assert api["footprint"]["acute"] == 1 and api["footprint"]["housing"] == 0
    assert api["coverage"] == 0.5
    assert api["coverage_by_sector"] == {**dict.fromkeys(vocab.SECTORS), "acute": 1.0, "community": 1 / 3}
    assert api["depth"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0}
    assert api["concerns"] == {"open": 2, "overdue": 1, "escalated": 0}
    assert [sorted(c) for c in api["criteria"]] == [["id", "passed", "threshold", "value"]] * 7
    assert [c["id"] for c in api["criteria"]] == ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]


# --- a plan described provider by provider: PlanFacts.from_providers -----------------------------------------

def from_providers(footprint: dict[str, int], engaged: list[tuple[str, int, int]], acute=(),
                   thresholds: Thresholds = DEFAULTS) -> PlanFacts:
    """Facts from engaged providers given as (sector, deepest depth, distinct months), the n-th with id n, and
    acute providers as (id, has a current assessment); the plan-level counts all pass."""
    return PlanFacts.from_providers(
        1, footprint, [EngagedProvider(i, sector, depth, months) for i, (sector, depth, months) in enumerate(engaged)],
        [AcuteProvider(pid, has) for pid, has in acute], thresholds, counted=10, corroborated=10, assessments=2,
        assessments_agreeing=2)


def test_from_providers_an_acute_provider_needs_the_depth_and_a_current_assessment() -> None:
    assert judge(from_providers({"community": 1}, [("community", 3, 3)])).criteria_by_id["E2"].passed is True
    deep_no_assessment = from_providers({"acute": 1}, [("acute", 5, 3)], acute=[(0, False)])
    shallow_assessed = from_providers({"acute": 1}, [("acute", 2, 3)], acute=[(0, True)])
    good = from_providers({"acute": 1}, [("acute", 3, 3)], acute=[(0, True)])
    not_engaged = from_providers({"acute": 1, "community": 1}, [("community", 3, 3)], acute=[(7, True)])
    assert [judge(f).criteria_by_id["E2"].passed for f in (deep_no_assessment, shallow_assessed, good, not_engaged)] \
        == [False, False, True, False]
    assert (good.acute_total, good.acute_ok) == (1, 1)
    deeper = Thresholds(acute_depth_min=4)
    assert from_providers({"acute": 1}, [("acute", 3, 3)], acute=[(0, True)], thresholds=deeper).acute_ok == 0


def test_from_providers_sustained_needs_the_distinct_months_and_half_of_the_engaged() -> None:
    four = from_providers({"community": 4}, [("community", 3, 3), ("community", 3, 3), ("community", 3, 2),
                                             ("community", 3, 1)])
    assert judge(four).to_api()["sustained"] == 2 and judge(four).criteria_by_id["E5"].passed is True  # exactly 50%
    three = from_providers({"community": 3}, [("community", 3, 3), ("community", 3, 2), ("community", 3, 2)])
    assert judge(three).criteria_by_id["E5"].passed is False
    two_months = from_providers({"community": 2}, [("community", 3, 2)] * 2,
                                thresholds=Thresholds(sustained_months_min=2))
    assert two_months.sustained == 2


def test_from_providers_depth_distribution_and_sector_maps() -> None:
    f = from_providers({"acute": 1, "housing": 2}, [("acute", 5, 1), ("housing", 1, 1)], acute=[(0, True)])
    api = judge(f).to_api()
    assert api["depth"] == {"1": 1, "2": 0, "3": 0, "4": 0, "5": 1}
    assert api["engaged"] == {**dict.fromkeys(vocab.SECTORS, 0), "acute": 1, "housing": 1}
    assert api["coverage_by_sector"]["housing"] == 0.5 and api["coverage_by_sector"]["ambulance"] is None
