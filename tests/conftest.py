"""Fixtures: an app per database backend (SQLite always, PostgreSQL when it answers), clean between tests."""
from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tracker import create_app
from tracker.web.extensions import db

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_admin_url() -> str | None:
    """The PostgreSQL server to make test databases on, or None when none answers."""
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
def new_postgres_database(prefix: str = "tracker_test") -> Iterator[str]:
    """A new, empty PostgreSQL database named PREFIX_<random>, dropped afterwards; skips (or fails, with
    REQUIRE_POSTGRES set) when no PostgreSQL answers."""
    admin_url = postgres_admin_url()
    if admin_url is None:
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail("REQUIRE_POSTGRES is set but PostgreSQL is not reachable at TEST_DATABASE_URL")
        pytest.skip("PostgreSQL is not reachable (set TEST_DATABASE_URL or start it on 127.0.0.1:5432)")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    with new_postgres_database() as url:
        yield url


def make_test_app(database_url: str, instance_path: Path, **extra: object) -> Flask:
    """An app configured for tests against the given database."""
    os.environ["TRACKER_INSTANCE_PATH"] = str(instance_path)
    config = {
        "TRACKER_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        "UPLOAD_FOLDER": str(instance_path / "uploads"),
    }
    config.update(extra)
    return create_app(config)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on one backend, its schema made by the migrations (so every test also exercises them)."""
    instance = tmp_path_factory.mktemp(f"instance-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{instance / 'test.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_database")
    application = make_test_app(url, instance)
    with application.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


def empty_database() -> None:
    """Delete every row of every table (inside an app context), keeping the schema."""
    db.session.remove()
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:  # plain SQL, like TRUNCATE above: the summary upkeep's guard refuses DELETE statements
                conn.execute(sa.text(f'DELETE FROM "{table.name}"'))  # noqa: S608 - names from the metadata


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Empty every table after each test that used the app, so tests never see each other's rows."""
    yield
    if "app" not in request.fixturenames:
        return
    application: Flask = request.getfixturevalue("app")
    with application.app_context():
        empty_database()
        limiter = application.extensions.get("limiter")
        if limiter:
            for lim in limiter if isinstance(limiter, set) else [limiter]:
                lim.reset()


@pytest.fixture
def other_app(app: Flask, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Make another app on the same database with different settings; its connections are closed afterwards."""
    made: list[Flask] = []

    def build(**settings: object) -> Flask:
        application = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, **settings)
        made.append(application)
        return application

    yield build
    for application in made:
        with application.app_context():
            db.engine.dispose()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    """An application context for tests that use the database directly."""
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A runner for the app's flask commands."""
    return app.test_cli_runner()
