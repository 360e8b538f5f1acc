"""Forgotten password: the same answer for any address, a single-use link for an hour (its token kept only as a
hash), a new password ends the other sessions and revokes the API tokens."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tests.factories import make_user, sign_in_as
from tests.notifications.conftest import body
from tracker.domain import accounts, password_resets
from tracker.models import ApiToken, Notification, PasswordReset
from tracker.web.extensions import db

NEW = "a brand new long passphrase 42"


def _ask(client, email: str) -> str:
    response = client.post("/forgot-password", data={"email": email})
    assert response.status_code == 200
    page = response.get_data(as_text=True).replace(email, "ADDRESS")
    return re.sub(r'nonce="[^"]+"', "", page)


def _link(smtp) -> str:
    return re.search(r"http://localhost:5000(/reset-password/\S+)", body(smtp.messages[-1])).group(1)


def test_reset_journey_single_use_sessions_and_tokens_ended(app_ctx, client, smtp, runner) -> None:
    user = make_user("assurer", "reset@example.org")
    token = accounts.create_token(db.session, user)
    user_id, session_id = user.id, user.get_id()
    db.session.commit()
    other_device = app_ctx.test_client()
    sign_in_as(other_device, user)
    assert other_device.get("/account/").status_code == 200
    known, unknown = _ask(client, "Reset@Example.org"), _ask(client, "nobody@example.org")
    assert "Check your email" in known and known == unknown
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 1  # for the account only
    assert runner.invoke(args=["notifications", "send"]).exit_code == 0
    assert [m["To"] for m in smtp.messages] == ["reset@example.org"]
    path = _link(smtp)
    plain = path.rsplit("/", 1)[1]
    # Only the hash is kept; the message's copy of the link is scrubbed once sent.
    assert db.session.scalar(sa.select(PasswordReset.token_hash)) != plain
    sent = db.session.scalar(sa.select(Notification))
    assert plain not in sent.body_text + sent.body_html + sent.link
    assert client.get(path).status_code == 200
    weak = client.post(path, data={"password": "short", "confirm": "short"})
    assert weak.status_code == 200 and "nhsuk-error-message" in weak.get_data(as_text=True)
    done = client.post(path, data={"password": NEW, "confirm": NEW})
    assert done.status_code == 303 and done.headers["Location"].endswith("/sign-in")
    assert client.get(path).status_code == 404  # used
    assert other_device.get("/account/").status_code == 302  # the other session ended
    db.session.expire_all()
    assert accounts.load_user(db.session, session_id) is None
    assert accounts.user_for_token(db.session, token) is None
    assert db.session.scalar(sa.select(ApiToken.revoked_at).where(ApiToken.user_id == user_id)) is not None
    assert accounts.authenticate(db.session, "reset@example.org", NEW) is not None


def test_a_link_expires_after_an_hour(app_ctx, client) -> None:
    make_user("assurer", "late@example.org")
    earlier = datetime.now(UTC) - timedelta(minutes=61)
    password_resets.request_reset(db.session, "late@example.org", now=earlier)
    db.session.commit()
    link = db.session.scalar(sa.select(Notification.link))
    assert client.get(link).status_code == 404
    assert "Ask for a new link" in client.get(link).get_data(as_text=True)
    assert client.post(link, data={"password": NEW, "confirm": NEW}).status_code == 404


def test_an_inactive_account_gets_no_link_and_asking_is_rate_limited(app_ctx, client) -> None:
    make_user("assurer", "inactive@example.org", active=False)
    db.session.commit()
    for _ in range(5):
        _ask(client, "inactive@example.org")
    assert client.post("/forgot-password", data={"email": "inactive@example.org"}).status_code == 429
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0


def test_the_sign_in_page_offers_the_reset(client) -> None:
    assert 'href="/forgot-password"' in client.get("/sign-in").get_data(as_text=True)
