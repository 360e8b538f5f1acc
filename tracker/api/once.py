"""Creating a record through the API once per Idempotency-Key: the rule every POST that creates shares."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import abort, request

from tracker.web.extensions import db
from tracker.web.idempotency import KeyReused, key_problem, remember_answer, request_fingerprint, stored_answer

Answer = tuple[dict[str, Any], int, dict[str, str]]


def replay(user_id: int, key: str, fingerprint: str) -> Answer | None:
    """The stored first answer for this key, marked as a replay; 422 when the key was used for another request."""
    try:
        stored = stored_answer(db.session, user_id, key, fingerprint)
    except KeyReused as reused:
        abort(422, description=str(reused))
    if stored is None:
        return None
    status, body = stored
    return body, status, {"Idempotent-Replayed": "true"}


def created_once(user_id: int, create: Callable[[], dict[str, Any]], location: str) -> Answer:
    """Run `create` (it writes and returns the new record's answer, or aborts) unless this Idempotency-Key was
    answered before: then the first answer again. The key is remembered in the work's own transaction, and a
    concurrent retry that won the race is found when the work is flushed (the request commits at its end:
    tracker.web.unit_of_work)."""
    key = request.headers.get("Idempotency-Key")
    fingerprint = request_fingerprint(request.path, request.get_json(silent=True))
    if key is not None:
        problem = key_problem(key)
        if problem:
            abort(422, description=problem)
        stored = replay(user_id, key, fingerprint)
        if stored is not None:
            return stored
    answer = create()
    if key is not None:
        remember_answer(db.session, user_id, key, fingerprint, 201, answer)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        stored = replay(user_id, key, fingerprint) if key is not None else None
        if stored is None:
            raise
        return stored
    return answer, 201, {"Location": location}
