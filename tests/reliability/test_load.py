"""Concurrent writers against the real server: 8 clients record 2,000 events at once, through the events API and,
signed in through the sign-in page, through the provider's and the board's record-event forms.

gunicorn runs tracker.wsgi:app with 4 workers, on SQLite in WAL mode and on PostgreSQL. Some API requests are
retried with the same Idempotency-Key, and some forms sent again with the same submission token, one after the
other or at the same moment. Half-way through, a backup is taken as an operator would (`flask --app tracker
backup` on SQLite, pg_dump on PostgreSQL), while the writes go on. Afterwards the database is held to what the
clients were told.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.reliability import figures
from tests.reliability.conftest import postgres_database
from tests.reliability.harness import ROOT, Server, World, event_rows, seed_world, summary_drift
from tests.reliability.load import Load, LoadResult, make_jobs

pytestmark = pytest.mark.reliability

TOTAL_EVENTS = 2000
CLIENTS = 8
FORMS = 0.15  # the share of the events recorded through the pages' forms
FLASK = Path(sys.executable).with_name("flask")


@dataclass
class Run:
    backend: str
    world: World
    result: LoadResult
    rows: dict[str, dict]
    server_log: str
    drift: list
    backup: dict = field(default_factory=dict)


def _backup_mid_load(backend: str, server: Server, tmp: Path, stack: ExitStack, info: dict):
    """A controller that takes a backup once half the events are acknowledged, while the clients keep writing."""

    def controller(load: Load) -> None:
        while load.acked < TOTAL_EVENTS // 2 and not load.finished:
            time.sleep(0.02)
        with load._lock:  # noqa: SLF001 - a consistent view of what was acknowledged so far
            info["acked_before"] = {a.ref for a in load.result.answers if a.acked}
        started = time.monotonic()
        if backend == "sqlite":
            info["path"] = tmp / "backup.sqlite"
            done = subprocess.run(  # noqa: S603 - this project's own command
                [str(FLASK), "--app", "tracker", "backup", str(info["path"])], cwd=ROOT, env=server.environment(),
                capture_output=True, text=True, timeout=120, check=False)
            info["url"] = f"sqlite:///{info['path']}"
        else:
            info["path"] = tmp / "backup.pgdump"
            plain = sa.make_url(server.database_url).set(drivername="postgresql").render_as_string(False)
            done = subprocess.run(["pg_dump", "--format=custom", f"--file={info['path']}", plain],  # noqa: S603,S607
                                  capture_output=True, text=True, timeout=120, check=False)
        info["seconds"] = time.monotonic() - started
        info["returncode"], info["output"] = done.returncode, done.stdout + done.stderr
        with load._lock:  # noqa: SLF001
            info["acked_during"] = load.acked
        if backend == "postgresql" and done.returncode == 0:
            url = stack.enter_context(postgres_database())
            plain = sa.make_url(url).set(drivername="postgresql").render_as_string(False)
            restored = subprocess.run(["pg_restore", "--no-owner", f"--dbname={plain}", str(info["path"])],  # noqa: S603,S607
                                      capture_output=True, text=True, timeout=120, check=False)
            info["restore_returncode"], info["output"] = restored.returncode, info["output"] + restored.stderr
            info["url"] = url

    return controller


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    backend = request.param
    tmp = tmp_path_factory.mktemp(f"load-{backend}")
    with ExitStack() as stack:
        url = f"sqlite:///{tmp / 'tracker.sqlite'}" if backend == "sqlite" else stack.enter_context(postgres_database())
        world = seed_world(url, tmp)
        server = Server(url, tmp, tmp / "gunicorn.log")
        stack.callback(server.stop)
        server.start()
        jobs = make_jobs(world, TOTAL_EVENTS, seed=2014, forms=FORMS)
        backup: dict = {}
        result = Load(server.base_url, jobs, threads=CLIENTS).run(_backup_mid_load(backend, server, tmp, stack, backup))
        server.stop()
        the_run = Run(backend, world, result, event_rows(url), server.log(), summary_drift(url, tmp), backup)
        replays = sum(1 for a in result.answers if a.acked and a.replayed)
        through_forms = {job.index for job in jobs if job.channel == "form"}
        figures.record(f"load_{backend}", {
            "clients": CLIENTS, "workers": server.workers, "events": len(jobs), "requests": result.requests,
            "acknowledged": sum(1 for a in result.answers if a.acked), "replays": replays,
            "form_events": len(through_forms), "form_posts": sum(1 for a in result.answers if a.job in through_forms),
            "form_page_requests": result.page_requests, "sign_ins": result.sign_ins,
            "stored": len(the_run.rows), "seconds": round(result.elapsed, 1),
            "backup_seconds": round(backup.get("seconds", 0), 2), "acked_before_backup": len(backup["acked_before"]),
            "events_in_backup": len(event_rows(backup["url"])) if backup.get("url") else None,
        })
        yield the_run


def test_every_request_is_acknowledged_without_a_lock_error(run: Run) -> None:
    """Every API request is answered 201, and every form post redirects to its event's page (which shows it)."""
    statuses = Counter((run.result.jobs[a.job].channel, a.status) for a in run.result.answers)
    failures = [a for a in run.result.answers if not a.acked
                or a.status != (201 if run.result.jobs[a.job].channel == "api" else 303)]
    first_error = run.server_log[run.server_log.find("Traceback"):][:3000] if "Traceback" in run.server_log else ""
    assert not failures, f"{statuses}; first failures: {failures[:3]}\n{first_error}"
    assert "database is locked" not in run.server_log
    assert "Traceback" not in run.server_log, run.server_log[-4000:]
    sends = {job.index: 2 if job.mode in ("retried", "concurrent") else 1 for job in run.result.jobs}
    assert run.result.requests == len(run.result.answers) == sum(sends.values())
    assert Counter(a.job for a in run.result.answers) == Counter(sends)
    assert statuses[("form", 303)] >= TOTAL_EVENTS * FORMS * 0.8, statuses


def test_every_acknowledged_write_is_stored_exactly_once(run: Run) -> None:
    acknowledged = run.result.acknowledged()
    assert set(run.rows) == set(acknowledged)
    created = [a for a in run.result.answers if a.acked and not a.replayed]
    assert len(run.rows) == len(created) == len({a.ref for a in created}) == TOTAL_EVENTS
    jobs = {job.index: job for job in run.result.jobs}
    for ref, answer in acknowledged.items():
        job, row = jobs[answer.job], run.rows[ref]
        assert row["topics"] == set(job.body["topics"]), ref
        assert row["participations"] == {(p["provider_code"], p["leadership"]) for p in job.body["participations"]}
        assert row["audits"] == 1, f"{ref} has {row['audits']} event_recorded audit entries"
        assert run.result.keys_match(job, row.get("keys", [])), (ref, row.get("keys"))


def test_derived_summaries_agree_with_the_records_after_concurrent_writes(run: Run) -> None:
    """The evidence engine's per-plan, per-provider summaries, kept up by every write, did not drift under load."""
    assert run.drift == [], f"{len(run.drift)} summaries disagree with the records, e.g. {run.drift[:3]}"


def test_a_retry_with_the_same_key_returns_the_first_answer(run: Run) -> None:
    """An API request sent again with its Idempotency-Key, or a form sent again (its submission token), whether one
    after the other or at the same moment, leads to the one event recorded the first time, and says so."""
    by_job: dict[int, list] = {}
    for answer in run.result.answers:
        by_job.setdefault(answer.job, []).append(answer)
    twice = [job for job in run.result.jobs if job.mode in ("retried", "concurrent")]
    assert len(twice) >= TOTAL_EVENTS * 0.1
    for job in twice:
        answers = by_job[job.index]
        assert len(answers) == 2 and all(a.acked for a in answers), answers
        assert len({a.ref for a in answers}) == 1, f"job {job.index} ({job.mode}) recorded twice: {answers}"
        assert sorted(a.replayed for a in answers) == [False, True], answers
    assert sum(1 for a in run.result.answers if a.replayed) == len(twice)
    assert {job.channel for job in twice} == {"api", "form"}


def test_a_backup_taken_under_load_is_a_consistent_snapshot(run: Run) -> None:
    backup = run.backup
    assert backup.get("returncode") == 0, backup.get("output")
    assert backup.get("restore_returncode", 0) == 0, backup.get("output")
    if run.backend == "sqlite":
        with sqlite3.connect(backup["path"]) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copied = event_rows(backup["url"])
    # Every write acknowledged before the backup began is in it; nothing in it was made up or lost afterwards.
    assert backup["acked_before"] <= set(copied) <= set(run.rows)
    assert len(copied) < TOTAL_EVENTS, "the backup should have been taken while the clients were still writing"
    for ref, row in copied.items():
        final = run.rows[ref]
        assert (row["topics"], row["participations"], row["audits"]) == \
               (final["topics"], final["participations"], final["audits"]), ref
        assert row.get("keys", []) == final.get("keys", []), ref


def _quiet_copy_restored(run: Run, tmp_path: Path, stack: ExitStack) -> str:
    """A backup of the database now that the load is over, restored as an operator would: the URL of the copy.
    SQLite: `flask backup`'s online copy becomes a new instance's live file; PostgreSQL: pg_dump, then pg_restore
    into a new database (as README.md says)."""
    if run.backend == "sqlite":
        from tracker.backup import backup_sqlite

        source = Path(sa.make_url(run.world.database_url).database)
        quiet_copy = backup_sqlite(source, tmp_path / "quiet.sqlite").target
        restored = tmp_path / "instance" / "tracker.sqlite"
        restored.parent.mkdir()
        shutil.copyfile(quiet_copy, restored)
        return f"sqlite:///{restored}"
    dump, url = tmp_path / "quiet.pgdump", stack.enter_context(postgres_database())
    plain = {name: sa.make_url(u).set(drivername="postgresql").render_as_string(False)
             for name, u in (("source", run.world.database_url), ("copy", url))}
    for command in (["pg_dump", "--format=custom", f"--file={dump}", plain["source"]],
                    ["pg_restore", "--no-owner", f"--dbname={plain['copy']}", str(dump)]):
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
        assert done.returncode == 0, done.stderr
    return url


def test_restoring_a_backup_gives_the_same_data(run: Run, tmp_path: Path) -> None:
    """Restore a backup as the live database of a new instance: every table holds what the original holds, and
    the app serves from it what the clients were told."""
    with ExitStack() as stack:
        url = _quiet_copy_restored(run, tmp_path, stack)
        assert _table_contents(url) == _table_contents(run.world.database_url)

        from tracker import create_app

        app = create_app({"TRACKER_ENV": "testing", "TESTING": True, "SECRET_KEY": "restore-test",
                          "SQLALCHEMY_DATABASE_URI": url})
        token = run.world.callers[0].token
        path = f"/api/v1/plans/{run.world.callers[0].hwb_codes[0]}/2015-16/events?per_page=500"
        answer = app.test_client().get(path, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200
        total = int(json.loads(answer.headers["X-Pagination"])["total"])
        assert total == sum(1 for a in run.result.answers if a.acked and not a.replayed
                            and run.result.jobs[a.job].hwb == run.world.callers[0].hwb_codes[0])
        with app.app_context():
            from tracker.web.extensions import db

            db.engine.dispose()


def _table_contents(url: str) -> dict[str, list[tuple]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            return {name: sorted(map(tuple, conn.execute(sa.text(f'SELECT * FROM "{name}"'))), key=repr)  # noqa: S608
                    for name in names}
    finally:
        engine.dispose()

