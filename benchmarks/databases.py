"""Benchmark databases: a fresh SQLite file or PostgreSQL database, migrated and loaded with the product's own CLI.

Everything goes through `flask --app tracker …` in a subprocess, as an operator would run it (README, "Importing
real data"), so import times include what a person waits for.
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from benchmarks.datasets import KINDS, ROOT

FLASK = [str(Path(sys.executable).with_name("flask")), "--app", "tracker"]
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
YEAR = "2015-16"
PASSWORD = "benchmark-password-2014"  # noqa: S105 - the benchmark users', in a throwaway database


def postgres_server() -> tuple[str | None, str]:
    """The PostgreSQL server to make benchmark databases on (BENCH_POSTGRES_URL, else TEST_DATABASE_URL, else the
    tests' default), or None with the reason it cannot be used."""
    url = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_DATABASE_URL") or PG_DEFAULT
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure to connect means "not reachable"
        shown = sa.make_url(url).render_as_string(hide_password=True)
        return None, f"PostgreSQL is not reachable at {shown} ({str(error).splitlines()[0]})"
    return url, ""


@dataclass
class Database:
    """One benchmark database and the instance folder its app uses."""

    backend: str  # "sqlite" or "postgresql"
    url: str
    instance: Path
    admin_url: str | None = None  # the PostgreSQL server's URL, to drop the database afterwards
    secret: str = field(default_factory=lambda: secrets.token_hex(32))

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of the app's processes: production settings on this database."""
        return {**os.environ, "DATABASE_URL": self.url, "TRACKER_INSTANCE_PATH": str(self.instance),
                "TRACKER_ENV": "production", "SECRET_KEY": self.secret, **extra}

    def flask(self, *args: str, stdin: str | None = None) -> str:
        """Run one flask command; its standard output (raises with its errors when it fails)."""
        done = subprocess.run([*FLASK, *args], env=self.env(), cwd=ROOT, input=stdin,  # noqa: S603 - our CLI
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def engine(self) -> sa.Engine:
        """An engine on the database, for the benchmark's own small queries."""
        return sa.create_engine(self.url)

    def drop(self) -> None:
        """Remove the database (the SQLite file, or the PostgreSQL database)."""
        if self.backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(sa.make_url(self.url).database + suffix).unlink(missing_ok=True)
            return
        admin = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{sa.make_url(self.url).database}" WITH (FORCE)'))
        admin.dispose()


def create(backend: str, work: Path, label: str, postgres_url: str | None = None) -> Database:
    """A new empty database of the backend, with its own instance folder under `work`."""
    instance = work / f"{backend}-{label}"
    instance.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        path = instance / "tracker.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return Database(backend, f"sqlite:///{path}", instance)
    name = f"bench_{label.replace('.', '_').replace('-', '_')}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = sa.make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    return Database(backend, url, instance, admin_url=postgres_url)


def load(database: Database, folder: Path) -> dict[str, object]:
    """Migrate, then import the seven files in order, each timed as the operator waits for it (seconds)."""
    started = time.perf_counter()
    database.flask("db", "upgrade")
    upgrade = time.perf_counter() - started
    seconds: dict[str, float] = {}
    for kind in KINDS:
        started = time.perf_counter()
        database.flask("import", kind, str(folder / f"{kind}.csv"))
        seconds[kind] = round(time.perf_counter() - started, 2)
    if database.backend == "postgresql":
        # What autovacuum does shortly after a bulk load: without statistics the planner guesses row counts.
        with database.engine().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    return {"upgrade_s": round(upgrade, 2), "import_s": seconds, "total_s": round(sum(seconds.values()), 2)}


def create_actor(database: Database, email: str, role: str, *scope: str) -> str:
    """A user made with `flask create-user`, and a new API token for it from `flask create-token`."""
    database.flask("create-user", email, "--role", role, *scope, stdin=PASSWORD + "\n")
    return database.flask("create-token", email).strip().splitlines()[-1].strip()


def busiest_plan(database: Database) -> tuple[str, list[str], list[str]]:
    """The board code of the plan with the most counted participations (the worst case for a plan's pages),
    three providers serving that board (to record events with), and every board with a plan."""
    engine = database.engine()
    with engine.connect() as conn:
        code = conn.execute(sa.text(
            "SELECT hwb.code FROM plan JOIN hwb ON hwb.id = plan.hwb_id"
            " JOIN engagement_summary s ON s.plan_id = plan.id WHERE plan.year = :year"
            " GROUP BY hwb.code ORDER BY SUM(s.counted) DESC, hwb.code LIMIT 1"),
            {"year": YEAR}).scalar_one()
        providers = list(conn.execute(sa.text(
            "SELECT provider.code FROM provider JOIN provider_footprint pf ON pf.provider_id = provider.id"
            " JOIN hwb ON hwb.id = pf.hwb_id WHERE hwb.code = :code ORDER BY provider.code LIMIT 3"),
            {"code": code}).scalars())
        boards = list(conn.execute(sa.text(
            "SELECT hwb.code FROM plan JOIN hwb ON hwb.id = plan.hwb_id WHERE plan.year = :year ORDER BY hwb.code"),
            {"year": YEAR}).scalars())
    engine.dispose()
    return code, providers, boards
