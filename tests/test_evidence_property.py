"""Random data sets: the SQL engine must agree with a plain-Python reference written from PRODUCT.md."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import empty_database
from tracker.domain.membership import board_membership_statistics
from tracker.domain import vocab
from tracker.domain.evidence import Thresholds, plans_evidence, provider_rows
from tracker.domain.summaries import drift, refresh_plans
from tracker.web.extensions import db
from tracker.models import (
    HWB, BoardMembership, Concern, EngagementEvent, EventTopic, ImpactAssessment, Participation, Plan, Provider,
)

TODAY = date(2014, 11, 3)
SECTORS = list(vocab.SECTORS)
# Events cluster in a few months so that "3 distinct months" (sustained) happens often.
day_offsets = st.builds(lambda month, day: month * 31 + day, st.integers(0, 4), st.integers(0, 3))

dataset = st.fixed_dictionaries({
    "boards": st.lists(st.sampled_from(list(vocab.REGIONS)), min_size=1, max_size=2),
    "providers": st.lists(st.tuples(st.sampled_from(SECTORS[:4]), st.sets(st.integers(0, 2), max_size=2)),
                          min_size=4, max_size=7),
    "events": st.lists(st.fixed_dictionaries({
        "board": st.integers(0, 1), "day": day_offsets, "depth": st.integers(1, 5),
        "withdrawn": st.sampled_from([False, False, False, True]),
        "people": st.dictionaries(st.integers(0, 4), st.sampled_from(["unconfirmed", "confirmed", "confirmed",
                                                                      "disputed"]), max_size=4)}),
        min_size=3, max_size=16),
    "assessments": st.lists(st.tuples(st.integers(0, 2), st.integers(0, 6), st.sampled_from(["agree", "partly",
                                                                                             "disagree"])),
                            max_size=5),
    "concerns": st.lists(st.tuples(st.integers(0, 2), st.integers(0, 6),
                                   st.sampled_from(list(vocab.CONCERN_STATUSES)), st.booleans(),
                                   st.integers(-5, 5), st.integers(-5, 5)), max_size=5),
    "members": st.lists(st.tuples(st.integers(0, 2), st.one_of(st.none(), st.integers(0, 6)), st.booleans(),
                                  st.integers(-3, 3), st.one_of(st.none(), st.integers(-3, 3))), max_size=6),
})


def build(data) -> tuple[list[Plan], dict]:
    """Write the data set; return the plans and the raw rows the reference reads."""
    hwbs = [HWB(code=f"E06{i:06d}", name=f"B{i}", region=r) for i, r in enumerate(data["boards"])]
    db.session.add_all(hwbs)
    db.session.flush()
    providers = []
    for i, (sector, boards) in enumerate(data["providers"]):
        p = Provider(code=f"P{i}", name=f"P{i}", sector=sector, footprint=[hwbs[b] for b in boards if b < len(hwbs)])
        providers.append(p)
    db.session.add_all(providers)
    plans = [Plan(hwb_id=h.id, year="2015-16", minimum_pool_gbp=1, total_pool_gbp=2, nhs_contribution_gbp=1,
                  council_contribution_gbp=1, claimed_emergency_reduction_pct=Decimal("3.5")) for h in hwbs]
    db.session.add_all(plans)
    db.session.flush()
    raw = {"events": [], "assessments": {}, "concerns": [], "members": []}
    for n, e in enumerate(data["events"]):
        if e["board"] >= len(plans):
            continue
        people = {i: s for i, s in e["people"].items() if i < len(providers)}
        when = date(2014, 1, 1) + timedelta(days=e["day"])
        db.session.add(EngagementEvent(ref=f"E{n}", plan_id=plans[e["board"]].id, recorded_by="hwb", date=when,
                                       kind="meeting", depth=e["depth"], withdrawn=e["withdrawn"],
                                       topics=[EventTopic(topic="schemes")],
                                       participations=[Participation(provider_id=providers[i].id, status=s)
                                                       for i, s in people.items()]))
        raw["events"].append((e["board"], when, e["depth"], e["withdrawn"], people))
    for board, who, agreement in data["assessments"]:
        if board < len(plans) and who < len(providers) and (board, who) not in raw["assessments"]:
            raw["assessments"][(board, who)] = agreement
            db.session.add(ImpactAssessment(plan_id=plans[board].id, provider_id=providers[who].id,
                                            emergency_admissions_change_pct=Decimal(0), financial_impact_gbp=0,
                                            agreement=agreement))
    for n, (board, who, status, confidential, ack, respond) in enumerate(data["concerns"]):
        if board < len(plans) and who < len(providers):
            ack_due = TODAY + timedelta(days=ack)
            respond_due = ack_due + timedelta(days=abs(respond))
            raw["concerns"].append((board, status, confidential, ack_due, respond_due))
            db.session.add(Concern(ref=f"C{n}", plan_id=plans[board].id, provider_id=providers[who].id,
                                   raised=ack_due - timedelta(days=3), category="other", severity="low",
                                   confidential=confidential, status=status, text="t",
                                   acknowledge_due=ack_due, respond_due=respond_due))
    for n, (board, who, voting, start, end) in enumerate(data["members"]):
        if board < len(hwbs) and (who is None or who < len(providers)):
            s = TODAY + timedelta(days=start)
            e = None if end is None else s + timedelta(days=abs(end))
            raw["members"].append((board, who, voting, s, e))
            db.session.add(BoardMembership(hwb_id=hwbs[board].id, member_name=f"M{n}", seat="other", voting=voting,
                                           start=s, end=e, provider_id=providers[who].id if who is not None else None))
    refresh_plans(db.session)
    db.session.commit()
    raw["footprints"] = [{i for i, (_, boards) in enumerate(data["providers"]) if b in boards}
                         for b in range(len(hwbs))]
    raw["sectors"] = [sector for sector, _ in data["providers"]]
    raw["regions"] = list(data["boards"])
    return plans, raw


def reference_plan(raw: dict, board: int, t: Thresholds) -> dict:
    """PRODUCT.md's definitions, the slow obvious way."""
    footprint = raw["footprints"][board]
    counted = [(when, depth, who, status) for b, when, depth, withdrawn, people in raw["events"] if b == board
               and not withdrawn for who, status in people.items() if status != "disputed"]
    engaged = {who for _, _, who, _ in counted if who in footprint}
    depth = {who: max(d for _, d, w, _ in counted if w == who) for who in engaged}
    months = {who: len({(w.year, w.month) for w, _, p, _ in counted if p == who}) for who in engaged}
    sustained = sum(1 for who in engaged if months[who] >= t.sustained_months_min)
    corroborated = sum(1 for *_, status in counted if status == "confirmed")
    assessed = {who: a for (b, who), a in raw["assessments"].items() if b == board}
    concerns = [c for c in raw["concerns"] if c[0] == board and not c[2]]
    overdue = sum(1 for _, s, _, ack, resp in concerns
                  if (s == "open" and ack < TODAY) or (s == "acknowledged" and resp < TODAY))
    escalated = sum(1 for _, s, *_ in concerns if s == "escalated")
    sectors_present = {raw["sectors"][p] for p in footprint}
    e1 = all(any(raw["sectors"][p] == s for p in engaged) for s in sectors_present)
    acute = [p for p in footprint if raw["sectors"][p] == "acute"]
    e2 = all(depth.get(p, 0) >= t.acute_depth_min and p in assessed for p in acute)
    coverage = len(engaged) / len(footprint) if footprint else None
    corroboration = corroborated / len(counted) if counted else None
    e5 = sustained / len(engaged) >= t.sustained_share_min if engaged else False
    agreeing = sum(1 for a in assessed.values() if a in ("agree", "partly"))
    e7 = agreeing / len(assessed) >= t.shared_view_min if assessed else False
    passes = {"E1": e1, "E2": e2, "E3": coverage is not None and coverage >= t.coverage_min,
              "E4": corroboration is not None and corroboration >= t.corroboration_min, "E5": e5,
              "E6": overdue == 0 and escalated == 0, "E7": e7}
    if not footprint:
        rating = "insufficient"
    elif all(passes.values()):
        rating = "strong"
    elif e1 and e2 and sum(not passes[c] for c in ("E3", "E4", "E5", "E6", "E7")) <= 2:
        rating = "adequate"
    elif coverage is not None and coverage >= 0.5:
        rating = "weak"
    else:
        rating = "insufficient"
    return {"coverage": coverage, "corroboration": corroboration, "sustained": sustained,
            "engaged": sorted(engaged), "overdue": overdue, "escalated": escalated,
            "open": sum(1 for _, s, *_ in concerns if s != "resolved"), "passes": passes, "rating": rating,
            "depth": {str(level): sum(1 for p in engaged if depth[p] == level) for level in range(1, 6)}}


def reference_membership(raw: dict, region: str | None) -> dict:
    """Board-membership statistics the slow obvious way."""
    boards = [b for b, r in enumerate(raw["regions"]) if region is None or r == region]
    active = [(b, who, voting) for b, who, voting, s, e in raw["members"] if s <= TODAY and (e is None or e >= TODAY)]
    with_member = [b for b in boards if any(m[0] == b and m[1] is not None for m in active)]
    with_voting = [b for b in boards if any(m[0] == b and m[1] is not None and m[2] for m in active)]
    sizes = [sum(1 for m in active if m[0] == b) for b in boards]
    return {"boards": len(boards), "boards_with_provider_member": len(with_member),
            "boards_with_voting_provider_member": len(with_voting),
            "mean_board_size": sum(sizes) / len(boards) if boards else None,
            "by_sector": {s: len({m[0] for m in active if m[0] in boards and m[1] is not None
                                  and raw["sectors"][m[1]] == s}) for s in SECTORS}}


def assert_agrees_with_the_reference(plans: list[Plan], raw: dict) -> None:
    """Every plan's figures, the explanations' providers and the board statistics equal the reference's."""
    thresholds = Thresholds()
    computed = plans_evidence(db.session, None, TODAY, thresholds)
    provider_index = {pid: i for i, pid in enumerate(db.session.scalars(sa.select(Provider.id)
                                                                       .order_by(Provider.id)))}
    for board, plan in enumerate(plans):
        want = reference_plan(raw, board, thresholds)
        got = computed[plan.id]
        api = got.to_api()
        assert api["coverage"] == want["coverage"]
        assert api["corroboration"] == want["corroboration"]
        assert api["sustained"] == want["sustained"]
        assert api["depth"] == want["depth"]
        rows = provider_rows(db.session, plan, got)
        assert sorted(provider_index[r.provider_id] for r in rows if r.engaged) == want["engaged"]
        assert sum(r.sustained for r in rows) == want["sustained"]
        assert api["concerns"] == {"open": want["open"], "overdue": want["overdue"],
                                   "escalated": want["escalated"]}
        assert {c["id"]: c["passed"] for c in api["criteria"]} == want["passes"]
        assert api["rating"] == want["rating"]
    for region in (None, *vocab.REGIONS):
        stats = board_membership_statistics(db.session, TODAY, region)
        want = reference_membership(raw, region)
        assert {k: stats[k] for k in want} == want
    assert drift(db.session) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=dataset)
def test_engine_agrees_with_the_reference(app_ctx, data) -> None:
    empty_database()
    try:
        assert_agrees_with_the_reference(*build(data))
    finally:
        empty_database()


# Providers changing sector and footprint after their engagement is recorded (the summaries' copies follow).
reference_changes = st.lists(st.tuples(st.integers(0, 6), st.sampled_from(SECTORS[:4]),
                                       st.sets(st.integers(0, 1), max_size=2)), min_size=1, max_size=4)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=dataset, changes=reference_changes)
def test_engine_agrees_with_the_reference_after_providers_change(app_ctx, data, changes) -> None:
    empty_database()
    try:
        plans, raw = build(data)
        providers = db.session.scalars(sa.select(Provider).order_by(Provider.id)).all()
        hwbs = [db.session.get(HWB, plan.hwb_id) for plan in plans]
        for who, sector, boards in changes:
            if who >= len(providers):
                continue
            providers[who].sector = sector
            providers[who].footprint = [hwbs[b] for b in sorted(boards) if b < len(hwbs)]
            raw["sectors"][who] = sector
            db.session.commit()
        raw["footprints"] = [{i for i, p in enumerate(providers) if hwb in p.footprint} for hwb in hwbs]
        assert_agrees_with_the_reference(plans, raw)
    finally:
        empty_database()
