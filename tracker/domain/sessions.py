"""Signed-in browsers: each sign-in starts a session its person can see (browser, address, when) and end from
another. The browser's cookie carries the session's id; the database keeps only its SHA-256.

A session ends when its person ends it (or signs out), and all of an account's sessions end when its password
changes or it is deactivated (the account's session_version: tracker/domain/accounts.py).
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.models import User, UserSession
from tracker.models._types import utcnow

SEEN_PRECISION = timedelta(minutes=5)  # when a session was last used is written at most this often


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def start(session: Session, user: User, user_agent: str, address: str) -> str:
    """A new session for the user; the id to keep in the browser's cookie (returned once, stored hashed)."""
    sid = secrets.token_urlsafe(24)
    session.add(UserSession(user_id=user.id, sid_hash=_digest(sid), user_agent=user_agent[:200],
                            address=address[:64]))
    return sid


def alive(session: Session, user_id: int, sid: str) -> bool:
    """Whether the session with this id is the user's and has not been ended; notes its use."""
    record = session.scalar(sa.select(UserSession).where(UserSession.sid_hash == _digest(sid)))
    if record is None or record.user_id != user_id or record.ended_at is not None:
        return False
    now = utcnow()
    if now - record.last_seen_at >= SEEN_PRECISION:
        record.last_seen_at = now
    return True


def current_id(session: Session, sid: str | None) -> int | None:
    """The database id of the session this cookie id names, if any."""
    if not sid:
        return None
    return session.scalar(sa.select(UserSession.id).where(UserSession.sid_hash == _digest(sid)))


def open_sessions(session: Session, user: User) -> list[UserSession]:
    """The user's sessions that have not ended, most recently used first."""
    return list(session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id,
                                                             UserSession.ended_at.is_(None))
                                .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())))


def end(session: Session, user: User, session_id: int, *, actor: User | None) -> bool:
    """End one of the user's sessions (its browser is signed out at its next request); False when there is none."""
    record = session.get(UserSession, session_id)
    if record is None or record.user_id != user.id or record.ended_at is not None:
        return False
    record.ended_at = utcnow()
    audit.record(session, "session_ended", "user", user.id, before={"session": record.id, "ended": False},
                 after={"session": record.id, "ended": True}, actor=actor)
    return True


def end_others(session: Session, user: User, keep_sid: str | None, *, actor: User | None) -> int:
    """End every session of the user but the one this cookie id names; how many were ended."""
    keep = current_id(session, keep_sid)
    ended = 0
    for record in open_sessions(session, user):
        if record.id != keep:
            ended += end(session, user, record.id, actor=actor)
    return ended


def end_by_cookie(session: Session, sid: str | None) -> None:
    """Signing out: the session this cookie names ends (nothing to audit beyond the sign-out itself)."""
    if sid:
        session.execute(sa.update(UserSession).where(UserSession.sid_hash == _digest(sid),
                                                     UserSession.ended_at.is_(None)).values(ended_at=utcnow()))
