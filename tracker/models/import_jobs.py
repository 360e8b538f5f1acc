"""A CSV file uploaded in the browser, imported in the background by the same runner as `flask import`.

The file's bytes are kept in the database, so any server (or `flask imports work`) can process it. A job is
previewed (the import run and rolled back), then, once an admin confirms, imported for real.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models._types import UTCDateTime, one_of, utcnow
from tracker.models.base import Base

JOB_STATUSES = ("queued", "previewing", "previewed", "importing", "done", "failed")


class ImportJob(Base):
    """One uploaded file and how its preview and import went."""

    __tablename__ = "import_job"
    __table_args__ = (one_of("status", JOB_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    filename: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    overwrite: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(20), default="queued", index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set when an admin confirms the import
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_done: Mapped[int] = mapped_column(default=0)
    counts: Mapped[Any | None] = mapped_column(sa.JSON)  # created, updated, unchanged… (preview, then import)
    errors: Mapped[Any | None] = mapped_column(sa.JSON)  # the first 1,000 `line N: message`, when refused
    error_count: Mapped[int] = mapped_column(default=0)
    report: Mapped[Any | None] = mapped_column(sa.JSON)  # rows kept as changed in the tracker (`line N: kept …`)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
