"""Sending what is due, each message exactly once even when several senders run at once.

A sender claims a batch in a short transaction of its own: on PostgreSQL `SELECT … FOR UPDATE SKIP LOCKED` then
an UPDATE to 'sending' with its claim id; on SQLite one `UPDATE … WHERE status = 'queued'` statement, which takes
the database's single write lock before it reads, so two senders never claim the same row. Each message is then
sent and marked sent (or queued again with a back-off, or failed with the reason after the last try) by the
claimer only. A claim older than `claim_timeout` (a sender that crashed) may be taken over.
"""
from __future__ import annotations

import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.models import Notification, User
from tracker.models._types import utcnow

SCRUBBED = "The link in this message was sent by email and is not kept."


class DeliveryError(Exception):
    """A transport could not hand the message on (the server refused it, or could not be reached)."""


@dataclass(frozen=True)
class Outgoing:
    """One e-mail ready to leave: the reader's address, subject, and plain text and HTML bodies."""

    notification_id: int
    to: str
    subject: str
    text: str
    html: str


class Transport(Protocol):
    """What sends an e-mail: SMTP, GOV.UK Notify, or a file in the outbox."""

    def send(self, message: Outgoing) -> None: ...


@dataclass(frozen=True)
class Settings:
    """How the sender behaves (from the configuration)."""

    base_url: str = "http://localhost:5000"
    max_tries: int = 5
    retry_seconds: int = 60  # the first wait; doubled after each failed try, up to an hour
    claim_timeout: int = 300
    batch_size: int = 50
    sender_name: str = "Better Care Fund tracker"


@dataclass
class Tally:
    """What one round did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def new_claim_id() -> str:
    """Who claims: the host, the process and a random part, so each sender's claims are its own."""
    import os

    return f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(4)}"


def _due(now: datetime, timeout: int) -> sa.ColumnElement[bool]:
    return sa.or_(sa.and_(Notification.status == "queued", Notification.next_try_at <= now),
                  sa.and_(Notification.status == "sending", Notification.claimed_at < now - timedelta(seconds=timeout)))


def claim(session: Session, claim_id: str, now: datetime, settings: Settings) -> list[int]:
    """Claim up to a batch of due messages for this sender and commit; their ids."""
    session.commit()  # the claim is a transaction of its own, begun by its first statement
    due = _due(now, settings.claim_timeout)
    values = {"status": "sending", "claimed_by": claim_id, "claimed_at": now, "tries": Notification.tries + 1}
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(sa.select(Notification.id).where(due).order_by(Notification.id)
                                   .limit(settings.batch_size).with_for_update(skip_locked=True)))
        if ids:
            session.execute(sa.update(Notification).where(Notification.id.in_(ids)).values(**values)
                            .execution_options(synchronize_session=False))
    else:
        batch = sa.select(Notification.id).where(due).order_by(Notification.id).limit(settings.batch_size)
        ids = list(session.scalars(sa.update(Notification).where(Notification.id.in_(batch.scalar_subquery()), due)
                                   .values(**values).returning(Notification.id)
                                   .execution_options(synchronize_session=False)))
    session.commit()
    return sorted(ids)


def outgoing(row: Notification, address: str, settings: Settings) -> Outgoing:
    """The e-mail of a notification: its text, then the link to its page in the tracker."""
    text, html = row.body_text, row.body_html
    if row.link:
        url = settings.base_url.rstrip("/") + row.link
        text += f"\n\nOpen it in the tracker:\n{url}"
        html += f'<p><a href="{_attr(url)}">Open it in the tracker</a></p>'
    footer = ("You are getting this email because you have an account on the Better Care Fund tracker. "
              "You can choose which emails you get on your notification settings page.")
    if row.kind not in ("password_reset",):
        text += f"\n\n{footer}"
        html += f"<p>{footer}</p>"
    return Outgoing(row.id, address, row.subject, text, html)


def _attr(value: str) -> str:
    import html

    return html.escape(value, quote=True)


def _finish(session: Session, notification_id: int, claim_id: str, **values: object) -> None:
    session.execute(sa.update(Notification).where(Notification.id == notification_id,
                                                   Notification.claimed_by == claim_id,
                                                   Notification.status == "sending")
                    .values(**values).execution_options(synchronize_session=False))
    session.commit()


def backoff(tries: int, settings: Settings) -> timedelta:
    """How long to wait before the next try after `tries` failed ones."""
    return timedelta(seconds=min(settings.retry_seconds * 2 ** max(tries - 1, 0), 3600))


def deliver(session: Session, transport: Transport, settings: Settings, *, claim_id: str | None = None,
            now: Callable[[], datetime] = utcnow) -> Tally:
    """Claim and send batches until nothing is due; what was sent, retried and failed."""
    claim_id = claim_id or new_claim_id()
    tally = Tally()
    while True:
        ids = claim(session, claim_id, now(), settings)
        if not ids:
            return tally
        rows = session.execute(sa.select(Notification, User.email, User.active).join(User)
                               .where(Notification.id.in_(ids), Notification.claimed_by == claim_id)
                               .order_by(Notification.id)).all()
        session.commit()
        for row, address, active in rows:
            _send_one(session, transport, settings, claim_id, row, address, active, tally, now)


def _send_one(session: Session, transport: Transport, settings: Settings, claim_id: str, row: Notification,
              address: str, active: bool, tally: Tally, now: Callable[[], datetime]) -> None:
    if not active:
        tally.failed += 1
        _finish(session, row.id, claim_id, status="failed", last_error="The account is no longer active")
        return
    try:
        transport.send(outgoing(row, address, settings))
    except DeliveryError as exc:
        reason = str(exc)[:2000] or exc.__class__.__name__
        tally.errors.append(f"notification {row.id}: {reason}")
        if row.tries >= settings.max_tries:
            tally.failed += 1
            _finish(session, row.id, claim_id, status="failed", last_error=reason)
        else:
            tally.retried += 1
            _finish(session, row.id, claim_id, status="queued", last_error=reason,
                    next_try_at=now() + backoff(row.tries, settings))
        return
    scrub = ({"body_text": SCRUBBED, "body_html": f"<p>{SCRUBBED}</p>", "link": ""}
             if row.kind == "password_reset" else {})
    _finish(session, row.id, claim_id, status="sent", sent_at=now(), last_error="", **scrub)
    tally.sent += 1
