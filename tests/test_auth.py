"""Sign-in, sign-out, sessions, rate limits, CSRF, security headers, the password policy and the audit trail."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from tests.factories import PASSWORD, make_hwb, make_provider, make_user, sign_in_as
from tracker.domain.passwords import password_problem
from tracker.models import AuditEntry, User
from tracker.web.extensions import db


def audit_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_sign_in_form_has_email_password_and_csrf_field(app) -> None:
    with app.app_context():
        app.config["WTF_CSRF_ENABLED"] = True
        try:
            html = app.test_client().get("/sign-in").get_data(as_text=True)
        finally:
            app.config["WTF_CSRF_ENABLED"] = False
    assert 'name="email"' in html and 'name="password"' in html and 'name="csrf_token"' in html
    assert 'name="remember"' in html and "checked" not in html.split('name="remember"')[1].split(">")[0]


def test_sign_in_goes_home_and_is_audited(client, app_ctx) -> None:
    user = make_user("admin", "Admin@Example.org".lower())
    db.session.commit()
    response = client.post("/sign-in", data={"email": " ADMIN@example.org ", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users"
    assert client.get("/admin/users").status_code == 200
    assert "sign_in" in audit_actions()
    assert db.session.get(User, user.id).last_sign_in_at is not None


@pytest.mark.parametrize("email, password", [("nobody@example.org", PASSWORD),
                                             ("known@example.org", "wrong password!")])
def test_failed_sign_in_does_not_reveal_whether_the_email_exists(client, app_ctx, email, password) -> None:
    make_user("assurer", "known@example.org")
    db.session.commit()
    response = client.post("/sign-in", data={"email": email, "password": password})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in html
    assert "<title>Error: Sign in" in html
    assert audit_actions() == ["sign_in_failed"]


def test_empty_sign_in_form_says_what_to_enter(client) -> None:
    html = client.post("/sign-in", data={}).get_data(as_text=True)
    assert "Enter your email address" in html and "Enter your password" in html
    assert 'href="#email"' in html  # the error summary links to the field


def test_deactivated_user_is_signed_out_at_next_request(client, app_ctx) -> None:
    user = make_user("admin")
    db.session.commit()
    sign_in_as(client, user)
    assert client.get("/admin/users").status_code == 200
    user.active = False
    user.session_version += 1
    db.session.commit()
    response = client.get("/admin/users")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_deactivated_user_cannot_sign_in(client, app_ctx) -> None:
    make_user("admin", "gone@example.org", active=False)
    db.session.commit()
    response = client.post("/sign-in", data={"email": "gone@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_sign_out_ends_the_session(client, app_ctx) -> None:
    sign_in_as(client, make_user("admin"))
    db.session.commit()
    assert client.post("/sign-out").status_code == 302
    assert client.get("/admin/users").status_code == 302


def test_forms_without_csrf_token_are_refused(app, app_ctx) -> None:
    user = make_user("admin")
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = sign_in_as(app.test_client(), user)
        response = client.post("/account/tokens", data={"name": "no token"})
        assert response.status_code == 303  # refused, sent back with a message; nothing made
        assert "Your form had expired" in client.get("/account/tokens").get_data(as_text=True)
        assert client.post("/sign-out").status_code == 303
        assert client.get("/account/tokens").status_code == 200  # still signed in: sign-out needs CSRF too
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert "token_created" not in audit_actions()


def test_rate_limit_trips_per_account_and_recovers(other_app, monkeypatch) -> None:
    # A minute's window, so that slow password checks on a busy machine cannot let the window pass mid-test; the
    # recovery is shown by moving the limiter's clock on (its memory storage reads time.time()).
    limited = other_app(RATELIMIT_SIGN_IN="3 per 1 minute")
    client = limited.test_client()
    with limited.app_context():
        make_user("admin", "target@example.org")
        db.session.commit()
    bad = {"email": "target@example.org", "password": "wrong password!"}
    assert [client.post("/sign-in", data=bad).status_code for _ in range(3)] == [200, 200, 200]
    tripped = client.post("/sign-in", data={**bad, "password": PASSWORD})
    assert tripped.status_code == 429
    assert "Too many attempts" in tripped.get_data(as_text=True)
    # Another account from the same address trips the per-address limit too; an unknown e-mail looks the same.
    assert client.post("/sign-in", data={"email": "nobody@example.org", "password": "x" * 12}).status_code == 429
    started = time.time()
    monkeypatch.setattr(time, "time", lambda: started + 61)
    assert client.post("/sign-in", data={**bad, "password": PASSWORD}).status_code == 302


def test_security_headers_on_every_response(client) -> None:
    for path in ("/", "/sign-in", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp and "script-src 'self' 'nonce-" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_csp_nonce_is_on_the_inline_script_and_changes_per_response(client) -> None:
    first, second = client.get("/"), client.get("/")
    nonce = first.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in first.get_data(as_text=True)
    assert nonce not in second.headers["Content-Security-Policy"]


def test_session_cookie_flags(app, app_ctx, other_app, monkeypatch) -> None:
    make_user("admin", "cookie@example.org")
    db.session.commit()
    client = app.test_client()
    response = client.post("/sign-in", data={"email": "cookie@example.org", "password": PASSWORD})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    monkeypatch.setenv("SECRET_KEY", "s" * 32)
    prod = other_app(TRACKER_ENV="production")
    assert prod.config["SESSION_COOKIE_SECURE"] is True and prod.config["REMEMBER_COOKIE_SECURE"] is True


def test_error_pages_never_show_a_stack_trace(other_app) -> None:
    fresh = other_app()

    @fresh.get("/__boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = fresh.test_client().get("/__boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "secret internals" not in html and "Traceback" not in html


@pytest.mark.parametrize("password, problem", [
    ("short pass", "12 characters or more"),
    ("password1234", "too easy to guess"),
    ("aaaaaaaaaaaaaaaa", "too easy to guess"),
    ("a" * 257, "256 characters or fewer"),
    ("plain lowercase words", None),  # no composition rules
])
def test_password_policy(password, problem) -> None:
    result = password_problem(password)
    assert (result is None) if problem is None else (problem in result)


def test_admin_changes_role_and_scope_with_audit(client, app_ctx) -> None:
    hwb = make_hwb("E09000001", region="london")
    provider = make_provider(footprint=[hwb], code="RAL")
    admin = make_user("admin")
    target = make_user("assurer", "assurer@example.org")
    db.session.commit()
    sign_in_as(client, admin)
    response = client.post(f"/admin/users/{target.id}", data={"role": "provider", "provider_code": "RAL",
                                                               "active": "yes"})
    assert response.status_code == 303
    db.session.refresh(target)
    assert (target.role, target.provider_id) == ("provider", provider.id)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "role_changed"))
    assert entry.before["role"] == "assurer" and entry.after["role"] == "provider" and entry.actor_id == admin.id
    # A scope that does not exist is refused on its field and changes nothing.
    response = client.post(f"/admin/users/{target.id}", data={"role": "hwb", "hwb_code": "E09999999",
                                                              "active": "yes"})
    assert response.status_code == 200
    assert "Enter the code of a health and wellbeing board that exists" in response.get_data(as_text=True)
    db.session.refresh(target)
    assert target.role == "provider"


def test_admin_creates_user_deactivates_and_resets_password(client, app_ctx) -> None:
    admin = make_user("admin")
    db.session.commit()
    sign_in_as(client, admin)
    weak = client.post("/admin/users/new", data={"email": "new@example.org", "role": "admin", "password": "short"})
    assert "Password must be 12 characters or more" in weak.get_data(as_text=True)
    assert db.session.scalar(sa.select(User).where(User.email == "new@example.org")) is None
    created = client.post("/admin/users/new", data={"email": "New@Example.org", "role": "assurer",
                                                    "region": "london", "password": "a long enough phrase"})
    assert created.status_code == 303
    user = db.session.scalar(sa.select(User).where(User.email == "new@example.org"))
    assert (user.role, user.region) == ("assurer", "london")
    duplicate = client.post("/admin/users/new", data={"email": "new@example.org", "role": "admin",
                                                      "password": "a long enough phrase"})
    assert "already exists" in duplicate.get_data(as_text=True)
    version = user.session_version
    assert client.post(f"/admin/users/{user.id}/password", data={"password": "another long phrase"}).status_code == 303
    db.session.refresh(user)
    assert user.session_version == version + 1
    assert client.post(f"/admin/users/{user.id}", data={"role": "assurer", "active": "no"}).status_code == 303
    db.session.refresh(user)
    assert user.active is False
    assert {"user_created", "password_reset", "user_deactivated"} <= set(audit_actions())


def test_api_tokens_page_creates_shows_once_and_revokes(client, app_ctx) -> None:
    from tracker.domain import accounts

    user = make_user("assurer")
    other = make_user("assurer")
    db.session.commit()
    sign_in_as(client, user)
    html = client.post("/account/tokens", data={"name": "analysis"}).get_data(as_text=True)
    token = html.split('data-testid="new-token">')[1].split("<")[0]
    assert token.startswith("bcf_") and accounts.user_for_token(db.session, token).id == user.id
    assert token not in client.get("/account/tokens").get_data(as_text=True)  # shown once only
    stored = db.session.scalars(sa.select(sa.text("token_hash")).select_from(sa.table("api_token"))).all()
    assert token not in stored and len(stored) == 1
    other_token = accounts.create_token(db.session, other)
    db.session.commit()
    other_id = db.session.scalar(sa.text("select id from api_token where user_id = :u"), {"u": other.id})
    assert client.post(f"/account/tokens/{other_id}/revoke").status_code == 404
    assert accounts.user_for_token(db.session, other_token) is not None
    own_id = db.session.scalar(sa.text("select id from api_token where user_id = :u"), {"u": user.id})
    assert client.post(f"/account/tokens/{own_id}/revoke").status_code == 303
    db.session.expire_all()
    assert accounts.user_for_token(db.session, token) is None
    assert {"token_created", "token_revoked"} <= set(audit_actions())


def test_create_user_and_token_commands(runner, app_ctx) -> None:
    make_hwb("E08000001")
    make_provider(code="RBB")
    db.session.commit()
    result = runner.invoke(args=["create-user", "p@example.org", "--role", "provider", "--provider", "RBB"],
                           input="a long enough phrase\n")
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["create-user", "h@example.org", "--role", "hwb", "--hwb", "E08000001"],
                           input="short\n")
    assert result.exit_code == 1 and "12 characters or more" in result.output
    result = runner.invoke(args=["create-user", "x@example.org", "--role", "hwb", "--provider", "RBB"], input="x\n")
    assert result.exit_code == 2
    result = runner.invoke(args=["create-token", "p@example.org"])
    assert result.exit_code == 0 and result.output.strip().startswith("bcf_")
    assert runner.invoke(args=["create-token", "nobody@example.org"]).exit_code == 1
