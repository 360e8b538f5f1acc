"""Assurance reviews (append-only) and the criteria thresholds they are made against."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain import vocab
from tracker.models._types import UTCDateTime, one_of, utcnow
from tracker.models.base import Base
from tracker.models.organisations import HWB
from tracker.models.plans import Plan

# A condition of a review's approval: open until the assurer marks it met.
CONDITION_STATUSES: dict[str, str] = {"open": "Open", "met": "Met"}


class CriteriaSettings(Base):
    """The one settings record of criteria thresholds that an admin can change (id is always 1)."""

    __tablename__ = "criteria_settings"
    __table_args__ = (
        sa.CheckConstraint("id = 1", name="single_row"),
        sa.CheckConstraint("coverage_min BETWEEN 0 AND 1", name="coverage_range"),
        sa.CheckConstraint("corroboration_min BETWEEN 0 AND 1", name="corroboration_range"),
        sa.CheckConstraint("sustained_share_min BETWEEN 0 AND 1", name="sustained_range"),
        sa.CheckConstraint("shared_view_min BETWEEN 0 AND 1", name="shared_view_range"),
        sa.CheckConstraint("acute_depth_min BETWEEN 1 AND 5", name="acute_depth_range"),
        sa.CheckConstraint("sustained_months_min >= 1", name="sustained_months_positive"),
        sa.CheckConstraint("rating_adequate_max_fails >= 0", name="adequate_fails_nonnegative"),
        sa.CheckConstraint("rating_weak_coverage_min BETWEEN 0 AND 1", name="weak_coverage_range"),
        sa.CheckConstraint("acknowledge_working_days IS NULL OR acknowledge_working_days >= 1",
                           name="acknowledge_days_positive"),
        sa.CheckConstraint("respond_working_days IS NULL OR respond_working_days >= 1", name="respond_days_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    coverage_min: Mapped[float] = mapped_column(default=0.80)  # E3
    corroboration_min: Mapped[float] = mapped_column(default=0.70)  # E4
    sustained_share_min: Mapped[float] = mapped_column(default=0.50)  # E5
    sustained_months_min: Mapped[int] = mapped_column(default=3)  # "sustained": distinct months
    shared_view_min: Mapped[float] = mapped_column(default=0.50)  # E7
    acute_depth_min: Mapped[int] = mapped_column(default=3)  # E2
    rating_adequate_max_fails: Mapped[int] = mapped_column(default=2)
    rating_weak_coverage_min: Mapped[float] = mapped_column(default=0.50)
    # Working days to acknowledge and to answer a concern; None: the configured defaults.
    acknowledge_working_days: Mapped[int | None]
    respond_working_days: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))


class AssuranceReview(Base):
    """An assurer's record on a plan; never changed once made, the latest is the plan's status."""

    __tablename__ = "assurance_review"
    __table_args__ = (
        one_of("decision", vocab.DECISIONS),
        one_of("rating", vocab.RATINGS),
        sa.CheckConstraint("tranche IS NULL OR tranche >= 1", name="tranche_positive"),
        sa.Index("ix_assurance_review_plan_created", "plan_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id"))
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The criteria results and thresholds as they were when the review was made.
    criteria_snapshot: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    thresholds: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # The assurer's view of each national condition: condition -> met / not_met / met_subject_to_conditions.
    condition_views: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    suggested_rating: Mapped[str] = mapped_column(sa.String(15))
    rating: Mapped[str] = mapped_column(sa.String(15))
    decision: Mapped[str] = mapped_column(sa.String(40))
    tranche: Mapped[int | None]
    intervention: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    peer_hwb_id: Mapped[int | None] = mapped_column(sa.ForeignKey("hwb.id"))
    override_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    plan: Mapped[Plan] = relationship()
    peer_hwb: Mapped[HWB | None] = relationship()
    # The conditions of the approval, one item each (ReviewCondition), in the order the assurer gave them.
    condition_items: Mapped[list[ReviewCondition]] = relationship(
        back_populates="review", order_by="ReviewCondition.position", cascade="all, delete-orphan")

    @property
    def conditions(self) -> str:
        """The conditions' texts, one a line (for the evidence pack and anything that shows them as text)."""
        return "\n".join(item.text for item in self.condition_items)


class ReviewCondition(Base):
    """One condition of a review's approval: the board answers it, the assurer marks it met or says why not.

    Open until the assurer marks it met; the board's latest answer and the assurer's latest verdict are kept here,
    every step in the audit trail.
    """

    __tablename__ = "review_condition"
    __table_args__ = (
        one_of("status", CONDITION_STATUSES),
        sa.UniqueConstraint("review_id", "position", name="uq_review_condition_position"),
        sa.CheckConstraint("status = 'open' OR met_on IS NOT NULL", name="met_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("assurance_review.id"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(10), default="open", server_default="open")
    # The board's latest answer: what it did, and where to see it.
    answer: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    answer_url: Mapped[str] = mapped_column(sa.String(2000), default="", server_default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # The assurer's latest verdict: met on a date, or why it is not met yet.
    met_on: Mapped[date | None]
    not_met_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    review: Mapped[AssuranceReview] = relationship(back_populates="condition_items")
