"""Importing engagement events: one row per participation, the rows of one event_ref giving the whole event."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import vocab
from tracker.domain.history import note_imported_statuses
from tracker.domain.summaries import bulk_write
from tracker.imports.base import Importer, Settings
from tracker.imports.reader import Row
from tracker.imports.store import Counts, Lookups, batches, delete_where_in, insert_rows, update_rows
from tracker.models import EngagementEvent, EventTopic, Participation, ParticipationStatusChange

SUMMARY_MAX = 10_000
# The columns every row of one event must agree on, in the order of the values kept for an event.
EVENT_COLUMNS = ("hwb_code", "year", "recorded_by", "date", "kind", "depth", "topics", "summary", "withdrawn")
# The stored event fields the file sets, compared to decide whether an event changed.
EVENT_FIELDS = ("plan_id", "recorded_by", "recorded_by_provider_id", "date", "kind", "depth", "summary", "withdrawn")
REFS_PER_ROUND = 2_000


@dataclass(slots=True)
class _Event:
    """An event as the file gives it: its first row's line and values, and its participations."""

    line: int
    values: tuple[Any, ...]  # parsed, in EVENT_COLUMNS order; None where the value was refused
    plan_id: int | None
    recorder: int | None  # the provider of the event's first row
    # provider id -> (leadership, status, line)
    participations: dict[int, tuple[bool, str, int]] = field(default_factory=dict)

    def fields(self, ref: str) -> dict[str, Any]:
        """The event's table values."""
        _, _, recorded_by, day, kind, depth, _, summary, withdrawn = self.values
        return {"ref": ref, "plan_id": self.plan_id, "recorded_by": recorded_by,
                "recorded_by_provider_id": self.recorder if recorded_by == "provider" else None,
                "date": day, "kind": kind, "depth": depth, "summary": summary, "withdrawn": withdrawn}

    def history(self) -> dict[str, Any]:
        """PRODUCT.md: an imported event is taken as recorded on its own date, as it is in the file from then on."""
        day, withdrawn = self.values[3], self.values[8]
        return {"recorded_on": day, "withdrawn_on": day if withdrawn else None}


def _topics(row: Row) -> frozenset[str] | None:
    """The `;`-separated topics, each a known topic."""
    topics = frozenset(sys.intern(t.strip()) for t in row.values["topics"].split(";") if t.strip())
    unknown = sorted(topics - vocab.TOPICS.keys())
    for topic in unknown:
        row.fail(f'topics: "{topic}" is not one of {", ".join(vocab.TOPICS)}')
    return None if unknown else topics


class EventImporter(Importer):
    """`events`: each row is one provider's participation; the file's rows for an event replace its participations."""

    kind = "events"
    columns = ("event_ref", "provider_code", "hwb_code", "year", "recorded_by", "date", "kind", "depth", "topics",
               "summary", "withdrawn", "leadership", "status")

    def __init__(self, session: Session, lookups: Lookups, settings: Settings) -> None:
        super().__init__(session, lookups, settings)
        self.events: dict[str, _Event] = {}
        self.former_plans: set[int] = set()  # plans that events in the file were on before this import

    def stage(self, row: Row) -> None:
        """Check the row, that it agrees with the event's first row, and that its provider is new to the event."""
        ref = row.text("event_ref", max_length=64)
        provider_id = row.code("provider_code", self.lookups.providers, "provider")
        hwb_id = row.code("hwb_code", self.lookups.hwbs, "health and wellbeing board")
        year = row.year("year")
        plan_id = self.plan_id(row, hwb_id, year)
        values = (hwb_id, year, row.choice("recorded_by", vocab.RECORDED_BY), row.date("date"),
                  row.choice("kind", vocab.EVENT_KINDS), row.whole("depth", 1, 5), _topics(row),
                  row.text("summary", required=False, max_length=SUMMARY_MAX), row.yes_no("withdrawn"))
        leadership = row.yes_no("leadership")
        status = row.choice("status", vocab.PARTICIPATION_STATUSES)
        if not ref:
            return
        event = self.events.get(ref)
        if event is None:
            event = self.events[ref] = _Event(row.line, values, plan_id, provider_id)
        else:
            self._agree(row, ref, event, values)
        if provider_id is not None and provider_id in event.participations:
            first = event.participations[provider_id][2]
            row.fail(f"provider_code {row.values['provider_code']} is already given for event {ref} on line "
                     f"{first}; each provider may appear once per event")
        elif row.ok:
            event.participations[provider_id] = (leadership, status, row.line)

    def _agree(self, row: Row, ref: str, event: _Event, values: tuple[Any, ...]) -> None:
        """Note each event column where the row differs from the event's first row."""
        for column, mine, theirs in zip(EVENT_COLUMNS, values, event.values, strict=True):
            if mine is not None and theirs is not None and mine != theirs:
                row.fail(f'event {ref}: {column} "{row.values[column]}" differs from "{self._shown(column, theirs)}" '
                         f"on line {event.line}; every row of an event must give the same {column}")

    def _shown(self, column: str, value: Any) -> str:
        """A first row's value as the file gave it (near enough), for a message."""
        if column == "hwb_code":
            return next(code for code, hwb_id in self.lookups.hwbs.items() if hwb_id == value)
        if column == "topics":
            return ";".join(sorted(value))
        if column == "withdrawn":
            return "yes" if value else "no"
        return str(value)

    def write(self) -> Counts:
        """Write the events a round of refs at a time, so memory stays bounded by the file, not the database."""
        counts = Counts()
        # The engagement summaries stay true in the same transaction: on leaving the block, those of the plans
        # the file touches and of any plan an event moved away from are recomputed.
        with bulk_write(self.session, plans=(), providers=(), boards=()) as written:
            for refs in batches(self.events, REFS_PER_ROUND):
                self._write_round(refs, counts)
            if counts.created or counts.updated or counts.removed:
                written.plans.update({event.plan_id for event in self.events.values()} | self.former_plans)
        return counts

    def _write_round(self, refs: list[str], counts: Counts) -> None:
        """Insert new events, update changed ones, and make each event's participations the file's."""
        events = EngagementEvent.__table__
        now = datetime.now(UTC)
        columns = [events.c[name] for name in ("id", "ref", *EVENT_FIELDS)]
        stored = {row.ref: row for row in self.session.execute(sa.select(*columns).where(events.c.ref.in_(refs)))}
        ids = [row.id for row in stored.values()]
        topics, taking_part = self._stored_children(ids)
        new_events, event_updates, topic_events, part_inserts, part_updates, part_removed = [], [], [], [], [], []
        statuses: list[dict[str, Any]] = []  # history rows of the participations whose status the file changes
        joined: list[int] = []  # stored events the file names new providers in
        for ref in refs:
            event = self.events[ref]
            wanted = event.fields(ref)
            old = stored.get(ref)
            if old is None:
                new_events.append({**wanted, **event.history(), "withdrawn_at": now if wanted["withdrawn"] else None})
                counts.created += len(event.participations)
                continue
            self.former_plans.add(old.plan_id)
            changed = any(getattr(old, name) != wanted[name] for name in EVENT_FIELDS)
            if changed:
                update = {"_id": old.id, **wanted, **event.history()}
                if wanted["withdrawn"] != old.withdrawn:
                    update["withdrawn_at"] = now if wanted["withdrawn"] else None
                event_updates.append(update)
            if topics.get(old.id, frozenset()) != event.values[6]:
                changed = True
                topic_events.append((old.id, ref))
            before = taking_part.get(old.id, {})
            for provider_id, (leadership, status, _) in event.participations.items():
                previous = before.pop(provider_id, None)
                if previous is None:
                    part_inserts.append(self._participation(old.id, provider_id, leadership, status))
                    joined.append(old.id)
                    counts.created += 1
                elif (previous[1], previous[2]) != (leadership, status):
                    update = {"_id": previous[0], "leadership": leadership, "status": status}
                    if previous[2] != status:
                        update["status_changed_at"] = now
                        statuses.append({"participation_id": previous[0], "changed_on": event.values[3],
                                         "changed_at": now, "status": status})
                    part_updates.append(update)
                    counts.updated += 1
                elif changed:
                    counts.updated += 1
                else:
                    counts.unchanged += 1
            part_removed += [participation_id for participation_id, _, _ in before.values()]
        update_rows(self.session, events, event_updates)
        delete_where_in(self.session, EventTopic.__table__.c.event_id, [event_id for event_id, _ in topic_events])
        new_ids = self._insert_events(new_events)
        topic_rows = [{"event_id": event_id, "topic": topic}
                      for event_id, ref in [*topic_events, *((i, r) for r, i in new_ids.items())]
                      for topic in self.events[ref].values[6]]
        insert_rows(self.session, EventTopic.__table__, topic_rows)
        part_inserts += [self._participation(event_id, provider_id, leadership, status)
                         for ref, event_id in new_ids.items()
                         for provider_id, (leadership, status, _) in self.events[ref].participations.items()]
        delete_where_in(self.session, Participation.__table__.c.id, part_removed)
        update_rows(self.session, Participation.__table__, part_updates)
        insert_rows(self.session, Participation.__table__, part_inserts)
        insert_rows(self.session, ParticipationStatusChange.__table__, statuses)
        note_imported_statuses(self.session, list(new_ids.values()))
        note_imported_statuses(self.session, sorted(set(joined)), unnoted_only=True)
        counts.removed += len(part_removed)

    def _stored_children(self, ids: list[int]) -> tuple[dict[int, frozenset[str]], dict[int, dict[int, tuple]]]:
        """The stored topics and participations of the given events."""
        topics: dict[int, set[str]] = {}
        taking_part: dict[int, dict[int, tuple[int, bool, str]]] = {}
        if ids:
            table = EventTopic.__table__
            for event_id, topic in self.session.execute(sa.select(table.c.event_id, table.c.topic)
                                                        .where(table.c.event_id.in_(ids))).tuples():
                topics.setdefault(event_id, set()).add(topic)
            table = Participation.__table__
            query = sa.select(table.c.id, table.c.event_id, table.c.provider_id, table.c.leadership, table.c.status)
            for row in self.session.execute(query.where(table.c.event_id.in_(ids))):
                taking_part.setdefault(row.event_id, {})[row.provider_id] = (row.id, row.leadership, row.status)
        return {event_id: frozenset(found) for event_id, found in topics.items()}, taking_part

    def _insert_events(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        """Insert new events; returns ref -> id."""
        if not rows:
            return {}
        insert_rows(self.session, EngagementEvent.__table__, rows)
        table = EngagementEvent.__table__
        refs = [row["ref"] for row in rows]
        query = sa.select(table.c.ref, table.c.id).where(table.c.ref.in_(refs))
        return dict(self.session.execute(query).tuples().all())

    @staticmethod
    def _participation(event_id: int, provider_id: int, leadership: bool, status: str) -> dict[str, Any]:
        """One participation's table values."""
        return {"event_id": event_id, "provider_id": provider_id, "leadership": leadership, "status": status}
