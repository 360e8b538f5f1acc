"""`flask --app tracker backup PATH`: what it refuses and what it says. (The copy taken under load, and its
restore, are tested in test_load.py.)"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from flask import Flask

from tracker import create_app
from tracker.backup import BackupError, backup_database, pg_dump_guidance

pytestmark = pytest.mark.reliability


def _app(database_url: str, instance: Path) -> Flask:
    os.environ["TRACKER_INSTANCE_PATH"] = str(instance)
    return create_app({"TRACKER_ENV": "testing", "TESTING": True, "SECRET_KEY": "backup-test",
                       "SQLALCHEMY_DATABASE_URI": database_url})


@pytest.fixture
def live(tmp_path: Path) -> Path:
    """A small SQLite database in WAL mode, as the app keeps it."""
    path = tmp_path / "tracker.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
        conn.executemany("INSERT INTO note (text) VALUES (?)", [(f"note {n}",) for n in range(100)])
    return path


def test_backup_copies_the_database_into_a_new_file(live: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.sqlite"
    result = _app(f"sqlite:///{live}", tmp_path).test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM note").fetchone() == (100,)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert not list(tmp_path.glob(".copy.sqlite.*")), "no partial file is left behind"


def test_backup_refuses_to_overwrite_a_file_unless_forced(live: Path, tmp_path: Path) -> None:
    target = tmp_path / "existing.sqlite"
    target.write_text("keep me")
    runner = _app(f"sqlite:///{live}", tmp_path).test_cli_runner()
    refused = runner.invoke(args=["backup", str(target)])
    assert refused.exit_code == 1
    assert "already exists" in refused.output and "--force" in refused.output
    assert target.read_text() == "keep me"
    forced = runner.invoke(args=["backup", "--force", str(target)])
    assert forced.exit_code == 0, forced.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM note").fetchone() == (100,)


def test_backup_refuses_the_live_database_itself_and_a_missing_one(live: Path, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="another file"):
        backup_database(f"sqlite:///{live}", live, force=True)
    with pytest.raises(BackupError, match="no database"):
        backup_database(f"sqlite:///{tmp_path / 'missing.sqlite'}", tmp_path / "out.sqlite")
    assert not (tmp_path / "missing.sqlite").exists(), "a missing database is not created by the backup"
    with pytest.raises(BackupError, match="does not exist"):
        backup_database(f"sqlite:///{live}", tmp_path / "no-such-folder" / "out.sqlite")


def test_backup_on_postgresql_points_to_pg_dump_and_exits_1(tmp_path: Path) -> None:
    url = "postgresql+psycopg://tracker:s3cret-password@db.example.org:5432/tracker"
    result = _app(url, tmp_path).test_cli_runner().invoke(args=["backup", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "pg_dump --format=custom" in result.output and "pg_restore" in result.output
    assert "s3cret-password" not in result.output, "the password is never printed"
    assert "postgresql://tracker:***@db.example.org:5432/tracker" in pg_dump_guidance(url)
    assert not (tmp_path / "out").exists()
