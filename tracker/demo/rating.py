"""The demo asks the evidence engine (tracker.domain.evidence) how its plans are rated, so that it hits its targets.

The generator tries each plan's engagement until the plan earns the rating its board was built for. Judge rates the
tries as the app would. Inside a savepoint it writes the boards, providers, footprints and plans. Then, for each
round of tries, inside a savepoint of its own, it writes what a rating reads of them (events, participations,
impact assessments and concerns; not an event's topics nor a concern's steps) within bulk_write, so that their
engagement summaries are recomputed as the demo writer's are; asks plans_evidence for all of those plans at once;
and rolls the round back. At the end it rolls everything back. Its rows carry ids of their own (negative ones,
which no sequence hands out), so the database is left as it was, down to its PostgreSQL sequences: the data set
written afterwards gets the ids it would have got without the trials.

Tries are judged with PRODUCT.md's default thresholds (whatever the settings say: the demo's targets are the
defaults'), on the day after the last due date of their concerns. Demo concerns were raised in 2014, so on that
day, as on any day the demo is seen, every one still open or acknowledged is overdue.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import count
from types import TracebackType
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, SessionTransaction

from tracker.domain.evidence import PlanEvidence, Thresholds, plans_evidence
from tracker.domain.summaries import bulk_write
from tracker.models import (
    HWB,
    Concern,
    EngagementEvent,
    ImpactAssessment,
    Participation,
    Plan,
    Provider,
    provider_footprint,
)

if TYPE_CHECKING:
    from tracker.demo.generate import DemoData

EARLIEST_JUDGED_ON = date(2015, 1, 1)  # after every 2014 record, for tries without concerns


@dataclass(frozen=True)
class Outcome:
    """One plan's criteria results and rating, as the evidence engine gave them."""

    coverage: float | None
    passed: dict[str, bool]
    rating: str

    @classmethod
    def of(cls, evidence: PlanEvidence) -> Outcome:
        return cls(evidence.coverage, {c.id: c.passed for c in evidence.criteria}, evidence.rating)


@dataclass
class Attempt:
    """One try at a plan's engagement: the records the generator made for it, keyed by codes and refs."""

    events: list[dict] = field(default_factory=list)  # each with its "topics"
    participations: list[dict] = field(default_factory=list)
    assessments: list[dict] = field(default_factory=list)
    concerns: list[dict] = field(default_factory=list)
    concern_steps: list[dict] = field(default_factory=list)


def judged_on(attempts: list[Attempt]) -> date:
    """The day after the last due date of the tries' concerns (2015-01-01 at the earliest)."""
    return max([EARLIEST_JUDGED_ON, *(day + timedelta(days=1) for attempt in attempts for c in attempt.concerns
                                      for day in (c["acknowledge_due"], c["respond_due"]))])


def _row(table: sa.Table, record: dict, **values: Any) -> dict:
    """The record's values for the table's columns, with the given ones (ids, links) added."""
    return {**{key: value for key, value in record.items() if key in table.c}, **values}


class Judge:
    """Rates tries at the plans' engagement with the evidence engine, leaving the database as it was.

    Use it as a context manager. The database must hold none of the data set's boards, providers, events or
    concerns (seed-demo loads only into an empty database): Judge's rows keep their codes and refs, which are unique.
    """

    def __init__(self, session: Session, data: DemoData, thresholds: Thresholds | None = None) -> None:
        self.session, self.data = session, data
        self.thresholds = thresholds or Thresholds()
        self._ids = count(-1, -1)
        self._outer: SessionTransaction | None = None
        self.hwb_ids: dict[str, int] = {}
        self.provider_ids: dict[str, int] = {}
        self.plan_ids: dict[tuple[str, str], int] = {}  # (board code, year) -> id

    def __enter__(self) -> Judge:
        """Write the boards, providers, footprints and plans, inside a savepoint."""
        self._outer = self.session.begin_nested()
        try:
            self._write_organisations()
        except BaseException:
            self._outer.rollback()
            raise
        return self

    def _write_organisations(self) -> None:
        self.hwb_ids = {h["code"]: next(self._ids) for h in self.data.hwbs}
        self.provider_ids = {p["code"]: next(self._ids) for p in self.data.providers}
        with bulk_write(self.session, plans=(), providers=self.provider_ids.values(),
                        boards=self.hwb_ids.values()):  # the boards' footprint tallies, on leaving
            self._insert(HWB, [_row(HWB.__table__, h, id=self.hwb_ids[h["code"]]) for h in self.data.hwbs])
            self._insert(Provider, [_row(Provider.__table__, p, id=self.provider_ids[p["code"]])
                                    for p in self.data.providers])
            self._insert(provider_footprint, [{"provider_id": self.provider_ids[p], "hwb_id": self.hwb_ids[h]}
                                              for p, h in self.data.footprints])
            self.add_plans(self.data.plans)

    def add_plans(self, plans: list[dict]) -> None:
        """Write these plans too (a second year's, made after the first year's were rated)."""
        ids = {(p["hwb_code"], p["year"]): next(self._ids) for p in plans}
        self.plan_ids.update(ids)
        self._insert(Plan, [_row(Plan.__table__, p, id=ids[p["hwb_code"], p["year"]], hwb_id=self.hwb_ids[p["hwb_code"]])
                            for p in plans])

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        """Roll back all that Judge wrote."""
        if self._outer is not None and self._outer.is_active:
            self._outer.rollback()
        self._outer = None

    def rate(self, attempts: dict[tuple[str, str], Attempt]) -> dict[tuple[str, str], Outcome]:
        """(Board code, year) -> the outcome that plan gets with that try's records, all asked of the engine at once."""
        savepoint = self.session.begin_nested()
        try:
            plan_ids = [self.plan_ids[key] for key in attempts]
            with bulk_write(self.session, plans=plan_ids, providers=(), boards=()):  # their summaries, on leaving
                self._write(attempts)
            evidence = plans_evidence(self.session, plan_ids, judged_on(list(attempts.values())), self.thresholds)
            return {key: Outcome.of(evidence[self.plan_ids[key]]) for key in attempts}
        finally:
            savepoint.rollback()

    def _insert(self, model: Any, rows: list[dict]) -> None:
        if rows:
            self.session.execute(sa.insert(model if isinstance(model, sa.Table) else model.__table__), rows)

    def _write(self, attempts: dict[str, Attempt]) -> None:
        """Insert the tries' records on their boards' plans, with ids of their own (one INSERT per table).

        Only those a rating reads: an event's topics and a concern's history steps are left out.
        """
        providers = self.provider_ids
        tries = [(self.plan_ids[key], attempt) for key, attempt in attempts.items()]
        event_ids = {e["ref"]: next(self._ids) for _, attempt in tries for e in attempt.events}
        concern_ids = {c["ref"]: next(self._ids) for _, attempt in tries for c in attempt.concerns}
        self._insert(EngagementEvent, [
            _row(EngagementEvent.__table__, e, id=event_ids[e["ref"]], plan_id=plan_id,
                 recorded_by_provider_id=providers.get(e["recorded_by_provider_code"]),
                 updated_at=e["withdrawn_at"] or e["created_at"])
            for plan_id, attempt in tries for e in attempt.events])
        self._insert(Participation, [
            _row(Participation.__table__, p, id=next(self._ids), event_id=event_ids[p["event_ref"]],
                 provider_id=providers[p["provider_code"]]) for _, attempt in tries for p in attempt.participations])
        self._insert(ImpactAssessment, [
            _row(ImpactAssessment.__table__, a, id=next(self._ids), plan_id=plan_id,
                 provider_id=providers[a["provider_code"]], version=1, is_current=True)
            for plan_id, attempt in tries for a in attempt.assessments])
        self._insert(Concern, [_row(Concern.__table__, c, id=concern_ids[c["ref"]], plan_id=plan_id,
                                    provider_id=providers[c["provider_code"]])
                               for plan_id, attempt in tries for c in attempt.concerns])
