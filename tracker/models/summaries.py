"""Per-plan, per-provider engagement summaries, kept up to date in the same transaction as every write.

They make reading a plan's evidence cost the same whatever the number of events: the evidence engine
reads these rows, never the participations themselves. tracker.evidence.summaries rebuilds them.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db


class EngagementSummary(db.Model):
    """A provider's counted participations on one plan (event not withdrawn, participation not disputed)."""

    __tablename__ = "engagement_summary"
    __table_args__ = (
        sa.CheckConstraint("counted > 0 AND corroborated >= 0 AND corroborated <= counted", name="counts_valid"),
        sa.CheckConstraint("max_depth BETWEEN 1 AND 5", name="depth_range"),
        sa.CheckConstraint("months >= 1", name="months_positive"),
        sa.Index("ix_engagement_summary_provider", "provider_id"),
    )

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id", ondelete="CASCADE"), primary_key=True)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id", ondelete="CASCADE"), primary_key=True)
    counted: Mapped[int]  # counted participations
    corroborated: Mapped[int]  # of which confirmed
    max_depth: Mapped[int] = mapped_column(sa.SmallInteger)  # the highest depth among them
    months: Mapped[int]  # distinct calendar months among them
