"""`flask --app tracker backup PATH`: a consistent copy of the live SQLite database, taken while it serves writes.

SQLite's online backup API copies the database inside one read transaction, so the copy is the database as it
was at one instant: every committed write before it, nothing of a write still in progress. In WAL mode readers
never block writers, so the server keeps answering while the copy is taken. PostgreSQL has its own tool for
this (pg_dump); the command says so rather than pretending.
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext


class BackupError(RuntimeError):
    """The backup cannot be taken; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    """What was copied where."""

    source: Path
    target: Path
    pages: int
    size_bytes: int


def sqlite_path(database_uri: str) -> Path | None:
    """The file of a sqlite:/// URI, or None when the database is not a SQLite file."""
    url = sa.make_url(database_uri)
    if url.get_backend_name() != "sqlite":
        return None
    if url.database in (None, "", ":memory:") or url.database.startswith("file:"):
        return None
    return Path(url.database).resolve()


def pg_dump_guidance(database_uri: str) -> str:
    """How to back up (and restore) a PostgreSQL database: pg_dump takes a consistent snapshot online."""
    url = sa.make_url(database_uri).set(drivername="postgresql")
    shown = url.render_as_string(hide_password=True)
    return (
        "This tracker runs on PostgreSQL, whose own tool takes a consistent online backup.\n"
        f"  Back up:  pg_dump --format=custom --file=PATH '{shown}'\n"
        f"  Restore:  pg_restore --clean --if-exists --no-owner --dbname='{shown}' PATH\n"
        "pg_dump reads one snapshot of the database, so the copy is consistent while the server serves writes.\n"
        "See 'Reliability and security' in the README."
    )


def backup_sqlite(source: Path, target: Path, *, force: bool = False, busy_timeout_ms: int = 15000) -> BackupResult:
    """Copy the SQLite database `source` into the new file `target` with the online backup API.

    The copy is written next to `target` and renamed into place only once it is complete and checked, so a
    failed or interrupted backup never leaves a half-written file at `target`. The copy uses the rollback
    journal (a single self-contained file); the app switches it back to WAL when it opens it.
    """
    source, target = Path(source).resolve(), Path(target).resolve()
    if not source.is_file():
        raise BackupError(f"There is no database at {source}")
    if target == source:
        raise BackupError("The backup must go to another file than the live database")
    if target.exists() and not force:
        raise BackupError(f"{target} already exists: choose a new file, or add --force to replace it")
    if target.exists() and not target.is_file():
        raise BackupError(f"{target} is not a file")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    timeout = busy_timeout_ms / 1000
    try:
        live = sqlite3.connect(source, timeout=timeout)
        try:
            copy = sqlite3.connect(partial, timeout=timeout)
            try:
                # pages=-1: one step inside one read transaction, so the copy is a single instant of the
                # database; copying in slices would restart whenever a writer commits in between.
                live.backup(copy, pages=-1)
                copy.execute("PRAGMA journal_mode = DELETE")
                problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
                pages = copy.execute("PRAGMA page_count").fetchone()[0]
            finally:
                copy.close()
        finally:
            live.close()
        if problems != ["ok"]:
            raise BackupError("The copy failed its integrity check: " + "; ".join(problems[:5]))
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(f"The backup failed: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
        Path(f"{partial}-journal").unlink(missing_ok=True)
    return BackupResult(source=source, target=target, pages=pages, size_bytes=target.stat().st_size)


def backup_database(database_uri: str, target: Path, *, force: bool = False,
                    busy_timeout_ms: int = 15000) -> BackupResult:
    """Back up the app's database to `target`; BackupError (with pg_dump guidance for PostgreSQL) otherwise."""
    url = sa.make_url(database_uri)
    if url.get_backend_name() == "postgresql":
        raise BackupError(pg_dump_guidance(database_uri))
    source = sqlite_path(database_uri)
    if source is None:
        raise BackupError("Only a SQLite database file or PostgreSQL (with pg_dump) can be backed up")
    return backup_sqlite(source, target, force=force, busy_timeout_ms=busy_timeout_ms)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Take a consistent copy of the live SQLite database into PATH, while the server keeps serving."""
    config = current_app.config
    try:
        result = backup_database(config["SQLALCHEMY_DATABASE_URI"], path, force=force,
                                 busy_timeout_ms=int(config.get("SQLITE_BUSY_TIMEOUT_MS", 15000)))
    except BackupError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from exc
    click.echo(f"Backed up {result.source} to {result.target} ({result.size_bytes:,} bytes, integrity ok).")
