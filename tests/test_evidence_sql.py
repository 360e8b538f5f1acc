"""The SQL aggregates on hand-made data whose answers are worked out by hand, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.factories import make_hwb, make_plan, make_provider
from tracker.domain.membership import board_membership_statistics
from tracker.domain.evidence import (
    Thresholds, explain, load_thresholds, plan_evidence, plans_evidence, provider_rows,
)
from tracker.domain.summaries import refresh_plans
from tracker.web.extensions import db
from tracker.models import (
    BoardMembership, Concern, CriteriaSettings, EngagementEvent, EventTopic, ImpactAssessment, Participation,
)

TODAY = date(2014, 11, 3)


def event(plan, day, depth, participants, withdrawn=False):
    """An event on the plan with (provider, status) participants."""
    record = EngagementEvent(ref=f"EV{day}{depth}{len(participants)}{withdrawn}", plan_id=plan.id, recorded_by="hwb",
                             date=day, kind="meeting", depth=depth, summary="s", withdrawn=withdrawn,
                             topics=[EventTopic(topic="schemes")],
                             participations=[Participation(provider_id=p.id, status=s) for p, s in participants])
    db.session.add(record)
    return record


def assessment(plan, provider, agreement, version=1, current=True):
    db.session.add(ImpactAssessment(plan_id=plan.id, provider_id=provider.id, version=version, is_current=current,
                                    emergency_admissions_change_pct=Decimal("-1"), financial_impact_gbp=-1000,
                                    agreement=agreement))


def concern(plan, provider, ref, status, ack_due, respond_due, confidential=False):
    db.session.add(Concern(ref=ref, plan_id=plan.id, provider_id=provider.id, raised=date(2014, 9, 1),
                           category="other", severity="low", confidential=confidential, status=status, text="t",
                           acknowledge_due=ack_due, respond_due=respond_due))


@pytest.fixture
def scenario(app_ctx):
    """The worked example in the docstring of test_worked_example."""
    hwb, elsewhere = make_hwb(), make_hwb()
    a1, a2 = make_provider("acute", [hwb]), make_provider("acute", [hwb])
    c1 = make_provider("community", [hwb])
    s1 = make_provider("independent_social_care", [hwb])
    v1 = make_provider("voluntary", [hwb])
    x = make_provider("acute", [elsewhere])
    plan = make_plan(hwb)
    event(plan, date(2014, 3, 10), 3, [(a1, "confirmed"), (c1, "unconfirmed"), (x, "confirmed")])
    event(plan, date(2014, 4, 5), 4, [(a1, "confirmed"), (c1, "disputed")])
    event(plan, date(2014, 5, 20), 2, [(s1, "confirmed"), (a2, "confirmed")], withdrawn=True)
    event(plan, date(2014, 5, 21), 2, [(a1, "unconfirmed"), (a2, "confirmed")])
    assessment(plan, a1, "agree")
    assessment(plan, a2, "agree", version=1, current=False)
    assessment(plan, a2, "disagree", version=2)
    assessment(plan, c1, "partly")
    concern(plan, c1, "C1", "open", TODAY, TODAY + timedelta(days=20))  # due today: not overdue
    concern(plan, c1, "C2", "acknowledged", TODAY - timedelta(days=20), TODAY - timedelta(days=1))  # overdue
    concern(plan, a1, "C3", "escalated", TODAY - timedelta(days=30), TODAY - timedelta(days=10))
    concern(plan, a1, "C4", "resolved", TODAY - timedelta(days=30), TODAY - timedelta(days=10))
    concern(plan, s1, "C5", "open", TODAY - timedelta(days=30), TODAY - timedelta(days=10), confidential=True)
    refresh_plans(db.session)
    db.session.commit()
    return {"plan": plan, "a1": a1, "a2": a2, "c1": c1, "s1": s1, "v1": v1}


def test_worked_example(scenario) -> None:
    """Footprint A1, A2 (acute), C1 (community), S1 (social care), V1 (voluntary); X serves another board.

    Counted participations: ev1 A1 C1 X, ev2 A1 (C1 disputed), ev4 A1 A2 (ev3 withdrawn) = 6, of which
    4 confirmed. Engaged: A1 (depth 4, Mar/Apr/May: sustained), C1 (depth 3, one month), A2 (depth 2).
    Current assessments: A1 agree, A2 disagree (v2), C1 partly: 2 of 3. Non-confidential concerns: C1 due
    today (open, not overdue), C2 overdue, C3 escalated, C4 resolved: open 3, overdue 1, escalated 1.
    """
    api = plan_evidence(db.session, scenario["plan"].id, TODAY, Thresholds()).to_api()
    assert api["footprint"] == {"acute": 2, "primary_care": 0, "community": 1, "mental_health": 0, "ambulance": 0,
                                "independent_social_care": 1, "housing": 0, "voluntary": 1}
    assert api["engaged"]["acute"] == 2 and api["engaged"]["community"] == 1 and sum(api["engaged"].values()) == 3
    assert api["coverage"] == pytest.approx(0.6)
    assert api["coverage_by_sector"]["acute"] == 1.0 and api["coverage_by_sector"]["voluntary"] == 0.0
    assert api["coverage_by_sector"]["housing"] is None
    assert api["corroboration"] == pytest.approx(4 / 6)
    assert api["depth"] == {"1": 0, "2": 1, "3": 1, "4": 1, "5": 0}
    assert api["sustained"] == 1
    assert api["concerns"] == {"open": 3, "overdue": 1, "escalated": 1}
    results = {c["id"]: (c["passed"], c["value"]) for c in api["criteria"]}
    assert results["E1"] == (False, 0.5)
    assert results["E2"] == (False, 0.5)
    assert results["E3"][0] is False and results["E4"][0] is False
    assert results["E5"] == (False, pytest.approx(1 / 3))
    assert results["E6"] == (False, 2.0)
    assert results["E7"] == (True, pytest.approx(2 / 3))
    assert (api["rating"], api["suggested_tranche"]) == ("weak", 3)


def test_explanations_name_what_fails(scenario) -> None:
    ev = plan_evidence(db.session, scenario["plan"].id, TODAY, Thresholds())
    rows = provider_rows(db.session, scenario["plan"], ev)
    assert [r.code for r in rows if not r.engaged] == [scenario["s1"].code, scenario["v1"].code]
    by_id = {e.id: e for e in explain(ev, rows)}
    assert by_id["E1"].failing == ["No independent social care provider engaged",
                                   "No voluntary and community provider engaged"]
    assert by_id["E2"].counted.startswith("1 of 2 acute providers")
    assert by_id["E2"].failing == [f"Acute trust {scenario['a2'].name} ({scenario['a2'].code}) involved only at "
                                   "depth 2 (consult)"]
    assert [p.code for p in by_id["E2"].providers] == [scenario["a2"].code]
    assert by_id["E7"].passed and by_id["E7"].failing == []


def test_a_concern_becomes_overdue_the_day_after_it_is_due(scenario) -> None:
    plan_id = scenario["plan"].id
    assert plan_evidence(db.session, plan_id, TODAY, Thresholds()).facts.concerns_overdue == 1
    assert plan_evidence(db.session, plan_id, TODAY + timedelta(days=1), Thresholds()).facts.concerns_overdue == 2


def test_saved_thresholds_are_used(scenario) -> None:
    assert load_thresholds(db.session) == Thresholds()
    db.session.add(CriteriaSettings(id=1, coverage_min=0.5, shared_view_min=0.9))
    db.session.commit()
    thresholds = load_thresholds(db.session)
    assert thresholds.coverage_min == 0.5 and thresholds.shared_view_min == 0.9
    results = {c.id: c.passed for c in plan_evidence(db.session, scenario["plan"].id, TODAY, thresholds).criteria}
    assert results["E3"] is True and results["E7"] is False


def test_national_list_equals_one_plan_at_a_time(scenario) -> None:
    other = make_plan(make_hwb())
    db.session.commit()
    every = plans_evidence(db.session, None, TODAY, Thresholds())
    assert set(every) == {scenario["plan"].id, other.id}
    assert every[scenario["plan"].id].to_api() == plan_evidence(db.session, scenario["plan"].id, TODAY,
                                                                Thresholds()).to_api()
    assert every[other.id].rating == "insufficient" and every[other.id].coverage is None


def membership(hwb, provider, start, end=None, voting=True, seat="provider", name="Member"):
    db.session.add(BoardMembership(hwb_id=hwb.id, member_name=name, seat=seat, voting=voting, start=start, end=end,
                                   provider_id=provider.id if provider else None))


def test_board_membership_statistics(app_ctx) -> None:
    """H1 (north): a chair; A1 voting, ended the day before; C1 non-voting, ends on the day. H2 (north): X voting.
    H3 (london): nobody. On 2014-11-01: provider members on H1 (C1) and H2; voting only on H2."""
    day = date(2014, 11, 1)
    h1, h2 = make_hwb(region="north"), make_hwb(region="north")
    make_hwb(region="london")  # H3: no members at all
    a1, c1, x = make_provider("acute", [h1]), make_provider("community", [h1]), make_provider("acute", [h2])
    membership(h1, None, date(2013, 4, 1), seat="chair", name="Chair")
    membership(h1, a1, date(2014, 1, 1), end=day - timedelta(days=1), name="A1")
    membership(h1, c1, date(2014, 1, 1), end=day, voting=False, name="C1")
    membership(h2, x, date(2014, 6, 1), name="X")
    membership(h2, x, day + timedelta(days=1), name="Not yet")
    db.session.commit()
    national = board_membership_statistics(db.session, day)
    assert national == {
        "as_of": day, "region": None, "boards": 3, "boards_with_provider_member": 2,
        "boards_with_voting_provider_member": 1, "share_with_provider_member": pytest.approx(2 / 3),
        "share_with_voting_provider_member": pytest.approx(1 / 3),
        "by_sector": {"acute": 1, "primary_care": 0, "community": 1, "mental_health": 0, "ambulance": 0,
                      "independent_social_care": 0, "housing": 0, "voluntary": 0},
        "mean_board_size": 1.0,
        "by_region": [{"region": "north", "boards": 2, "boards_with_provider_member": 2},
                      {"region": "midlands_east", "boards": 0, "boards_with_provider_member": 0},
                      {"region": "london", "boards": 1, "boards_with_provider_member": 0},
                      {"region": "south", "boards": 0, "boards_with_provider_member": 0}],
    }
    north = board_membership_statistics(db.session, day, "north")
    assert (north["boards"], north["share_with_provider_member"], north["mean_board_size"]) == (2, 1.0, 1.5)
    assert north["by_region"] == [{"region": "north", "boards": 2, "boards_with_provider_member": 2}]
    assert board_membership_statistics(db.session, day, "south")["share_with_provider_member"] is None
    # The day before, A1 (voting) still sat on H1.
    assert board_membership_statistics(db.session, day - timedelta(days=1))["boards_with_voting_provider_member"] == 2
