"""Bearer-token authentication for the API: every API view goes through `token_required`."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, request

from tracker.domain import accounts
from tracker.models import User
from tracker.web.extensions import db

F = TypeVar("F", bound=Callable[..., Any])

TOKEN = "token"  # noqa: S105 - the access rule the matrix test reads: any role, through its own token and scope


def token_required(view: F) -> F:
    """Answer 401 unless the request carries a live token; the view then acts as the token's user."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        user = accounts.user_for_token(db.session, token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            abort(401, description="Send a valid API token as 'Authorization: Bearer TOKEN'")
        g.api_user = user
        return view(*args, **kwargs)

    wrapped.access = TOKEN  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]


def api_user() -> User:
    """The user whose token authenticated this request."""
    return g.api_user
