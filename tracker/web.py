"""Small helpers shared by the views of every area."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.models import User


def redirect_with_message(endpoint: str, message: str, category: str = "success", **values: Any) -> Response:
    """Post/redirect/get with a message shown once on the next page."""
    flash(message, category)
    return redirect(url_for(endpoint, **values), 303)


def me() -> User:
    """The signed-in user itself, not the proxy (the services and the audit trail keep a real User)."""
    return current_user._get_current_object()  # noqa: SLF001
