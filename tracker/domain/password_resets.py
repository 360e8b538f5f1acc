"""Forgotten passwords: a single-use link by e-mail that works for an hour; only a hash of its token is kept.

Asking always gets the same answer, whether or not the address has an account. Setting the new password ends the
account's other sessions (accounts.reset_password) and revokes its API tokens. The e-mail is sent at once,
whatever the person chose for their notifications.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import accounts, audit
from tracker.models import ApiToken, Notification, PasswordReset, User
from tracker.models._types import utcnow

LIFETIME = timedelta(hours=1)
PATH = "/reset-password/"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_reset(session: Session, email: str, *, now: datetime | None = None) -> None:
    """If an active account has this address, queue an e-mail with a new reset link; otherwise do nothing."""
    user = accounts.find_user(session, email)
    if user is None or not user.active:
        audit.record(session, "password_reset_requested", "user", "",
                     after={"email": accounts.normalise_email(email)[:254], "account": False})
        return
    moment = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(PasswordReset(user_id=user.id, token_hash=_digest(token), created_at=moment,
                              expires_at=moment + LIFETIME))
    text = ("Someone asked to reset the password of your Better Care Fund tracker account. "
            "If it was you, open the link below to choose a new password. It works once, within 1 hour.\n\n"
            "If it was not you, you do not need to do anything: your password has not changed.")
    body_html = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    session.add(Notification(user_id=user.id, kind="password_reset", subject="Reset your password",
                             body_text=text, body_html=body_html, link=PATH + token, created_at=moment,
                             next_try_at=moment, status="queued"))
    session.flush()
    audit.record(session, "password_reset_requested", "user", user.id, after={"email": user.email, "account": True},
                 actor=user.email)


def user_for_token(session: Session, token: str, *, now: datetime | None = None) -> User | None:
    """The active account whose unused, unexpired reset link this is."""
    reset = _valid(session, token, now or utcnow())
    return reset.user if reset is not None else None


def _valid(session: Session, token: str, now: datetime) -> PasswordReset | None:
    if not token or len(token) > 100:
        return None
    reset = session.scalar(sa.select(PasswordReset).where(PasswordReset.token_hash == _digest(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= now or not reset.user.active:
        return None
    return reset


def complete_reset(session: Session, token: str, password: str, *, now: datetime | None = None) -> User | None:
    """Set the new password with a valid link (None when the link is not), used up with every other link of the
    account; its sessions end and its API tokens are revoked. accounts.AccountError for a weak password."""
    moment = now or utcnow()
    reset = _valid(session, token, moment)
    if reset is None:
        return None
    user = reset.user
    accounts.reset_password(session, user, password, actor=user)
    session.execute(sa.update(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                    .values(used_at=moment).execution_options(synchronize_session=False))
    for token_row in session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id,
                                                               ApiToken.revoked_at.is_(None))):
        accounts.revoke_token(session, token_row, actor=user)
    return user
