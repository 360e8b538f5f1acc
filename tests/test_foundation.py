"""The app factory, configuration, database settings and the migrated schema."""
from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tracker import create_app
from tracker.config import ConfigError
from tracker.web.extensions import db


def test_default_database_is_sqlite_in_instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("TRACKER_ENV", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    # In development a secret is generated once into instance/ and reused.
    secret = (tmp_path / "secret_key").read_text()
    assert app.config["SECRET_KEY"] == secret and len(secret) == 64
    assert create_app().config["SECRET_KEY"] == secret


def test_sqlite_connections_have_foreign_keys_wal_and_busy_timeout(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SECRET_KEY": "x", "TRACKER_ENV": "testing"})
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000


def test_production_without_secret_key_refuses_to_start(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("TRACKER_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "a-long-random-value")
    tuned: list[bool] = []
    monkeypatch.setattr("tracker.web.runtime.tune_garbage_collector", lambda: tuned.append(True))
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    # The serving process tunes its garbage collector (tracker.web.runtime); a test or development process does not.
    assert app.config["GC_TUNING"] is True and tuned == [True]
    assert create_app({"GC_TUNING": False}).config["GC_TUNING"] is False and tuned == [True]


def test_garbage_collector_tuning_freezes_the_built_app_and_keeps_collecting_cycles() -> None:
    import gc

    from tracker.web.runtime import YOUNGEST_THRESHOLD, tune_garbage_collector

    before = gc.get_threshold()
    try:
        tune_garbage_collector()
        assert gc.get_freeze_count() > 0 and gc.get_threshold()[0] == YOUNGEST_THRESHOLD and gc.isenabled()
        cycle: list = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1  # cycles made after the freeze are still found
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_database_url_from_environment_uses_psycopg3(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone@db.example/tracker")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.example/tracker"


@pytest.mark.parametrize(
    "env, message",
    [({"TRACKER_ENV": "staging"}, "TRACKER_ENV must be one of"),
     ({"CONCERN_RESPONSE_WORKING_DAYS": "twenty"}, "must be a whole number"),
     ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL must be")],
)
def test_bad_settings_are_refused_with_a_clear_message(tmp_path, monkeypatch, env, message) -> None:
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError, match=message):
        create_app({"SECRET_KEY": "x"})


def test_instance_config_file_is_read(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "config.py").write_text("CONCERN_ACKNOWLEDGE_WORKING_DAYS = 5\n")
    assert create_app({"SECRET_KEY": "x"}).config["CONCERN_ACKNOWLEDGE_WORKING_DAYS"] == 5


def test_postgresql_connections_do_not_jit_compile(app_ctx) -> None:
    """The grouped evidence queries would otherwise spend longer in LLVM than in running (PostgreSQL only)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip(f"PostgreSQL only: {db.engine.dialect.name} has no JIT compiler to turn off")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
        assert conn.exec_driver_sql("SELECT 1").scalar() == 1


def test_migrated_schema_matches_the_models(app_ctx) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_database_enforces_constraints(app_ctx) -> None:
    from tracker.models import HWB, Provider

    db.session.add(HWB(code="E06000001", name="Hartlepool", region="north"))
    db.session.commit()
    db.session.add(HWB(code="E06000001", name="Duplicate", region="north"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(Provider(code="RXX", name="Trust", sector="dentistry"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_start_page_explains_the_service(client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Record and check how providers shaped Better Care Fund plans" in html
    assert 'class="nhsuk-header' in html
    assert "nhsuk-frontend.min.css" in html


def test_design_system_files_are_served(client) -> None:
    for path in ("/nhsuk/nhsuk-frontend.min.css", "/nhsuk/nhsuk-frontend.min.js", "/assets/images/favicon.ico"):
        with client.get(path) as response:
            assert response.status_code == 200, path


def test_health_check_says_ok_when_the_database_answers(client, monkeypatch) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.get_json() == {"status": "ok", "database": "ok"}
    assert answer.headers["X-Content-Type-Options"] == "nosniff"

    def down(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", down)
    answer = client.get("/healthz")
    assert answer.status_code == 503 and answer.get_json()["status"] == "unavailable"


def test_unknown_page_is_a_friendly_404(client) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
