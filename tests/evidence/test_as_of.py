"""Evidence as at a date: the engine must agree with a plain-Python reference of PRODUCT.md's definition.

Random histories are played day by day through the tracker's own writers (events recorded late, named providers
added, confirmations and disputes changed, withdrawals, imports and re-imports, concerns taken through their
lifecycle, impact assessment versions, saved and imported). The reference below keeps, for each record, the
values it had and the day each took effect, in the order they were written, and knows PRODUCT.md's definition
alone ("count only events dated on or before D and recorded on or before D, with each participation's status and
each event's withdrawal as they stood at the end of D; …; a row loaded by an import is taken as recorded on its
own date"); it projects the history onto a day D as a world of tests/evidence/test_reference.py, whose
reference_plan gives the figures. No SQL and no tracker.domain.evidence in it.
"""
from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories as make
from tests.conftest import empty_database
from tests.evidence.test_reference import World, boards, providers, reference_plan, thresholds
from tracker.domain import history, summaries
from tracker.domain.assessments import AssessmentInput, save_assessment
from tracker.domain.concerns import ConcernInput, allowed_actions, raise_concern, take_action
from tracker.domain.engagement import (
    EventInput,
    ParticipantInput,
    record_event,
    set_participation_status,
    update_event,
    withdraw_event,
)
from tracker.domain.evidence import load_thresholds, plan_evidence, plans_evidence, provider_rows
from tracker.domain.working_days import add_working_days
from tracker.imports.base import Settings
from tracker.imports.runner import run_import
from tracker.models import Concern, EngagementEvent
from tracker.web.extensions import db

START = date(2014, 9, 1)  # the first day anything is written
DAYS = 45  # histories run over this many days
END = START + timedelta(days=DAYS - 1)
LATER = END + timedelta(days=1)  # "today" when the figures are asked for: every day of the history is past
YEAR = "2015-16"
day = st.integers(0, 4)  # days since the action before (the history's days run from START, at most DAYS of them)
back = st.one_of(st.integers(0, 10), st.integers(0, 150))  # how long after it happened an event is written
pick = st.integers(0, 50)  # the n-th record of its kind (modulo how many there are)
who = st.integers(0, 5)
record = st.tuples(st.just("record"), day, st.integers(0, 2), back, st.integers(1, 5),
                  st.sets(who, min_size=1, max_size=3))
answer = st.tuples(st.just("answer"), day, pick, pick, st.sampled_from(["confirmed", "confirmed", "disputed"]))
imported = st.tuples(st.just("imported"), day, st.integers(0, 2), back, st.integers(1, 5),
                     st.dictionaries(who, st.sampled_from(["unconfirmed", "confirmed", "disputed"]), min_size=1,
                                     max_size=3), st.sampled_from([False, False, False, True]))
concern = st.tuples(st.just("concern"), day, st.integers(0, 2), who, st.sampled_from([False, False, True]))
act = st.tuples(st.just("act"), day, pick, pick)
actions = st.lists(st.one_of(
    record, record, record, answer, answer, answer, imported, concern, concern, act, act, act,
    st.tuples(st.just("withdraw"), day, pick),
    st.tuples(st.just("name"), day, pick, who),
    st.tuples(st.just("reimport"), day, pick, pick, st.sampled_from(["unconfirmed", "confirmed", "disputed"]),
              st.booleans()),
    st.tuples(st.just("assess"), day, st.integers(0, 2), who, st.sampled_from(["agree", "partly", "disagree"])),
    st.tuples(st.just("import_assess"), day, st.integers(0, 2), who, st.sampled_from(["agree", "partly", "disagree"]),
              st.integers(0, 60)),
), min_size=10, max_size=40)
# Boards with a plan for one year, the first board always (test_reference's boards may have one in each of two).
planned_boards = boards.map(lambda found: [(region, index == 0 or planned) for index, (region, planned, _)
                                           in enumerate(found)])
histories = st.fixed_dictionaries({"boards": planned_boards, "providers": providers, "thresholds": thresholds,
                                   "actions": actions, "days": st.lists(st.integers(-160, DAYS - 1), max_size=3)})


# ---- the reference: what was written, with the day each value took effect, in the order it was written ----

@dataclass
class Event:
    board: int
    day: date  # the event's own date
    depth: int
    recorded_on: date
    withdrawn_on: date | None = None
    people: dict[int, list[tuple[date, str]]] = field(default_factory=dict)  # provider -> (from, status) in order
    imported: bool = False
    ref: str = ""


@dataclass
class Raised:
    board: int
    provider: int
    confidential: bool
    raised: date
    acknowledge_due: date
    steps: list[tuple[date, str, date | None]]  # (from, status, the response date it set)


@dataclass
class History:
    regions: list[str]
    planned: list[bool]
    sectors: list[str]
    footprints: list[set[int]]
    events: list[Event] = field(default_factory=list)
    concerns: list[Raised] = field(default_factory=list)
    assessments: dict[tuple[int, int], list[tuple[date, str]]] = field(default_factory=dict)  # versions in order

    def world_on(self, d: date) -> World:
        """Everything as it stood at the end of d, as a world of test_reference (PRODUCT.md's definition)."""
        def stood(entries: list[tuple[Any, ...]]) -> tuple[Any, ...] | None:
            taken = [entry for entry in entries if entry[0] <= d]  # the latest written of those in effect by d
            return taken[-1] if taken else None

        events = []  # each board has one plan here: test_reference's year 0
        for e in self.events:
            if e.day <= d and e.recorded_on <= d:
                people = {p: s[1] for p, entries in e.people.items() if (s := stood(entries)) is not None}
                events.append((e.board, 0, e.day, e.depth, e.withdrawn_on is not None and e.withdrawn_on <= d, people))
        assessments = {(board, 0, who): s[1] for (board, who), versions in self.assessments.items()
                       if (s := stood(versions)) is not None}
        concerns = []
        for c in self.concerns:
            if c.raised <= d and (s := stood(c.steps)) is not None:
                respond_due = [due for taken, _, due in c.steps if taken <= d and due is not None][-1]
                concerns.append((c.board, 0, s[1], c.confidential, c.acknowledge_due, respond_due))
        planned = [(plan, False) for plan in self.planned]
        return World(self.regions, planned, self.sectors, self.footprints, events, assessments, concerns, [])


# ---- playing a history through the tracker's writers, noting it in the reference as it goes ----

class Player:
    def __init__(self, data: dict[str, Any]) -> None:
        n_boards = len(data["boards"])
        self.ref = History([r for r, _ in data["boards"]], [p for _, p in data["boards"]],
                           [s for s, _ in data["providers"]],
                           [{b for b in f if b < n_boards} for _, f in data["providers"]])
        self.hwbs = [make.make_hwb(region=region) for region in self.ref.regions]
        self.providers = [make.make_provider(sector, [self.hwbs[b] for b in sorted(served)])
                          for sector, served in zip(self.ref.sectors, self.ref.footprints, strict=True)]
        self.plans = [make.make_plan(h, YEAR) if planned else None for h, planned in zip(self.hwbs, self.ref.planned,
                                                                                          strict=True)]
        self.boards = [make.make_user("hwb", hwb=h) for h in self.hwbs]
        self.users = [make.make_user("provider", provider=p) for p in self.providers]
        self.assurer = make.make_user("assurer")
        if data["thresholds"] is not None:
            make.make_settings(**data["thresholds"].as_dict())
        db.session.commit()

    def play(self, actions: list[tuple[Any, ...]]) -> list[date]:
        """Take the actions in turn, each some days after the one before; the day of each."""
        taken, today = [], START
        for kind, gap, *rest in actions:
            today = min(today + timedelta(days=gap), END)
            getattr(self, kind)(today, *rest)
            db.session.commit()
            taken.append(today)
        return taken

    def _known(self, wanted: set[int] | dict[int, Any]) -> list[int]:
        """Provider numbers as indexes of the providers there are (the strategy draws them from 0 to 5)."""
        return sorted({p % len(self.providers) for p in wanted})

    def _plan(self, board: int) -> int | None:
        """The board numbered `board` (modulo the boards there are), when it has a plan."""
        board %= len(self.plans)
        return board if self.plans[board] is not None else None

    def record(self, today: date, board: int, back_days: int, depth: int, people: set[int]) -> None:
        named = self._known(people)
        if (board := self._plan(board)) is None:
            return
        when = max(today - timedelta(days=back_days), date(2014, 1, 1))
        taking_part = tuple(ParticipantInput(self.providers[p].code) for p in named)
        event = record_event(db.session, self.boards[board], self.plans[board],
                             EventInput(when, "meeting", depth, ("schemes",), "Met", taking_part), today=today)
        self.ref.events.append(Event(board, when, depth, today, people={p: [(today, "unconfirmed")] for p in named},
                                     ref=event.ref))

    def _event(self, n: int, imported: bool | None = None) -> tuple[Event, EngagementEvent] | None:
        chosen = [e for e in self.ref.events if imported is None or e.imported == imported]
        if not chosen:
            return None
        e = chosen[n % len(chosen)]
        return e, db.session.scalar(db.select(EngagementEvent).where(EngagementEvent.ref == e.ref))

    def answer(self, today: date, n: int, m: int, status: str) -> None:
        if (found := self._event(n)) is None:
            return
        e, record = found
        p = sorted(e.people)[m % len(e.people)]
        participation = next(x for x in record.participations if x.provider_id == self.providers[p].id)
        if participation.status != status:
            e.people[p].append((today, status))
        set_participation_status(db.session, self.users[p], participation, status, "", today=today)

    def withdraw(self, today: date, n: int) -> None:
        if (found := self._event(n)) is None:
            return
        e, record = found
        if e.withdrawn_on is None:
            e.withdrawn_on = today
        withdraw_event(db.session, self.boards[e.board], record, "", today=today)

    def name(self, today: date, n: int, p: int) -> None:
        p %= len(self.providers)
        if (found := self._event(n, imported=False)) is None:
            return
        e, record = found
        if e.withdrawn_on is not None or p in e.people:
            return
        named = [*sorted(e.people), p]
        update_event(db.session, self.boards[e.board], record, EventInput(
            e.day, "meeting", e.depth, ("schemes",), "Met",
            tuple(ParticipantInput(self.providers[q].code) for q in named)), today=today)
        e.people[p] = [(today, "unconfirmed")]

    def _import(self, kind: str, header: list[str], rows: list[list[str]]) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{kind}.csv"
            with path.open("w", newline="", encoding="utf-8") as handle:
                csv.writer(handle).writerows([header, *rows])
            run_import(db.session, kind, str(path), Settings(overwrite=True))

    def _import_event(self, e: Event, statuses: dict[int, str], withdrawn: bool) -> None:
        header = ["event_ref", "provider_code", "hwb_code", "year", "recorded_by", "date", "kind", "depth", "topics",
                  "summary", "withdrawn", "leadership", "status"]
        self._import("events", header, [
            [e.ref, self.providers[p].code, self.hwbs[e.board].code, YEAR, "hwb", e.day.isoformat(), "meeting",
             str(e.depth), "schemes", "Imported", "yes" if withdrawn else "no", "no", status]
            for p, status in sorted(statuses.items())])

    def imported(self, today: date, board: int, back_days: int, depth: int, people: dict[int, str],
                withdrawn: bool) -> None:
        named = {p % len(self.providers): s for p, s in people.items()}
        if (board := self._plan(board)) is None:
            return
        when = today - timedelta(days=back_days)
        e = Event(board, when, depth, when, when if withdrawn else None, imported=True,
                  ref=f"IMP-{len(self.ref.events)}", people={p: [(when, s)] for p, s in named.items()})
        self._import_event(e, named, withdrawn)
        self.ref.events.append(e)

    def reimport(self, today: date, n: int, m: int, status: str, withdrawn: bool) -> None:
        if (found := self._event(n, imported=True)) is None:
            return
        e, record = found
        statuses = {p: entries[-1][1] for p, entries in e.people.items()}
        p = sorted(statuses)[m % len(statuses)]
        if statuses[p] != status:
            statuses[p] = status
            e.people[p].append((e.day, status))  # the file's values hold from the event's own date
        if withdrawn != record.withdrawn:
            e.withdrawn_on = e.day if withdrawn else None
        self._import_event(e, statuses, withdrawn)

    def concern(self, today: date, board: int, p: int, confidential: bool) -> None:
        p %= len(self.providers)
        if (board := self._plan(board)) is None:
            return
        raise_concern(db.session, self.users[p], self.plans[board], ConcernInput("excluded", "high", "Not asked",
                                                                                 confidential),
                      today=today, acknowledge_days=3, respond_days=20)
        self.ref.concerns.append(Raised(board, p, confidential, today, add_working_days(today, 3),
                                        [(today, "open", add_working_days(today, 20))]))

    def act(self, today: date, n: int, m: int) -> None:
        if not self.ref.concerns:
            return
        index = n % len(self.ref.concerns)
        c = self.ref.concerns[index]
        record = db.session.scalars(db.select(Concern).order_by(Concern.id)).all()[index]
        choices = [(side, a.name) for side in ("provider", "hwb", "assurer")
                   for a in allowed_actions(record.status, side, record.confidential)]
        if not choices:
            return
        side, name = choices[m % len(choices)]
        user = {"provider": self.users[c.provider], "hwb": self.boards[c.board], "assurer": self.assurer}[side]
        step = take_action(db.session, user, record, name, "Noted", today=today, respond_days=20)
        due = max(add_working_days(today, 20), c.acknowledge_due) if name == "reopen" else None
        c.steps.append((today, step.to_status, due))

    def _assessed(self, board: int, p: int, agreement: str, on: date) -> bool:
        """Note a version in the reference when it differs from the current one (else nothing new is made)."""
        versions = self.ref.assessments.setdefault((board, p), [])
        if versions and versions[-1][1] == agreement:
            return False
        versions.append((on, agreement))
        return True

    def assess(self, today: date, board: int, p: int, agreement: str) -> None:
        p %= len(self.providers)
        if (board := self._plan(board)) is None:
            return
        self._assessed(board, p, agreement, today)
        save_assessment(db.session, self.users[p], self.plans[board], AssessmentInput("-1.5", "-25000", agreement, ""),
                        today=today)

    def import_assess(self, today: date, board: int, p: int, agreement: str, back_days: int) -> None:
        p %= len(self.providers)
        if (board := self._plan(board)) is None:
            return
        assessed = today - timedelta(days=back_days)
        self._assessed(board, p, agreement, assessed)
        self._import("impact-assessments", [
            "hwb_code", "year", "provider_code", "emergency_admissions_change_pct", "financial_impact_gbp", "agreement",
            "comments", "assessed"], [[self.hwbs[board].code, YEAR, self.providers[p].code, "-1.5", "-25000",
                                       agreement, "", assessed.isoformat()]])


def assert_as_of_agrees(player: Player, d: date) -> None:
    """Every plan's figures and provider rows as at d equal the reference's."""
    thresholds = load_thresholds(db.session)
    world = player.ref.world_on(d)
    computed = plans_evidence(db.session, None, LATER, thresholds, as_of=d)
    index = {provider.id: i for i, provider in enumerate(player.providers)}
    for board, plan in enumerate(player.plans):
        if plan is None:
            continue
        want, want_rows = reference_plan(world, board, 0, thresholds, today=d)
        evidence = computed[plan.id]
        assert evidence.as_of == d
        assert evidence.to_api() == want, f"as at {d}"
        assert plan_evidence(db.session, plan.id, LATER, thresholds, as_of=d).to_api() == want
        rows = provider_rows(db.session, plan, evidence)
        assert {index[r.provider_id]: (r.engaged, r.depth, r.months, r.sustained, r.acute_assessment)
                for r in rows} == want_rows


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=histories)
def test_as_of_agrees_with_the_reference_on_random_histories(app_ctx, data: dict[str, Any]) -> None:  # noqa: ANN001
    empty_database()
    try:
        player = Player(data)
        taken = player.play(data["actions"])
        assert history.drift(db.session) == [] and summaries.drift(db.session) == []
        days = {START + timedelta(days=offset) for offset in data["days"]} | {END}
        days |= {d - timedelta(days=1) for d in taken[-3:]} | set(taken[:2])
        for d in sorted(days):
            assert_as_of_agrees(player, d)
        # The last day of the history, read from the history, is what the summaries give on that day.
        thresholds = load_thresholds(db.session)
        today = plans_evidence(db.session, None, END, thresholds)
        past = plans_evidence(db.session, None, LATER, thresholds, as_of=END)
        assert {k: v.to_api() for k, v in past.items()} == {k: v.to_api() for k, v in today.items()}
    finally:
        empty_database()
