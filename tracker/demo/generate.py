"""The whole demonstration data set as plain records, the same every time for the same seed.

Plain Python, but for one question: how is a generated plan rated? The evidence engine answers it, on trial rows
written into the database and rolled back (tracker.demo.rating), so the generator needs a session.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from tracker.demo import activity as activity_mod
from tracker.demo import boards, feedback, next_year
from tracker.demo.names import seeded
from tracker.demo.organisations import build_organisations
from tracker.demo.rating import Attempt, Judge, Outcome

SEED = 20140919  # the day final BCF plans were due
# Share of boards meant to reach each rating (PRODUCT.md's rules); the rest are insufficient.
TIER_SHARES = (("strong", 0.20), ("adequate", 0.35), ("weak", 0.30))
PROVIDER_MEMBER_SHARE = 0.30  # about 30% of boards have a provider on them (HSJ, 2014)
MEMBER_WEIGHT = {"strong": 4.0, "adequate": 2.5, "weak": 1.5, "insufficient": 0.7}
ATTEMPTS = 60
DEMO_USERS = (
    ("provider@demo.bcf.example", "Demo provider user", "provider", "demo-provider-2014"),
    ("hwb@demo.bcf.example", "Demo board officer", "hwb", "demo-board-2014"),
    ("assurer@demo.bcf.example", "Demo national assurer", "assurer", "demo-assurer-2014"),
    ("assurer.london@demo.bcf.example", "Demo London assurer", "assurer", "demo-london-2014"),
    ("admin@demo.bcf.example", "Demo administrator", "admin", "demo-admin-2014"),
)


@dataclass
class DemoData:
    """Every record of the data set, keyed by natural keys (codes and refs) rather than database ids."""

    hwbs: list[dict] = field(default_factory=list)
    ccgs: list[dict] = field(default_factory=list)
    hwb_ccgs: list[tuple[str, str]] = field(default_factory=list)
    providers: list[dict] = field(default_factory=list)
    footprints: list[tuple[str, str]] = field(default_factory=list)
    plans: list[dict] = field(default_factory=list)
    declarations: list[dict] = field(default_factory=list)
    memberships: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)  # each with its "topics"
    participations: list[dict] = field(default_factory=list)
    assessments: list[dict] = field(default_factory=list)
    concerns: list[dict] = field(default_factory=list)
    concern_steps: list[dict] = field(default_factory=list)
    users: list[dict] = field(default_factory=list)  # with the plain demo password, hashed by the writer
    tiers: dict[str, str] = field(default_factory=dict)  # board code -> the rating it was built for
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # board code -> what its 2015-16 plan earns
    next_outcomes: dict[str, Outcome] = field(default_factory=dict)  # the same for the few 2016-17 plans


def _tiers(codes: list[str], rng: random.Random) -> dict[str, str]:
    """Board code -> target rating, spread by TIER_SHARES over a shuffled order."""
    order = sorted(codes)
    rng.shuffle(order)
    tiers, start = {}, 0
    for tier, share in TIER_SHARES:
        count = round(share * len(order))
        tiers.update({code: tier for code in order[start:start + count]})
        start += count
    tiers.update({code: "insufficient" for code in order[start:]})
    return tiers


def _member_boards(tiers: dict[str, str], rng: random.Random) -> set[str]:
    """The boards with a provider member: 30% of them, more often the better-engaged ones."""
    keyed = sorted(tiers, key=lambda c: rng.random() ** (1 / MEMBER_WEIGHT[tiers[c]]), reverse=True)
    return set(keyed[:round(PROVIDER_MEMBER_SHARE * len(tiers))])


@dataclass(frozen=True)
class Board:
    """One board as its engagement is generated: its record, plan, footprint (provider code -> sector), tier, and
    the random source of its own records (plan, declarations, then board members)."""

    hwb: dict
    plan: dict
    footprint: dict[str, str]
    tier: str
    rng: random.Random


def _try(board: Board, seed: int, attempt: int, due: tuple[int, int]) -> tuple[Attempt, list[str]]:
    """One try at a plan's engagement (the same for the same seed and attempt), with the engaged codes."""
    hwb, footprint = board.hwb, board.footprint
    rng = seeded(seed, hwb["code"], attempt)
    profile = activity_mod.profile_for(board.tier, rng)
    act = activity_mod.plan_activity(hwb, footprint, profile, rng)
    rated = feedback.assessments(hwb, footprint, profile, act, board.plan["claimed_emergency_reduction_pct"], rng)
    raised, steps = feedback.concerns(hwb, footprint, profile, act, rng, *due)
    return Attempt(act.events, act.participations, rated, raised, steps), act.engaged


def _engagement(data: DemoData, boards_: list[Board], seed: int, due: tuple[int, int],
                judge: Judge) -> dict[str, list[str]]:
    """Each plan's engagement, tried again until the engine rates it at its board's target; the engaged codes.

    The engine rates every plan still trying at once, one round per attempt. After ATTEMPTS misses a plan keeps
    its last try, with the rating that earns. The records go into data in the boards' order.
    """
    kept: dict[str, tuple[Attempt, list[str]]] = {}
    trying = list(boards_)
    for attempt in range(ATTEMPTS):
        tries = {board.hwb["code"]: _try(board, seed, attempt, due) for board in trying}
        rated = judge.rate({(code, boards.YEAR): tried for code, (tried, _) in tries.items()})
        outcomes = {code: outcome for (code, _year), outcome in rated.items()}
        kept.update(tries)
        data.outcomes.update(outcomes)
        trying = [board for board in trying if outcomes[board.hwb["code"]].rating != board.tier]
        if not trying:
            break
    for board in boards_:
        tried, _ = kept[board.hwb["code"]]
        for record in (*tried.events, *tried.assessments, *tried.concerns):
            record["year"] = boards.YEAR
        data.events += tried.events
        data.participations += tried.participations
        data.assessments += tried.assessments
        data.concerns += tried.concerns
        data.concern_steps += tried.concern_steps
    return {code: engaged for code, (_, engaged) in kept.items()}


def _gap_board(boards_: list[str], data: DemoData) -> tuple[int, float, str] | None:
    """Among these boards, the adequate one with the most to show: most failed criteria, then lowest coverage."""
    adequate = [b for b in boards_ if data.outcomes[b].rating == "adequate"]
    if not adequate:
        return None
    best = max(adequate, key=lambda b: (sum(not v for v in data.outcomes[b].passed.values()),
                                        -(data.outcomes[b].coverage or 0), b))
    return sum(not v for v in data.outcomes[best].passed.values()), -(data.outcomes[best].coverage or 0), best


def _users(data: DemoData) -> None:
    """One login per role: the provider is an acute trust over several boards, the board an adequate one."""
    served: dict[str, list[str]] = {}
    for provider_code, hwb_code in data.footprints:
        served.setdefault(provider_code, []).append(hwb_code)
    sectors = {p["code"]: p["sector"] for p in data.providers}
    candidates = {code: _gap_board(boards_, data) for code, boards_ in sorted(served.items())
                  if sectors[code] == "acute" and len(boards_) >= 2
                  and len({data.outcomes[b].rating for b in boards_}) >= 2}
    provider = max((c for c in candidates if candidates[c]), key=lambda c: (candidates[c], len(served[c])))
    scopes = {"provider": {"provider_code": provider}, "hwb": {"hwb_code": candidates[provider][2]}}
    for email, name, role, password in DEMO_USERS:
        row = {"email": email, "name": name, "role": role, "password": password, "provider_code": None,
               "hwb_code": None, "region": "london" if email.startswith("assurer.london") else None}
        row.update(scopes.get(role, {}))
        data.users.append(row)


def generate(session: Session, seed: int = SEED, acknowledge_days: int = 3, respond_days: int = 20) -> DemoData:
    """The demonstration data set: 152 real boards with their 2015-16 plans, a few with a 2016-17 plan too (next_year),
    fictional everything else, every rating represented.

    The session is only asked how plans are rated (tracker.demo.rating) and is left as it was; its database must
    hold none of the data set's boards or providers yet.
    """
    rng = seeded(seed)
    orgs = build_organisations(rng)
    data = DemoData(hwbs=[{k: h[k] for k in ("code", "name", "region")} for h in orgs.hwbs], ccgs=orgs.ccgs,
                    hwb_ccgs=orgs.hwb_ccgs, providers=orgs.providers, footprints=orgs.footprints)
    data.tiers = _tiers([h["code"] for h in orgs.hwbs], rng)
    members = _member_boards(data.tiers, rng)
    sectors = {p["code"]: p["sector"] for p in orgs.providers}
    served = orgs.footprint_of()
    ccg_count: dict[str, int] = {}
    for hwb_code, _ccg in orgs.hwb_ccgs:
        ccg_count[hwb_code] = ccg_count.get(hwb_code, 0) + 1
    boards_: list[Board] = []
    for hwb in orgs.hwbs:
        code, tier = hwb["code"], data.tiers[hwb["code"]]
        board_rng = seeded(seed, code, "board")
        plan = boards.plan_record(hwb, tier, board_rng)
        data.plans.append(plan)
        data.declarations += [{**row, "year": boards.YEAR} for row in boards.declarations(hwb, tier, board_rng)]
        boards_.append(Board(hwb, plan, {c: sectors[c] for c in served[code]}, tier, board_rng))
    with Judge(session, data) as judge:
        engaged = _engagement(data, boards_, seed, (acknowledge_days, respond_days), judge)
        _users(data)
        next_year.add_next_year(data, seed, acknowledge_days, respond_days, judge)
    for board in boards_:  # members last: who sits on a board depends on who took part
        code = board.hwb["code"]
        seats = board.rng.choice((1, 1, 1, 2, 2, 3)) if code in members else 0
        lapsed = board.rng.random() < (0.15 if code in members else 0.06)
        data.memberships += boards.memberships(board.hwb, ccg_count.get(code, 1), board.footprint, engaged[code],
                                               seats, lapsed, board.rng)
    _check_unique(data)
    return data


def _check_unique(data: DemoData) -> None:
    """Event and concern references are drawn at random: make sure none repeats."""
    for name, rows in (("event", data.events), ("concern", data.concerns)):
        refs = [r["ref"] for r in rows]
        if len(refs) != len(set(refs)):
            raise RuntimeError(f"duplicate {name} reference in the demo data; change the seed")
