"""Per-plan, per-provider engagement summaries and per-board footprint tallies, kept true by every write.

They make reading a plan's evidence cost the same whatever the number of events: the evidence engine reads
these rows, never the participations themselves. tracker.domain.summaries and summary_upkeep keep both true
after every write (events, participations, a provider's sector or footprint, a plan's board), and
`flask evidence verify` checks them against the raw records.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base


class EngagementSummary(Base):
    """A provider's counted participations on one plan (event not withdrawn, participation not disputed)."""

    __tablename__ = "engagement_summary"
    __table_args__ = (
        sa.CheckConstraint("counted > 0 AND corroborated >= 0 AND corroborated <= counted", name="counts_valid"),
        sa.CheckConstraint("max_depth BETWEEN 1 AND 5", name="depth_range"),
        sa.CheckConstraint("months >= 1", name="months_positive"),
        sa.Index("ix_engagement_summary_provider", "provider_id"),
        # Everything the evidence figures read, so they come from the index alone.
        sa.Index("ix_engagement_summary_figures", "plan_id", "in_footprint", "sector", "max_depth", "months",
                 "counted", "corroborated"),
    )

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id", ondelete="CASCADE"), primary_key=True)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id", ondelete="CASCADE"), primary_key=True)
    counted: Mapped[int]  # counted participations
    corroborated: Mapped[int]  # of which confirmed
    max_depth: Mapped[int] = mapped_column(sa.SmallInteger)  # the highest depth among them
    months: Mapped[int]  # distinct calendar months among them
    sector: Mapped[str] = mapped_column(sa.String(30))  # the provider's sector (a copy)
    in_footprint: Mapped[bool]  # whether the provider serves the plan's board (a copy)


class FootprintTally(Base):
    """How many providers of a sector serve a board (a sector with none has no row, or a row of 0)."""

    __tablename__ = "footprint_tally"
    __table_args__ = (sa.CheckConstraint("providers >= 0", name="providers_not_negative"),)

    hwb_id: Mapped[int] = mapped_column(sa.ForeignKey("hwb.id", ondelete="CASCADE"), primary_key=True)
    sector: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    providers: Mapped[int]
