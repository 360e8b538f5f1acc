"""Idempotency-Key: a retried write returns the first answer instead of doing the work twice."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.models import IdempotentRequest

KEY_MAX = 255


class KeyReused(ValueError):
    """The key was used before with a different request."""


def request_fingerprint(path: str, body: Any) -> str:
    """A digest of what was asked, so a key reused for another request is caught."""
    canonical = json.dumps({"path": path, "body": body}, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def key_problem(key: str) -> str | None:
    """Why a key cannot be used, or None."""
    if not key or len(key) > KEY_MAX or not key.isprintable():
        return f"Idempotency-Key must be 1 to {KEY_MAX} printable characters"
    return None


def stored_answer(session: Session, user_id: int, key: str, fingerprint: str) -> tuple[int, Any] | None:
    """The first answer given to this user's key, or None; KeyReused when the request differs."""
    record = session.scalar(sa.select(IdempotentRequest).where(IdempotentRequest.user_id == user_id,
                                                               IdempotentRequest.key == key))
    if record is None:
        return None
    if record.request_hash != fingerprint:
        raise KeyReused("This Idempotency-Key was already used for a different request")
    return record.status_code, record.body


def recent_answer(session: Session, user_id: int, key_prefix: str, since: datetime) -> tuple[int, Any] | None:
    """The latest answer given since `since` to one of this user's keys that start with `key_prefix`, or None."""
    record = session.scalar(sa.select(IdempotentRequest).where(
        IdempotentRequest.user_id == user_id, IdempotentRequest.key.startswith(key_prefix, autoescape=True),
        IdempotentRequest.created_at >= since).order_by(IdempotentRequest.created_at.desc()).limit(1))
    return None if record is None else (record.status_code, record.body)


def remember_answer(session: Session, user_id: int, key: str, fingerprint: str, status: int, body: Any) -> None:
    """Keep the answer in the same transaction as the work, so both are saved or neither is."""
    session.add(IdempotentRequest(user_id=user_id, key=key, request_hash=fingerprint, status_code=status, body=body))
