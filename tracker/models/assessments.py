"""Providers' assessments of a plan's impact on them; one current per plan, earlier versions kept."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain import vocab
from tracker.domain.clock import london_today
from tracker.models._types import UTCDateTime, one_of, utcnow
from tracker.models.base import Base
from tracker.models.organisations import Provider
from tracker.models.plans import Plan


class ImpactAssessment(Base):
    """A provider's view of a plan's likely impact on it."""

    __tablename__ = "impact_assessment"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "provider_id", "version", name="uq_impact_assessment_version"),
        sa.Index(
            "uq_impact_assessment_current",
            "plan_id",
            "provider_id",
            unique=True,
            sqlite_where=sa.text("is_current"),
            postgresql_where=sa.text("is_current"),
        ),
        # Everything the evidence figures read of an assessment (current, whose, agreeing), from the index alone.
        sa.Index("ix_impact_assessment_plan_figures", "plan_id", "is_current", "provider_id", "agreement"),
        one_of("agreement", vocab.AGREEMENTS),
        sa.CheckConstraint(
            "emergency_admissions_change_pct >= -100 AND emergency_admissions_change_pct <= 1000",
            name="admissions_change_range",
        ),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id"))
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id"))
    version: Mapped[int] = mapped_column(default=1)
    is_current: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    emergency_admissions_change_pct: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    financial_impact_gbp: Mapped[int] = mapped_column(sa.BigInteger)
    agreement: Mapped[str] = mapped_column(sa.String(10))
    comments: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The London date this version holds from (an import: its `assessed` column, else the day of the import).
    # Every writer sets it; None (a row written some other way) is never current as at a past date.
    assessed_on: Mapped[date | None] = mapped_column(default=london_today)

    plan: Mapped[Plan] = relationship()
    provider: Mapped[Provider] = relationship()
