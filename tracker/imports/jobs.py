"""Imports run from the browser: an uploaded file is kept in import_job, previewed, then imported once an admin
confirms, in the background, by the same runner as `flask import` (tracker.imports.runner.run_import).

A worker claims a queued job (one UPDATE … WHERE status = 'queued', so two workers never take the same one) and
runs the import on a copy of the file: to preview it, the whole transaction is then rolled back and only the
counts (rows to add, change and keep) or the errors are kept on the job; once confirmed, it runs again and commits,
with the job marked done in the same transaction, so a job is done exactly when its rows are written. Progress
(rows read and checked) is written on a connection of its own, so the job page sees it while the import runs.

Workers: `flask imports work [--loop]`, and, when IMPORT_INLINE_WORKER is true (the default), a daemon thread that
the upload or the confirmation starts after its request commits, so a single server needs nothing else.
"""
from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from tracker.domain import audit
from tracker.imports.base import Settings
from tracker.imports.runner import ImportRefused, run_import
from tracker.models import ImportJob, User
from tracker.models._types import utcnow
from tracker.web.deadlines import concern_days
from tracker.web.extensions import db

ERRORS_KEPT = 1_000
CLAIMABLE = "queued"
RUNNING = ("previewing", "importing")
_lock = threading.Lock()  # one inline worker at a time in this process


def line_message(line: int | None, message: str) -> str:
    """A problem as the job page lists it: `line N: message` (or the message alone, for the file as a whole)."""
    return f"line {line}: {message}" if line else message


def data_rows(content: bytes) -> int:
    """About how many data rows the file holds (its lines after the header), for the progress bar."""
    lines = content.count(b"\n") + (0 if content.endswith(b"\n") or not content else 1)
    return max(lines - 1, 0)


def create_job(kind: str, filename: str, content: bytes, overwrite: bool, user: User) -> ImportJob:
    """Keep an uploaded file as a queued job (the request's unit of work commits it), audited."""
    job = ImportJob(kind=kind, filename=filename[:200] or "upload.csv", content=content, overwrite=overwrite,
                    status=CLAIMABLE, rows_total=data_rows(content), rows_done=0, error_count=0,
                    created_by_id=user.id)
    db.session.add(job)
    db.session.flush()
    audit.record(db.session, "import_uploaded", "import_job", job.id,
                 after={"kind": kind, "filename": job.filename, "bytes": len(content), "overwrite": overwrite},
                 actor=user)
    return job


def confirm_job(job: ImportJob) -> bool:
    """Queue a previewed job for the import itself; False when it is not waiting for confirmation."""
    if job.status != "previewed" or job.confirmed_at is not None:
        return False
    job.confirmed_at, job.status, job.rows_done = utcnow(), CLAIMABLE, 0
    db.session.flush()
    return True


def claim() -> int | None:
    """Take the oldest queued job (preview or import), committing the claim; None when there is none."""
    table = ImportJob.__table__
    for job_id in db.session.scalars(sa.select(table.c.id).where(table.c.status == CLAIMABLE)
                                     .order_by(table.c.id).limit(10)).all():
        taken = db.session.execute(
            sa.update(table).where(table.c.id == job_id, table.c.status == CLAIMABLE)
            .values(status=sa.case((table.c.confirmed_at.is_(None), "previewing"), else_="importing"),
                    rows_done=0, updated_at=utcnow()))
        db.session.commit()
        if taken.rowcount == 1:
            return job_id
    db.session.commit()
    return None


def _progress(job_id: int, done: int) -> None:
    """Note rows done on a connection of its own (the import's transaction is still open)."""
    table = ImportJob.__table__
    with db.engine.begin() as connection:
        connection.execute(sa.update(table).where(table.c.id == job_id).values(rows_done=done, updated_at=utcnow()))


@contextmanager
def _copy_of(content: bytes) -> Iterator[str]:
    """The file's bytes in a temporary file, for the runner, which reads a path."""
    handle, path = tempfile.mkstemp(suffix=".csv")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        yield path
    finally:
        os.unlink(path)


def _counts(outcome_counts: object) -> dict[str, int]:
    names = ("created", "updated", "unchanged", "removed", "kept", "absent")
    return {name: getattr(outcome_counts, name) for name in names}


def process(job_id: int) -> str:
    """Preview or import one claimed job; returns its final status (previewed, done or failed)."""
    job = db.session.get(ImportJob, job_id)
    if job is None or job.status not in RUNNING:
        return job.status if job else "failed"
    importing = job.status == "importing"
    user = db.session.get(User, job.created_by_id) if job.created_by_id else None
    kind, content = job.kind, job.content
    days = concern_days()
    settings = Settings(acknowledge_days=days.acknowledge, respond_days=days.respond, overwrite=job.overwrite,
                        actor=user.email if user else "cli")
    result: dict[str, object] = {}
    with _copy_of(content) as path:
        try:
            outcome = run_import(db.session, kind, path, settings, on_rows=lambda n: _progress(job_id, n))
            if importing:
                audit.record(db.session, "import", kind, "", after={**outcome.audit(), "path": job.filename,
                                                                    "job": job_id}, actor=user or "cli")
            result = {"status": "done" if importing else "previewed", "counts": _counts(outcome.counts),
                      "report": outcome.kept[:ERRORS_KEPT], "rows_done": outcome.rows, "rows_total": outcome.rows}
        except ImportRefused as refused:
            errors = [line_message(line, message) for line, message in refused.found]
            result = {"status": "failed", "errors": errors[:ERRORS_KEPT], "error_count": len(errors)}
        except SQLAlchemyError as error:
            detail = str(getattr(error, "orig", error)).splitlines()[0]
            result = {"status": "failed", "errors": [f"the database refused the change ({detail})"],
                      "error_count": 1}
    if not (importing and result["status"] == "done"):
        db.session.rollback()  # a preview, or a refused file: nothing it did is kept
    job = db.session.get(ImportJob, job_id)
    for name, value in result.items():
        setattr(job, name, value)
    job.finished_at = utcnow()
    db.session.commit()
    return job.status


def work_queued() -> int:
    """Process queued jobs until none is left; returns how many were processed."""
    done = 0
    while (job_id := claim()) is not None:
        try:
            process(job_id)
        except Exception:
            db.session.rollback()
            _fail(job_id, "the import stopped unexpectedly; upload the file again")
            raise
        done += 1
    return done


def _fail(job_id: int, message: str) -> None:
    table = ImportJob.__table__
    with db.engine.begin() as connection:
        connection.execute(sa.update(table).where(table.c.id == job_id).values(
            status="failed", errors=[message], error_count=1, finished_at=utcnow(), updated_at=utcnow()))


def _work_in(app: Flask) -> None:
    with _lock, app.app_context():
        try:
            work_queued()
        finally:
            db.session.remove()


def start_inline_worker(app: Flask) -> None:
    """Work the queued jobs in a daemon thread of this process, when IMPORT_INLINE_WORKER is true (the default).
    Called once the request's work is committed (the worker must see the job)."""
    if not app.config.get("IMPORT_INLINE_WORKER", True):
        return
    threading.Thread(target=_work_in, args=(app,), name="import-worker", daemon=True).start()
