"""Notifications: what each person hears (in the tracker and by e-mail), their choices per kind, and the
single-use links that reset a forgotten password.

A notification is also its own e-mail outbox row: it is queued in the transaction of the change that causes it,
claimed by one sender (`claimed_by`), and marked sent or, after the last try, failed with the reason.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models._types import UTCDateTime, one_of, utcnow
from tracker.models.base import Base
from tracker.models.plans import Plan
from tracker.models.users import User

# queued: waits to be sent; sending: claimed by a sender; sent; failed: gave up after the last try (see last_error);
# held: waits for the person's daily digest; digested: went out in the digest named by digest_id.
DELIVERY_STATUSES = ("queued", "sending", "sent", "failed", "held", "digested")
MODES = ("now", "digest", "off")


class Notification(Base):
    """One message to one person about one record."""

    __tablename__ = "notification"
    __table_args__ = (
        one_of("status", DELIVERY_STATUSES),
        # A reminder or a digest is queued once: its key is unique per person.
        sa.UniqueConstraint("user_id", "key", name="uq_notification_user_key"),
        # What the sender looks for: due messages in order.
        sa.Index("ix_notification_due", "status", "next_try_at"),
        sa.Index("ix_notification_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan.id"))
    record_type: Mapped[str] = mapped_column(sa.String(30), default="", server_default="")
    record_ref: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    subject: Mapped[str] = mapped_column(sa.String(200))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    link: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    key: Mapped[str | None] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(10), default="queued", server_default="queued")
    tries: Mapped[int] = mapped_column(default=0, server_default="0")
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    digest_id: Mapped[int | None] = mapped_column(sa.ForeignKey("notification.id"))

    user: Mapped[User] = relationship()
    plan: Mapped[Plan | None] = relationship()


class NotificationPreference(Base):
    """How a person wants to hear one kind: at once, in the daily digest, or not at all. No row: at once."""

    __tablename__ = "notification_preference"
    __table_args__ = (
        one_of("mode", MODES),
        sa.UniqueConstraint("user_id", "kind", name="uq_notification_preference_user_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    mode: Mapped[str] = mapped_column(sa.String(10))


class PasswordReset(Base):
    """A single-use link to set a new password; only a SHA-256 hash of its token is kept."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
