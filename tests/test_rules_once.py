"""Each rule once: counted participation and the calendar month are defined in tracker/domain/summaries.py only,
and every figure built on them (the provider's home, the board's timeline, the demo's ratings) is the engine's."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from tests.factories import make_event, make_hwb, make_plan, make_provider, make_user, sign_in_as
from tracker.demo.generate import DemoData, generate
from tracker.demo.rating import Attempt, Judge, judged_on
from tracker.demo.write import write_demo
from tracker.domain.evidence import Thresholds, plan_evidence, plans_evidence, provider_rows
from tracker.domain.summaries import counted_participation
from tracker.hwb.queries import timeline
from tracker.models import HWB, EngagementEvent, Participation, Plan, Provider
from tracker.provider.queries import Engagement, own_engagement
from tracker.web.extensions import db

TODAY = date(2016, 6, 1)
TRACKER = Path(__file__).resolve().parent.parent / "tracker"


def counted_events(plan: Plan, provider: Provider) -> int:
    """The provider's counted participations on the plan, straight from the raw rows (the one definition)."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Participation)
        .join(EngagementEvent, EngagementEvent.id == Participation.event_id)
        .where(counted_participation(), EngagementEvent.plan_id == plan.id, Participation.provider_id == provider.id))


def test_the_provider_home_shows_the_engines_depth_and_months_for_every_plan(app_ctx: Flask, client) -> None:
    alpha, beta = make_hwb(name="Alpha board"), make_hwb(name="Beta board")
    trust = make_provider("acute", footprint=[alpha, beta])
    community = make_provider("community", footprint=[alpha])
    housing = make_provider("housing", footprint=[beta])
    plan_a, plan_b = make_plan(alpha), make_plan(beta)
    make_event(plan_a, date(2014, 1, 10), 2, [(trust, "confirmed"), (community, "unconfirmed")])
    make_event(plan_a, date(2015, 1, 12), 4, [(trust, "unconfirmed")])
    make_event(plan_a, date(2014, 6, 2), 5, [(trust, "disputed")])  # not counted: disputed
    make_event(plan_a, date(2014, 7, 1), 5, [(community, "confirmed")], withdrawn=True)  # not counted: withdrawn
    make_event(plan_a, date(2014, 1, 20), 3, [(community, "confirmed")])
    make_event(plan_b, date(2014, 12, 1), 1, [(trust, "confirmed"), (housing, "confirmed")])
    make_event(plan_b, date(2015, 12, 1), 2, [(trust, "confirmed")])
    make_event(plan_b, date(2016, 2, 3), 3, [(housing, "disputed")])
    user = make_user("provider", provider=trust)
    db.session.commit()

    shown: dict[tuple[int, int], tuple[int, int | None, int]] = {}
    for plan in (plan_a, plan_b):
        evidence = plan_evidence(db.session, plan.id, TODAY, Thresholds())
        for row in provider_rows(db.session, plan, evidence):
            provider = db.session.get(Provider, row.provider_id)
            home = own_engagement(row.provider_id, [plan_a.id, plan_b.id]).get(plan.id, Engagement())
            assert (home.highest_depth, home.months) == (row.depth, row.months)
            assert home.events == counted_events(plan, provider)
            shown[plan.id, row.provider_id] = (home.events, home.highest_depth, home.months)
    assert shown == {(plan_a.id, trust.id): (2, 4, 2), (plan_a.id, community.id): (2, 3, 1),
                     (plan_b.id, trust.id): (2, 2, 2), (plan_b.id, housing.id): (1, 1, 1)}

    page = sign_in_as(client, user).get("/provider/").get_data(as_text=True)
    cells = re.findall(r'Your events </span>(\d+)</td>\s*<td[^>]*><span[^>]*>Highest depth </span>(\d) [^<]*</td>'
                       r'\s*<td[^>]*><span[^>]*>Months covered </span>(\d+)</td>', page)
    assert cells == [("2", "4", "2"), ("2", "2", "2")]  # Alpha board, then Beta board


def test_months_are_counted_with_their_year(app_ctx: Flask) -> None:
    hwb = make_hwb()
    trust = make_provider("acute", footprint=[hwb])
    plan = make_plan(hwb)
    make_event(plan, date(2014, 1, 15), 3, [(trust, "confirmed")])
    make_event(plan, date(2015, 1, 15), 3, [(trust, "confirmed")])
    row, = provider_rows(db.session, plan, plan_evidence(db.session, plan.id, TODAY, Thresholds()))
    assert (row.months, row.sustained) == (2, False)  # January 2014 and January 2015 are two months
    assert own_engagement(trust.id, [plan.id])[plan.id].months == 2

    make_event(plan, date(2014, 2, 3), 3, [(trust, "confirmed")])
    evidence = plan_evidence(db.session, plan.id, TODAY, Thresholds())
    row, = provider_rows(db.session, plan, evidence)
    assert (row.months, row.sustained, evidence.figures.sustained) == (3, True, 1)
    assert evidence.criteria_by_id["E5"].passed
    assert own_engagement(trust.id, [plan.id])[plan.id].months == 3

    months = timeline(plan)  # every month from January 2014 to January 2015
    assert [m.first_day for m in months] == [date(2014 + (n // 12), n % 12 + 1, 1) for n in range(13)]
    assert [(m.first_day, m.events) for m in months if m.events] == [
        (date(2014, 1, 1), 1), (date(2014, 2, 1), 1), (date(2015, 1, 1), 1)]


def test_the_timeline_counts_only_counted_participations(app_ctx: Flask) -> None:
    hwb = make_hwb()
    trust, community = make_provider("acute", footprint=[hwb]), make_provider("community", footprint=[hwb])
    plan = make_plan(hwb)
    make_event(plan, date(2014, 12, 1), 3, [(trust, "confirmed"), (community, "disputed")])
    make_event(plan, date(2014, 12, 9), 2)  # no one named
    make_event(plan, date(2015, 1, 5), 3, [(trust, "unconfirmed")], withdrawn=True)
    make_event(plan, date(2015, 2, 2), 3, [(community, "unconfirmed")])
    assert [(m.first_day, m.board_events, m.participations) for m in timeline(plan)] == [
        (date(2014, 12, 1), 2, 1), (date(2015, 1, 1), 0, 0), (date(2015, 2, 1), 1, 1)]


def demo_board(*events: tuple[date, str]) -> tuple[DemoData, Attempt]:
    """A one-board data set whose only (community) provider takes part in these (day, status) events."""
    data = DemoData(hwbs=[{"code": "E06000001", "name": "Hartlepool", "region": "north"}],
                    providers=[{"code": "RCOM", "name": "Community trust", "sector": "community"}],
                    footprints=[("RCOM", "E06000001")],
                    plans=[{"hwb_code": "E06000001", "year": "2015-16", "minimum_pool_gbp": 10_000_000,
                            "total_pool_gbp": 12_000_000, "nhs_contribution_gbp": 9_000_000,
                            "council_contribution_gbp": 3_000_000, "claimed_emergency_reduction_pct": Decimal("3.5"),
                            "draft_submission": None, "final_submission": date(2014, 9, 19), "status": "submitted"}])
    attempt = Attempt()
    for n, (day, status) in enumerate(events):
        ref = f"EV-TEST{n:04d}"
        attempt.events.append({"ref": ref, "hwb_code": "E06000001", "recorded_by": "hwb",
                               "recorded_by_provider_code": None, "date": day, "kind": "meeting", "depth": 3,
                               "summary": "A meeting", "evidence_url": None, "withdrawn": False, "withdrawn_at": None,
                               "created_at": datetime.combine(day, time(16), tzinfo=UTC), "topics": ["schemes"]})
        attempt.participations.append({"event_ref": ref, "provider_code": "RCOM", "status": status,
                                       "status_note": "", "leadership": False, "status_changed_at": None})
    return data, attempt


def table_counts() -> dict[str, int]:
    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def test_the_demo_asks_the_engine_which_counts_months_with_their_year(app_ctx: Flask) -> None:
    # The demo's own copy of E1-E7 counted January 2014 and January 2015 as one month: E5 failed here.
    data, attempt = demo_board((date(2014, 1, 15), "confirmed"), (date(2015, 1, 15), "confirmed"),
                               (date(2014, 2, 3), "confirmed"))
    before = table_counts()
    with Judge(db.session, data) as judge:
        outcome = judge.rate({("E06000001", "2015-16"): attempt})["E06000001", "2015-16"]
    assert outcome.passed == {"E1": True, "E2": True, "E3": True, "E4": True, "E5": True, "E6": True, "E7": False}
    assert (outcome.rating, outcome.coverage) == ("adequate", 1.0)
    # The database is as it was, down to the ids the next rows get (no sequence moved).
    assert table_counts() == before
    assert make_hwb().id == 1


def test_the_demo_ratings_are_the_engines_on_the_data_written(app_ctx: Flask) -> None:
    data = generate(db.session)
    write_demo(db.session, data, "2016-06-01")
    plans = {plan_id: (code, year) for plan_id, code, year in db.session.execute(
        sa.select(Plan.id, HWB.code, Plan.year).join(HWB, HWB.id == Plan.hwb_id)).tuples()}
    evidence = plans_evidence(db.session, None, judged_on([Attempt(concerns=data.concerns)]), Thresholds())
    expected = {(code, "2015-16"): outcome.rating for code, outcome in data.outcomes.items()}
    expected |= {(code, "2016-17"): outcome.rating for code, outcome in data.next_outcomes.items()}
    assert {plans[plan_id]: e.rating for plan_id, e in evidence.items()} == expected
    assert {o.rating for o in data.outcomes.values()} == {"strong", "adequate", "weak", "insufficient"}
    assert all(data.outcomes[code].rating == tier for code, tier in data.tiers.items())
    db.session.rollback()


def test_counted_participation_and_the_month_are_written_once() -> None:
    """No SQL copy of either rule outside tracker/domain/summaries.py (the demo's Python copy included)."""
    copies = []
    for path in sorted(TRACKER.rglob("*.py")):
        if path == TRACKER / "domain" / "summaries.py":
            continue
        text = path.read_text()
        for pattern in (r'!=\s*"disputed"', r"extract\(\s*[\"']month", r'\["date"\]\.month', r"\.date\.month"):
            copies += [f"{path.relative_to(TRACKER)}: {pattern}" for _ in re.finditer(pattern, text)]
    assert copies == []
