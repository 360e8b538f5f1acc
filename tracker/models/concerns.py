"""Concerns raised by providers against a plan, and every step of their lifecycle."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain import vocab
from tracker.models._types import UTCDateTime, one_of, utcnow
from tracker.models.base import Base
from tracker.models.organisations import Provider
from tracker.models.plans import Plan


class Concern(Base):
    """A provider's concern about a plan; confidential ones are for assurers, never the board."""

    __tablename__ = "concern"
    __table_args__ = (
        one_of("category", vocab.CONCERN_CATEGORIES),
        one_of("severity", vocab.SEVERITIES),
        one_of("status", vocab.CONCERN_STATUSES),
        sa.CheckConstraint("acknowledge_due >= raised AND respond_due >= acknowledge_due", name="due_order"),
        # Everything the evidence figures read of a concern (open, overdue, confidential), from the index alone.
        sa.Index("ix_concern_plan_figures", "plan_id", "status", "confidential", "acknowledge_due", "respond_due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(sa.String(64), unique=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id"))
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id"), index=True)
    raised: Mapped[date]
    category: Mapped[str] = mapped_column(sa.String(30))
    severity: Mapped[str] = mapped_column(sa.String(10))
    confidential: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    status: Mapped[str] = mapped_column(sa.String(15), default="open", server_default="open")
    text: Mapped[str] = mapped_column(sa.Text)
    # Fixed when the concern is raised, from the working-day settings then in force.
    acknowledge_due: Mapped[date]
    respond_due: Mapped[date]

    plan: Mapped[Plan] = relationship()
    provider: Mapped[Provider] = relationship()
    history: Mapped[list["ConcernStep"]] = relationship(
        back_populates="concern", cascade="all, delete-orphan", order_by="ConcernStep.id"
    )


class ConcernStep(Base):
    """One step of a concern's lifecycle: who, when, the status it moved to and what was said."""

    __tablename__ = "concern_step"
    __table_args__ = (
        one_of("to_status", vocab.CONCERN_STATUSES),
        sa.CheckConstraint(
            "from_status IS NULL OR from_status IN ('open', 'acknowledged', 'responded', 'resolved', 'escalated')",
            name="from_status_valid",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(sa.ForeignKey("concern.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    actor_side: Mapped[str] = mapped_column(sa.String(10))  # provider, hwb, assurer, admin or import
    from_status: Mapped[str | None] = mapped_column(sa.String(15))
    to_status: Mapped[str] = mapped_column(sa.String(15))
    message: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # The London date the step counts from (an imported step: the concern's raised date), and the response due date
    # this step set, if it set one (raising, reopening, an import): evidence as at a date reads both.
    taken_on: Mapped[date]
    respond_due: Mapped[date | None]

    concern: Mapped[Concern] = relationship(back_populates="history")
