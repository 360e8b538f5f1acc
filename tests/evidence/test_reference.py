"""Random small data sets: the SQL engine must agree with a plain-Python reference written from PRODUCT.md alone.

The reference below reads the rows as they were generated, never the database and never tracker.domain.evidence.
It holds as written, and after providers change sector and footprint once their engagement is recorded (the
per-plan summaries keep copies of both, which must follow); the summaries never drift from the rows. A board may
have a plan in each of two years, each with its own events, concerns and assessments: a plan's figures count its
own year's records only (its footprint, the board's, is the same in both).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests import factories as make
from tests.conftest import empty_database
from tracker.domain import vocab
from tracker.domain.evidence import (
    Thresholds,
    explain,
    load_thresholds,
    plans_evidence,
    provider_rows,
)
from tracker.domain.membership import board_membership_statistics
from tracker.domain.summaries import drift
from tracker.models import HWB, Provider
from tracker.web.extensions import db

TODAY = date(2014, 11, 3)
YEARS = ["2015-16", "2016-17"]
SECTORS = list(vocab.SECTORS)
REGIONS = list(vocab.REGIONS)
RATIOS = [0.0, 0.25, 0.5, 0.6, 2 / 3, 0.7, 0.8, 1.0]


def month_day(month: int, day: int) -> date:
    """A day of the month `month` months after November 2013 (so the data cross a year end)."""
    return date(2013 + (10 + month) // 12, (10 + month) % 12 + 1, day)


# Each board's region and whether it has a plan in each of the two years, providers (sector, the boards it serves)
# and thresholds: shared with the random histories of tests/evidence/test_as_of.py.
boards = st.lists(st.tuples(st.sampled_from(REGIONS), st.sampled_from([True, True, True, False]),
                            st.sampled_from([True, True, False])), min_size=1, max_size=3)
providers = st.lists(st.tuples(st.sampled_from(["acute", "acute", *SECTORS]), st.sets(st.integers(0, 2), min_size=1)),
                     min_size=2, max_size=6)
thresholds = st.one_of(st.none(), st.builds(
    Thresholds, coverage_min=st.sampled_from(RATIOS), corroboration_min=st.sampled_from(RATIOS),
    sustained_share_min=st.sampled_from(RATIOS), sustained_months_min=st.integers(1, 3),
    shared_view_min=st.sampled_from(RATIOS), acute_depth_min=st.integers(1, 5),
    rating_adequate_max_fails=st.integers(0, 5), rating_weak_coverage_min=st.sampled_from(RATIOS)))

worlds = st.fixed_dictionaries({
    "boards": boards,
    "providers": providers,
    "events": st.lists(st.fixed_dictionaries({
        "board": st.integers(0, 2),
        "year": st.integers(0, 1),
        # mostly a few adjacent months (so "sustained" happens), sometimes the same month a year apart
        "day": st.builds(month_day, st.one_of(st.integers(0, 3), st.integers(0, 13)), st.integers(1, 28)),
        "depth": st.integers(1, 5),
        "withdrawn": st.sampled_from([False, False, False, True]),
        "people": st.dictionaries(st.integers(0, 5), st.sampled_from(["unconfirmed", "confirmed", "confirmed",
                                                                      "disputed"]), min_size=1, max_size=4),
    }), min_size=2, max_size=20),
    "assessments": st.dictionaries(st.tuples(st.integers(0, 2), st.integers(0, 1), st.integers(0, 5)),
                                   st.lists(st.sampled_from(list(vocab.AGREEMENTS)), min_size=1, max_size=2),
                                   max_size=5),
    # due yesterday, today or tomorrow, mostly still owed by the board (open or acknowledged)
    "concerns": st.lists(st.tuples(st.integers(0, 2), st.integers(0, 1), st.integers(0, 5),
                                   st.sampled_from(["open", "open", "acknowledged", "acknowledged", "responded",
                                                    "resolved", "escalated"]),
                                   st.sampled_from([False, False, True]), st.sampled_from([-1, 0, 0, 1]),
                                   st.sampled_from([-1, 0, 0, 1])), max_size=10),
    "members": st.lists(st.tuples(st.integers(0, 2), st.one_of(st.none(), st.integers(0, 5)), st.booleans(),
                                  st.integers(-2, 2), st.one_of(st.none(), st.integers(0, 2))), max_size=8),
    "thresholds": thresholds,
    "as_of": st.integers(-1, 1),
})


@dataclass
class World:
    """The generated rows, in plain Python, kept only where they are valid (indices into the lists)."""

    regions: list[str]
    planned: list[tuple[bool, bool]]  # per board, whether it has a plan in each year
    sectors: list[str]
    footprints: list[set[int]]
    events: list[tuple[int, int, date, int, bool, dict[int, str]]]  # board, year, ...
    assessments: dict[tuple[int, int, int], str]  # (board, year, provider) -> the current agreement
    concerns: list[tuple[int, int, str, bool, date, date]]  # board, year, ...
    members: list[tuple[int, int | None, bool, date, date | None]]


def write(data: dict[str, Any]) -> tuple[World, list, list, list]:
    """Write the valid part of a generated data set through the ORM; return it in plain Python and the rows (plans:
    per board, its plan in each year or None)."""
    boards = len(data["boards"])
    world = World([r for r, *_ in data["boards"]], [(first, second) for _, first, second in data["boards"]],
                  [s for s, _ in data["providers"]], [{b for b in f if b < boards} for _, f in data["providers"]],
                  [], {}, [], [])
    hwbs = [make.make_hwb(region=region) for region in world.regions]
    providers = [make.make_provider(sector, [hwbs[b] for b in sorted(footprint)])
                 for sector, footprint in zip(world.sectors, world.footprints, strict=True)]
    plans = [[make.make_plan(hwb, year) if planned else None for year, planned in zip(YEARS, both, strict=True)]
             for hwb, both in zip(hwbs, world.planned, strict=True)]

    def plan(board: int, year: int) -> Any:
        return plans[board][year] if board < boards else None

    n = len(providers)
    for e in data["events"]:
        if plan(e["board"], e["year"]) is not None:
            people = {p: s for p, s in e["people"].items() if p < n}
            world.events.append((e["board"], e["year"], e["day"], e["depth"], e["withdrawn"], people))
            make.make_event(plan(e["board"], e["year"]), e["day"], e["depth"],
                            [(providers[p], s) for p, s in people.items()], withdrawn=e["withdrawn"])
    for (board, year, who), versions in data["assessments"].items():
        if plan(board, year) is not None and who < n:
            world.assessments[(board, year, who)] = versions[-1]
            for version, agreement in enumerate(versions, start=1):
                make.make_assessment(plan(board, year), providers[who], agreement, version, version == len(versions))
    for board, year, who, status, confidential, ack, respond in data["concerns"]:
        if plan(board, year) is not None and who < n:
            ack_due = TODAY + timedelta(days=min(ack, respond) - 20 * (status != "open"))
            respond_due = max(ack_due, TODAY + timedelta(days=respond))
            world.concerns.append((board, year, status, confidential, ack_due, respond_due))
            make.make_concern(plan(board, year), providers[who], status, ack_due, respond_due, confidential)
    for board, who, voting, start, length in data["members"]:
        if board < boards and (who is None or who < n):
            begins = TODAY + timedelta(days=start)
            ends = None if length is None else begins + timedelta(days=length)
            world.members.append((board, who, voting, begins, ends))
            make.make_membership(hwbs[board], begins, ends, providers[who] if who is not None else None, voting)
    if data["thresholds"] is not None:
        make.make_settings(**data["thresholds"].as_dict())
    db.session.commit()
    return world, hwbs, providers, plans


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def reference_plan(w: World, board: int, year: int, t: Thresholds,
                   today: date = TODAY) -> tuple[dict[str, Any], dict[int, tuple]]:
    """PRODUCT.md's evidence on `today` of the board's plan for one year, the slow obvious way (the year's records
    only); and per footprint provider what was found."""
    footprint = [p for p in range(len(w.sectors)) if board in w.footprints[p]]
    counted = [(day, depth, who, status) for b, y, day, depth, withdrawn, people in w.events
               if (b, y) == (board, year) and not withdrawn for who, status in people.items() if status != "disputed"]
    engaged = [p for p in footprint if any(who == p for _, _, who, _ in counted)]
    depth = {p: max(d for _, d, who, _ in counted if who == p) for p in engaged}
    months = {p: len({(day.year, day.month) for day, _, who, _ in counted if who == p}) for p in engaged}
    sustained = [p for p in engaged if months[p] >= t.sustained_months_min]
    in_sector = {s: [p for p in footprint if w.sectors[p] == s] for s in SECTORS}
    engaged_in = {s: [p for p in engaged if w.sectors[p] == s] for s in SECTORS}
    current = {who: agreement for (b, y, who), agreement in w.assessments.items() if (b, y) == (board, year)}
    concerns = [c[:1] + c[2:] for c in w.concerns if c[:2] == (board, year) and not c[3]]
    overdue = [c for c in concerns if (c[1] == "open" and c[3] < today) or (c[1] == "acknowledged" and c[4] < today)]
    escalated = [c for c in concerns if c[1] == "escalated"]
    present = [s for s in SECTORS if in_sector[s]]
    heard = [s for s in present if engaged_in[s]]
    acute = in_sector["acute"]
    acute_ok = [p for p in acute if depth.get(p, 0) >= t.acute_depth_min and p in current]
    coverage = share(len(engaged), len(footprint))
    corroboration = share(sum(1 for *_, s in counted if s == "confirmed"), len(counted))
    sustained_share = share(len(sustained), len(engaged))
    agreeing = share(sum(1 for a in current.values() if a in ("agree", "partly")), len(current))

    def at_least(value: float | None, minimum: float) -> bool:
        return value is not None and value >= minimum

    criteria = [
        {"id": "E1", "passed": heard == present, "value": share(len(heard), len(present)), "threshold": 1.0},
        {"id": "E2", "passed": acute_ok == acute, "value": share(len(acute_ok), len(acute)), "threshold": 1.0},
        {"id": "E3", "passed": at_least(coverage, t.coverage_min), "value": coverage, "threshold": t.coverage_min},
        {"id": "E4", "passed": at_least(corroboration, t.corroboration_min), "value": corroboration,
         "threshold": t.corroboration_min},
        {"id": "E5", "passed": at_least(sustained_share, t.sustained_share_min), "value": sustained_share,
         "threshold": t.sustained_share_min},
        {"id": "E6", "passed": not overdue and not escalated, "value": float(len(overdue) + len(escalated)),
         "threshold": 0.0},
        {"id": "E7", "passed": at_least(agreeing, t.shared_view_min), "value": agreeing,
         "threshold": t.shared_view_min},
    ]
    passed = {c["id"]: c["passed"] for c in criteria}
    if not footprint:
        rating = "insufficient"
    elif all(passed.values()):
        rating = "strong"
    elif passed["E1"] and passed["E2"] and sum(not passed[i] for i in ("E3", "E4", "E5", "E6", "E7")) \
            <= t.rating_adequate_max_fails:
        rating = "adequate"
    elif coverage is not None and coverage >= t.rating_weak_coverage_min:
        rating = "weak"
    else:
        rating = "insufficient"
    api = {
        "footprint": {s: len(in_sector[s]) for s in SECTORS},
        "engaged": {s: len(engaged_in[s]) for s in SECTORS},
        "coverage": coverage,
        "coverage_by_sector": {s: share(len(engaged_in[s]), len(in_sector[s])) for s in SECTORS},
        "corroboration": corroboration,
        "depth": {str(level): sum(1 for p in engaged if depth[p] == level) for level in range(1, 6)},
        "sustained": len(sustained),
        "concerns": {"open": sum(1 for c in concerns if c[1] != "resolved"), "overdue": len(overdue),
                     "escalated": len(escalated)},
        "criteria": criteria,
        "rating": rating,
        "suggested_tranche": {"strong": 1, "adequate": 2, "weak": 3, "insufficient": None}[rating],
    }
    rows = {p: (p in engaged, depth.get(p), months.get(p, 0), p in sustained,
                (p in current) if w.sectors[p] == "acute" else None) for p in footprint}
    return api, rows


def reference_membership(w: World, as_of: date, region: str | None) -> dict[str, Any]:
    """PRODUCT.md's board-membership statistics, the slow obvious way."""
    boards = [b for b, r in enumerate(w.regions) if region in (None, r)]
    active = [m for m in w.members if m[3] <= as_of and (m[4] is None or m[4] >= as_of)]
    providers = [m for m in active if m[1] is not None]
    with_provider = {m[0] for m in providers}
    with_voting = {m[0] for m in providers if m[2]}
    return {
        "as_of": as_of, "region": region, "boards": len(boards),
        "boards_with_provider_member": len(with_provider & set(boards)),
        "boards_with_voting_provider_member": len(with_voting & set(boards)),
        "share_with_provider_member": share(len(with_provider & set(boards)), len(boards)),
        "share_with_voting_provider_member": share(len(with_voting & set(boards)), len(boards)),
        "by_sector": {s: len({m[0] for m in providers if m[0] in boards and w.sectors[m[1]] == s}) for s in SECTORS},
        "mean_board_size": share(sum(1 for m in active if m[0] in boards), len(boards)),
        "by_region": [{"region": r, "boards": sum(1 for b in boards if w.regions[b] == r),
                       "boards_with_provider_member": sum(1 for b in boards
                                                          if w.regions[b] == r and b in with_provider)}
                      for r in REGIONS if region in (None, r)],
    }


def assert_agrees_with_the_reference(world: World, data: dict[str, Any], hwbs: list, providers: list,
                                     plans: list) -> None:
    """Every plan's figures and per-provider rows, E1's explanation and the board statistics equal the
    reference's; and the per-plan summaries agree with the rows they summarise."""
    thresholds = load_thresholds(db.session)
    assert thresholds == (data["thresholds"] or Thresholds())
    computed = plans_evidence(db.session, None, TODAY, thresholds)
    assert set(computed) == {plan.id for both in plans for plan in both if plan is not None}
    index = {provider.id: i for i, provider in enumerate(providers)}
    for board, both in enumerate(plans):
        for year, plan in enumerate(both):
            if plan is None:
                continue
            want, want_rows = reference_plan(world, board, year, thresholds)
            evidence = computed[plan.id]
            assert evidence.to_api() == want, (board, YEARS[year])
            # One plan at a time, the engine gives the same as for every plan at once.
            assert plans_evidence(db.session, [plan.id], TODAY, thresholds)[plan.id].to_api() == want
            rows = provider_rows(db.session, plan, evidence)
            assert {index[r.provider_id]: (r.engaged, r.depth, r.months, r.sustained, r.acute_assessment)
                    for r in rows} == want_rows
            e1 = explain(evidence, rows, hwbs[board].code)[0]
            assert e1.sectors == [s for s in SECTORS if want["footprint"][s] and not want["engaged"][s]]
    as_of = TODAY + timedelta(days=data["as_of"])
    for region in (None, *REGIONS):
        assert board_membership_statistics(db.session, as_of, region) == reference_membership(world, as_of, region)
    assert drift(db.session) == []


# Always tried: one board with a plan in each year, whose records would change each other's figures if mixed.
TWO_YEARS = {
    "boards": [("north", True, True)], "providers": [("acute", {0}), ("community", {0})],
    "events": [{"board": 0, "year": 0, "day": date(2014, 1, 6), "depth": 3, "withdrawn": False,
                "people": {0: "confirmed"}},
               {"board": 0, "year": 1, "day": date(2014, 2, 3), "depth": 2, "withdrawn": False,
                "people": {0: "disputed", 1: "unconfirmed"}}],
    "assessments": {(0, 0, 0): ["agree"], (0, 1, 0): ["agree", "disagree"]},
    "concerns": [(0, 0, 0, "open", False, -1, 0), (0, 1, 1, "escalated", False, 0, 1)],
    "members": [], "thresholds": None, "as_of": 0,
}


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=worlds)
@example(data=TWO_YEARS)
def test_engine_agrees_with_the_reference(app_ctx, data: dict[str, Any]) -> None:  # noqa: ANN001
    empty_database()  # each example starts empty
    try:
        world, hwbs, providers, plans = write(data)
        assert_agrees_with_the_reference(world, data, hwbs, providers, plans)
    finally:
        empty_database()


# Providers changing sector and footprint after their engagement is recorded: (provider, new sector, new boards).
provider_changes = st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["acute", "acute", *SECTORS]),
                                      st.sets(st.integers(0, 2), max_size=2)), min_size=1, max_size=4)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=worlds, changes=provider_changes)
def test_engine_agrees_with_the_reference_after_providers_change(app_ctx, data: dict[str, Any],  # noqa: ANN001
                                                                 changes: list[tuple[int, str, set[int]]]) -> None:
    empty_database()
    try:
        world, hwbs, providers, plans = write(data)
        for who, sector, boards in changes:
            if who >= len(providers):
                continue
            footprint = {b for b in boards if b < len(hwbs)}
            provider = db.session.get(Provider, providers[who].id)
            provider.sector = sector
            provider.footprint = [db.session.get(HWB, hwbs[b].id) for b in sorted(footprint)]
            db.session.commit()  # each change on its own, as an administrator or an import would make it
            world.sectors[who], world.footprints[who] = sector, footprint
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Provider)) == len(providers)
        assert_agrees_with_the_reference(world, data, hwbs, providers, plans)
    finally:
        empty_database()
