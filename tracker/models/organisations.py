"""Organisations: health and wellbeing boards, CCGs and providers with their footprints."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain import vocab
from tracker.models._types import one_of
from tracker.models.base import Base

hwb_ccg = sa.Table(
    "hwb_ccg",
    Base.metadata,
    sa.Column("hwb_id", sa.ForeignKey("hwb.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("ccg_id", sa.ForeignKey("ccg.id", ondelete="CASCADE"), primary_key=True, index=True),
)

provider_footprint = sa.Table(
    "provider_footprint",
    Base.metadata,
    sa.Column("provider_id", sa.ForeignKey("provider.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("hwb_id", sa.ForeignKey("hwb.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class HWB(Base):
    """A health and wellbeing board: one per upper-tier local authority, keyed by ONS GSS code."""

    __tablename__ = "hwb"
    __table_args__ = (
        one_of("region", vocab.REGIONS),
        sa.CheckConstraint("length(code) = 9", name="code_gss"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(9), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    region: Mapped[str] = mapped_column(sa.String(20), index=True)

    ccgs: Mapped[list["CCG"]] = relationship(secondary=hwb_ccg, back_populates="hwbs")
    providers: Mapped[list["Provider"]] = relationship(secondary=provider_footprint, back_populates="footprint")

    def __repr__(self) -> str:
        return f"<HWB {self.code} {self.name}>"


class CCG(Base):
    """A clinical commissioning group, keyed by ODS code; may cover several boards."""

    __tablename__ = "ccg"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(10), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))

    hwbs: Mapped[list[HWB]] = relationship(secondary=hwb_ccg, back_populates="ccgs")


class Provider(Base):
    """An NHS or social care provider organisation, with its sector and the boards whose area it serves."""

    __tablename__ = "provider"
    __table_args__ = (one_of("sector", vocab.SECTORS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    sector: Mapped[str] = mapped_column(sa.String(30), index=True)
    # The day it ceased (tracker.domain.organisations.close_provider); its records and its footprint stay.
    closed_on: Mapped[date | None]

    footprint: Mapped[list[HWB]] = relationship(secondary=provider_footprint, back_populates="providers")

    def __repr__(self) -> str:
        return f"<Provider {self.code} {self.sector}>"
