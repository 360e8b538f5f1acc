"""The application factory: configuration, database, extensions, blueprints, commands and error pages."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker import config as config_module
from tracker.web.extensions import csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parents[2]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, database, extensions, blueprints, commands and error pages."""
    instance_path = os.environ.get("TRACKER_INSTANCE_PATH") or str(ROOT / "instance")
    app = Flask(
        "tracker",
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    # nhsuk-frontend-jinja needs ChainableUndefined; set before anything touches app.jinja_env.
    app.jinja_options = {
        "undefined": ChainableUndefined,
        "loader": ChoiceLoader([FileSystemLoader(str(ROOT / "templates")), PackageLoader("nhsuk_frontend_jinja")]),
        "autoescape": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    config_module.load(app.config, app.instance_path, config)
    app.config.setdefault("NHSUK_DIST", str(ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"))
    if app.config["TRUSTED_PROXIES"]:
        # Behind N proxies, the client's own address (and scheme, host) is the one they forward: it is the one
        # limited and audited. Without trusted proxies the X-Forwarded-* headers are ignored (anyone can send them).
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    from tracker.web.signed_in_sessions import user_of_session

    login_manager.user_loader(user_of_session)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    with app.app_context():
        _tune_database(app)
    from tracker.domain.history import install_history
    from tracker.domain.summaries import install_upkeep

    install_upkeep()
    install_history()

    from tracker import models  # noqa: F401  (registers the tables with the metadata)
    from tracker.account import bp as account_bp
    from tracker.admin import bp as admin_bp
    from tracker.assurance import bp as assurance_bp
    from tracker.auth import bp as auth_bp
    from tracker.cli import register_commands
    from tracker.hwb import bp as hwb_bp
    from tracker.main import bp as main_bp
    from tracker.notifications_web import bp as notifications_bp
    from tracker.provider import bp as provider_bp
    from tracker.web.errors import register_error_handlers
    from tracker.web.kept_forms import register_kept_forms
    from tracker.web.routing import register_converters
    from tracker.web.security import register_security
    from tracker.web.templating import register_template_helpers
    from tracker.web.unit_of_work import register_unit_of_work

    register_converters(app)
    for blueprint in (main_bp, auth_bp, account_bp, admin_bp, provider_bp, hwb_bp, assurance_bp, notifications_bp):
        app.register_blueprint(blueprint)
    register_security(app)
    register_unit_of_work(app)
    register_kept_forms(app)
    from tracker.api import init_api

    init_api(app)
    register_commands(app)
    register_error_handlers(app)
    register_template_helpers(app)
    if app.config["GC_TUNING"]:
        from tracker.web.runtime import tune_garbage_collector

        tune_garbage_collector()
    return app


def _tune_database(app: Flask) -> None:
    """SQLite: enforce foreign keys, WAL journal and a busy timeout on every connection. PostgreSQL: no JIT."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        # The grouped evidence queries over the whole country cost enough in the planner's eyes to be compiled
        # by LLVM, which takes longer (tens of milliseconds) than running them; every query here is short.
        @sa.event.listens_for(engine, "connect")
        def _no_jit(dbapi_connection, _record):  # noqa: ANN001, ANN202 - SQLAlchemy's hook signature
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET jit = off")
            dbapi_connection.commit()
        return
    if engine.dialect.name != "sqlite":
        return
    timeout_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001, ANN202 - SQLAlchemy's hook signature
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()
