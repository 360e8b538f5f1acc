"""What the assurers' concern pages read: the concerns they owe a step on, and one concern with its history."""
from __future__ import annotations

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload, selectinload

from tracker.domain import scope
from tracker.models import Concern, Plan, User
from tracker.web.extensions import db

PER_PAGE = 50
# The date of the step the assurers owe (tracker.domain.concerns.next_step): acknowledgement of an open concern,
# otherwise the response. Overdue ones have the earliest dates, so ordering by it puts them first.
OWED_DUE = sa.case((Concern.status == "open", Concern.acknowledge_due), else_=Concern.respond_due)
# What the assurers owe a step on: every escalated concern, and confidential ones not yet answered.
AWAITING_ASSURERS = sa.or_(Concern.status == "escalated",
                           sa.and_(Concern.confidential.is_(True), Concern.status.in_(("open", "acknowledged"))))


def awaiting(user: User, page: int) -> Pagination:
    """A page of the concerns in the user's scope that wait on the assurers, overdue first, then by due date."""
    query = (scope.concerns_visible(user).where(AWAITING_ASSURERS)
             .options(joinedload(Concern.provider), joinedload(Concern.plan).joinedload(Plan.hwb))
             .order_by(OWED_DUE, Concern.raised, Concern.id))
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def concern_or_404(user: User, ref: str) -> Concern:
    """A concern in the user's scope (confidential ones included) with its history, by reference, or 404."""
    return db.one_or_404(scope.concerns_visible(user).where(Concern.ref == ref)
                         .options(joinedload(Concern.provider), joinedload(Concern.plan).joinedload(Plan.hwb),
                                  selectinload(Concern.history)))


def people(concern: Concern) -> dict[int, User]:
    """The users who took the concern's steps, by id (a step by an import has none)."""
    ids = {step.actor_id for step in concern.history if step.actor_id}
    return {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))} if ids else {}
