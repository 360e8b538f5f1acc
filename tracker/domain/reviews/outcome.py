"""The outcome of a plan's assurance as the board and its providers see it: the latest review (never its override
reason or reviewer, which stay with the assurers), its conditions and how far they have got, the peer board it was
paired with (why, and whom to contact there), and which boards were paired with this one. No Flask.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from tracker.domain import evidence, membership
from tracker.domain.clock import london_today
from tracker.domain.reviews.conditions import ConditionProgress
from tracker.domain.reviews.peers import criteria_gained
from tracker.models import HWB, AssuranceReview, BoardMembership, Plan, ReviewCondition, User


@dataclass(frozen=True)
class PeerContact:
    """The peer board, why it was chosen and whom to ask there."""

    board: HWB
    criteria: list[str]  # the criteria the peer passes (now) that this plan failed at its review, e.g. ["E1", "E3"]
    chairs: list[str]  # the names of the peer board's chairs on the day
    emails: list[str]  # the peer board's users' e-mail addresses


@dataclass(frozen=True)
class Outcome:
    """The plan's latest review and what follows from it."""

    review: AssuranceReview
    reviewed_on: date  # the London date of the review: its evidence is shown as at this date
    conditions: list[ReviewCondition]
    peer: PeerContact | None = None

    @property
    def progress(self) -> ConditionProgress:
        return ConditionProgress(len(self.conditions), sum(1 for c in self.conditions if c.status == "met"))


@dataclass(frozen=True)
class MatchedBoard:
    """A board whose latest review paired it with this one."""

    board: HWB
    year: str
    reviewed_on: date
    failed: list[str] = field(default_factory=list)  # the criteria it failed at its review


def failed_criteria(review: AssuranceReview) -> list[str]:
    """The criteria the plan failed when it was reviewed (from the review's own snapshot)."""
    return [c["id"] for c in review.criteria_snapshot.get("criteria", []) if not c.get("passed")]


def peer_contact(session: Session, review: AssuranceReview, day: date) -> PeerContact | None:
    """The review's peer board with the criteria it passes (in the same year's plan, today) that this plan failed,
    its chairs on `day` (board membership) and its users' e-mail addresses."""
    peer = review.peer_hwb
    if peer is None:
        return None
    peer_plan = session.scalar(sa.select(Plan).where(Plan.hwb_id == peer.id, Plan.year == review.plan.year))
    passed: list[str] = []
    if peer_plan is not None:
        figures = evidence.plan_evidence(session, peer_plan.id, day, evidence.load_thresholds(session))
        passed = [c.id for c in figures.criteria if c.passed]
    seats = membership.seats_on(list(session.scalars(sa.select(BoardMembership)
                                                     .where(BoardMembership.hwb_id == peer.id))), day)
    chairs = sorted(m.member_name for m in seats.current if m.seat == "chair")
    emails = sorted(session.scalars(sa.select(User.email).where(User.role == "hwb", User.hwb_id == peer.id,
                                                                User.active.is_(True))))
    return PeerContact(peer, criteria_gained(failed_criteria(review), passed), chairs, emails)


def latest_outcome(session: Session, plan: Plan, day: date) -> Outcome | None:
    """The plan's latest review with its conditions and peer, or None before any review."""
    review = session.scalar(sa.select(AssuranceReview).where(AssuranceReview.plan_id == plan.id)
                            .options(selectinload(AssuranceReview.condition_items))
                            .order_by(AssuranceReview.id.desc()).limit(1))
    if review is None:
        return None
    return Outcome(review, london_today(review.created_at), list(review.condition_items),
                   peer_contact(session, review, day))


def boards_matched_with(session: Session, hwb_id: int) -> list[MatchedBoard]:
    """The boards whose plan's latest review paired them with this board, newest review first."""
    latest = sa.select(sa.func.max(AssuranceReview.id)).group_by(AssuranceReview.plan_id)
    reviews = session.scalars(sa.select(AssuranceReview)
                              .where(AssuranceReview.id.in_(latest), AssuranceReview.peer_hwb_id == hwb_id)
                              .options(selectinload(AssuranceReview.plan).selectinload(Plan.hwb))
                              .order_by(AssuranceReview.id.desc()))
    return [MatchedBoard(r.plan.hwb, r.plan.year, london_today(r.created_at), failed_criteria(r)) for r in reviews]


def condition_of_plan(session: Session, plan: Plan, condition_id: int) -> ReviewCondition | None:
    """A condition of any of the plan's reviews, or None."""
    return session.scalar(sa.select(ReviewCondition).join(AssuranceReview)
                          .where(ReviewCondition.id == condition_id, AssuranceReview.plan_id == plan.id))
