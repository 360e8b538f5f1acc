"""The one access policy: which records each user may see and change.

Every view, export and API call goes through here. List queries are filtered by scope in SQL, so nothing
out of scope is loaded; the web layer answers 404 for a single record out of scope (tracker/web/access.py), so
its existence does not leak.

- provider user: the plans of the boards in its provider's footprint, the events that name its provider
  (or that it recorded), and its own concerns and impact assessments;
- HWB user: everything on its own board's plans except confidential concerns;
- assurer: every plan nationally, or those of its region; confidential concerns included;
- admin: everything.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.models import (
    HWB,
    Concern,
    EngagementEvent,
    ImpactAssessment,
    Participation,
    Plan,
    User,
    provider_footprint,
)


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


def can_record_event(session: Session, user: User, plan: Plan) -> bool:
    """Providers record on plans in their footprint, boards on their own plan; assurers only read."""
    if user.role == "hwb":
        return plan.hwb_id == user.hwb_id
    if user.role == "provider":
        return session.scalar(
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
