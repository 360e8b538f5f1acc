"""The append-only audit trail, and a small key-value record of facts about this installation.

Append-only is kept at three levels: no route changes or deletes an entry (tests/reliability/test_audit_trail.py
checks every route); the ORM refuses to flush a change to or the deletion of an entry, and refuses an UPDATE or
DELETE statement on the table sent through a session (below); and the database itself refuses them, by triggers
(migration 0004: UPDATE and DELETE on PostgreSQL, UPDATE on SQLite).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from tracker.models._types import UTCDateTime, utcnow
from tracker.models.base import Base


class AuditEntry(Base):
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


class AuditTrailIsAppendOnly(RuntimeError):
    """Something tried to change or delete an audit entry."""


@sa.event.listens_for(AuditEntry, "before_update")
def _refuse_update(mapper: Any, connection: Any, entry: AuditEntry) -> None:  # noqa: ARG001 - the event's signature
    raise AuditTrailIsAppendOnly(f"audit entry {entry.id} cannot be changed: the audit trail is append-only")


@sa.event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(mapper: Any, connection: Any, entry: AuditEntry) -> None:  # noqa: ARG001 - the event's signature
    raise AuditTrailIsAppendOnly(f"audit entry {entry.id} cannot be deleted: the audit trail is append-only")


@sa.event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    """An UPDATE or DELETE statement on the audit table, sent through any session, is refused before it runs."""
    if (state.is_update or state.is_delete) and getattr(state.statement, "table", None) is not None \
            and state.statement.table.name == AuditEntry.__tablename__:
        raise AuditTrailIsAppendOnly("the audit trail is append-only: no UPDATE or DELETE of audit_entry")


class SiteFact(Base):
    """A fact about this installation, such as that the fictional demonstration data is loaded."""

    __tablename__ = "site_fact"

    key: Mapped[str] = mapped_column(sa.String(50), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)
