"""Fixtures for the reliability tests: fresh databases (SQLite file or a new PostgreSQL database) per test."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_admin_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", PG_DEFAULT).replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception:  # noqa: BLE001 - any failure to connect means "not available"
        return None
    return url


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards (the shared test database is never loaded)."""
    admin_url = _postgres_admin_url()
    if admin_url is None:
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail("REQUIRE_POSTGRES is set but PostgreSQL is not reachable at TEST_DATABASE_URL")
        pytest.skip("PostgreSQL is not reachable (set TEST_DATABASE_URL or start it on 127.0.0.1:5432)")
    name = f"tracker_reliability_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    """A new PostgreSQL database for this test only."""
    with postgres_database() as url:
        yield url


@pytest.fixture
def seeded(app):  # noqa: ANN001, ANN201 - the conftest's `app` (SQLite and PostgreSQL)
    """The reliability world (3 boards, 7 providers, 7 callers) in the `app` database; emptied after the test."""
    from tests.reliability.harness import seed_rows

    with app.app_context():
        return seed_rows()


# Known bugs that the fuzzers would find again on every run, pinned instead by strict-xfail tests in
# test_hostile_input.py. Each is reported with its fix; when a fix lands its xfail test passes (and so fails,
# being strict), and the entry here is to be removed so that the fuzzers cover that input again.
KNOWN_BUGS: dict[str, str] = {}  # inputs a reported bug still fails on; empty once fixed


def hits_known_bug(value: object, backend: str) -> bool:
    """Whether this input (any nesting of str, list, dict) would only find a bug already pinned above."""
    if isinstance(value, str):
        if "lone_surrogate" in KNOWN_BUGS and any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
            return True
        return "nul_on_postgresql" in KNOWN_BUGS and backend == "postgresql" and "\x00" in value
    if isinstance(value, dict):
        return any(hits_known_bug(k, backend) or hits_known_bug(v, backend) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(hits_known_bug(v, backend) for v in value)
    return False


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ANN001, ARG001 - pytest's hook
    """The figures of this run (writes under load, kills survived, inputs tried), for the README."""
    from tests.reliability.figures import THIS_RUN

    if not THIS_RUN:
        return
    terminalreporter.section("reliability figures")
    for section, values in sorted(THIS_RUN.items()):
        terminalreporter.write_line(f"{section}: " + ", ".join(f"{k}={v}" for k, v in sorted(values.items())))
