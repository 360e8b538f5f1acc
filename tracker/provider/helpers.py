"""Small helpers shared by the provider workspace's views."""
from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_wtf import FlaskForm

from tracker.models import User


def me() -> User:
    """The signed-in user itself, not the proxy (the services and the audit trail keep a real User)."""
    return current_user._get_current_object()  # noqa: SLF001


def put_errors(form: FlaskForm, errors: dict[str, str], fields: dict[str, str] | None = None) -> None:
    """Put each service message on its form field (renamed through `fields`), unless the field has one already."""
    for name, message in errors.items():
        field: Any = getattr(form, (fields or {}).get(name, name), None)
        if field is None:
            continue
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        if not field.errors:
            field.errors.append(message)
