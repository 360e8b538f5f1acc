"""The append-only audit trail, and a small key-value record of facts about this installation."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models._types import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """Who did what, when, to which record, before and after. Rows are only ever inserted."""

    __tablename__ = "audit_entry"
    __table_args__ = (sa.Index("ix_audit_entry_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    actor: Mapped[str] = mapped_column(sa.String(254))  # e-mail or "cli", kept even if the user goes
    action: Mapped[str] = mapped_column(sa.String(60))
    entity_type: Mapped[str] = mapped_column(sa.String(40))
    entity_id: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    before: Mapped[Any | None] = mapped_column(sa.JSON)
    after: Mapped[Any | None] = mapped_column(sa.JSON)
    remote_addr: Mapped[str] = mapped_column(sa.String(45), default="", server_default="")


class SiteFact(db.Model):
    """A fact about this installation, such as that the fictional demonstration data is loaded."""

    __tablename__ = "site_fact"

    key: Mapped[str] = mapped_column(sa.String(50), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)
