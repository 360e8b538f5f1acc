"""Exporting every participation as PRODUCT.md's `events` CSV (one row per participation), in fixed memory.

    write_participations(session, out) -> rows written

The file is exactly what `flask import events` reads: the same header, one row per participation with its
event's columns repeated, so an export re-imports to the same events and participations. One query gives the
rows already in the file's order and form (events in id order, each event's topics `;`-separated); they are
streamed from the database's cursor and written a batch at a time, so memory stays the same whatever the number
of rows. No Flask here; the command is in tracker.imports.export_command.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from typing import TextIO

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.imports.events import EventImporter
from tracker.models import HWB, EngagementEvent, EventTopic, Participation, Plan, Provider

HEADER = EventImporter.columns  # the import format itself, so the two can never drift apart
BATCH = 5_000  # rows fetched from the database, and written, at a time

Database = Session | sa.Connection


def _yes_no(flag: sa.ColumnElement[bool]) -> sa.ColumnElement[str]:
    """A flag as the file writes it."""
    return sa.case((flag, "yes"), else_="no")


def _topics() -> sa.Subquery:
    """Each event's topics, `;`-separated in alphabetical order (fed to the aggregate sorted)."""
    ordered = sa.select(EventTopic.event_id, EventTopic.topic).order_by(EventTopic.event_id, EventTopic.topic)
    ordered = ordered.subquery()
    separator = sa.literal_column("';'")  # inline: aggregate_strings would otherwise bind it
    return (sa.select(ordered.c.event_id, sa.func.aggregate_strings(ordered.c.topic, separator).label("topics"))
            .group_by(ordered.c.event_id).subquery())


def participations_query() -> sa.Select:
    """Every participation as a row of the events CSV, in HEADER's order, events in id order.

    Within an event the recording provider's row comes first: the import takes an event's recorder from its
    first row, so the round trip keeps who recorded it.
    The date is selected as the driver gives it, without SQLAlchemy's per-row conversion (the largest cost of
    the loop): SQLite's stored 'YYYY-MM-DD' text, or PostgreSQL's date, which the csv module writes the same.
    """
    e, p, topics = EngagementEvent, Participation, _topics()
    return (sa.select(e.ref, Provider.code, HWB.code, Plan.year, e.recorded_by, sa.type_coerce(e.date, sa.String),
                      e.kind, e.depth, topics.c.topics, e.summary, _yes_no(e.withdrawn), _yes_no(p.leadership),
                      p.status)
            .select_from(p).join(e, e.id == p.event_id).join(Plan, Plan.id == e.plan_id)
            .join(HWB, HWB.id == Plan.hwb_id).join(Provider, Provider.id == p.provider_id)
            .outerjoin(topics, topics.c.event_id == e.id)
            .order_by(p.event_id, sa.case((p.provider_id == e.recorded_by_provider_id, 0), else_=1), p.provider_id))


def participation_batches(session: Database) -> Iterator[Sequence[tuple]]:
    """The rows of participations_query, BATCH at a time, straight from the driver's cursor (never all in memory).

    Plain tuples rather than SQLAlchemy's rows (a sixth of the export's time): every column is already text, a
    number or (PostgreSQL) a date, which the csv module writes as the file wants. On PostgreSQL the cursor is a
    named, server-side one, so the server streams the rows; SQLite's steps through them as they are fetched. The
    statement holds only constants, rendered inline.
    """
    connection = session if isinstance(session, sa.Connection) else session.connection()
    statement = str(participations_query().compile(dialect=connection.dialect,
                                                   compile_kwargs={"literal_binds": True}))
    driver = connection.connection.driver_connection
    cursor = driver.cursor(name="participations_export") if connection.dialect.name == "postgresql" \
        else driver.cursor()
    try:
        cursor.execute(statement)
        while rows := cursor.fetchmany(BATCH):
            yield rows
    finally:
        cursor.close()


def write_participations(session: Database, out: TextIO) -> int:
    """Write the header and every participation to `out` (a text file opened with newline=""); returns the rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    written = 0
    for rows in participation_batches(session):
        writer.writerows(rows)
        written += len(rows)
    return written
