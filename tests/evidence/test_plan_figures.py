"""One plan's figures on small hand-made data sets, answers worked out by hand, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import (
    make_assessment,
    make_concern,
    make_event,
    make_hwb,
    make_plan,
    make_provider,
    make_settings,
)
from tracker.domain import vocab
from tracker.domain.evidence import Thresholds, explain, load_thresholds, plan_evidence, plans_evidence, provider_rows
from tracker.web.extensions import db

TODAY = date(2014, 11, 3)  # a Monday
YESTERDAY = TODAY - timedelta(days=1)
NONE_BY_SECTOR = dict.fromkeys(vocab.SECTORS)
ZERO_BY_SECTOR = dict.fromkeys(vocab.SECTORS, 0)


def evidence_of(plan, thresholds: Thresholds | None = None):  # noqa: ANN001, ANN201
    db.session.commit()
    return plan_evidence(db.session, plan.id, TODAY, thresholds or Thresholds())


@pytest.fixture
def worked(app_ctx):  # noqa: ANN001, ANN201
    """A plan with every kind of edge case; test_worked_example works its answers out."""
    hwb, elsewhere = make_hwb(code="E09000001"), make_hwb()
    p = {"a1": make_provider("acute", [hwb], code="RA1"), "a2": make_provider("acute", [hwb], code="RA2"),
         "c1": make_provider("community", [hwb]), "s1": make_provider("independent_social_care", [hwb]),
         "v1": make_provider("voluntary", [hwb]), "x": make_provider("acute", [elsewhere])}
    plan = make_plan(hwb)
    make_event(plan, date(2014, 3, 10), 3, [(p["a1"], "confirmed"), (p["c1"], "unconfirmed"), (p["x"], "confirmed")])
    make_event(plan, date(2014, 4, 5), 4, [(p["a1"], "confirmed"), (p["c1"], "disputed")])
    make_event(plan, date(2014, 5, 20), 5, [(p["s1"], "confirmed"), (p["a2"], "confirmed")], withdrawn=True)
    make_event(plan, date(2014, 5, 21), 2, [(p["a1"], "unconfirmed"), (p["a2"], "confirmed"),
                                            (p["v1"], "disputed")])
    make_assessment(plan, p["a1"], "agree")
    make_assessment(plan, p["a2"], "agree", version=1, current=False)
    make_assessment(plan, p["a2"], "disagree", version=2)
    make_assessment(plan, p["x"], "partly")
    c1 = p["c1"]
    make_concern(plan, c1, "open", acknowledge_due=TODAY)  # due today: not overdue
    make_concern(plan, c1, "open", acknowledge_due=YESTERDAY)  # overdue
    make_concern(plan, c1, "acknowledged", acknowledge_due=TODAY - timedelta(days=20), respond_due=TODAY)  # not
    make_concern(plan, c1, "acknowledged", acknowledge_due=TODAY - timedelta(days=20), respond_due=YESTERDAY)  # is
    make_concern(plan, c1, "escalated", acknowledge_due=TODAY - timedelta(days=30))  # escalated, not overdue
    make_concern(plan, c1, "responded", acknowledge_due=TODAY - timedelta(days=30))  # open, nothing due
    make_concern(plan, c1, "resolved", acknowledge_due=TODAY - timedelta(days=30))  # not open
    make_concern(plan, c1, "open", acknowledge_due=YESTERDAY, confidential=True)  # ignored
    make_concern(plan, c1, "escalated", acknowledge_due=YESTERDAY, confidential=True)  # ignored
    return plan, p


def test_worked_example(worked) -> None:  # noqa: ANN001
    """Counted participations: event 1 gives a1 (confirmed), c1 (unconfirmed), x (confirmed, outside the
    footprint); event 2 gives a1 (confirmed), c1's is disputed; event 3 is withdrawn; event 4 gives a1
    (unconfirmed), a2 (confirmed), v1's is disputed. So 6 counted, 4 corroborated: corroboration 4/6.
    Engaged footprint providers: a1 (depth 4; March, April, May: sustained), c1 (depth 3; March), a2 (depth 2;
    May). s1 (only a withdrawn event) and v1 (only disputed) are not engaged; x is outside the footprint.
    Coverage 3/5. Current assessments: a1 agree, a2 disagree (its earlier agree is not current), x partly: 2/3.
    Concerns (non-confidential): open = 2 open + 2 acknowledged + escalated + responded = 6; overdue = the open
    one due yesterday and the acknowledged one whose response was due yesterday = 2; escalated = 1.
    """
    plan, _ = worked
    api = evidence_of(plan).to_api()
    assert api["footprint"] == {**ZERO_BY_SECTOR, "acute": 2, "community": 1, "independent_social_care": 1,
                                "voluntary": 1}
    assert api["engaged"] == {**ZERO_BY_SECTOR, "acute": 2, "community": 1}
    assert api["coverage"] == 3 / 5
    assert api["coverage_by_sector"] == {**NONE_BY_SECTOR, "acute": 1.0, "community": 1.0,
                                         "independent_social_care": 0.0, "voluntary": 0.0}
    assert api["corroboration"] == 4 / 6
    assert api["depth"] == {"1": 0, "2": 1, "3": 1, "4": 1, "5": 0}
    assert api["sustained"] == 1
    assert api["concerns"] == {"open": 6, "overdue": 2, "escalated": 1}
    assert api["criteria"] == [
        {"id": "E1", "passed": False, "value": 2 / 4, "threshold": 1.0},
        {"id": "E2", "passed": False, "value": 1 / 2, "threshold": 1.0},
        {"id": "E3", "passed": False, "value": 3 / 5, "threshold": 0.8},
        {"id": "E4", "passed": False, "value": 4 / 6, "threshold": 0.7},
        {"id": "E5", "passed": False, "value": 1 / 3, "threshold": 0.5},
        {"id": "E6", "passed": False, "value": 3.0, "threshold": 0.0},
        {"id": "E7", "passed": True, "value": 2 / 3, "threshold": 0.5},
    ]
    assert (api["rating"], api["suggested_tranche"]) == ("weak", 3)


def test_worked_example_explained(worked) -> None:  # noqa: ANN001
    plan, p = worked
    evidence = evidence_of(plan)
    rows = provider_rows(db.session, plan, evidence)
    by_code = {r.code: r for r in rows}
    assert set(by_code) == {p[k].code for k in ("a1", "a2", "c1", "s1", "v1")}
    assert (by_code["RA1"].engaged, by_code["RA1"].depth, by_code["RA1"].months, by_code["RA1"].sustained) \
        == (True, 4, 3, True)
    assert (by_code["RA2"].depth, by_code["RA2"].acute_assessment) == (2, True)
    assert [r.code for r in rows if not r.engaged] == [p["s1"].code, p["v1"].code]
    explained = {e.id: e for e in explain(evidence, rows, hwb_code="E09000001")}
    e1 = explained["E1"]
    assert e1.sectors == ["independent_social_care", "voluntary"]
    assert {r.code for r in e1.providers} == {p["s1"].code, p["v1"].code}
    assert e1.hwb_code == "E09000001"
    assert e1.failing == ["No independent social care provider engaged", "No voluntary and community provider engaged"]
    e2 = explained["E2"]
    assert [r.code for r in e2.providers] == ["RA2"]
    assert e2.counted.startswith("1 of 2 acute providers")
    assert e2.failing == [f"Acute trust {p['a2'].name} (RA2) involved only at depth 2 (consult)"]
    assert explained["E7"].passed and not explained["E7"].failing


def test_acute_provider_without_a_current_assessment_fails_e2(app_ctx) -> None:  # noqa: ANN001
    hwb = make_hwb()
    acute = make_provider("acute", [hwb], code="RXX")
    plan = make_plan(hwb)
    make_event(plan, date(2014, 6, 1), 5, [(acute, "confirmed")])
    make_assessment(plan, acute, "agree", version=1, current=False)
    evidence = evidence_of(plan)
    assert evidence.criteria_by_id["E2"].passed is False
    explained = {e.id: e for e in explain(evidence, provider_rows(db.session, plan, evidence))}
    assert explained["E2"].failing == [f"Acute trust {acute.name} (RXX) has no impact assessment"]
    make_assessment(plan, acute, "agree", version=2)
    assert evidence_of(plan).criteria_by_id["E2"].passed is True


def test_empty_footprint(app_ctx) -> None:  # noqa: ANN001
    """No provider serves the board; an outside provider's confirmed participation still counts for E4."""
    hwb, elsewhere = make_hwb(), make_hwb()
    outside = make_provider("community", [elsewhere])
    plan = make_plan(hwb)
    make_event(plan, date(2014, 6, 1), 3, [(outside, "confirmed")])
    make_assessment(plan, outside, "agree")
    api = evidence_of(plan).to_api()
    assert api["footprint"] == api["engaged"] == ZERO_BY_SECTOR
    assert api["coverage"] is None
    assert api["coverage_by_sector"] == NONE_BY_SECTOR
    assert api["corroboration"] == 1.0
    assert api["depth"] == {str(level): 0 for level in range(1, 6)}
    assert api["sustained"] == 0
    assert {c["id"]: c["passed"] for c in api["criteria"]} == {
        "E1": True, "E2": True, "E3": False, "E4": True, "E5": False, "E6": True, "E7": True}
    assert (api["rating"], api["suggested_tranche"]) == ("insufficient", None)


def test_strong_plan_without_an_acute_provider(app_ctx) -> None:  # noqa: ANN001
    hwb = make_hwb()
    community, housing = make_provider("community", [hwb]), make_provider("housing", [hwb])
    plan = make_plan(hwb)
    for month in (1, 2, 3):
        make_event(plan, date(2014, month, 15), 1, [(community, "confirmed"), (housing, "confirmed")])
    make_assessment(plan, housing, "partly")
    evidence = evidence_of(plan)
    e2 = evidence.criteria_by_id["E2"]
    assert (e2.passed, e2.value) == (True, None)
    assert all(c.passed for c in evidence.criteria)
    assert (evidence.rating, evidence.suggested_tranche) == ("strong", 1)


def test_outside_provider_counts_for_corroboration_not_coverage(app_ctx) -> None:  # noqa: ANN001
    hwb, elsewhere = make_hwb(), make_hwb()
    inside, outside = make_provider("community", [hwb]), make_provider("community", [elsewhere])
    make_provider("housing", [hwb])  # a second footprint provider, never engaged
    plan = make_plan(hwb)
    make_event(plan, date(2014, 6, 1), 2, [(inside, "unconfirmed"), (outside, "confirmed")])
    make_event(plan, date(2014, 7, 1), 2, [(outside, "confirmed")])
    api = evidence_of(plan).to_api()
    assert api["coverage"] == 1 / 2  # inside of {inside, second}
    assert api["corroboration"] == 2 / 3  # outside's two confirmed of three counted
    assert api["depth"]["2"] == 1


def test_disputed_and_withdrawn_do_not_engage(app_ctx) -> None:  # noqa: ANN001
    hwb = make_hwb()
    disputed, withdrawn = make_provider("community", [hwb]), make_provider("housing", [hwb])
    plan = make_plan(hwb)
    make_event(plan, date(2014, 6, 1), 4, [(disputed, "disputed")])
    make_event(plan, date(2014, 6, 2), 4, [(withdrawn, "confirmed")], withdrawn=True)
    api = evidence_of(plan).to_api()
    assert api["engaged"] == ZERO_BY_SECTOR
    assert api["coverage"] == 0.0
    assert api["corroboration"] is None  # nothing counted: E4 fails
    assert not {c["id"]: c for c in api["criteria"]}["E4"]["passed"]
    assert api["rating"] == "insufficient"


def test_sustained_needs_distinct_calendar_months(app_ctx) -> None:  # noqa: ANN001
    """three: 31 Jan, 1 Feb, 1 Mar (3 months). two: 3 events in January and February. years: December 2013,
    December 2014 twice — the same month number in two years is two months, not one (and not three)."""
    hwb = make_hwb()
    three, two, years = (make_provider("community", [hwb]) for _ in range(3))
    plan = make_plan(hwb)
    for day in (date(2014, 1, 31), date(2014, 2, 1), date(2014, 3, 1)):
        make_event(plan, day, 2, [(three, "confirmed")])
    for day in (date(2014, 1, 5), date(2014, 1, 25), date(2014, 2, 2)):
        make_event(plan, day, 2, [(two, "confirmed")])
    for day in (date(2013, 12, 15), date(2014, 12, 15), date(2014, 12, 20)):
        make_event(plan, day, 2, [(years, "confirmed")])
    make_event(plan, date(2014, 4, 1), 2, [(two, "disputed")])  # a disputed fourth does not help
    make_event(plan, date(2014, 4, 2), 2, [(two, "confirmed")], withdrawn=True)  # nor a withdrawn one
    assert evidence_of(plan).to_api()["sustained"] == 1
    evidence = evidence_of(plan, Thresholds(sustained_months_min=2))
    assert evidence.to_api()["sustained"] == 3
    months = {r.provider_id: r.months for r in provider_rows(db.session, plan, evidence)}
    assert months == {three.id: 3, two.id: 2, years.id: 2}


def test_concern_due_today_is_not_overdue_and_confidential_is_ignored(app_ctx) -> None:  # noqa: ANN001
    """Due today is not overdue; the same concern is overdue the day after (the date the figures are taken on)."""
    hwb = make_hwb()
    provider = make_provider("community", [hwb])
    plan = make_plan(hwb)
    make_concern(plan, provider, "open", acknowledge_due=TODAY)
    make_concern(plan, provider, "open", acknowledge_due=TODAY + timedelta(days=1), confidential=True)
    assert evidence_of(plan).to_api()["concerns"] == {"open": 1, "overdue": 0, "escalated": 0}
    assert evidence_of(plan).criteria_by_id["E6"].passed
    tomorrow = plan_evidence(db.session, plan.id, TODAY + timedelta(days=1), Thresholds())
    assert tomorrow.to_api()["concerns"] == {"open": 1, "overdue": 1, "escalated": 0}
    make_concern(plan, provider, "open", acknowledge_due=YESTERDAY)
    assert evidence_of(plan).to_api()["concerns"] == {"open": 2, "overdue": 1, "escalated": 0}
    assert not evidence_of(plan).criteria_by_id["E6"].passed


def test_thresholds_from_settings(app_ctx) -> None:  # noqa: ANN001
    assert load_thresholds(db.session) == Thresholds()
    make_settings(coverage_min=0.6, sustained_months_min=2, rating_adequate_max_fails=1)
    db.session.commit()
    loaded = load_thresholds(db.session)
    assert loaded == Thresholds(coverage_min=0.6, sustained_months_min=2, rating_adequate_max_fails=1)
    assert loaded.as_dict()["coverage_min"] == 0.6
    assert load_thresholds(db.session.connection()) == loaded


def test_saved_thresholds_decide_the_criteria(worked) -> None:  # noqa: ANN001
    """The worked example (coverage 3/5, shared view 2/3) under saved thresholds: E3 now passes, E7 now fails."""
    plan, _ = worked
    make_settings(coverage_min=0.5, shared_view_min=0.9)
    db.session.commit()
    passed = {c.id: c.passed for c in evidence_of(plan, load_thresholds(db.session)).criteria}
    assert (passed["E3"], passed["E7"]) == (True, False)


def test_many_plans_and_a_connection(worked) -> None:  # noqa: ANN001
    plan, p = worked
    other = make_plan(make_hwb())
    db.session.commit()
    every = plans_evidence(db.session, None, TODAY, Thresholds())
    assert set(every) == {plan.id, other.id}
    assert every[plan.id].to_api() == plan_evidence(db.session, plan.id, TODAY, Thresholds()).to_api()
    assert every[other.id].to_api()["rating"] == "insufficient" and every[other.id].coverage is None
    assert set(plans_evidence(db.session, [other.id], TODAY, Thresholds())) == {other.id}
    assert plans_evidence(db.session, [], TODAY, Thresholds()) == {}
    via_connection = plan_evidence(db.session.connection(), plan.id, TODAY, Thresholds())
    assert via_connection.to_api() == every[plan.id].to_api()
    with pytest.raises(LookupError):
        plan_evidence(db.session, other.id + 1000, TODAY, Thresholds())
