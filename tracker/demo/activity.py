"""One plan's engagement: who took part, in which events, how deep, how often, confirmed or not. Plain Python."""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from tracker.demo.names import hex_ref
from tracker.domain import vocab

YEAR = 2014
LAST_MONTH = 11  # events run from January to November 2014
# Depth weights (1..5) of a non-acute provider's deepest involvement, by the board's engagement tier.
DEPTH_WEIGHTS = {"strong": (1, 3, 4, 3, 1), "adequate": (2, 4, 3, 1, 0), "weak": (3, 4, 2, 1, 0),
                 "insufficient": (5, 4, 1, 0, 0)}
BOARD_KINDS = {1: ("board_meeting", "data_sharing"), 2: ("consultation", "board_meeting", "written_submission"),
               3: ("workshop", "meeting"), 4: ("workshop", "meeting"), 5: ("meeting", "board_meeting")}
PROVIDER_KINDS = ("meeting", "written_submission", "data_sharing", "other")
SUMMARIES = {
    "board_meeting": "Health and wellbeing board meeting: Better Care Fund item on {topics}; providers invited to "
                     "speak.",
    "workshop": "Better Care Fund design workshop with local providers on {topics}.",
    "meeting": "Meeting with the board's Better Care Fund lead on {topics}.",
    "consultation": "Consultation on the draft Better Care Fund plan ({topics}); written responses invited.",
    "written_submission": "Written submission on the draft plan covering {topics}.",
    "data_sharing": "Exchange of activity and finance data to model {topics}.",
    "other": "Provider forum session on the Better Care Fund: {topics}.",
}
SENIOR_SECTORS = ("acute", "ambulance", "mental_health", "community")


@dataclass
class Profile:
    """What a plan's engagement should look like: the criteria it is meant to pass, and its tier."""

    tier: str
    coverage: tuple[float, float, bool]  # low, high, whether high itself is allowed
    every_sector: bool = True  # E1
    acute_ok: bool = True  # E2
    corroborated: bool = True  # E4
    sustained: bool = True  # E5
    concerns_answered: bool = True  # E6
    shared_view: bool = True  # E7
    first_month: int = 1


def profile_for(tier: str, rng: random.Random) -> Profile:
    """A random profile that should earn `tier` under PRODUCT.md's rating rules."""
    if tier == "strong":
        return Profile(tier, (0.80, 0.97, True), first_month=rng.randint(1, 3))
    if tier == "adequate":
        fails: set[str] = set()
        for _ in range(rng.choice((1, 1, 2))):
            fails.add(rng.choice(("E3", "E3", "E4", "E5", "E6", "E6", "E7")))
        cover = (0.60, 0.80, False) if "E3" in fails else (0.80, 0.95, True)
        return Profile(tier, cover, corroborated="E4" not in fails, sustained="E5" not in fails,
                       concerns_answered="E6" not in fails, shared_view="E7" not in fails,
                       first_month=rng.randint(1, 4))
    if tier == "weak":
        mode = rng.choice(("E2", "E2", "E1", "both", "many"))
        profile = Profile(tier, (0.52, 0.80, False), every_sector=mode not in ("E1", "both"),
                          acute_ok=mode not in ("E2", "both"), first_month=rng.randint(2, 6))
        chance = 0.15 if mode == "many" else 0.5
        profile.corroborated, profile.sustained = rng.random() > chance, rng.random() > chance
        profile.concerns_answered, profile.shared_view = rng.random() > chance, rng.random() > chance
        return profile
    silent = rng.random() < 0.12
    return Profile(tier, (0.0, 0.0 if silent else 0.48, silent), every_sector=rng.random() < 0.4, acute_ok=False,
                   corroborated=rng.random() < 0.3, sustained=rng.random() < 0.3,
                   concerns_answered=rng.random() < 0.4, shared_view=rng.random() < 0.3,
                   first_month=rng.randint(4, 8))


@dataclass
class Activity:
    """One plan's events (each with its topics) and participations."""

    events: list[dict] = field(default_factory=list)
    participations: list[dict] = field(default_factory=list)
    engaged: list[str] = field(default_factory=list)
    weak_acute: dict[str, str] = field(default_factory=dict)  # acute provider code -> how it falls short


def _target_count(n: int, coverage: tuple[float, float, bool], rng: random.Random) -> int:
    """How many of n footprint providers to engage for a coverage within the profile's bounds."""
    low, high, inclusive = coverage
    lowest = math.ceil(low * n - 1e-9)
    highest = math.floor(high * n + 1e-9) if inclusive else math.ceil(high * n - 1e-9) - 1
    return rng.randint(lowest, max(lowest, highest))


def _weekday_in(month: int, rng: random.Random) -> date:
    """A random working day in the month of 2014."""
    day = date(YEAR, month, rng.randint(1, 26))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _at(day: date, hour: int) -> datetime:
    """That day at that hour, UTC."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _choose_engaged(footprint: dict[str, str], profile: Profile, rng: random.Random,
                    activity: Activity) -> list[str]:
    """The footprint providers that take part, honouring the profile's sector and acute rules."""
    by_sector: dict[str, list[str]] = {}
    for code, sector in footprint.items():
        by_sector.setdefault(sector, []).append(code)
    acute = by_sector.get("acute", [])
    excluded: set[str] = set()
    must: list[str] = []
    if not profile.every_sector:
        quiet = sorted((s for s in by_sector if s != "acute"), key=lambda s: (len(by_sector[s]), s))[:3]
        if quiet:
            excluded.update(by_sector[rng.choice(quiet)])
    if profile.acute_ok:
        must.extend(acute)
    elif acute:
        victim = rng.choice(acute)
        activity.weak_acute[victim] = rng.choice(("unengaged", "shallow", "shallow", "unassessed"))
        if activity.weak_acute[victim] == "unengaged":
            excluded.add(victim)
        elif profile.coverage[1] > 0:
            must.append(victim)
    if profile.every_sector:
        must.extend(rng.choice(codes) for sector, codes in sorted(by_sector.items()) if sector != "acute")
    must = [c for c in dict.fromkeys(must) if c not in excluded]
    rest = [c for c in footprint if c not in excluded and c not in must]
    rng.shuffle(rest)
    target = _target_count(len(footprint), profile.coverage, rng)
    if profile.coverage[1] == 0:
        return []
    return must + rest[:max(0, target - len(must))]


def _depth_for(code: str, sector: str, profile: Profile, activity: Activity, rng: random.Random) -> int:
    """The deepest involvement this provider reaches."""
    if activity.weak_acute.get(code) == "shallow":
        return rng.choice((1, 2))
    if sector == "acute" and profile.acute_ok:
        return rng.choices((3, 4, 5), weights=(4, 5, 1))[0]
    if sector == "acute":
        return rng.choices((1, 2, 3, 4), weights=(2, 4, 3, 1))[0]
    return rng.choices((1, 2, 3, 4, 5), weights=DEPTH_WEIGHTS[profile.tier])[0]


def _sustained_count(engaged: int, sustained: bool, rng: random.Random) -> int:
    """How many engaged providers take part in three or more months."""
    half = math.ceil(engaged / 2)
    if sustained:
        return rng.randint(half, max(half, math.ceil(engaged * 0.85)))
    return rng.randint(min(engaged // 8, half - 1), max(0, half - 1))


class _Events:
    """Builds a plan's events: board-convened ones shared by many providers, provider-recorded ones alone."""

    def __init__(self, hwb: dict, rng: random.Random, activity: Activity) -> None:
        self.hwb, self.rng, self.activity = hwb, rng, activity
        self.board_events: dict[tuple[int, int], dict] = {}
        self.slug = "".join(ch for ch in hwb["name"].lower() if ch.isalnum())

    def _new(self, day: date, kind: str, depth: int, provider_code: str | None) -> dict:
        """A new event record with topics and a summary."""
        topics = self.rng.sample(sorted(vocab.TOPICS), self.rng.randint(1, 3))
        if depth >= 3 and "acute_impact" not in topics and self.rng.random() < 0.4:
            topics.append("acute_impact")
        labels = ", ".join(vocab.TOPICS[t].lower() for t in topics)
        url = f"https://democracy.{self.slug}.example/hwb/{day.isoformat()}" if kind == "board_meeting" else None
        event = {"ref": hex_ref(self.rng, "EV-", 12), "hwb_code": self.hwb["code"],
                 "recorded_by": "provider" if provider_code else "hwb", "recorded_by_provider_code": provider_code,
                 "date": day, "kind": kind, "depth": depth, "summary": SUMMARIES[kind].format(topics=labels),
                 "evidence_url": url, "withdrawn": False, "withdrawn_at": None,
                 "created_at": _at(day + timedelta(days=self.rng.randint(0, 6)), 16), "topics": sorted(topics)}
        self.activity.events.append(event)
        return event

    def board(self, month: int, depth: int) -> dict:
        """The board-convened event of that month and depth (made on first use)."""
        key = (month, depth)
        if key not in self.board_events:
            kind = self.rng.choice(BOARD_KINDS[depth])
            self.board_events[key] = self._new(_weekday_in(month, self.rng), kind, depth, None)
        return self.board_events[key]

    def provider(self, month: int, depth: int, code: str) -> dict:
        """A new event recorded by the provider itself."""
        return self._new(_weekday_in(month, self.rng), self.rng.choice(PROVIDER_KINDS), depth, code)

    def take_part(self, event: dict, code: str, sector: str, status: str, note: str = "") -> None:
        """Add one participation to an event."""
        senior = sector in SENIOR_SECTORS and event["depth"] >= 3
        changed = _at(event["date"] + timedelta(days=self.rng.randint(2, 12)), 10) if status != "unconfirmed" else None
        self.activity.participations.append({
            "event_ref": event["ref"], "provider_code": code, "status": status, "status_note": note,
            "leadership": self.rng.random() < (0.7 if senior else 0.25), "status_changed_at": changed})


def plan_activity(hwb: dict, footprint: dict[str, str], profile: Profile, rng: random.Random) -> Activity:
    """Events and participations for one plan, shaped by its profile."""
    activity = Activity()
    engaged = _choose_engaged(footprint, profile, rng, activity)
    activity.engaged = engaged
    events = _Events(hwb, rng, activity)
    window = list(range(profile.first_month, LAST_MONTH + 1))
    sustained = set(rng.sample(engaged, _sustained_count(len(engaged), profile.sustained, rng))) if engaged else set()
    confirm_rate = rng.uniform(0.78, 0.95) if profile.corroborated else rng.uniform(0.3, 0.62)
    for code in engaged:
        sector = footprint[code]
        deepest = _depth_for(code, sector, profile, activity, rng)
        count = rng.randint(3, min(9, len(window))) if code in sustained else rng.choice((1, 1, 2))
        months = sorted(rng.sample(window, count))
        for index, month in enumerate(months):
            depths = [deepest if index == len(months) - 1 else rng.randint(1, deepest)]
            if deepest > 1 and rng.random() < 0.5:  # a second event in the same month
                depths.append(rng.choice([d for d in range(1, deepest + 1) if d != depths[0]]))
            for depth in depths:
                event = events.provider(month, depth, code) if rng.random() < 0.25 else events.board(month, depth)
                status = "confirmed" if rng.random() < confirm_rate else "unconfirmed"
                events.take_part(event, code, sector, status)
    _add_noise(footprint, engaged, events, window, rng)
    activity.events.sort(key=lambda e: (e["date"], e["ref"]))
    return activity


def _add_noise(footprint: dict[str, str], engaged: list[str], events: _Events, window: list[int],
               rng: random.Random) -> None:
    """A withdrawn event and a disputed participation now and then, as real records have."""
    if engaged and rng.random() < 0.3:
        code = rng.choice(engaged)
        event = events.provider(rng.choice(window), rng.randint(1, 3), code)
        event["withdrawn"] = True
        event["withdrawn_at"] = event["created_at"] + timedelta(days=rng.randint(1, 20))
        event["summary"] += " (Recorded against the wrong board.)"
        events.take_part(event, code, footprint[code], "unconfirmed")
    if events.board_events and rng.random() < 0.35:
        event = events.board_events[rng.choice(sorted(events.board_events))]
        taken = {p["provider_code"] for p in events.activity.participations if p["event_ref"] == event["ref"]}
        spare = [c for c in footprint if c not in taken]
        if spare:
            code = rng.choice(spare)
            events.take_part(event, code, footprint[code], "disputed",
                             "We did not attend this meeting; our apologies were recorded in the minutes.")
