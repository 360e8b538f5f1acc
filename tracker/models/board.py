"""Seats on a health and wellbeing board."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain import vocab
from tracker.models._types import one_of
from tracker.models.base import Base
from tracker.models.organisations import HWB, Provider


class BoardMembership(Base):
    """A member's seat on a board from a start date to an optional end date."""

    __tablename__ = "board_membership"
    __table_args__ = (
        sa.UniqueConstraint("hwb_id", "member_name", "seat", "start", name="uq_board_membership_key"),
        one_of("seat", vocab.SEATS),
        sa.CheckConstraint('"end" IS NULL OR "end" >= start', name="end_after_start"),
        sa.Index("ix_board_membership_hwb_dates", "hwb_id", "start", "end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hwb_id: Mapped[int] = mapped_column(sa.ForeignKey("hwb.id"))
    member_name: Mapped[str] = mapped_column(sa.String(200))
    seat: Mapped[str] = mapped_column(sa.String(40))
    provider_id: Mapped[int | None] = mapped_column(sa.ForeignKey("provider.id"), index=True)
    voting: Mapped[bool] = mapped_column(default=True)
    start: Mapped[date]
    end: Mapped[date | None]

    hwb: Mapped[HWB] = relationship()
    provider: Mapped[Provider | None] = relationship()

    def active_on(self, day: date) -> bool:
        """PRODUCT.md: active on D when start <= D and (no end, or end >= D)."""
        return self.start <= day and (self.end is None or self.end >= day)
