"""A person's notifications in the tracker (newest first, read or not) and their choice per kind."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.errors import Rejected
from tracker.domain.notifications.kinds import KINDS, SYSTEM_KINDS, kinds_for
from tracker.models import Notification, NotificationPreference, User
from tracker.models._types import utcnow

MODE_LABELS = {"now": "At once", "digest": "In a daily summary email (working days)", "off": "Off"}


class PreferencesRejected(Rejected):
    """A choice that cannot be made; `errors` maps each kind to its message."""


def _listed(user: User) -> sa.ColumnElement[bool]:
    # The digest and the password reset are e-mails only: the first repeats the list, the second is a secret.
    return sa.and_(Notification.user_id == user.id, Notification.kind.not_in(SYSTEM_KINDS))


def newest(session: Session, user: User, limit: int = 100) -> list[Notification]:
    """The person's latest notifications, newest first."""
    return list(session.scalars(sa.select(Notification).where(_listed(user))
                                .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def unread_count(session: Session, user: User) -> int:
    """How many of the person's notifications they have not opened."""
    return session.scalar(sa.select(sa.func.count()).select_from(Notification)
                          .where(_listed(user), Notification.read_at.is_(None))) or 0


def open_notification(session: Session, user: User, notification_id: int, *, now: datetime | None = None
                      ) -> Notification | None:
    """The person's own notification, marked read (None when it is not theirs, or not listed)."""
    row = session.scalar(sa.select(Notification).where(_listed(user), Notification.id == notification_id))
    if row is not None and row.read_at is None:
        row.read_at = now or utcnow()
    return row


def mark_all_read(session: Session, user: User, *, now: datetime | None = None) -> int:
    """Mark every unread notification of the person read; how many."""
    result = session.execute(sa.update(Notification).where(_listed(user), Notification.read_at.is_(None))
                             .values(read_at=now or utcnow()).execution_options(synchronize_session=False))
    return result.rowcount or 0


def chosen_modes(session: Session, user: User) -> dict[str, str]:
    """The person's mode for each kind they can receive (at once where they made no choice)."""
    rows = dict(session.execute(sa.select(NotificationPreference.kind, NotificationPreference.mode)
                                .where(NotificationPreference.user_id == user.id)).all())
    return {kind.name: rows.get(kind.name, "now") for kind in kinds_for(user.role)}


def set_modes(session: Session, user: User, modes: dict[str, str]) -> None:
    """Save the person's choices; a duty cannot be turned off, and a kind not for their role cannot be chosen."""
    allowed = {kind.name for kind in kinds_for(user.role)}
    errors = {}
    for kind, mode in modes.items():
        if kind not in allowed or mode not in MODE_LABELS:
            errors[kind] = "Select how you want to hear about this"
        elif mode == "off" and KINDS[kind].duty:
            errors[kind] = "You cannot turn this off: it is something you need to act on"
    if errors:
        raise PreferencesRejected(errors)
    before = chosen_modes(session, user)
    existing = {p.kind: p for p in session.scalars(sa.select(NotificationPreference)
                                                   .where(NotificationPreference.user_id == user.id))}
    for kind, mode in modes.items():
        if kind in existing:
            existing[kind].mode = mode
        else:
            session.add(NotificationPreference(user_id=user.id, kind=kind, mode=mode))
    session.flush()
    after = chosen_modes(session, user)
    if after != before:
        audit.record(session, "notification_preferences", "user", user.id, before=before, after=after, actor=user)
