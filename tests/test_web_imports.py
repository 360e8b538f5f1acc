"""Imports in the browser: the same runner and rules as `flask import`, previewed before anything is written,
worked in the background (here by `flask imports work`), with every error listed by line."""
from __future__ import annotations

import io
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import empty_database
from tests.factories import make_user, sign_in_as
from tests.test_imports import EVENTS, HWBS, PLANS, PROVIDERS
from tracker.imports.runner import KINDS
from tracker.models import AuditEntry, ImportJob, Provider
from tracker.web.extensions import db

SNAPSHOT_TABLES = ("hwb", "provider", "provider_footprint", "plan", "engagement_event", "event_topic",
                   "participation", "engagement_summary", "footprint_tally")


@pytest.fixture
def admin(app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    """A signed-in admin; jobs are worked by the command, not by a thread of the test's requests."""
    monkeypatch.setitem(app.config, "IMPORT_INLINE_WORKER", False)
    with app.app_context():
        user = make_user("admin")
        db.session.commit()
        sign_in_as(client, user)
    return client


def upload(client: FlaskClient, kind: str, text: str, name: str = "file.csv", overwrite: bool = False) -> int:
    """Upload a file; the job's id."""
    token = "0" * 24 + f"{abs(hash((kind, text, name))) % 10**8:08x}"
    data: dict[str, Any] = {"kind": kind, "file": (io.BytesIO(text.encode()), name), "submission": token}
    if overwrite:
        data["overwrite"] = "y"
    response = client.post("/admin/imports", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.text
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def work(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["imports", "work"])
    assert result.exit_code == 0, result.output


def job_of(app: Flask, job_id: int) -> ImportJob:
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        db.session.expunge(job)
        return job


def preview_then_import(app: Flask, client: FlaskClient, runner: FlaskCliRunner, kind: str, text: str) -> ImportJob:
    job_id = upload(client, kind, text)
    work(runner)
    assert job_of(app, job_id).status == "previewed", job_of(app, job_id).errors
    assert client.post(f"/admin/imports/{job_id}/confirm").status_code == 303
    work(runner)
    return job_of(app, job_id)


def snapshot(app: Flask) -> dict[str, list[tuple]]:
    """The affected tables' rows (timestamps left out), each id replaced by the record's key (a code, a ref), as a
    preview rolled back on PostgreSQL uses up sequence numbers."""
    with app.app_context():
        tables = {name: db.metadata.tables[name] for name in SNAPSHOT_TABLES}
        keys: dict[str, dict[Any, Any]] = {
            "hwb": dict(db.session.execute(sa.text("SELECT id, code FROM hwb")).tuples().all()),
            "provider": dict(db.session.execute(sa.text("SELECT id, code FROM provider")).tuples().all()),
            "engagement_event": dict(db.session.execute(sa.text("SELECT id, ref FROM engagement_event"))
                                     .tuples().all()),
        }
        keys["plan"] = {plan_id: (keys["hwb"][hwb_id], year) for plan_id, hwb_id, year in
                        db.session.execute(sa.text("SELECT id, hwb_id, year FROM plan")).tuples()}
        shown = {}
        for name, table in tables.items():
            columns = [c for c in table.c if not c.name.endswith("_at") and c.name != "id"]
            rows = []
            for row in db.session.execute(sa.select(*columns)):
                values = []
                for column, value in zip(columns, row, strict=True):
                    target = next(iter(column.foreign_keys)).column.table.name if column.foreign_keys else None
                    values.append(str(keys[target].get(value, value) if target in keys else value))
                rows.append(tuple(values))
            shown[name] = sorted(rows)
        return shown


def test_a_file_with_errors_writes_nothing_and_lists_every_error_by_line(app, admin, runner) -> None:
    work(runner)
    bad = PROVIDERS + "RBAD,Bad Trust,hospital,E06000001\n,No Code,acute,E99999999\n"
    job_id = upload(admin, "providers", bad)
    page = admin.get(f"/admin/imports/{job_id}").text
    assert "Checking the file" in page or "Waiting to be checked" in page
    assert 'http-equiv="refresh"' in page
    work(runner)
    job = job_of(app, job_id)
    assert job.status == "failed"
    # No boards yet: every footprint code is unknown, and lines 5 and 6 have their own problems too.
    assert any(e.startswith("line 2: footprint: E06000001 is not a known") for e in job.errors)
    assert any(e.startswith("line 5: sector \"hospital\"") for e in job.errors)
    assert any(e.startswith("line 6: code is empty") for e in job.errors)
    page = admin.get(f"/admin/imports/{job_id}").text
    assert "nothing was imported" in page and "line 6: code is empty" in page and "Import these rows" not in page
    assert admin.post(f"/admin/imports/{job_id}/confirm").status_code == 303
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Provider)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action.in_(("import", "import_row_created")))) == 0


def test_a_valid_file_gives_exactly_what_flask_import_gives(app, admin, runner, tmp_path) -> None:
    files = (("hwbs", HWBS), ("providers", PROVIDERS), ("plans", PLANS), ("events", EVENTS))
    for kind, text in files:
        path = tmp_path / f"{kind}.csv"
        path.write_text(text)
        result = runner.invoke(args=["import", kind, str(path)])
        assert result.exit_code == 0, result.output
    by_command = snapshot(app)
    with app.app_context():
        empty_database()
        user = make_user("admin")
        db.session.commit()
        sign_in_as(admin, user)
    for kind, text in files:
        job = preview_then_import(app, admin, runner, kind, text)
        assert job.status == "done", job.errors
    assert snapshot(app) == by_command
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "import")
                                   .order_by(AuditEntry.id.desc())).first()
        assert entry.entity_type == "events" and entry.actor == user.email
    result = runner.invoke(args=["evidence", "verify"])
    assert result.exit_code == 0, result.output


def test_the_preview_counts_rows_to_add_change_and_keep_and_writes_nothing(app, admin, runner, tmp_path) -> None:
    path = tmp_path / "hwbs.csv"
    path.write_text(HWBS)
    assert runner.invoke(args=["import", "hwbs", str(path)]).exit_code == 0
    before = snapshot(app)
    changed = HWBS.replace("Hartlepool", "Hartlepool Borough") + "E06000003,Redcar and Cleveland,north\n"
    job_id = upload(admin, "hwbs", changed)
    work(runner)
    job = job_of(app, job_id)
    assert job.status == "previewed" and job.rows_done == 4
    assert (job.counts["created"], job.counts["updated"], job.counts["unchanged"]) == (1, 1, 2)
    page = admin.get(f"/admin/imports/{job_id}").text
    assert "What the import would do" in page and "Import these rows" in page and 'http-equiv="refresh"' not in page
    assert snapshot(app) == before
    assert admin.post(f"/admin/imports/{job_id}/confirm").status_code == 303
    work(runner)
    assert job_of(app, job_id).status == "done"
    assert "What was imported" in admin.get(f"/admin/imports/{job_id}").text
    assert snapshot(app) != before
    assert admin.post(f"/admin/imports/{job_id}/confirm").status_code == 303  # once only
    assert job_of(app, job_id).status == "done"


def test_each_kinds_template_imports_cleanly_in_order(app, admin, runner) -> None:
    for kind in KINDS:
        response = admin.get(f"/admin/imports/templates/{kind}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        lines = response.text.splitlines()
        assert len(lines) == 2
        job = preview_then_import(app, admin, runner, kind, response.text)
        assert job.status == "done", (kind, job.errors)
        assert job.counts["created"] == 1, (kind, job.counts)

