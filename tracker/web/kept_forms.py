"""Nothing typed is lost when a session ends: a form that arrives after the person's session ended, or after the
form's security (CSRF) token expired, is kept, and the same form is offered again, filled in, once they are back.

The fields are kept on the server (not in the cookie: a long summary would not fit, and a cookie is only signed),
under a one-time token that only this browser's session holds; passwords, security tokens and files are never
kept. The kept form is given back once, to a GET of the same page, within a day, and then forgotten.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from urllib.parse import quote, urlsplit

import sqlalchemy as sa
from flask import Flask, flash, g, redirect, request, session, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from tracker.models import KeptForm
from tracker.models._types import utcnow
from tracker.web.extensions import db

SESSION_KEY = "kept_form"
KEPT_FOR = timedelta(days=1)
NEVER_KEPT = frozenset({"csrf_token", "password", "new_password", "current_password", "confirm_password"})
_STORABLE_NOT = re.compile(r"[\x00\ud800-\udfff]")  # NUL and lone surrogates: no database keeps them
MAX_FIELDS, MAX_CHARS = 200, 200_000  # more than any form of ours; a bigger body is not a person's typing


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site (`/…`, not `//host` or `/\\host`, no scheme), else None."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(c) < 32 or c == "\\" for c in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def keep_posted_form() -> bool:
    """Keep this POST's fields for this browser session; False when there is nothing a person typed to keep."""
    if request.blueprint == "auth":
        return False  # signing in or out: nothing of theirs to keep
    if len(request.path) > KeptForm.path.type.length or "\x00" in request.path:
        return False  # no page has such an address (and the database could not hold it)
    pairs = [(name, _STORABLE_NOT.sub("", value)) for name, value in request.form.items(multi=True)
             if name not in NEVER_KEPT]
    if not pairs or len(pairs) > MAX_FIELDS or sum(len(v) for _, v in pairs) > MAX_CHARS:
        return False
    token = secrets.token_urlsafe(24)
    db.session.execute(sa.delete(KeptForm).where(KeptForm.created_at < utcnow() - KEPT_FOR))
    db.session.add(KeptForm(token_hash=_digest(token), path=request.path, fields=[list(p) for p in pairs]))
    session[SESSION_KEY] = token
    return True


def kept_and_redirected() -> Response:
    """Keep the posted form, then send the person to sign in (or back to the form when they still are)."""
    kept = keep_posted_form()
    # The path as it was sent (quoted): a decoded one could hold a line break, which no header may carry.
    path = quote(request.path)
    if current_user.is_authenticated or request.blueprint == "auth":
        flash("Your form had expired, so nothing was saved. " + ("We have kept what you entered: check it and "
              "submit it again." if kept else "Check your answers and submit it again."), "error")
        referrer = request.referrer or ""
        return redirect(referrer if referrer.startswith(request.host_url) else path, 303)
    flash("Your session had ended, so nothing was saved. " + ("Sign in and we will show you the form again with "
          "what you entered." if kept else "Sign in to carry on."), "info")
    return redirect(url_for("auth.sign_in", next=path), 303)


def take_kept_form() -> None:
    """Before a GET: when this browser kept a form for this page, make it the data the page's form shows."""
    g.pop("kept_formdata", None)  # a test or a command may hold one app context (and its g) across requests
    token = session.get(SESSION_KEY)
    if request.method != "GET" or not isinstance(token, str) or not current_user.is_authenticated:
        return
    record = db.session.scalar(sa.select(KeptForm).where(KeptForm.token_hash == _digest(token)))
    if record is None or record.created_at < utcnow() - KEPT_FOR:
        session.pop(SESSION_KEY, None)
        return
    if record.path != request.path:
        return  # kept for another page: it waits there until the person opens it
    session.pop(SESSION_KEY, None)
    db.session.delete(record)
    g.kept_formdata = MultiDict([tuple(pair) for pair in record.fields])
    flash("This is the form you were filling in, with what you had entered. Nothing was saved yet: check it and "
          "submit it.", "info")


def kept_formdata(field_names: set[str]) -> MultiDict | None:
    """The kept fields for a form with these fields (the one that was posted), or None."""
    data: MultiDict | None = g.get("kept_formdata")
    kept = {re.split(r"[-\[]", name, maxsplit=1)[0] for name in data} if data is not None else set()  # date[day]
    return data if kept and kept <= field_names else None


def register_kept_forms(app: Flask) -> None:
    """Give a kept form back to the first GET of its page once its person is signed in again."""
    app.before_request(take_kept_form)
