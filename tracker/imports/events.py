"""Importing engagement events: one row per participation, the rows of one event_ref giving the whole event."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import vocab
from tracker.domain.engagement import corroboration
from tracker.domain.history import note_imported_statuses
from tracker.domain.summaries import bulk_write
from tracker.imports import provenance
from tracker.imports.base import Importer, Settings, differences
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


class _Stored(NamedTuple):
    """A stored participation: what the file may change, and who answered in the tracker (None: an import)."""

    id: int
    leadership: bool
    status: str
    by_id: int | None
    at: datetime | None


@dataclass(slots=True)
class _Writes:
    """What one round writes, and the audit entries of its rows."""

    new_events: list[dict[str, Any]] = field(default_factory=list)
    event_updates: list[dict[str, Any]] = field(default_factory=list)
    topic_events: list[tuple[int, str]] = field(default_factory=list)
    part_inserts: list[dict[str, Any]] = field(default_factory=list)
    part_updates: list[dict[str, Any]] = field(default_factory=list)
    created: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    changed: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    statuses: list[dict[str, Any]] = field(default_factory=list)  # history rows of statuses the file changes
    joined: list[int] = field(default_factory=list)  # stored events the file names new providers in


_ANSWER = {"confirmed": "confirmation", "disputed": "dispute"}


class EventImporter(Importer):
    """`events`: each row is one provider's participation. An event's participations are the file's and any stored
    ones it does not give (kept and reported: an import never removes one); what people changed in the tracker
    since the event was last imported is kept and reported unless the import overwrites (provenance.py)."""

    kind = "events"
    columns = ("event_ref", "provider_code", "hwb_code", "year", "recorded_by", "date", "kind", "depth", "topics",
               "summary", "withdrawn", "leadership", "status")

    def __init__(self, session: Session, lookups: Lookups, settings: Settings) -> None:
        super().__init__(session, lookups, settings)
        self.events: dict[str, _Event] = {}
        self.former_plans: set[int] = set()  # plans that events in the file were on before this import
        self.wrote = False  # whether any event, topic or participation was written

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
            if self.wrote:
                written.plans.update({event.plan_id for event in self.events.values()} | self.former_plans)
        return counts

    def _write_round(self, refs: list[str], counts: Counts) -> None:
        """Insert new events, update changed ones and their participations (never removing one), keep what people
        changed in the tracker since the last import (unless overwriting), and audit each row created or changed."""
        events = EngagementEvent.__table__
        now = datetime.now(UTC)
        columns = [events.c[name] for name in ("id", "ref", *EVENT_FIELDS, "changed_in_tracker_at")]
        stored = {row.ref: row for row in self.session.execute(sa.select(*columns).where(events.c.ref.in_(refs)))}
        ids = [row.id for row in stored.values()]
        topics, taking_part = self._stored_children(ids)
        writes = _Writes()
        for ref in refs:
            event = self.events[ref]
            wanted = event.fields(ref)
            old = stored.get(ref)
            if old is None:
                writes.new_events.append({**wanted, **event.history(), "withdrawn_at": now if wanted["withdrawn"] else None})
                counts.created += len(event.participations)
                shown = self._shown_event(wanted, event.values[6])
                writes.created += [(ref, self._shown_row(shown, provider_id, leadership, status))
                                   for provider_id, (leadership, status, _) in event.participations.items()]
                continue
            self.former_plans.add(old.plan_id)
            self._update(ref, event, wanted, old, topics.get(old.id, frozenset()), taking_part.get(old.id, {}),
                         counts, writes, now)
        update_rows(self.session, events, writes.event_updates)
        delete_where_in(self.session, EventTopic.__table__.c.event_id,
                        [event_id for event_id, _ in writes.topic_events])
        new_ids = self._insert_events(writes.new_events)
        topic_rows = [{"event_id": event_id, "topic": topic}
                      for event_id, ref in [*writes.topic_events, *((i, r) for r, i in new_ids.items())]
                      for topic in self.events[ref].values[6]]
        insert_rows(self.session, EventTopic.__table__, topic_rows)
        part_inserts = writes.part_inserts + [
            self._participation(event_id, provider_id, leadership, status)
            for ref, event_id in new_ids.items()
            for provider_id, (leadership, status, _) in self.events[ref].participations.items()]
        update_rows(self.session, Participation.__table__, writes.part_updates)
        insert_rows(self.session, Participation.__table__, part_inserts)
        insert_rows(self.session, ParticipationStatusChange.__table__, writes.statuses)
        note_imported_statuses(self.session, list(new_ids.values()))
        note_imported_statuses(self.session, sorted(set(writes.joined)), unnoted_only=True)
        self.audit_rows("engagement_event", writes.created, writes.changed)
        self.wrote = self.wrote or bool(writes.event_updates or writes.topic_events or new_ids
                                        or writes.part_updates or part_inserts)

    def _update(self, ref: str, event: _Event, wanted: dict[str, Any], old: sa.Row, old_topics: frozenset[str],
                parts: dict[int, _Stored], counts: Counts, writes: _Writes, now: datetime) -> None:
        """Bring one stored event and its participations to the file's values, or keep the tracker's."""
        overwrite = self.settings.overwrite
        event_changed = any(getattr(old, name) != wanted[name] for name in EVENT_FIELDS)
        topics_changed = old_topics != event.values[6]
        for provider_id in parts.keys() - event.participations.keys():
            counts.absent += 1
            self.notes.append((event.line, f"line {event.line}: kept the participation of provider "
                                           f"{self.lookups.provider_codes.get(provider_id)} in event {ref}, which the "
                                           "file does not give (an import never removes a participation)"))
        # Answers (confirmations, disputes) given in the tracker since the last import, by provider.
        answered = {} if overwrite else {provider_id: part for provider_id, part in parts.items()
                                         if part.by_id is not None and corroboration.is_answered(part.status)}
        held = self._held(ref, old, wanted, answered)
        if held is not None:
            for provider_id, (leadership, status, line) in event.participations.items():
                part = parts.get(provider_id)
                if event_changed or topics_changed or part is None or (part.leadership, part.status) != (leadership,
                                                                                                        status):
                    counts.kept += 1
                    self.kept.append(replace(held, line=line))
                else:
                    counts.unchanged += 1
            return
        if event_changed:
            update = {"_id": old.id, **wanted, **event.history()}
            if wanted["withdrawn"] != old.withdrawn:
                update["withdrawn_at"] = now if wanted["withdrawn"] else None
            writes.event_updates.append(update)
        if topics_changed:
            writes.topic_events.append((old.id, ref))
        shown: list[dict[str, Any]] = []  # the event's columns before and after, made for the first row audited

        def shown_event() -> tuple[dict[str, Any], dict[str, Any]]:
            if not shown:
                shown.extend((self._shown_event({name: getattr(old, name) for name in EVENT_FIELDS}, old_topics),
                              self._shown_event(wanted, event.values[6])))
            return shown[0], shown[1]

        for provider_id, (leadership, status, line) in event.participations.items():
            part = parts.get(provider_id)
            if part is None:
                writes.part_inserts.append(self._participation(old.id, provider_id, leadership, status))
                writes.joined.append(old.id)
                writes.created.append((ref, self._shown_row(shown_event()[1], provider_id, leadership, status)))
                counts.created += 1
                continue
            answer = answered.get(provider_id)
            kept = answer is not None and (answer.leadership, answer.status) != (leadership, status)
            if kept:  # the file would change an answer given in the tracker, or the leadership it answered
                reasons = corroboration.confirmed_changes({"leadership": answer.leadership}, {"leadership": leadership})
                gives = f"the file changes its {', '.join(reasons)}" if reasons else f"the file gives {status}"
                self.kept.append(provenance.Kept(
                    line, f"the {_ANSWER[answer.status]} recorded", answer.at, answer.by_id,
                    detail=f" (event {ref}, provider {self.lookups.provider_codes.get(provider_id)}; {gives})"))
                leadership, status = answer.leadership, answer.status
            part_changed = (part.leadership, part.status) != (leadership, status)
            if part_changed:
                update = {"_id": part.id, "leadership": leadership, "status": status}
                if part.status != status:
                    update.update(status_changed_at=now, status_changed_by_id=None, status_note="")
                    writes.statuses.append({"participation_id": part.id, "changed_on": event.values[3],
                                            "changed_at": now, "status": status})
                writes.part_updates.append(update)
            if event_changed or topics_changed or part_changed:
                before, after = shown_event()
                writes.changed.append((ref, *differences(
                    self._shown_row(before, provider_id, part.leadership, part.status),
                    self._shown_row(after, provider_id, leadership, status), ("provider_code",))))
            if kept:
                counts.kept += 1
            elif event_changed or topics_changed or part_changed:
                counts.updated += 1
            else:
                counts.unchanged += 1
        if old.changed_in_tracker_at is not None and shown:  # overwriting: the event is now as the file has it
            if event_changed:
                writes.event_updates[-1]["changed_in_tracker_at"] = None
            else:
                writes.event_updates.append({"_id": old.id, "changed_in_tracker_at": None})

    def _held(self, ref: str, old: sa.Row, wanted: dict[str, Any],
              answered: dict[int, _Stored]) -> provenance.Kept | None:
        """Why the stored event is kept as it is, if it is (the line is filled in per row): people changed or
        withdrew it in the tracker since its last import, or the file changes what an answer given in the tracker
        answered (corroboration.confirmed_changes). None when the file's values may be written."""
        if old.changed_in_tracker_at is not None and not self.settings.overwrite:
            if old.withdrawn:
                return provenance.Kept(0, f"the withdrawal of event {ref} made", old.changed_in_tracker_at,
                                       event_ref=ref)
            return provenance.Kept(0, f"the changes to event {ref} made", old.changed_in_tracker_at, event_ref=ref,
                                   them=True)
        if not answered:
            return None
        reasons = corroboration.confirmed_changes(corroboration.facts(old), corroboration.facts(wanted))
        if not reasons:
            return None
        provider_id, answer = max(answered.items(), key=lambda item: item[1].at or datetime.min.replace(tzinfo=UTC))
        return provenance.Kept(0, f"event {ref} as {answer.status}", answer.at, answer.by_id,
                               detail=f" (provider {self.lookups.provider_codes.get(provider_id)}; the file changes "
                                      f"its {', '.join(reasons)})")

    def _shown_event(self, fields: dict[str, Any], topics: frozenset[str]) -> dict[str, Any]:
        """An event's columns as the audit trail keeps a row's: in the file's terms."""
        hwb_code, year = self.lookups.plan_keys.get(fields["plan_id"], ("", ""))
        recorder = fields["recorded_by_provider_id"]
        return {"hwb_code": hwb_code, "year": year, "recorded_by": fields["recorded_by"],
                "recorded_by_provider": None if recorder is None else self.lookups.provider_codes.get(recorder),
                "date": fields["date"].isoformat(), "kind": fields["kind"], "depth": fields["depth"],
                "topics": sorted(topics), "summary": fields["summary"], "withdrawn": fields["withdrawn"]}

    def _shown_row(self, event: dict[str, Any], provider_id: int, leadership: bool, status: str) -> dict[str, Any]:
        """One row (participation) of the file as the audit trail keeps it; the event's ref is the entry's entity."""
        return {**event, "provider_code": self.lookups.provider_codes.get(provider_id), "leadership": leadership,
                "status": status}

    def _stored_children(self, ids: list[int]) -> tuple[dict[int, frozenset[str]], dict[int, dict[int, _Stored]]]:
        """The stored topics and participations of the given events."""
        topics: dict[int, set[str]] = {}
        taking_part: dict[int, dict[int, _Stored]] = {}
        if ids:
            table = EventTopic.__table__
            for event_id, topic in self.session.execute(sa.select(table.c.event_id, table.c.topic)
                                                        .where(table.c.event_id.in_(ids))).tuples():
                topics.setdefault(event_id, set()).add(topic)
            table = Participation.__table__
            query = sa.select(table.c.id, table.c.event_id, table.c.provider_id, table.c.leadership, table.c.status,
                              table.c.status_changed_by_id, table.c.status_changed_at)
            for row in self.session.execute(query.where(table.c.event_id.in_(ids))):
                taking_part.setdefault(row.event_id, {})[row.provider_id] = _Stored(
                    row.id, row.leadership, row.status, row.status_changed_by_id, row.status_changed_at)
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
