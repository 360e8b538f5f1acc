"""People who sign in, their API tokens, and remembered answers to idempotent API requests."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain import vocab
from tracker.models._types import UTCDateTime, one_of, utcnow
from tracker.models.base import Base
from tracker.models.organisations import HWB, Provider


class User(Base):
    """A person with one role and the scope that goes with it."""

    __tablename__ = "user"
    __table_args__ = (
        one_of("role", vocab.ROLES),
        sa.CheckConstraint("region IS NULL OR region IN ('north', 'midlands_east', 'london', 'south')",
                           name="region_valid"),
        # The scope matches the role: a provider user has a provider and nothing else, and so on.
        sa.CheckConstraint(
            "(role = 'provider' AND provider_id IS NOT NULL AND hwb_id IS NULL AND region IS NULL)"
            " OR (role = 'hwb' AND hwb_id IS NOT NULL AND provider_id IS NULL AND region IS NULL)"
            " OR (role = 'assurer' AND provider_id IS NULL AND hwb_id IS NULL)"
            " OR (role = 'admin' AND provider_id IS NULL AND hwb_id IS NULL AND region IS NULL)",
            name="scope_matches_role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(10))
    provider_id: Mapped[int | None] = mapped_column(sa.ForeignKey("provider.id"), index=True)
    hwb_id: Mapped[int | None] = mapped_column(sa.ForeignKey("hwb.id"), index=True)
    region: Mapped[str | None] = mapped_column(sa.String(20))
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Changes when the password or the account's standing changes, so old sessions stop working.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    provider: Mapped[Provider | None] = relationship()
    hwb: Mapped[HWB | None] = relationship()

    # What Flask-Login asks of a user (its UserMixin, written here so the model needs no Flask).
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """Session identity: the id and the session version, so a reset ends other sessions."""
        return f"{self.id}:{self.session_version}"


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 hash is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: made before tokens expired
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class IdempotentRequest(Base):
    """The first answer to an API write sent with an Idempotency-Key, returned again on a retry."""

    __tablename__ = "idempotent_request"
    __table_args__ = (sa.UniqueConstraint("user_id", "key", name="uq_idempotent_request_user_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    key: Mapped[str] = mapped_column(sa.String(255))
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    status_code: Mapped[int]
    body: Mapped[Any] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class KeptForm(Base):
    """What a person typed into a form that could not be taken (their session had ended, or the form's security
    token had expired), kept so the same form can be offered again, filled in, once they are back."""

    __tablename__ = "kept_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # SHA-256 of the token in their session
    path: Mapped[str] = mapped_column(sa.String(500))
    fields: Mapped[Any] = mapped_column(sa.JSON)  # list of [name, value] pairs, in the order they were sent
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class UserSession(Base):
    """One signed-in browser: shown to its person, who can end it from another (the cookie holds its id)."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    sid_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # SHA-256 of the id in the session cookie
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    address: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
