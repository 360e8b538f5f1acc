"""A second year for a handful of boards: their 2016-17 plans, each with its own events, participations, impact
assessments and concerns, so that year on year shows in the pages. The same every time. Plain Python.

The boards are the demo board user's, the demo provider's others, and a few more drawn at random. Each plan's
engagement is made as the first year's is (tracker.demo.activity and feedback), a year later: every date moves on
52 weeks, so each keeps its weekday, and a board usually does better in its second year than in its first.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from tracker.demo import activity as activity_mod
from tracker.demo import boards, feedback
from tracker.demo.names import seeded
from tracker.demo.rating import Attempt, Judge, Outcome
from tracker.domain import vocab
from tracker.domain.working_days import due_dates

YEAR = vocab.next_year(boards.YEAR)  # 2016-17
SHIFT = timedelta(weeks=52)
EXTRA_BOARDS = 3
ATTEMPTS = 60
# The rating a board is built to earn in its second year, from its first: most do better.
BETTER = {"insufficient": "weak", "weak": "adequate", "adequate": "strong", "strong": "strong"}
WORSE = {"strong": "adequate", "adequate": "weak", "weak": "insufficient", "insufficient": "insufficient"}


def chosen_boards(data: object, seed: int) -> list[str]:
    """The demo board user's board, the other boards the demo provider serves, and EXTRA_BOARDS more."""
    users = {u["role"]: u for u in data.users}
    provider = users["provider"]["provider_code"]
    chosen = [users["hwb"]["hwb_code"]] + sorted(h for p, h in data.footprints if p == provider)
    others = sorted(h["code"] for h in data.hwbs if h["code"] not in chosen)
    return list(dict.fromkeys(chosen + seeded(seed, "next year").sample(others, EXTRA_BOARDS)))


def _later(value: object) -> object:
    """A date or time 52 weeks on; anything else as it is."""
    return value + SHIFT if isinstance(value, date) else value


def _moved(rows: list[dict]) -> list[dict]:
    """The rows with every date and time 52 weeks on, and the next year's plan named."""
    return [{key: _later(value) for key, value in row.items()} | ({"year": YEAR} if "hwb_code" in row else {})
            for row in rows]


def _plan_record(first: dict, rng: random.Random) -> dict:
    """The second year's plan: the first year's money grown a little, the claim much the same, dates a year on."""
    grow = rng.uniform(1.0, 1.08)
    minimum = round(first["minimum_pool_gbp"] * grow, -3)
    total = max(minimum, round(first["total_pool_gbp"] * grow, -3))
    nhs = round(total * first["nhs_contribution_gbp"] / first["total_pool_gbp"], -3)
    change = Decimal(rng.choice((0, 0, 25, 50, -25))) / 100
    claimed = max(Decimal("0.50"), first["claimed_emergency_reduction_pct"] + change)
    final = _later(first["final_submission"])
    return {**first, "year": YEAR, "minimum_pool_gbp": int(minimum), "total_pool_gbp": int(total),
            "nhs_contribution_gbp": int(nhs), "council_contribution_gbp": int(total - nhs),
            "claimed_emergency_reduction_pct": claimed, "draft_submission": _later(first["draft_submission"]),
            "final_submission": final, "status": "submitted" if final else "draft"}


def add_next_year(data: object, seed: int, acknowledge_days: int, respond_days: int, judge: Judge) -> None:
    """Add the second year's plans and their records to the data set (data.next_outcomes: what each earns, as the
    evidence engine rates it through `judge`)."""
    hwbs = {h["code"]: h for h in data.hwbs}
    first_plans = {p["hwb_code"]: p for p in data.plans}
    sectors = {p["code"]: p["sector"] for p in data.providers}
    served: dict[str, dict[str, str]] = {}
    for provider_code, hwb_code in data.footprints:
        served.setdefault(hwb_code, {})[provider_code] = sectors[provider_code]
    codes = chosen_boards(data, seed)
    for index, code in enumerate(codes):
        hwb, footprint = hwbs[code], served.get(code, {})
        board_rng = seeded(seed, code, YEAR)
        # The last of the boards drawn at random does worse, so the comparison has both directions.
        tier = (WORSE if index == len(codes) - 1 else BETTER)[data.outcomes[code].rating]
        plan = _plan_record(first_plans[code], board_rng)
        data.plans.append(plan)
        judge.add_plans([plan])
        data.declarations += [{**row, "year": YEAR} for row in boards.declarations(hwb, tier, board_rng)]
        for attempt in range(ATTEMPTS):
            rng = seeded(seed, code, YEAR, attempt)
            profile = activity_mod.profile_for(tier, rng)
            act = activity_mod.plan_activity(hwb, footprint, profile, rng)
            rated = feedback.assessments(hwb, footprint, profile, act, plan["claimed_emergency_reduction_pct"], rng)
            raised, steps = feedback.concerns(hwb, footprint, profile, act, rng, acknowledge_days, respond_days)
            events, participations = _moved(act.events), _moved(act.participations)
            for event in events:
                if event["evidence_url"]:  # the minutes of the meeting on its new date
                    event["evidence_url"] = event["evidence_url"].rsplit("/", 1)[0] + "/" + event["date"].isoformat()
            rated, raised, steps = _moved(rated), _moved(raised), _moved(steps)
            for concern in raised:
                concern["acknowledge_due"], concern["respond_due"] = due_dates(concern["raised"], acknowledge_days,
                                                                               respond_days)
            outcome: Outcome = judge.rate({(code, YEAR): Attempt(events, participations, rated, raised, steps)})[
                code, YEAR]
            if outcome.rating == tier:
                break
        data.next_outcomes[code] = outcome
        data.events += events
        data.participations += participations
        data.assessments += rated
        data.concerns += raised
        data.concern_steps += steps
