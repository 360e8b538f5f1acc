"""Users, sign-in and API tokens: the one implementation behind the sign-in page, admin pages, CLI and API.

Each function takes the session; those that change an account take the acting user (`actor`: a User, or None
for the command line) for the audit trail.
"""
from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from tracker.domain import audit, vocab
from tracker.domain.passwords import hash_password, password_problem, verify_password
from tracker.models import HWB, ApiToken, Provider, User
from tracker.models._types import utcnow

TOKEN_PREFIX = "bcf_"  # noqa: S105 - a public marker that makes tokens recognisable, not a secret


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so a failed sign-in takes as long either way."""
    return hash_password(secrets.token_hex(16))


class AccountError(ValueError):
    """A request about an account that cannot be carried out; `field` names the input at fault."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Scope:
    """What an account is tied to: a provider, a board, a region, or nothing (national)."""

    role: str
    provider_code: str | None = None
    hwb_code: str | None = None
    region: str | None = None


def normalise_email(email: str) -> str:
    """E-mail addresses are matched without regard to case or surrounding spaces."""
    return email.strip().lower()


def load_user(session: Session, session_id: str) -> User | None:
    """The user a session belongs to, or None once the account is deactivated or its sessions were ended."""
    try:
        user_id, version = (int(part) for part in session_id.split(":", 1))
    except ValueError:
        return None
    user = session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def find_user(session: Session, email: str) -> User | None:
    """The account with this e-mail address, if any (none has a NUL in it, which PostgreSQL cannot compare)."""
    if "\x00" in email:
        return None
    return session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user whose e-mail and password these are; records the attempt in the audit trail."""
    user = find_user(session, email)
    if user is None:
        verify_password(_dummy_hash(), password)
        audit.record(session, "sign_in_failed", "user", "", after={"email": normalise_email(email)[:254]})
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        audit.record(session, "sign_in_failed", "user", user.id, after={"email": user.email}, actor=user.email)
        return None
    user.last_sign_in_at = utcnow()
    audit.record(session, "sign_in", "user", user.id, actor=user)
    return user


def _resolve_scope(session: Session, scope: Scope) -> dict[str, object]:
    """Check a role and its scope, and turn codes into the ids stored on the user."""
    if scope.role not in vocab.ROLES:
        raise AccountError(f"Role must be one of {', '.join(vocab.ROLES)}", "role")
    values: dict[str, object] = {"role": scope.role, "provider_id": None, "hwb_id": None, "region": None}
    if scope.role == "provider":
        provider = session.scalar(sa.select(Provider).where(Provider.code == (scope.provider_code or "").strip()))
        if provider is None:
            raise AccountError("Enter the code of a provider that exists", "provider")
        values["provider_id"] = provider.id
    elif scope.role == "hwb":
        hwb = session.scalar(sa.select(HWB).where(HWB.code == (scope.hwb_code or "").strip().upper()))
        if hwb is None:
            raise AccountError("Enter the code of a health and wellbeing board that exists", "hwb")
        values["hwb_id"] = hwb.id
    elif scope.role == "assurer" and scope.region:
        if scope.region not in vocab.REGIONS:
            raise AccountError(f"Region must be one of {', '.join(vocab.REGIONS)}", "region")
        values["region"] = scope.region
    return values


def describe(user: User) -> dict[str, object]:
    """The parts of an account the audit trail keeps before and after a change (never the password)."""
    return {"email": user.email, "role": user.role, "provider_id": user.provider_id, "hwb_id": user.hwb_id,
            "region": user.region, "active": user.active}


def create_user(session: Session, email: str, password: str, scope: Scope, name: str = "", *,
                actor: User | None = None) -> User:
    """A new account; refuses a taken e-mail, a weak password or a scope that does not fit the role."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        raise AccountError("Enter an email address in the correct format, like name@example.com", "email")
    if find_user(session, email) is not None:
        raise AccountError("An account with this email address already exists", "email")
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem, "password")
    user = User(email=email, name=name.strip(), password_hash=hash_password(password), **_resolve_scope(session, scope))
    session.add(user)
    session.flush()
    audit.record(session, "user_created", "user", user.id, after=describe(user), actor=actor)
    return user


def change_scope(session: Session, user: User, scope: Scope, *, actor: User | None = None) -> None:
    """Change an account's role and scope; its sessions end so the new scope applies at once."""
    before = describe(user)
    for key, value in _resolve_scope(session, scope).items():
        setattr(user, key, value)
    if describe(user) != before:
        user.session_version += 1
        session.flush()
        audit.record(session, "role_changed", "user", user.id, before=before, after=describe(user), actor=actor)


def set_active(session: Session, user: User, active: bool, *, actor: User | None = None) -> None:
    """Deactivate (signed out at the next request) or reactivate an account."""
    if user.active == active:
        return
    before = describe(user)
    user.active = active
    user.session_version += 1
    audit.record(session, "user_reactivated" if active else "user_deactivated", "user", user.id,
                 before=before, after=describe(user), actor=actor)
    if not active:
        revoke_all_tokens(session, user, actor=actor)


def reset_password(session: Session, user: User, password: str, *, actor: User | None = None) -> None:
    """Set a new password, ending every session of the account."""
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError(problem, "password")
    user.password_hash = hash_password(password)
    user.session_version += 1
    audit.record(session, "password_reset", "user", user.id, actor=actor)
    revoke_all_tokens(session, user, actor=actor)


def change_own_password(session: Session, user: User, current: str, new: str) -> None:
    """A person changes their own password: the current one first; their other sessions end (the caller signs
    this one in again), their API tokens keep working."""
    if not verify_password(user.password_hash, current):
        raise AccountError("The current password is not right: enter your current password", "current_password")
    problem = password_problem(new, user.email)
    if problem:
        raise AccountError(problem, "new_password")
    if verify_password(user.password_hash, new):
        raise AccountError("Enter a new password that is different from your current one", "new_password")
    user.password_hash = hash_password(new)
    user.session_version += 1
    audit.record(session, "password_changed", "user", user.id, actor=user)


def change_own_name(session: Session, user: User, name: str) -> None:
    """A person changes the name shown for them."""
    name = " ".join(name.split())
    if not name:
        raise AccountError("Enter your name", "name")
    if len(name) > 200:
        raise AccountError("Name must be 200 characters or fewer", "name")
    if name != user.name:
        before = {"name": user.name}
        user.name = name
        audit.record(session, "name_changed", "user", user.id, before=before, after={"name": name}, actor=user)


def _token_digest(token: str) -> str:
    """Tokens are stored only as a SHA-256 digest: they are long and random, so no slow hash is needed."""
    return hashlib.sha256(token.encode()).hexdigest()


TOKEN_DAYS = (30, 90, 180, 365)  # how long a new token may work; 90 unless its person chooses
LAST_USE_PRECISION = timedelta(minutes=5)  # a token's last use is written at most this often


def create_token(session: Session, user: User, name: str = "", *, days: int = 90,
                 actor: User | None = None) -> str:
    """A new API token for the user, working for `days` days; the plain value is returned once, never stored."""
    if days not in TOKEN_DAYS:
        raise AccountError(f"Select how long the token works: {', '.join(map(str, TOKEN_DAYS))} days", "days")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, name=name.strip()[:100], token_hash=_token_digest(token), prefix=token[:12],
                      expires_at=utcnow() + timedelta(days=days))
    session.add(record)
    session.flush()
    audit.record(session, "token_created", "api_token", record.id, after={"user_id": user.id, "name": record.name,
                                                                 "prefix": record.prefix,
                                                                 "expires_at": record.expires_at.isoformat()},
                 actor=actor)
    return token


def revoke_token(session: Session, record: ApiToken, *, actor: User | None = None) -> None:
    """Stop a token working; it stays listed as revoked."""
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        token = {"user_id": record.user_id, "prefix": record.prefix}
        audit.record(session, "token_revoked", "api_token", record.id, before={**token, "revoked_at": None},
                     after={**token, "revoked_at": record.revoked_at.isoformat()}, actor=actor)


def revoke_all_tokens(session: Session, user: User, *, actor: User | None = None) -> int:
    """Revoke every working token of the user (a password reset, a deactivation); how many were revoked."""
    records = session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    count = 0
    for record in records:
        revoke_token(session, record, actor=actor)
        count += 1
    return count


def user_for_token(session: Session, token: str) -> User | None:
    """The active user an unrevoked, unexpired token belongs to; its last use is noted (to the nearest few
    minutes, so reading the API does not write on every call)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    record = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _token_digest(token))
                               .options(joinedload(ApiToken.user)))  # one round trip for the token and its user
    now = utcnow()
    if record is None or record.revoked_at is not None or not record.user.active:
        return None
    if record.expires_at is not None and record.expires_at <= now:
        return None
    if record.last_used_at is None or now - record.last_used_at >= LAST_USE_PRECISION:
        record.last_used_at = now
    return record.user
