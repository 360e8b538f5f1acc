"""Small helpers shared by the views of every area."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.models import User

MAX_PAGE = 1_000_000  # far beyond any list here, and well inside what a database OFFSET can hold


def redirect_with_message(endpoint: str, message: str, category: str = "success", **values: Any) -> Response:
    """Post/redirect/get with a message shown once on the next page."""
    flash(message, category)
    return redirect(url_for(endpoint, **values), 303)


def me() -> User:
    """The signed-in user itself, not the proxy (the services and the audit trail keep a real User)."""
    return current_user._get_current_object()  # noqa: SLF001


def page_number(argument: str = "page") -> int:
    """The list page asked for by ?page= (or another argument, where a page has two lists): a whole number from
    1 to MAX_PAGE (anything else reads as page 1)."""
    page = request.args.get(argument, 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)
