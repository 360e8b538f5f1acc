"""Form submissions that take effect once: a double click, a resend or two copies racing record one thing.

A form that creates a record carries a one-time token (a hidden field, or the token of a draft kept in the session).
`submit_once` runs the work for the first copy and answers every later copy with the same reference. The token is
remembered in the work's own transaction (tracker.web.idempotency, as the API's Idempotency-Key), so either both
are saved or neither is.

Going back to a form and sending it again may give it a new token (the browser fetches the page afresh), so a form
can also name what it records (`same_as`): the same person sending the same content to the same page within
SAME_FORM_WINDOW is answered as a copy of the first.
"""
from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort, request
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage

from tracker.models import User
from tracker.models._types import utcnow
from tracker.web.extensions import db
from tracker.web.idempotency import recent_answer, remember_answer, stored_answer

TOKEN = re.compile(r"[0-9a-f]{32}")
SAME_FORM_WINDOW = timedelta(minutes=30)
NOT_CONTENT = frozenset({"csrf_token", "submission"})

Remember = Callable[[str], None]


def new_token() -> str:
    """A fresh one-time token for a form."""
    return secrets.token_hex(16)


def form_content(form: FlaskForm) -> dict[str, Any]:
    """What a form records, for `same_as`: its fields' data, but not its tokens (a file by its name)."""
    return {field.name: field.data.filename if isinstance(field.data, FileStorage) else field.data
            for field in form if field.name not in NOT_CONTENT}


def submit_once(user: User, form_name: str, token: str, save: Callable[[Remember], str | None],
                same_as: dict[str, Any] | None = None) -> tuple[str | None, bool]:
    """Run `save` for the first copy of this (user, form, token) submission only.

    `save(remember)` validates and writes; it calls `remember(ref)` in the same transaction (the request's work
    commits at its end: tracker.web.unit_of_work), and it returns the new record's reference, or None when it
    refused (its errors are on the form, nothing saved). A copy that raced it is found when the work is flushed.
    Returns (ref, repeated): the reference saved now (repeated False) or by an earlier copy (repeated True), or
    (None, False) when `save` refused. A token that is not one of ours answers 400. With `same_as` (what the form
    records, as form_content gives it), the same content sent again to this page soon after is a copy too.
    """
    if not TOKEN.fullmatch(token or ""):
        abort(400)
    key = f"form:{form_name}:{token}"
    fingerprint = hashlib.sha256(key.encode()).hexdigest()

    def earlier() -> str | None:
        stored = stored_answer(db.session, user.id, key, fingerprint)
        return stored[1]["ref"] if stored else None

    same = None if same_as is None else f"form:{form_name}:same:" + hashlib.sha256(json.dumps(
        [request.path, same_as], sort_keys=True, default=str).encode()).hexdigest() + ":"

    def remember(ref: str) -> None:
        remember_answer(db.session, user.id, key, fingerprint, 303, {"ref": ref})
        if same is not None:
            remember_answer(db.session, user.id, same + token, fingerprint, 303, {"ref": ref})

    done = earlier()
    if done is None and same is not None:
        recent = recent_answer(db.session, user.id, same, utcnow() - SAME_FORM_WINDOW)
        done = recent[1]["ref"] if recent else None
    if done is not None:
        return done, True
    try:
        ref = save(remember)
        db.session.flush()
        return ref, False
    except sa.exc.IntegrityError:  # a second copy of this submission won the race
        db.session.rollback()
        done = earlier()
        if done is None:
            raise
        return done, True
