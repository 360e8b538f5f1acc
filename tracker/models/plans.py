"""A board's Better Care Fund plan for one year, with its declarations against the national conditions."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain import vocab
from tracker.models._types import one_of
from tracker.models.base import Base
from tracker.models.organisations import HWB

_DIGITS = "('0', '1', '2', '3', '4', '5', '6', '7', '8', '9')"
# vocab.is_year in SQL that SQLite and PostgreSQL both read: YYYY-YY, digits, the first year within the fund's range
# and the second part the year after it. Migration 0007 writes the same text.
YEAR_CHECK = " AND ".join([
    "length(year) = 7", "substr(year, 5, 1) = '-'",
    *(f"substr(year, {i}, 1) IN {_DIGITS}" for i in (1, 2, 3, 4, 6, 7)),
    f"CAST(substr(year, 1, 4) AS INTEGER) BETWEEN {vocab.FIRST_YEAR} AND {vocab.LAST_YEAR}",
    "CAST(substr(year, 6, 2) AS INTEGER) = (CAST(substr(year, 1, 4) AS INTEGER) + 1) % 100",
])


class Plan(Base):
    """One HWB's BCF plan for one financial year."""

    __tablename__ = "plan"
    __table_args__ = (
        sa.UniqueConstraint("hwb_id", "year", name="uq_plan_hwb_year"),
        sa.CheckConstraint(YEAR_CHECK, name="year_valid"),
        one_of("status", vocab.PLAN_STATUSES),
        sa.CheckConstraint("minimum_pool_gbp >= 0", name="minimum_pool_nonnegative"),
        sa.CheckConstraint("total_pool_gbp >= minimum_pool_gbp", name="total_at_least_minimum"),
        sa.CheckConstraint("nhs_contribution_gbp >= 0", name="nhs_contribution_nonnegative"),
        sa.CheckConstraint("council_contribution_gbp >= 0", name="council_contribution_nonnegative"),
        sa.CheckConstraint(
            "claimed_emergency_reduction_pct >= -100 AND claimed_emergency_reduction_pct <= 100",
            name="claimed_reduction_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hwb_id: Mapped[int] = mapped_column(sa.ForeignKey("hwb.id"))
    year: Mapped[str] = mapped_column(sa.String(7))
    minimum_pool_gbp: Mapped[int] = mapped_column(sa.BigInteger)
    total_pool_gbp: Mapped[int] = mapped_column(sa.BigInteger)
    nhs_contribution_gbp: Mapped[int] = mapped_column(sa.BigInteger)
    council_contribution_gbp: Mapped[int] = mapped_column(sa.BigInteger)
    claimed_emergency_reduction_pct: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    draft_submission: Mapped[date | None]
    final_submission: Mapped[date | None]
    # The assurance status: draft or submitted until an assurer records a review, then its decision.
    status: Mapped[str] = mapped_column(sa.String(40), default="draft", server_default="draft")

    hwb: Mapped[HWB] = relationship()
    declarations: Mapped[list["ConditionDeclaration"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Plan {self.hwb_id} {self.year}>"


class ConditionDeclaration(Base):
    """The board's own declaration against one national condition."""

    __tablename__ = "condition_declaration"
    __table_args__ = (
        one_of("condition", vocab.NATIONAL_CONDITIONS),
        one_of("declaration", vocab.DECLARATIONS),
    )

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id", ondelete="CASCADE"), primary_key=True)
    condition: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    declaration: Mapped[str] = mapped_column(sa.String(20))
    detail: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    plan: Mapped[Plan] = relationship(back_populates="declarations")
