"""Access checks for views: who may open a page (roles_required, signed_in, public) and the plan a URL names,
or 404 when it is out of the user's scope. What each user may see is the domain's rule: tracker.domain.scope.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, request
from flask_login import current_user

from tracker.domain import scope, vocab
from tracker.models import HWB, Plan, User
from tracker.web.extensions import db, login_manager
from tracker.web.kept_forms import kept_and_redirected

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"


def plan_or_404(user: User, hwb_code: str, year: str) -> Plan:
    """The plan of this board and year, or 404 when it does not exist or is out of the user's scope."""
    if not vocab.is_year(year) or len(hwb_code) != 9 or not hwb_code.isalnum():
        abort(404)  # not a board code or a plan year: nothing to look up (and PostgreSQL refuses NUL bytes)
    plan = db.session.scalar(scope.plans_in_scope(user).where(HWB.code == hwb_code, Plan.year == year))
    if plan is None:
        abort(404)
    return plan


def roles_required(*roles: str) -> Callable[[F], F]:
    """A view for signed-in users with one of these roles; others are sent to sign in, or refused with 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                # A form sent after the session ended is kept, and offered again once they have signed in.
                return kept_and_redirected() if request.method == "POST" else login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.access = frozenset(roles)  # type: ignore[attr-defined]  # read by the access-matrix test
        return wrapped  # type: ignore[return-value]

    return decorator


def signed_in(view: F) -> F:
    """A view for any signed-in user."""
    return roles_required("provider", "hwb", "assurer", "admin")(view)


def public(view: F) -> F:
    """A view anyone may open, signed in or not (the start page, sign-in, the design system's files)."""
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view
