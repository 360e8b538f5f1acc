"""Small helpers shared by the HWB workspace's views: who is signed in, which plan, errors onto fields."""
from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_login import current_user
from flask_wtf import FlaskForm

from tracker import access, vocab
from tracker.models import Plan, User

DEFAULT_YEAR = "2015-16"


def me() -> User:
    """The signed-in user itself, not the proxy (the services and the audit trail keep a real User)."""
    return current_user._get_current_object()  # noqa: SLF001


def plan_year() -> str:
    """The plan year asked for with ?year=, or the default; 404 for a year that is not a plan year."""
    year = request.args.get("year", DEFAULT_YEAR)
    if year not in vocab.YEARS:
        abort(404)
    return year


def board_plan(year: str | None = None) -> Plan:
    """The signed-in board's plan for the year (404 when it has none): through the access policy."""
    user = me()
    if user.hwb is None:
        abort(404)
    return access.plan_or_404(user, user.hwb.code, year or plan_year())


def year_args(plan: Plan) -> dict[str, str]:
    """The ?year= argument to keep in links, only when it is not the default."""
    return {} if plan.year == DEFAULT_YEAR else {"year": plan.year}


def put_errors(form: FlaskForm, errors: dict[str, str], fields: dict[str, str] | None = None) -> None:
    """Put each service message on its form field (renamed through `fields`), unless it has one already."""
    for name, message in errors.items():
        field: Any = getattr(form, (fields or {}).get(name, name), None)
        if field is None:
            continue
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        if not field.errors:
            field.errors.append(message)
