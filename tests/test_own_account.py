"""People's own accounts: their name and password, their sessions (seen and ended from another browser), API
tokens that expire and show their last use, revoked with a password reset or a deactivation; admins see each
user's last sign-in."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.factories import PASSWORD, make_user, sign_in_as
from tracker.domain import accounts
from tracker.models import ApiToken, AuditEntry, UserSession
from tracker.models._types import utcnow
from tracker.web.extensions import db

NEW_PASSWORD = "a new passphrase of several words"


def browser(app, email: str):
    """A browser signed in through the sign-in page (so its session is listed)."""
    client = app.test_client()
    assert client.post("/sign-in", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def test_a_person_changes_their_name(client, app_ctx) -> None:
    user = make_user("assurer")
    db.session.commit()
    sign_in_as(client, user)
    assert "Enter your name" in client.post("/account/name", data={"name": "   "}).get_data(as_text=True)
    assert client.post("/account/name", data={"name": "  Ada   Lovelace "}).status_code == 303
    db.session.refresh(user)
    assert user.name == "Ada Lovelace"
    assert "Ada Lovelace" in client.get("/account/").get_data(as_text=True)
    assert db.session.scalar(sa.select(AuditEntry.after).where(AuditEntry.action == "name_changed")) == {
        "name": "Ada Lovelace"}


def test_changing_the_password_keeps_this_browser_and_signs_out_the_others(app, app_ctx) -> None:
    user = make_user("admin", "me@example.org")
    db.session.commit()
    here, there = browser(app, "me@example.org"), browser(app, "me@example.org")
    wrong = here.post("/account/password", data={"current_password": "nope", "new_password": NEW_PASSWORD})
    assert "enter your current password" in wrong.get_data(as_text=True)
    same = here.post("/account/password", data={"current_password": PASSWORD, "new_password": PASSWORD})
    assert "different from your current one" in same.get_data(as_text=True)
    short = here.post("/account/password", data={"current_password": PASSWORD, "new_password": "short"})
    assert "12 characters or more" in short.get_data(as_text=True)
    done = here.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert done.status_code == 303
    assert here.get("/account/").status_code == 200  # still signed in here
    assert there.get("/account/").status_code == 302  # signed out there
    db.session.refresh(user)
    assert accounts.authenticate(db.session, "me@example.org", NEW_PASSWORD) is not None


def test_a_person_sees_their_sessions_and_ends_one_from_another_browser(app, app_ctx) -> None:
    make_user("admin", "board@example.org")
    db.session.commit()
    here, there, third = (browser(app, "board@example.org") for _ in range(3))
    page = here.get("/account/sessions").get_data(as_text=True)
    assert page.count("This session") == 1 and page.count(">End<") == 2
    others = db.session.scalars(sa.select(UserSession.id).order_by(UserSession.id)).all()
    assert len(others) == 3
    assert here.post(f"/account/sessions/{others[1]}/end").status_code == 303
    assert there.get("/account/").status_code == 302 and third.get("/account/").status_code == 200
    assert here.post(f"/account/sessions/{others[1]}/end").status_code == 404  # already ended
    assert here.post("/account/sessions/end-others").status_code == 303
    assert third.get("/account/").status_code == 302 and here.get("/account/").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEntry.action == "session_ended")) == 2


def test_another_persons_session_cannot_be_ended(app, app_ctx) -> None:
    make_user("admin", "one@example.org")
    make_user("admin", "two@example.org")
    db.session.commit()
    one, two = browser(app, "one@example.org"), browser(app, "two@example.org")
    two_session = db.session.scalars(sa.select(UserSession.id).order_by(UserSession.id.desc())).first()
    assert one.post(f"/account/sessions/{two_session}/end").status_code == 404
    assert two.get("/account/").status_code == 200


def test_signing_out_ends_the_session(app, app_ctx) -> None:
    make_user("admin", "out@example.org")
    db.session.commit()
    client = browser(app, "out@example.org")
    client.post("/sign-out")
    assert db.session.scalar(sa.select(UserSession.ended_at)) is not None


def test_tokens_expire_show_their_last_use_and_are_revoked_by_a_reset_or_deactivation(client, app_ctx) -> None:
    user, admin = make_user("assurer"), make_user("admin")
    db.session.commit()
    sign_in_as(client, user)
    created = client.post("/account/tokens", data={"name": "reports", "days": "30"})
    token = created.get_data(as_text=True).split('data-testid="new-token">')[1].split("<")[0]
    record = db.session.scalars(sa.select(ApiToken)).one()
    assert timedelta(days=29, hours=23) < record.expires_at - utcnow() <= timedelta(days=30)
    assert client.post("/account/tokens", data={"name": "x", "days": "7"}).status_code == 200  # not a choice
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 1
    api = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/plans?year=2015-16", headers=api).status_code == 200
    db.session.refresh(record)
    assert record.last_used_at is not None
    assert "Never" not in client.get("/account/tokens").get_data(as_text=True).split("reports")[1][:400]
    record.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/plans?year=2015-16", headers=api).status_code == 401
    assert "Expired" in client.get("/account/tokens").get_data(as_text=True)
    # A password reset and a deactivation revoke every token.
    live = [accounts.create_token(db.session, user, "a"), accounts.create_token(db.session, user, "b")]
    db.session.commit()
    accounts.reset_password(db.session, user, NEW_PASSWORD, actor=admin)
    db.session.commit()
    assert all(client.get("/api/v1/plans?year=2015-16", headers={"Authorization": f"Bearer {t}"}).status_code
               == 401 for t in live)
    other = accounts.create_token(db.session, user, "c")
    accounts.set_active(db.session, user, True, actor=admin)
    accounts.set_active(db.session, user, False, actor=admin)
    db.session.commit()
    assert db.session.scalar(sa.select(ApiToken.revoked_at).where(ApiToken.name == "c")) is not None
    assert client.get("/api/v1/plans?year=2015-16", headers={"Authorization": f"Bearer {other}"}).status_code == 401


def test_admins_see_each_users_last_sign_in(app, app_ctx, client) -> None:
    admin = make_user("admin", "chief@example.org")
    make_user("assurer", "never@example.org")
    db.session.commit()
    html = browser(app, "chief@example.org").get("/admin/users").get_data(as_text=True)
    assert "Last signed in" in html
    never_row = html.split(">never@example.org</a>")[1].split("</tr>")[0]
    assert "Never" in never_row
    chief_row = html.split(">chief@example.org</a>")[1].split("</tr>")[0]
    assert "Never" not in chief_row and admin.id
