"""Users and their sessions: loading the signed-in user, checking that a session is still good."""
from __future__ import annotations

from tracker.extensions import db
from tracker.models import User


def load_user(session_id: str) -> User | None:
    """The user a session belongs to, or None once the account is deactivated or its sessions were ended."""
    try:
        user_id, version = (int(part) for part in session_id.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user
