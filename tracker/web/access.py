"""The one access policy: which records each user may see and change.

Every view, export and API call goes through here. List queries are filtered by scope in SQL, so nothing
out of scope is loaded; a single record out of scope answers 404, so its existence does not leak.

- provider user: the plans of the boards in its provider's footprint, the events that name its provider
  (or that it recorded), and its own concerns and impact assessments;
- HWB user: everything on its own board's plans except confidential concerns;
- assurer: every plan nationally, or those of its region; confidential concerns included;
- admin: everything.
"""
from __future__ import annotations

from functools import wraps
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from tracker.domain import vocab
from tracker.web.extensions import db, login_manager
from tracker.models import (
    HWB, Concern, EngagementEvent, ImpactAssessment, Participation, Plan, User, provider_footprint,
)

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"


def hwb_scope(user: User) -> sa.ColumnElement[bool]:
    """A condition on HWB.id that keeps the boards the user may see."""
    if user.role == "admin" or (user.role == "assurer" and not user.region):
        return sa.true()
    if user.role == "assurer":
        return HWB.id.in_(sa.select(HWB.id).where(HWB.region == user.region))
    if user.role == "hwb":
        return HWB.id == user.hwb_id
    if user.role == "provider":
        return HWB.id.in_(
            sa.select(provider_footprint.c.hwb_id).where(provider_footprint.c.provider_id == user.provider_id)
        )
    return sa.false()


def plans_in_scope(user: User) -> sa.Select:
    """A query of the plans the user may see, joined to their board."""
    return sa.select(Plan).join(Plan.hwb).where(hwb_scope(user))


def plan_or_404(user: User, hwb_code: str, year: str) -> Plan:
    """The plan of this board and year, or 404 when it does not exist or is out of the user's scope."""
    if year not in vocab.YEARS or len(hwb_code) != 9 or not hwb_code.isalnum():
        abort(404)  # not a board code or a plan year: nothing to look up (and PostgreSQL refuses NUL bytes)
    plan = db.session.scalar(plans_in_scope(user).where(HWB.code == hwb_code, Plan.year == year))
    if plan is None:
        abort(404)
    return plan


def events_visible(user: User, plan: Plan) -> sa.Select:
    """The plan's events the user may see: all of them, or for a provider those that name it or it recorded."""
    query = sa.select(EngagementEvent).where(EngagementEvent.plan_id == plan.id)
    if user.role == "provider":
        names_provider = sa.select(Participation.event_id).where(Participation.provider_id == user.provider_id)
        query = query.where(sa.or_(EngagementEvent.id.in_(names_provider),
                                   EngagementEvent.recorded_by_provider_id == user.provider_id))
    return query


def events_newest_first(user: User, plan: Plan) -> sa.Select:
    """The plan's events the user may see, newest first (by date, then the latest recorded)."""
    return events_visible(user, plan).order_by(EngagementEvent.date.desc(), EngagementEvent.id.desc())


def concerns_visible(user: User) -> sa.Select:
    """Concerns the user may see: its provider's own, its board's non-confidential ones, or all in scope."""
    query = sa.select(Concern).join(Concern.plan).join(Plan.hwb).where(hwb_scope(user))
    if user.role == "provider":
        return query.where(Concern.provider_id == user.provider_id)
    if user.role == "hwb":
        return query.where(Concern.confidential.is_(False))
    return query


def assessments_visible(user: User) -> sa.Select:
    """Current impact assessments the user may see: its own as a provider, otherwise all on plans in scope."""
    query = (sa.select(ImpactAssessment).join(ImpactAssessment.plan).join(Plan.hwb)
             .where(hwb_scope(user), ImpactAssessment.is_current.is_(True)))
    if user.role == "provider":
        return query.where(ImpactAssessment.provider_id == user.provider_id)
    return query


def can_record_event(user: User, plan: Plan) -> bool:
    """Providers record on plans in their footprint, boards on their own plan; assurers only read."""
    if user.role == "hwb":
        return plan.hwb_id == user.hwb_id
    if user.role == "provider":
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(provider_footprint)
            .where(provider_footprint.c.provider_id == user.provider_id, provider_footprint.c.hwb_id == plan.hwb_id)
        ) > 0
    return False


def can_change_event(user: User, event: EngagementEvent) -> bool:
    """Only the side that recorded an event may edit or withdraw it."""
    if event.recorded_by == "provider":
        return user.role == "provider" and event.recorded_by_provider_id == user.provider_id
    return user.role == "hwb" and event.plan.hwb_id == user.hwb_id


def can_set_participation_status(user: User, participation: Participation) -> bool:
    """The other side confirms or disputes: the board for provider-recorded events, each named provider otherwise."""
    event = participation.event
    if event.recorded_by == "provider":
        return user.role == "hwb" and event.plan.hwb_id == user.hwb_id
    return user.role == "provider" and participation.provider_id == user.provider_id


def roles_required(*roles: str) -> Callable[[F], F]:
    """A view for signed-in users with one of these roles; others are sent to sign in, or refused with 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
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
