"""Read queries of the HWB workspace, each through the access policy and filtered in SQL.

The evidence figures themselves (coverage, depth per provider, criteria, rating) come from tracker.domain.evidence,
never from here. What the engine does not offer is here as one grouped query each: the month-by-month
timeline of events, and the lists the pages need (events, concerns, board members, acute assessments).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import aliased, selectinload

from tracker.domain import scope, vocab
from tracker.domain.concerns import board_owes
from tracker.domain.evidence.as_of import counted_on, event_stood
from tracker.domain.summaries import counted_participation, month_key
from tracker.models import (
    BoardMembership,
    Concern,
    EngagementEvent,
    ImpactAssessment,
    Participation,
    Plan,
    Provider,
    User,
    provider_footprint,
)
from tracker.web.extensions import db

EVENTS_PER_PAGE = 25


@dataclass(frozen=True)
class Month:
    """The events of one calendar month on the plan (withdrawn events left out)."""

    first_day: date
    board_events: int  # recorded by the board
    provider_events: int  # recorded by providers
    participations: int  # counted participations (not disputed) in those events

    @property
    def events(self) -> int:
        return self.board_events + self.provider_events


def timeline(plan: Plan, as_of: date | None = None) -> list[Month]:
    """Every month from the first event to the last, empty months included, in one grouped query: today's, or as
    the events and their participations stood at the end of `as_of` (tracker.domain.evidence.as_of)."""
    month = (month_key() - 1).label("month")  # months since year 0, January = 0, so n // 12 is the year
    stood = EngagementEvent.withdrawn.is_(False) if as_of is None else event_stood(as_of)
    counting = counted_participation() if as_of is None else counted_on(as_of)
    counted = sa.func.sum(sa.case((counting, 1), else_=0))  # a missing participation is not counted
    rows = db.session.execute(
        sa.select(month, EngagementEvent.recorded_by, sa.func.count(sa.distinct(EngagementEvent.id)), counted)
        .outerjoin(Participation, Participation.event_id == EngagementEvent.id)
        .where(EngagementEvent.plan_id == plan.id, stood)
        .group_by(month, EngagementEvent.recorded_by)).all()
    if not rows:
        return []
    found: dict[int, list[int]] = {}
    for number, side, events, participations in rows:
        counts = found.setdefault(int(number), [0, 0, 0])
        counts[0 if side == "hwb" else 1] += events
        counts[2] += int(participations or 0)
    first, last = min(found), max(found)
    return [Month(date(n // 12, n % 12 + 1, 1), *found.get(n, [0, 0, 0])) for n in range(first, last + 1)]


def _awaiting(user: User, plan: Plan) -> sa.Select:
    waiting = sa.select(Participation.event_id).where(Participation.status == "unconfirmed")
    return scope.events_visible(user, plan).where(EngagementEvent.recorded_by == "provider",
                                                   EngagementEvent.withdrawn.is_(False),
                                                   EngagementEvent.id.in_(waiting))


def awaiting_board(user: User, plan: Plan, limit: int | None = None) -> list[EngagementEvent]:
    """Events providers recorded on the plan that the board has not yet confirmed or disputed, oldest first."""
    query = (_awaiting(user, plan).options(selectinload(EngagementEvent.recorded_by_provider))
             .order_by(EngagementEvent.date, EngagementEvent.id))
    return list(db.session.scalars(query if limit is None else query.limit(limit)))


def awaiting_count(user: User, plan: Plan) -> int:
    """How many provider-recorded events wait for the board's answer."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(_awaiting(user, plan).subquery())) or 0


def plan_events(user: User, plan: Plan, page: int) -> Pagination:
    """The plan's events, newest first, a page at a time, with their providers loaded in fixed queries."""
    query = scope.events_newest_first(user, plan).options(
        selectinload(EngagementEvent.participations).selectinload(Participation.provider),
        selectinload(EngagementEvent.recorded_by_provider))
    return db.paginate(query, page=page, per_page=EVENTS_PER_PAGE, error_out=False)


def event_or_404(user: User, ref: str) -> EngagementEvent:
    """An event on one of the board's plans by its reference, or 404 (another board's included)."""
    plan_ids = scope.plans_in_scope(user).with_only_columns(Plan.id)
    event = db.one_or_404(sa.select(EngagementEvent).where(EngagementEvent.ref == ref,
                                                           EngagementEvent.plan_id.in_(plan_ids))
                          .options(selectinload(EngagementEvent.participations).selectinload(Participation.provider),
                                   selectinload(EngagementEvent.topics)))
    if db.session.scalar(scope.events_visible(user, event.plan).where(EngagementEvent.id == event.id)) is None:
        abort(404)
    return event


def footprint_providers(hwb_id: int) -> list[Provider]:
    """The providers serving the board, by name: those its events can name and its members represent."""
    return list(db.session.scalars(
        sa.select(Provider).join(provider_footprint, provider_footprint.c.provider_id == Provider.id)
        .where(provider_footprint.c.hwb_id == hwb_id).order_by(Provider.name)))


@dataclass(frozen=True)
class InboxItem:
    """A concern as the board's inbox shows it: what is owed, by when, and whether it is late."""

    concern: Concern
    due: date | None
    owed: str | None
    overdue: bool

    @property
    def order(self) -> tuple[int, date, int]:
        """Overdue first (earliest due first), then what is due, then what waits on others, resolved last."""
        c = self.concern
        if self.overdue:
            return 0, self.due or c.raised, c.id
        if self.due is not None:
            return 1, self.due, c.id
        if c.status in vocab.UNRESOLVED:
            return 2, c.raised, c.id
        return 3, date.max - (c.raised - date.min), c.id


def inbox_item(concern: Concern, today: date) -> InboxItem:
    """What the board owes on a concern and whether it is late (tracker.domain.concerns rules)."""
    owed = board_owes(concern.status, concern.acknowledge_due, concern.respond_due, today, concern.confidential)
    return InboxItem(concern, owed.due, owed.step, owed.overdue)


def inbox(user: User, plan: Plan, today: date) -> list[InboxItem]:
    """Every concern on the plan the board may see (never a confidential one), overdue first."""
    concerns = db.session.scalars(scope.concerns_visible(user).where(Concern.plan_id == plan.id)
                                  .options(selectinload(Concern.provider)))
    return sorted((inbox_item(c, today) for c in concerns), key=lambda item: item.order)


def concern_or_404(user: User, ref: str) -> Concern:
    """A concern on one of the board's plans (of any year) that the board may see, by its reference, or 404 (a
    confidential one included)."""
    return db.one_or_404(scope.concerns_visible(user).where(Concern.ref == ref)
                         .options(selectinload(Concern.history), selectinload(Concern.provider)))


def memberships(hwb_id: int) -> list[BoardMembership]:
    """Every membership of the board, past, present and future, with the organisation represented."""
    return list(db.session.scalars(
        sa.select(BoardMembership).where(BoardMembership.hwb_id == hwb_id)
        .options(selectinload(BoardMembership.provider))
        .order_by(BoardMembership.start.desc(), BoardMembership.member_name, BoardMembership.id)))


def membership_or_404(user: User, membership_id: int) -> BoardMembership:
    """A membership of the user's own board, or 404."""
    return db.one_or_404(sa.select(BoardMembership).where(BoardMembership.id == membership_id,
                                                          BoardMembership.hwb_id == (user.hwb_id or 0)))


def acute_assessments(user: User, plan: Plan) -> list[tuple[Provider, ImpactAssessment | None]]:
    """Each acute provider serving the board with its current impact assessment of the plan (or None)."""
    current = scope.assessments_visible(user).where(ImpactAssessment.plan_id == plan.id).subquery()
    assessment = aliased(ImpactAssessment, current)
    return list(db.session.execute(
        sa.select(Provider, assessment)
        .join(provider_footprint, provider_footprint.c.provider_id == Provider.id)
        .outerjoin(assessment, assessment.provider_id == Provider.id)
        .where(provider_footprint.c.hwb_id == plan.hwb_id, Provider.sector == "acute")
        .order_by(Provider.name)).tuples())


def other_assessments(user: User, plan: Plan) -> list[ImpactAssessment]:
    """Current impact assessments on the plan from providers other than acute ones."""
    return list(db.session.scalars(
        scope.assessments_visible(user).where(ImpactAssessment.plan_id == plan.id)
        .join(ImpactAssessment.provider).where(Provider.sector != "acute")
        .options(selectinload(ImpactAssessment.provider)).order_by(Provider.name)))
