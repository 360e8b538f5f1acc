"""Fixtures for the reliability tests: fresh databases (SQLite file or a new PostgreSQL database) per test."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager

import pytest

from tests.conftest import new_postgres_database


def postgres_database() -> AbstractContextManager[str]:
    """A new, empty PostgreSQL database, dropped afterwards (the shared test database is never loaded)."""
    return new_postgres_database("tracker_reliability")


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


@pytest.fixture
def csrf_app(app, other_app):  # noqa: ANN001, ANN201 - the conftest's `app` and `other_app`
    """The page world (world.py) in the `app` database, and an app on it that checks CSRF tokens, as production
    does; emptied after the test. It starts no inline import worker: an uploaded file stays queued (a thread
    left working would outlive the test's database)."""
    from tests.reliability.world import seed_page_world

    with app.app_context():
        seed_page_world()
    return other_app(WTF_CSRF_ENABLED=True, IMPORT_INLINE_WORKER=False)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ANN001, ARG001 - pytest's hook
    """The figures of this run (writes under load, kills survived, inputs tried), for the README."""
    from tests.reliability.figures import THIS_RUN

    if not THIS_RUN:
        return
    terminalreporter.section("reliability figures")
    for section, values in sorted(THIS_RUN.items()):
        terminalreporter.write_line(f"{section}: " + ", ".join(f"{k}={v}" for k, v in sorted(values.items())))
