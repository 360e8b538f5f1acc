"""The web side of people's sessions (tracker.domain.sessions): started at sign-in, its id in the cookie,
checked on each request, ended at sign-out."""
from __future__ import annotations

from flask import request, session
from flask_login import login_user, logout_user

from tracker.domain import sessions
from tracker.domain.accounts import load_user
from tracker.models import User
from tracker.web.extensions import db

SID = "sid"


def user_of_session(session_id: str) -> User | None:
    """Flask-Login's loader: the account, unless it changed since (tracker.domain.accounts.load_user) or this
    browser's session was ended from another."""
    user = load_user(db.session, session_id)
    sid = session.get(SID)
    if user is not None and isinstance(sid, str) and not sessions.alive(db.session, user.id, sid):
        return None
    return user


def sign_in(user: User, remember: bool, duration: object) -> None:
    """Sign the user in on this browser, as a session they can see and end."""
    login_user(user, remember=remember, duration=duration)
    session[SID] = sessions.start(db.session, user, request.user_agent.string or "", request.remote_addr or "")


def sign_in_again(user: User) -> None:
    """After the account's session version changed (a new password): keep this browser signed in."""
    login_user(user)


def sign_out() -> None:
    """End this browser's session."""
    sessions.end_by_cookie(db.session, session.pop(SID, None))
    logout_user()
