"""Configuration: defaults, then instance/config.py, then the environment; checked at start-up."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("development", "production", "testing")


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says how to fix it."""


def defaults(instance_path: str) -> dict[str, Any]:
    """Settings that hold unless the instance file or the environment says otherwise."""
    return {
        "TRACKER_ENV": "development",
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(Path(instance_path) / "tracker.sqlite"),
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "SQLITE_BUSY_TIMEOUT_MS": 15000,
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
        "UPLOAD_MAX_BYTES": 10 * 1024 * 1024,
        "UPLOAD_FOLDER": str(Path(instance_path) / "uploads"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "CONCERN_ACKNOWLEDGE_WORKING_DAYS": 3,
        "CONCERN_RESPONSE_WORKING_DAYS": 20,
        "RATELIMIT_STORAGE_URI": "memory://",
        "TRUSTED_PROXIES": 0,  # proxies in front of the app (a load balancer, a TLS terminator) that set X-Forwarded-*
        "APP_SERVERS": 1,  # application servers sharing the database (several need shared rate-limit storage)
        "RATELIMIT_SIGN_IN": "10 per 5 minutes",
        "GC_TUNING": None,  # None: on in production only (tracker.web.runtime)
        "CONTACT_EMAIL": "bcf-tracker-support@example.org",  # shown on the privacy and accessibility pages
        # E-mail (docs/notifications.md): SMTP when MAIL_SERVER is set, GOV.UK Notify when NOTIFY_API_KEY is,
        # otherwise each message is written as an .eml file under NOTIFY_OUTBOX.
        "TRACKER_BASE_URL": "http://localhost:5000",  # links in e-mails start with this
        "MAIL_SERVER": "",
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,
        "MAIL_USERNAME": "",
        "MAIL_PASSWORD": "",
        "MAIL_DEFAULT_SENDER": "Better Care Fund tracker <noreply@localhost>",
        "MAIL_TIMEOUT_SECONDS": 30,
        "NOTIFY_API_KEY": "",
        "NOTIFY_TEMPLATE_ID": "",  # a Notify email template whose subject is ((subject)) and body ((body))
        "NOTIFY_OUTBOX": str(Path(instance_path) / "outbox"),
        "NOTIFY_MAX_TRIES": 5,
        "NOTIFY_RETRY_SECONDS": 60,
        "NOTIFY_CLAIM_TIMEOUT_SECONDS": 300,
        "NOTIFY_LOOP_SECONDS": 30,
        "NOTIFY_DIGEST_HOUR": 7,  # the daily digest is composed from this hour, London time, on working days
        "RATELIMIT_PASSWORD_RESET": "5 per 15 minutes",
    }


def _flag(text: str) -> bool:
    """An on/off setting from the environment: true/false, yes/no, 1/0 or on/off."""
    value = text.strip().lower()
    if value not in ("true", "false", "yes", "no", "1", "0", "on", "off"):
        raise ValueError(text)
    return value in ("true", "yes", "1", "on")


# Environment variables read directly into settings of the same name (after type conversion).
_ENV_SETTINGS = {
    "SECRET_KEY": str,
    "TRACKER_ENV": str,
    "UPLOAD_FOLDER": str,
    "RATELIMIT_STORAGE_URI": str,
    "RATELIMIT_KEY_PREFIX": str,
    "TRUSTED_PROXIES": int,
    "APP_SERVERS": int,
    "CONTACT_EMAIL": str,
    "CONCERN_ACKNOWLEDGE_WORKING_DAYS": int,
    "CONCERN_RESPONSE_WORKING_DAYS": int,
    "TRACKER_BASE_URL": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": _flag,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_DEFAULT_SENDER": str,
    "NOTIFY_API_KEY": str,
    "NOTIFY_TEMPLATE_ID": str,
    "NOTIFY_OUTBOX": str,
    "NOTIFY_MAX_TRIES": int,
}


def normalise_database_url(url: str) -> str:
    """Send plain postgres URLs to psycopg 3, the driver this project installs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load(app_config: dict[str, Any], instance_path: str, overrides: dict[str, Any] | None) -> None:
    """Fill app_config from defaults, instance/config.py, the environment and overrides, then check it."""
    app_config.update(defaults(instance_path))
    instance_file = Path(instance_path) / "config.py"
    if instance_file.exists():
        namespace: dict[str, Any] = {}
        exec(compile(instance_file.read_text(), str(instance_file), "exec"), namespace)  # noqa: S102  # nosec B102 - the operator's own file
        app_config.update({k: v for k, v in namespace.items() if k.isupper()})
    for name, convert in _ENV_SETTINGS.items():
        if os.environ.get(name):
            try:
                app_config[name] = convert(os.environ[name])
            except ValueError as exc:
                kind = "true or false" if convert is _flag else "a whole number"
                raise ConfigError(f"{name} must be {kind}, not {os.environ[name]!r}") from exc
    if os.environ.get("DATABASE_URL"):
        app_config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if overrides:
        app_config.update(overrides)
    app_config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app_config["SQLALCHEMY_DATABASE_URI"])
    check(app_config, instance_path)


def check(app_config: dict[str, Any], instance_path: str) -> None:
    """Refuse to start on settings that would be unsafe or cannot work."""
    env = app_config["TRACKER_ENV"]
    if env not in ENVIRONMENTS:
        raise ConfigError(f"TRACKER_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    if not app_config.get("SECRET_KEY"):
        if env == "production":
            raise ConfigError("SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random value.")
        app_config["SECRET_KEY"] = _development_secret(instance_path)
    if app_config["GC_TUNING"] is None:
        app_config["GC_TUNING"] = env == "production"
    if env == "production":
        app_config["SESSION_COOKIE_SECURE"] = True
        app_config["REMEMBER_COOKIE_SECURE"] = True
    uri = app_config["SQLALCHEMY_DATABASE_URI"]
    if not (uri.startswith("sqlite") or uri.startswith("postgresql+psycopg")):
        raise ConfigError("DATABASE_URL must be a sqlite:/// or postgresql+psycopg:// URL")
    for name in ("TRUSTED_PROXIES", "APP_SERVERS"):
        if not isinstance(app_config[name], int) or app_config[name] < (0 if name == "TRUSTED_PROXIES" else 1):
            raise ConfigError(f"{name} must be a whole number, {0 if name == 'TRUSTED_PROXIES' else 1} or more")
    processes = app_config["APP_SERVERS"] * int(os.environ.get("TRACKER_WORKERS", "1") or 1)
    if env == "production" and processes > 1 and app_config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        raise ConfigError(
            f"RATELIMIT_STORAGE_URI is memory:// but {processes} processes serve the app, so each would count sign-in "
            "attempts on its own. Point it at Redis, for example RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0.")
    for name in ("CONCERN_ACKNOWLEDGE_WORKING_DAYS", "CONCERN_RESPONSE_WORKING_DAYS"):
        if not isinstance(app_config[name], int) or app_config[name] < 1:
            raise ConfigError(f"{name} must be a whole number of working days, 1 or more")
    check_mail(app_config)


def check_mail(app_config: dict[str, Any]) -> None:
    """The e-mail settings (docs/notifications.md) must be usable before anything is queued."""
    if not str(app_config["TRACKER_BASE_URL"]).startswith(("http://", "https://")):
        raise ConfigError("TRACKER_BASE_URL must be the address people open the tracker at, like https://bcf.example.org")
    port = app_config["MAIL_PORT"]
    if not isinstance(port, int) or not 1 <= port <= 65535:
        raise ConfigError("MAIL_PORT must be a port number from 1 to 65535")
    if app_config["MAIL_SERVER"] and "@" not in str(app_config["MAIL_DEFAULT_SENDER"]):
        raise ConfigError("MAIL_DEFAULT_SENDER must be an email address, like Tracker <noreply@example.org>")
    if bool(app_config["MAIL_USERNAME"]) != bool(app_config["MAIL_PASSWORD"]):
        raise ConfigError("Set both MAIL_USERNAME and MAIL_PASSWORD, or neither")
    if app_config["NOTIFY_API_KEY"] and not app_config["NOTIFY_TEMPLATE_ID"]:
        raise ConfigError("NOTIFY_TEMPLATE_ID must be set with NOTIFY_API_KEY (a template of ((subject)) and ((body)))")
    for name in ("NOTIFY_MAX_TRIES", "NOTIFY_LOOP_SECONDS", "MAIL_TIMEOUT_SECONDS"):
        if not isinstance(app_config[name], int) or app_config[name] < 1:
            raise ConfigError(f"{name} must be a whole number, 1 or more")
    for name in ("NOTIFY_RETRY_SECONDS", "NOTIFY_CLAIM_TIMEOUT_SECONDS"):
        if not isinstance(app_config[name], int) or app_config[name] < 0:
            raise ConfigError(f"{name} must be a whole number of seconds, 0 or more")


def _development_secret(instance_path: str) -> str:
    """A secret made once for this checkout and kept in instance/, so sessions survive a restart."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
