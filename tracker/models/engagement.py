"""Engagement events between providers and a board, the providers taking part, and evidence files."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain import vocab
from tracker.domain.clock import london_today
from tracker.models._types import UTCDateTime, one_of, utcnow
from tracker.models.base import Base
from tracker.models.organisations import Provider
from tracker.models.plans import Plan


class EngagementEvent(Base):
    """Something that happened between providers and a board about a plan; withdrawn, never deleted."""

    __tablename__ = "engagement_event"
    __table_args__ = (
        one_of("recorded_by", vocab.RECORDED_BY),
        one_of("kind", vocab.EVENT_KINDS),
        sa.CheckConstraint("depth BETWEEN 1 AND 5", name="depth_range"),
        sa.CheckConstraint(
            "(recorded_by = 'provider') = (recorded_by_provider_id IS NOT NULL)", name="recorder_matches_side"
        ),
        sa.Index("ix_engagement_event_plan_date", "plan_id", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(sa.String(64), unique=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id"))
    recorded_by: Mapped[str] = mapped_column(sa.String(10))
    # Which provider recorded it, when a provider did; the HWB side is the plan's own board.
    recorded_by_provider_id: Mapped[int | None] = mapped_column(sa.ForeignKey("provider.id"), index=True)
    date: Mapped[date]
    kind: Mapped[str] = mapped_column(sa.String(30))
    depth: Mapped[int] = mapped_column(sa.SmallInteger)
    summary: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    evidence_url: Mapped[str | None] = mapped_column(sa.String(2000))
    withdrawn: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Evidence as at a date reads these (tracker.domain.evidence.as_of): the London date the event was recorded in
    # the tracker and the one it was withdrawn on (None while it is not). An imported event takes its own date for
    # both. Every writer sets recorded_on; None (a row written some other way) never counts as at a past date.
    recorded_on: Mapped[date | None] = mapped_column(default=london_today)
    withdrawn_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When people last recorded, changed or withdrew the event in the tracker; None when an import wrote it last
    # (an import keeps such an event as the tracker has it unless told to overwrite: tracker/imports/events.py).
    changed_in_tracker_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[Plan] = relationship()
    recorded_by_provider: Mapped[Provider | None] = relationship()
    topics: Mapped[list["EventTopic"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventTopic.topic"
    )
    participations: Mapped[list["Participation"]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )
    documents: Mapped[list["EvidenceDocument"]] = relationship(back_populates="event")

    @property
    def topic_codes(self) -> list[str]:
        """The event's topics in a stable order."""
        return sorted(t.topic for t in self.topics)


class EventTopic(Base):
    """One topic an event covered."""

    __tablename__ = "event_topic"
    __table_args__ = (one_of("topic", vocab.TOPICS),)

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("engagement_event.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(30), primary_key=True)

    event: Mapped[EngagementEvent] = relationship(back_populates="topics")


class Participation(Base):
    """One provider taking part in one event; the other side confirms or disputes it."""

    __tablename__ = "participation"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "provider_id", name="uq_participation_event_provider"),
        one_of("status", vocab.PARTICIPATION_STATUSES),
        sa.Index("ix_participation_provider_event", "provider_id", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("engagement_event.id", ondelete="CASCADE"))
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id"))
    # Whether the provider's leadership (board or executive) took part: None until someone states it ("Not
    # stated"). The recording provider states its own; the board may state a provider's; a provider's own word wins.
    leadership: Mapped[bool | None]
    status: Mapped[str] = mapped_column(sa.String(12), default="unconfirmed", server_default="unconfirmed")
    status_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    event: Mapped[EngagementEvent] = relationship(back_populates="participations")
    provider: Mapped[Provider] = relationship()


class ParticipationStatusChange(Base):
    """A participation's status from a London date on: a first row when the participation is recorded, then one for
    each confirmation or dispute. An imported row is dated on its event's date. Rows are only ever added."""

    __tablename__ = "participation_status_change"
    __table_args__ = (
        one_of("status", vocab.PARTICIPATION_STATUSES),
        # The latest row on or before a date, read backwards by id from the index alone.
        sa.Index("ix_participation_status_change_as_of", "participation_id", "id", "changed_on", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[int] = mapped_column(sa.ForeignKey("participation.id", ondelete="CASCADE"))
    changed_on: Mapped[date]  # the London date the status holds from
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # when the row was written
    status: Mapped[str] = mapped_column(sa.String(12))

    participation: Mapped[Participation] = relationship()


class EvidenceDocument(Base):
    """A file attached to an event as evidence; stored outside static/ under a random key."""

    __tablename__ = "evidence_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("engagement_event.id"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    storage_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[EngagementEvent] = relationship(back_populates="documents")
