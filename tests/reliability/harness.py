"""The real server under test: a seeded database, gunicorn started in its own process group, and helpers.

Everything binds to 127.0.0.1 only. The server is the production entry point (`tracker.wsgi:app`) with
several sync workers, as `make serve` runs it.
"""
from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
WORKERS = 4
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
YEAR = "2015-16"
PASSWORD = "reliability-world-2014"  # every seeded user's, for signing in through the sign-in page


@dataclass(frozen=True)
class Caller:
    """One client identity: an API token, its role, and the plans (hwb codes) and own provider it may use.

    It signs in to the pages with `email` and PASSWORD.
    """

    name: str
    role: str
    token: str
    hwb_codes: tuple[str, ...]
    own_provider: str | None
    # Providers it may name per board (a provider caller always names itself too).
    providers_by_hwb: dict[str, tuple[str, ...]] = field(default_factory=dict)
    email: str = ""


@dataclass(frozen=True)
class World:
    """What was seeded before the server started."""

    database_url: str
    callers: tuple[Caller, ...]
    hwb_codes: tuple[str, ...]


LAYOUT = {"E06000101": ("RA1", "RC1", "RV1", "RS1"), "E06000102": ("RA2", "RC2", "RS1"), "E06000103": ("RA3", "RS1")}
PROVIDER_CALLERS = ("RA1", "RC1", "RA2", "RS1")


@functools.cache
def password_hash() -> str:
    """PASSWORD hashed, once per test run (argon2 is slow on purpose)."""
    from tracker.domain.passwords import hash_password

    return hash_password(PASSWORD)


def seed_rows() -> tuple[Caller, ...]:
    """In the current app context: 3 boards with plans, 7 providers, an HWB caller per board and 4 provider callers.

    Board E06000101 is served by RA1 (acute), RC1 (community), RV1 (voluntary) and the shared RS1 (ambulance);
    E06000102 by RA2, RC2 and RS1; E06000103 by RA3 and RS1. Commits.
    """
    from tracker.domain import accounts
    from tracker.models import HWB, Plan, Provider, User
    from tracker.web.extensions import db

    sectors = {"A": "acute", "C": "community", "V": "voluntary", "S": "ambulance"}
    callers: list[Caller] = []
    boards = {code: HWB(code=code, name=f"Reliability board {code[-1]}", region="north") for code in LAYOUT}
    db.session.add_all(boards.values())
    db.session.flush()
    providers: dict[str, Provider] = {}
    for code in sorted({p for codes in LAYOUT.values() for p in codes}):
        footprint = [boards[h] for h, codes in LAYOUT.items() if code in codes]
        providers[code] = Provider(code=code, name=f"Provider {code}", sector=sectors[code[1]], footprint=footprint)
    db.session.add_all(providers.values())
    for board in boards.values():
        db.session.add(Plan(hwb_id=board.id, year=YEAR, minimum_pool_gbp=10_000_000, total_pool_gbp=12_000_000,
                            nhs_contribution_gbp=9_000_000, council_contribution_gbp=3_000_000,
                            claimed_emergency_reduction_pct=Decimal("3.5"), status="submitted"))
    db.session.flush()
    for hwb_code, codes in LAYOUT.items():
        user = User(email=f"hwb-{hwb_code.lower()}@example.org", password_hash=password_hash(), role="hwb",
                    hwb_id=boards[hwb_code].id)
        db.session.add(user)
        db.session.flush()
        callers.append(Caller(f"hwb-{hwb_code}", "hwb", accounts.create_token(db.session, user), (hwb_code,), None,
                              {hwb_code: codes}, user.email))
    for code in PROVIDER_CALLERS:
        user = User(email=f"provider-{code.lower()}@example.org", password_hash=password_hash(), role="provider",
                    provider_id=providers[code].id)
        db.session.add(user)
        db.session.flush()
        served = tuple(h for h, codes in LAYOUT.items() if code in codes)
        callers.append(Caller(f"provider-{code}", "provider", accounts.create_token(db.session, user), served, code,
                              {h: LAYOUT[h] for h in served}, user.email))
    db.session.commit()
    return tuple(callers)


def seed_world(database_url: str, instance: Path) -> World:
    """Migrate an empty database (as `flask db upgrade` does) and seed it with `seed_rows`."""
    from flask_migrate import upgrade

    from tracker import create_app
    from tracker.web.extensions import db

    os.environ["TRACKER_INSTANCE_PATH"] = str(instance)
    app = create_app({"TRACKER_ENV": "testing", "TESTING": True, "SECRET_KEY": "seed-only",
                      "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        callers = seed_rows()
        db.engine.dispose()
    return World(database_url, callers, tuple(LAYOUT))


def db_backend(app) -> str:  # noqa: ANN001 - a Flask app
    """"sqlite" or "postgresql"."""
    return sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving tracker.wsgi:app on 127.0.0.1, in a process group of its own so it can be killed whole."""

    def __init__(self, database_url: str, instance: Path, log_path: Path, workers: int = WORKERS) -> None:
        self.database_url, self.instance, self.log_path, self.workers = database_url, instance, log_path, workers
        self.limit_prefix = f"reliability-{uuid.uuid4().hex}"  # this server's own counters in the shared Redis
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.kills = 0
        self.start_seconds: list[float] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TRACKER_", "FLASK_"))}
        env.update({"TRACKER_ENV": "production", "SECRET_KEY": "reliability-test-" + "x" * 40,
                    "DATABASE_URL": self.database_url, "TRACKER_INSTANCE_PATH": str(self.instance),
                    # Several workers share their counters, as production requires (tracker/config.py).
                    "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": self.limit_prefix,
                    "PYTHONUNBUFFERED": "1"})
        return env

    def start(self, timeout: float = 60) -> None:
        """Start gunicorn and wait until every worker has booted and the API answers."""
        assert self.process is None, "already running"
        log = self.log_path.open("a")
        log.write(f"\n===== start {self.starts + 1} =====\n")
        log.flush()
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line of this project's own server
            [str(GUNICORN), "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}", "--timeout", "60",
             "--graceful-timeout", "5", "tracker.wsgi:app"],
            cwd=ROOT, env=self.environment(), stdout=log, stderr=log, start_new_session=True,
        )
        log.close()
        self.starts += 1
        began = time.monotonic()
        deadline = began + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log()[-3000:]}")
            if self.log().count("Booting worker") >= self.workers * self.starts and self._answers():
                self.start_seconds.append(round(time.monotonic() - began, 1))
                return
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log()[-3000:]}")

    def _answers(self) -> bool:
        try:
            return httpx.get(self.base_url + "/api/v1/openapi.json", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        """SIGKILL the master and every worker at once (the whole process group), as a power cut would."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._wait_group_gone(self.process.pid)
        self.process = None
        self.kills += 1

    def stop(self) -> None:
        """Stop gracefully (SIGTERM to the master), falling back to SIGKILL."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
            self._wait_group_gone(self.process.pid)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None

    @staticmethod
    def _wait_group_gone(pgid: int, timeout: float = 15) -> None:
        """Wait until no process of the group is left (workers are reaped by init once the master is gone)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def event_rows(database_url: str) -> dict[str, dict]:
    """Every event in the database by ref, with its topics, participations and audit and idempotency rows."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            events = {row.id: {"ref": row.ref, "summary": row.summary, "topics": set(), "participations": set(),
                               "audits": 0}
                      for row in conn.execute(sa.text("SELECT id, ref, summary FROM engagement_event"))}
            for event_id, topic in conn.execute(sa.text("SELECT event_id, topic FROM event_topic")):
                events[event_id]["topics"].add(topic)
            for event_id, code, leadership in conn.execute(sa.text(
                    "SELECT p.event_id, pr.code, p.leadership FROM participation p "
                    "JOIN provider pr ON pr.id = p.provider_id")):
                events[event_id]["participations"].add((code, bool(leadership)))
            by_ref = {e["ref"]: e for e in events.values()}
            for (ref,) in conn.execute(sa.text(
                    "SELECT entity_id FROM audit_entry WHERE action = 'event_recorded'")):
                if ref in by_ref:
                    by_ref[ref]["audits"] += 1
            keys = conn.execute(sa.text("SELECT key, body FROM idempotent_request ORDER BY key")).all()
    finally:
        engine.dispose()
    for key, body in keys:
        body = json.loads(body) if isinstance(body, str) else body
        ref = (body.get("event_ref") or body.get("ref")) if isinstance(body, dict) else None  # API, or a form
        if ref in by_ref:
            by_ref[ref].setdefault("keys", []).append(key)
    return by_ref


def summary_drift(database_url: str, instance: Path) -> list:
    """Stored engagement summaries and footprint tallies that disagree with the raw records ([] when none)."""
    from tracker import create_app
    from tracker.domain.summaries import drift
    from tracker.web.extensions import db

    os.environ["TRACKER_INSTANCE_PATH"] = str(instance)
    app = create_app({"TRACKER_ENV": "testing", "TESTING": True, "SECRET_KEY": "drift-only",
                      "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        try:
            return drift(db.session)
        finally:
            db.session.remove()
            db.engine.dispose()
