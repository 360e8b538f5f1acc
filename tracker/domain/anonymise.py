"""Anonymising a person who has left, and showing the audit trail without their old name or e-mail.

Anonymising renames the account "Former user N" (N its id) with the e-mail former-user-N@anonymised.invalid,
deactivates it, ends its sessions and revokes its API tokens. Everything that shows a person reads the user
record, so every page, export and API answer shows the new identity at once; what they recorded stays, so the
evidence figures do not change.

The audit trail cannot change (it is append-only), and some of its entries keep an e-mail or a name as text (the
label of a failed sign-in, an account's values before and after a change). The anonymisation's own entry keeps
SHA-256 digests of the old e-mail and name, never the values; Substitutions reads those entries and replaces any
text of an entry whose digest matches with the new identity, whenever the trail is shown or exported.
"""
from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.accounts import AccountError, revoke_token
from tracker.models import ApiToken, AuditEntry, User

ACTION = "user_anonymised"
DOMAIN = "anonymised.invalid"


def digest(value: str) -> str:
    """The SHA-256 of a name or an e-mail, matched without regard to case or surrounding spaces."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()


def new_identity(user: User) -> tuple[str, str]:
    """The name and e-mail an anonymised account takes."""
    return f"Former user {user.id}", f"former-user-{user.id}@{DOMAIN}"


def is_anonymised(user: User) -> bool:
    return user.email == new_identity(user)[1]


def anonymise(session: Session, user: User, *, actor: User) -> User:
    """Replace the person's name and e-mail, deactivate the account, end its sessions and revoke its tokens.
    Refuses an account already anonymised, and the admin's own."""
    if is_anonymised(user):
        raise AccountError("This account is already anonymised")
    if user.id == actor.id:
        raise AccountError("You cannot anonymise your own account")
    for token in session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id,
                                                           ApiToken.revoked_at.is_(None))):
        revoke_token(session, token, actor=actor)
    old = {"email_sha256": digest(user.email), "name_sha256": digest(user.name) if user.name.strip() else None,
           "active": user.active}
    user.name, user.email = new_identity(user)
    user.active = False
    user.session_version += 1
    session.flush()
    audit.record(session, "user_anonymised", "user", user.id, before=old,
                 after={"name": user.name, "email": user.email, "active": False}, actor=actor)
    return user


class Substitutions:
    """Replaces the old names and e-mails of anonymised people, wherever they appear as a whole value."""

    def __init__(self, session: Session) -> None:
        self.replacements: dict[str, str] = {}
        for before, after in session.execute(sa.select(AuditEntry.before, AuditEntry.after)
                                             .where(AuditEntry.action == ACTION)):
            if not isinstance(before, dict) or not isinstance(after, dict):
                continue
            if before.get("email_sha256"):
                self.replacements[before["email_sha256"]] = after.get("email", "")
            if before.get("name_sha256"):
                self.replacements[before["name_sha256"]] = after.get("name", "")

    def apply(self, value: Any) -> Any:
        """The value with every string that is an anonymised person's old name or e-mail replaced."""
        if not self.replacements:
            return value
        if isinstance(value, str):
            return self.replacements.get(digest(value), value) if value.strip() else value
        if isinstance(value, dict):
            return {key: self.apply(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.apply(item) for item in value]
        return value
