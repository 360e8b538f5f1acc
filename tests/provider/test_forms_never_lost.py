"""Forms that never lose or double: sign-in returns to ?next= (same-site paths only), a form sent after the session
ended (or after its security token expired) is kept and offered again, and the same event sent again after going
back to the form is recorded once."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from tests.factories import PASSWORD, sign_in_as
from tests.provider.conftest import count, event_form
from tracker.models import EngagementEvent, KeptForm
from tracker.web.extensions import db


def sign_in(client, email: str, next_: str | None = None):
    query = {"next": next_} if next_ is not None else {}
    return client.post("/sign-in", query_string=query, data={"email": email, "password": PASSWORD})


def test_sign_in_returns_to_the_page_asked_for(client, scene) -> None:
    page = f"{scene.base}/events/new?from=home"
    asked = client.get(page)
    assert asked.status_code == 302 and "/sign-in?next=" in asked.headers["Location"]
    form = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert 'action="/sign-in?next=' in form  # the form keeps where to go back to
    response = sign_in(client, scene.user.email, page)
    assert response.status_code == 302 and response.headers["Location"] == page


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x",
                                    "/ok\r\nSet-Cookie: x=1", "evil.example"])
def test_sign_in_never_leaves_the_site(client, scene, target) -> None:
    response = sign_in(client, scene.user.email, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/provider/"  # the provider's home, not the address given


def test_a_form_sent_after_the_session_ended_is_kept_and_offered_again_after_signing_in(client, scene) -> None:
    sign_in_as(client, None)  # the session has ended
    data = event_form(summary="Typed before the session ended")
    response = client.post(f"{scene.base}/events/new", data=data)
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.path == "/sign-in" and parse_qs(location.query) == {"next": [f"{scene.base}/events/new"]}
    assert count(EngagementEvent) == 0 and count(KeptForm) == 1
    signed_in = sign_in(client, scene.user.email, f"{scene.base}/events/new")
    assert signed_in.headers["Location"] == f"{scene.base}/events/new"
    html = client.get(signed_in.headers["Location"]).get_data(as_text=True)
    assert "Typed before the session ended" in html and "with what you had entered. Nothing was saved yet" in html
    assert re.search(r'value="RPART"[^>]*checked', html)  # a ticked box comes back ticked
    assert count(KeptForm) == 0  # given back once, then forgotten
    again = client.get(f"{scene.base}/events/new").get_data(as_text=True)
    assert "Typed before the session ended" not in again


def test_a_form_whose_token_expired_is_kept_for_the_same_person(app, client, scene) -> None:
    sign_in_as(client, scene.user)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"{scene.base}/events/new", data=event_form(summary="Kept across the expiry"))
        assert response.status_code == 303
        html = client.get(f"{scene.base}/events/new").get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert "We have kept what you entered" in html and "Kept across the expiry" in html
    assert count(EngagementEvent) == 0


def test_nothing_kept_is_shown_to_another_browser(client, app, scene) -> None:
    sign_in_as(client, None)
    client.post(f"{scene.base}/events/new", data=event_form(summary="Only for the browser that typed it"))
    other = sign_in_as(app.test_client(), scene.user)
    assert "Only for the browser that typed it" not in other.get(f"{scene.base}/events/new").get_data(as_text=True)


def test_passwords_and_tokens_are_never_kept(client, scene) -> None:
    sign_in_as(client, None)
    client.post(f"{scene.base}/events/new", data={**event_form(), "csrf_token": "abc", "password": "secret"})
    fields = db.session.scalars(sa.select(KeptForm.fields)).one()
    assert {name for name, _ in fields}.isdisjoint({"csrf_token", "password"})


def test_the_same_event_sent_again_after_going_back_is_recorded_once(client, scene) -> None:
    sign_in_as(client, scene.user)
    first = client.post(f"{scene.base}/events/new", data=event_form())
    assert first.status_code == 303
    # Back to the form: the browser fetches it afresh (a new one-time token), and the same event is sent again.
    again = client.post(f"{scene.base}/events/new", data=event_form(), follow_redirects=True)
    assert count(EngagementEvent) == 1
    html = again.get_data(as_text=True)
    ref = db.session.scalars(sa.select(EngagementEvent.ref)).one()
    assert "already sent" in html and ref in html
    # A different event is recorded as usual.
    client.post(f"{scene.base}/events/new", data=event_form(summary="Another workshop"))
    assert count(EngagementEvent) == 2
