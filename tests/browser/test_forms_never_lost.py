"""In Chromium: forms that never lose or double. Signing in returns to the page asked for (?next=); a form sent
after the session ended is kept and offered again, filled in, after signing in; going back to a form and sending
the same event again records it once, and the second answer links to the first. axe-core on every page."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect

from tests.browser.conftest import accessible
from tests.factories import PASSWORD, make_hwb, make_plan, make_provider, make_user
from tracker.models import EngagementEvent
from tracker.web.extensions import db

pytestmark = pytest.mark.browser

FORM = "/provider/plans/E06000047/2015-16/events/new"


@pytest.fixture
def site(live_app: Flask, live_app_ctx: Flask) -> Iterator[None]:
    """An acute trust serving County Durham, its plan, and the trust's user; today pinned to 1 October 2014."""
    live_app.config["TODAY"] = date(2014, 10, 1)
    durham = make_hwb("E06000047", region="north", name="County Durham")
    trust = make_provider("acute", [durham], code="RXP", name="County Durham and Darlington NHS Foundation Trust")
    make_plan(durham)
    make_user("provider", "provider@example.org", provider=trust)
    db.session.commit()
    yield
    live_app.config.pop("TODAY", None)


def events() -> list[str]:
    db.session.rollback()  # a new transaction: see what the live server committed
    return list(db.session.scalars(sa.select(EngagementEvent.ref)))


def sign_in(page: Any) -> None:
    page.get_by_label("Email address").fill("provider@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def fill_event(page: Any, summary: str) -> None:
    page.get_by_label("Day", exact=True).fill("12")
    page.get_by_label("Month", exact=True).fill("6")
    page.get_by_label("Year", exact=True).fill("2014")
    page.get_by_label("Workshop", exact=True).check()
    page.get_by_label("3 Involve").check()
    page.get_by_label("Schemes", exact=True).check()
    page.get_by_role("group", name="Did your organisation's leadership take part?").get_by_label("Yes").check()
    page.get_by_label("Summary of what happened").fill(summary)


def test_sign_in_returns_to_the_page_asked_for(page: Any, axe: Any, page_errors: list[str], site: None) -> None:
    page.goto(FORM)
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    accessible(page, axe, page_errors, "sign-in with next")
    sign_in(page)
    expect(page.locator("h1")).to_contain_text("Record an engagement event")
    assert page.url.endswith(FORM)


def test_a_form_sent_after_the_session_ended_is_offered_again_filled_in(
        page: Any, axe: Any, page_errors: list[str], site: None) -> None:
    page.goto("/sign-in")
    sign_in(page)
    page.goto(FORM)
    fill_event(page, "Workshop typed before the session ended")
    page.context.clear_cookies()  # the session ends while the form is open
    page.get_by_role("button", name="Record the event").click()
    expect(page.locator("h1")).to_contain_text("Sign in")
    expect(page.get_by_text("Sign in and we will show you the form again")).to_be_visible()
    accessible(page, axe, page_errors, "sign-in after the session ended")
    assert events() == []
    sign_in(page)
    expect(page.locator("h1")).to_contain_text("Record an engagement event")
    expect(page.get_by_label("Summary of what happened")).to_have_value("Workshop typed before the session ended")
    expect(page.get_by_label("Workshop", exact=True)).to_be_checked()
    expect(page.get_by_label("Day", exact=True)).to_have_value("12")
    accessible(page, axe, page_errors, "the kept form")
    page.get_by_role("button", name="Record the event").click()
    expect(page.get_by_text("Event recorded")).to_be_visible()
    assert len(events()) == 1


def test_going_back_and_sending_the_same_event_again_records_it_once(
        page: Any, axe: Any, page_errors: list[str], site: None) -> None:
    page.goto("/sign-in")
    sign_in(page)
    page.goto(FORM)
    fill_event(page, "Workshop on the discharge schemes")
    page.get_by_role("button", name="Record the event").click()
    expect(page.get_by_text("Event recorded")).to_be_visible()
    [ref] = events()
    page.go_back()
    expect(page.locator("h1")).to_contain_text("Record an engagement event")
    if page.get_by_label("Summary of what happened").input_value() == "":
        fill_event(page, "Workshop on the discharge schemes")  # the browser fetched the form afresh: type it again
    page.get_by_role("button", name="Record the event").click()
    expect(page.get_by_text("already sent, so the event was recorded once")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Workshop")
    assert ref in page.url
    accessible(page, axe, page_errors, "the copy answered")
    assert events() == [ref]
