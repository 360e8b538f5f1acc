"""`flask export participations PATH`: the events CSV of every participation, which imports back to the same records."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from tests.factories import make_hwb, make_plan, make_provider
from tracker.domain.summaries import bulk_write, drift
from tracker.imports.events import EventImporter
from tracker.imports.export import HEADER
from tracker.models import EngagementEvent, EventTopic, Participation, Plan, Provider
from tracker.web.extensions import db

# Text that CSV must quote, and text that must survive UTF-8.
AWKWARD = 'Workshop, "acute impact"\nsecond line; café £3.8bn'


def small_world() -> None:
    """Two boards' plans and four providers; events of both sides, withdrawn or not, every status, no topics."""
    north, south = make_hwb(region="north"), make_hwb(region="south")
    acute = make_provider("acute", [north, south])
    gp = make_provider("primary_care", [north])
    housing = make_provider("housing", [south])
    voluntary = make_provider("voluntary", [north])
    plans = [make_plan(north), make_plan(south)]

    def event(ref: str, plan: Plan, recorder: Provider | None, people: list[tuple[Provider, bool, str]],
              topics: tuple[str, ...], **fields: object) -> None:
        values = {"date": date(2014, 6, 2), "kind": "workshop", "depth": 3, "summary": "Met", "withdrawn": False}
        values.update(fields)
        db.session.add(EngagementEvent(
            ref=ref, plan_id=plan.id, recorded_by="provider" if recorder else "hwb",
            recorded_by_provider_id=recorder.id if recorder else None, **values,
            topics=[EventTopic(topic=t) for t in topics],
            participations=[Participation(provider_id=p.id, leadership=lead, status=status)
                            for p, lead, status in people]))

    # The recorder (voluntary) has the highest id: its row must still come first for the import to keep it.
    event("EV-1", plans[0], voluntary, [(acute, True, "confirmed"), (gp, False, "disputed"),
                                        (voluntary, True, "unconfirmed")], ("schemes", "acute_impact"),
          summary=AWKWARD)
    event("EV-2", plans[0], None, [(gp, False, "confirmed")], (), kind="board_meeting", depth=1, summary="")
    event("EV-3", plans[1], None, [(acute, False, "unconfirmed"), (housing, True, "confirmed")],
          ("workforce", "data_sharing", "metrics"), withdrawn=True, date=date(2015, 1, 31), depth=5)
    event("EV-4", plans[1], housing, [(housing, False, "disputed")], ("transition",), kind="other")
    db.session.commit()


def participations() -> set[tuple]:
    """Every participation with its event's columns, as the import format defines them (topics as a set)."""
    e, p = EngagementEvent, Participation
    rows = db.session.execute(
        sa.select(e.id, e.ref, Provider.code, e.plan_id, e.recorded_by, e.recorded_by_provider_id, e.date, e.kind,
                  e.depth, e.summary, e.withdrawn, p.leadership, p.status)
        .join(p, p.event_id == e.id).join(Provider, Provider.id == p.provider_id)).all()
    topics: dict[int, set[str]] = {}
    for event_id, topic in db.session.execute(sa.select(EventTopic.event_id, EventTopic.topic)):
        topics.setdefault(event_id, set()).add(topic)
    return {(*row[1:], frozenset(topics.get(row[0], ()))) for row in rows}


def export(runner: FlaskCliRunner, path: Path | str) -> object:
    result = runner.invoke(args=["export", "participations", str(path)])
    assert result.exit_code == 0, result.output
    return result


def test_export_imports_back_to_the_same_participations(runner: FlaskCliRunner, app_ctx: Flask,
                                                        tmp_path: Path) -> None:
    small_world()
    before = participations()
    path = tmp_path / "participations.csv"
    result = export(runner, path)
    assert "7 rows written" in result.output
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == HEADER == EventImporter.columns
    assert len(rows) == 1 + len(before) == 8
    assert rows[1][:2] == ["EV-1", db.session.scalar(sa.select(Provider.code).where(Provider.sector == "voluntary"))]
    assert {row[8] for row in rows if row[0] == "EV-1"} == {"acute_impact;schemes"}

    # Importing it onto the same records changes nothing.
    imported = runner.invoke(args=["import", "events", str(path)])
    assert imported.exit_code == 0 and "7 unchanged" in imported.output, imported.output

    # Onto a database without the events, it makes them again, whole.
    with bulk_write(db.session):
        for table in (Participation.__table__, EventTopic.__table__, EngagementEvent.__table__):
            db.session.execute(sa.delete(table))
    db.session.commit()
    assert participations() == set()
    imported = runner.invoke(args=["import", "events", str(path)])
    assert imported.exit_code == 0 and "7 created" in imported.output, imported.output
    db.session.expire_all()
    assert participations() == before
    assert drift(db.session) == []

    # And the export of what was imported is the same file.
    again = tmp_path / "again.csv"
    export(runner, again)
    assert again.read_bytes() == path.read_bytes()


def test_export_to_standard_output(runner: FlaskCliRunner, app_ctx: Flask) -> None:
    small_world()
    result = runner.invoke(args=["export", "participations", "-"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(HEADER)
    assert sum(1 for line in lines if line.startswith("EV-")) == 7


def test_empty_database_exports_the_header(runner: FlaskCliRunner, app_ctx: Flask, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    export(runner, path)
    assert path.read_text(encoding="utf-8") == ",".join(HEADER) + "\n"


@pytest.mark.parametrize("where", ["missing folder", "folder"])
def test_bad_path_is_refused_clearly(where: str, runner: FlaskCliRunner, app_ctx: Flask, tmp_path: Path) -> None:
    small_world()
    path = tmp_path / "no-such-folder" / "out.csv" if where == "missing folder" else tmp_path
    result = runner.invoke(args=["export", "participations", str(path)])
    assert result.exit_code == 1
    assert f"{path}: cannot write the export there" in result.stderr
    assert "folder that exists" in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing half-written left behind
