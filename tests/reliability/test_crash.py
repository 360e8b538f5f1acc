"""Crash safety: SIGKILL the whole server (master and workers) in the middle of the load, again and again.

The clients behave as a careful API client should: a request that was refused is sent again; a request cut off
mid-way is sent again only when it carries an Idempotency-Key (otherwise its fate is unknown to the client).
Some clients use the pages' record-event forms, signed in through the sign-in page, as a browser does: a form
cut off mid-way is sent again as it was, with the one-time submission token its page gave, so it must end up
recorded exactly once. After the last kill the SQLite file must pass PRAGMA integrity_check, hold every write
that was acknowledged, hold no write twice, hold every event whole (its topics, participations and audit
entry with it), and its evidence summaries must agree with the records.
"""
from __future__ import annotations

import re
import sqlite3
import time
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.reliability import figures
from tests.reliability.harness import Server, event_rows, seed_world, summary_drift
from tests.reliability.load import Load, make_jobs

pytestmark = pytest.mark.reliability

EVENTS = 480
WORKERS = 2  # fewer than the load test's 4, so that each restart is quick on a small machine
KILLS_UNDER_LOAD = 3
MODES = (("plain", 0.4), ("keyed", 0.4), ("retried", 0.1), ("concurrent", 0.1))
FORMS = 0.3  # the share of the events recorded through the pages' forms


def test_sigkill_under_load_loses_no_acknowledged_write_and_corrupts_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    world = seed_world(url, tmp_path)
    server = Server(url, tmp_path, tmp_path / "gunicorn.log", workers=WORKERS)
    jobs = make_jobs(world, EVENTS, seed=1404, modes=MODES, forms=FORMS)
    kills_at: list[int] = []

    def killer(load: Load) -> None:
        for n in range(1, KILLS_UNDER_LOAD + 1):
            threshold = EVENTS * n // (KILLS_UNDER_LOAD + 1)
            while load.acked < threshold and not load.finished:
                time.sleep(0.01)
            if load.finished:
                return
            kills_at.append(load.acked)
            server.kill()
            server.start()

    server.start()
    try:
        result = Load(server.base_url, jobs, threads=8, retry_until=time.monotonic() + 240).run(killer)
    finally:
        server.kill()  # the last kill: with the load done, straight to the checks, no clean shutdown
    log = server.log()
    database = Path(sa.make_url(url).database)

    assert len(kills_at) == KILLS_UNDER_LOAD, f"the load ended before every kill: {kills_at}"
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

    statuses = Counter(a.status for a in result.answers)
    odd = [a for a in result.answers if not a.acked and a.status != 0]
    assert not odd and set(statuses) <= {201, 303, 0}, f"{statuses}: {odd[:3]}"
    assert "database is locked" not in log
    assert "Traceback" not in log, log[-4000:]
    unanswered = {a.job for a in result.answers if a.status == 0}
    assert not any(jobs[j].retry_safe for j in unanswered), "a keyed request or a form was given up"

    rows = event_rows(url)
    acknowledged = result.acknowledged()
    assert set(acknowledged) <= set(rows), f"lost acknowledged writes: {sorted(set(acknowledged) - set(rows))[:5]}"
    stored_jobs = Counter(int(re.match(r"#(\d+) ", row["summary"]).group(1)) for row in rows.values())
    duplicated = [job for job, times in stored_jobs.items() if times > 1]
    assert not duplicated, f"recorded twice: jobs {duplicated[:5]}"
    for job in jobs:
        if job.retry_safe:
            assert len(result.refs_of(job.index)) == 1, f"keyed job {job.index}: {result.refs_of(job.index)}"
            assert stored_jobs[job.index] == 1
        elif job.index not in unanswered:
            assert stored_jobs[job.index] == 1
    for ref, row in rows.items():
        job = jobs[int(re.match(r"#(\d+) ", row["summary"]).group(1))]
        assert row["topics"] == set(job.body["topics"]), ref
        assert row["participations"] == {(p["provider_code"], p["leadership"]) for p in job.body["participations"]}
        assert row["audits"] == 1, ref
        assert result.keys_match(job, row.get("keys", [])), (ref, row.get("keys"))
    drift = summary_drift(url, tmp_path)  # the evidence summaries, written in each event's transaction, agree
    assert drift == [], f"{len(drift)} summaries disagree with the records after the kills, e.g. {drift[:3]}"

    figures.record("crash_sqlite", {
        "events": EVENTS, "requests": result.requests, "kills": server.kills, "kills_under_load": len(kills_at),
        "acknowledged_when_killed": kills_at, "acknowledged": len(acknowledged), "stored": len(rows),
        "unknown_outcome_keyless": len(unanswered),
        "unknown_outcome_stored": sum(1 for j in unanswered if stored_jobs[j]), "seconds": round(result.elapsed, 1),
        "form_events": sum(1 for job in jobs if job.channel == "form"), "sign_ins": result.sign_ins,
        "workers": WORKERS, "restart_seconds": server.start_seconds[1:],
    })
