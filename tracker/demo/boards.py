"""Each board's 2015-16 plan, its declarations against the national conditions, and its membership."""
from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from tracker.demo.names import person
from tracker.domain import vocab

YEAR = "2015-16"
FOUNDED = date(2013, 4, 1)  # boards became statutory in April 2013
ELECTION_END, ELECTION_START = date(2014, 5, 21), date(2014, 5, 22)  # local elections of 22 May 2014
POOL_MILLIONS = {"E10": (40, 80), "E08": (15, 45), "E09": (10, 25), "E06": (10, 35)}
DECLARATION_WEIGHTS = {"strong": (90, 2, 8), "adequate": (70, 5, 25), "weak": (50, 15, 35),
                       "insufficient": (30, 30, 40)}  # met, not_met, in_progress
DETAILS = {
    "met": "Evidence set out in the plan and agreed at the board meeting.",
    "not_met": "Not yet met; the board has asked officers for a recovery timetable.",
    "in_progress": "Work under way; completion expected before April 2015.",
}
PROVIDER_SEAT_SECTORS = ("acute", "acute", "community", "mental_health", "voluntary", "housing",
                         "independent_social_care")
OTHER_SEATS = ("District council representative", "Police and crime commissioner's office",
               "Fire and rescue service", "Voluntary sector forum")


def plan_record(hwb: dict, tier: str, rng: random.Random) -> dict:
    """The plan's money, claim, dates and status; pools are scaled to the kind of authority."""
    low, high = POOL_MILLIONS[hwb["code"][:3]]
    minimum = round(rng.uniform(low, high) * 1_000_000, -3)
    roll = rng.random()
    uplift = 1.0 if roll < 0.1 else rng.uniform(1.0, 1.15) if roll < 0.7 else rng.uniform(1.15, 1.6)
    total = round(minimum * uplift, -3)
    nhs = round(total * rng.uniform(0.72, 0.9), -3)
    roll = rng.random()
    claimed = 3.5 if roll < 0.6 else rng.uniform(3.6, 6.0) if roll < 0.85 else rng.uniform(0.5, 3.4)
    draft = rng.random() < (0.3 if tier == "insufficient" else 0.03)
    final = None if draft else date(2014, 9, rng.choice((19, 19, 19, 19, 15, 17, 22, 26)))
    return {"hwb_code": hwb["code"], "year": YEAR, "minimum_pool_gbp": int(minimum), "total_pool_gbp": int(total),
            "nhs_contribution_gbp": int(nhs), "council_contribution_gbp": int(total - nhs),
            "claimed_emergency_reduction_pct": Decimal(f"{claimed:.2f}"), "draft_submission": date(2014, 2, 14),
            "final_submission": final, "status": "draft" if draft else "submitted"}


def declarations(hwb: dict, tier: str, rng: random.Random) -> list[dict]:
    """The board's declaration against each of the six national conditions."""
    rows = []
    for condition in vocab.NATIONAL_CONDITIONS:
        weights = DECLARATION_WEIGHTS[tier]
        if condition == "acute_impact" and tier in ("weak", "insufficient"):
            weights = (20, 40, 40)
        declaration = rng.choices(("met", "not_met", "in_progress"), weights=weights)[0]
        rows.append({"hwb_code": hwb["code"], "condition": condition, "declaration": declaration,
                     "detail": DETAILS[declaration]})
    return rows


class _Seats:
    """Collects one board's memberships, keeping (member name, seat, start) unique."""

    def __init__(self, hwb: dict, rng: random.Random) -> None:
        self.hwb, self.rng, self.rows = hwb, rng, []
        self.keys: set[tuple[str, str, date]] = set()

    def add(self, seat: str, title: str = "", *, provider: str | None = None, voting: bool = True,
            start: date = FOUNDED, end: date | None = None) -> None:
        """Add one seat held by a fictional person."""
        name = person(self.rng, title)
        while (name, seat, start) in self.keys:
            name = person(self.rng, title)
        self.keys.add((name, seat, start))
        self.rows.append({"hwb_code": self.hwb["code"], "member_name": name, "seat": seat, "provider_code": provider,
                          "voting": voting, "start": start, "end": end})

    def councillor(self, seat: str) -> None:
        """A councillor's seat; some changed hands at the May 2014 elections."""
        if self.rng.random() < 0.18:
            self.add(seat, "Cllr", end=ELECTION_END)
            self.add(seat, "Cllr", start=ELECTION_START)
        else:
            self.add(seat, "Cllr")


def memberships(hwb: dict, ccg_count: int, footprint: dict[str, str], engaged: list[str],
                provider_seats: int, lapsed: bool, rng: random.Random) -> list[dict]:
    """A board of 8–15 seats: the statutory members, CCGs, Healthwatch, NHS England, sometimes providers."""
    seats = _Seats(hwb, rng)
    seats.councillor("chair")
    for _ in range(rng.randint(2, 4)):
        seats.councillor("elected_member")
    for seat in ("director_adult_social_services", "director_childrens_services", "director_public_health"):
        seats.add(seat)
    for _ in range(max(1, min(ccg_count, 3))):
        seats.add("ccg", "Dr")
    seats.add("healthwatch")
    seats.add("nhs_england", voting=rng.random() < 0.5)
    for _ in range(rng.choice((0, 0, 1, 2))):
        seats.rows.append({"hwb_code": hwb["code"], "member_name": rng.choice(OTHER_SEATS), "seat": "other",
                           "provider_code": None, "voting": False, "start": FOUNDED, "end": None})
    chosen = _provider_members(footprint, engaged, provider_seats + int(lapsed), rng)
    for index, code in enumerate(chosen):
        if lapsed and index == len(chosen) - 1:  # a provider seat that has since ended
            seats.add("provider", provider=code, voting=rng.random() < 0.5, end=date(2014, rng.choice((3, 6, 9)), 30))
        else:
            start = rng.choice((FOUNDED, FOUNDED, date(2013, 10, 1), date(2014, 6, 1)))
            seats.add("provider", provider=code, voting=rng.random() < 0.5, start=start)
    unique = {(r["member_name"], r["seat"], r["start"]): r for r in seats.rows}
    return list(unique.values())


def _provider_members(footprint: dict[str, str], engaged: list[str], count: int, rng: random.Random) -> list[str]:
    """Providers who sit on the board: engaged ones first, from the sectors boards usually invite."""
    chosen: list[str] = []
    pool = engaged or list(footprint)
    for _ in range(count):
        sector = rng.choice(PROVIDER_SEAT_SECTORS)
        options = [c for c in pool if footprint[c] == sector and c not in chosen] or \
                  [c for c in pool if c not in chosen]
        if options:
            chosen.append(rng.choice(options))
    return chosen
