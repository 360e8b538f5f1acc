"""In Chromium: the notifications list (unread count in the header, opening one goes to its record), the
notification settings (a duty offers no "Off"), the daily digest, and the forgotten-password journey; axe on each
page."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect

from tests.browser.conftest import describe_violations, sign_in
from tests.factories import make_hwb, make_plan, make_provider, make_user
from tracker.domain.concerns import ConcernInput, raise_concern
from tracker.domain.engagement import EventInput, ParticipantInput, record_event
from tracker.domain.notifications.digest import compose_digests
from tracker.models import Notification, Plan, User
from tracker.web.extensions import db

pytestmark = pytest.mark.browser
NEW = "a brand new long passphrase 42"


def check(page: Any, axe: Any, page_errors: list[str], screenshot: Any, name: str, status: int = 200) -> None:
    """A screenshot, no axe violation, and no console error (but the one of a page answered `status`)."""
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page, f"notifications-{name}")
    violations = axe(page)
    assert violations == [], f"{name}:\n{describe_violations(violations)}"
    assert [e for e in page_errors if f"status of {status}" not in e] == [], name


@pytest.fixture
def board_site(live_app: Flask, live_app_ctx: Flask) -> None:
    hwb = make_hwb("E06000047", name="County Durham")
    plan = make_plan(hwb)
    trust = make_provider("acute", footprint=[hwb], code="RXP")
    make_user("hwb", "chair@durham.example.org", hwb=hwb)
    provider_user = make_user("provider", "trust@example.org", provider=trust)
    raise_concern(db.session, provider_user, plan, ConcernInput("excluded", "high", "Not asked", False),
                  today=plan.final_submission, acknowledge_days=3, respond_days=20)
    db.session.commit()


def test_the_list_and_the_settings(page: Any, axe: Any, page_errors: list[str], screenshot: Any,
                                   board_site: None) -> None:
    sign_in(page, "chair@durham.example.org")
    account = page.get_by_role("navigation", name="Account")
    account.get_by_role("link", name="Notifications (1 unread)").click()
    expect(page.locator("h1")).to_have_text("Notifications")
    check(page, axe, page_errors, screenshot, "list")
    page.get_by_role("link", name="A provider raised a concern").click()
    expect(page).to_have_url(re.compile(r"/board/concerns/CN-"))
    page.goto("/notifications/settings")
    check(page, axe, page_errors, screenshot, "settings")
    duty = page.get_by_role("group", name="A provider raised a concern about your plan")
    expect(duty.get_by_label("Off")).to_have_count(0)
    events = page.get_by_role("group", name="A provider recorded an event on your plan")
    events.get_by_label("Off").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Your notification settings are saved")
    expect(page.get_by_role("group", name="A provider recorded an event on your plan").get_by_label("Off")
           ).to_be_checked()


def test_the_password_reset_journey(page: Any, axe: Any, page_errors: list[str], screenshot: Any,
                                    board_site: None, live_app_ctx: Flask) -> None:
    page.goto("/sign-in")
    page.get_by_role("link", name="Forgot your password?").click()
    check(page, axe, page_errors, screenshot, "forgot")
    page.get_by_label("Email address").fill("trust@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    check(page, axe, page_errors, screenshot, "sent")
    db.session.expire_all()
    link = db.session.scalar(sa.select(Notification.link).where(Notification.kind == "password_reset"))
    page.goto(link)
    check(page, axe, page_errors, screenshot, "new-password")
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("Confirm new password").fill(NEW)
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("h1")).to_have_text("Sign in")
    sign_in(page, "trust@example.org", NEW)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("This link no longer works")
    check(page, axe, page_errors, screenshot, "expired", status=404)  # a used link is not found


def test_the_daily_digest(page: Any, axe: Any, page_errors: list[str], screenshot: Any, board_site: None,
                          live_app: Flask) -> None:
    """A board user chooses the daily summary for events; an event recorded later is held, then gathered into the
    summary the sender composes on the next working morning, which the list shows."""
    sign_in(page, "chair@durham.example.org")
    page.goto("/notifications/settings")
    events = page.get_by_role("group", name="A provider recorded an event on your plan")
    events.get_by_label("In a daily summary email (working days)").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Your notification settings are saved")
    check(page, axe, page_errors, screenshot, "settings-digest")

    db.session.rollback()
    trust_user = db.session.scalars(sa.select(User).where(User.email == "trust@example.org")).one()
    plan = db.session.scalars(sa.select(Plan)).one()
    record_event(db.session, trust_user, plan, EventInput(
        date=date(2014, 7, 3), kind="workshop", depth=3, topics=("schemes",), summary="Workshop on the schemes",
        participations=(ParticipantInput("RXP", True),)), today=date(2014, 10, 1))
    db.session.commit()
    held = db.session.scalars(sa.select(Notification.status).where(Notification.kind == "event_recorded")).all()
    assert held == ["held"]
    monday_morning = datetime(2014, 10, 6, 8, 0, tzinfo=UTC)  # 9am in London, a working day
    assert compose_digests(db.session, monday_morning, "http://localhost") == 1
    db.session.commit()
    [digest] = db.session.scalars(sa.select(Notification).where(Notification.kind == "digest")).all()
    assert digest.subject == "Your Better Care Fund tracker summary for 6 October 2014: 1 update"
    assert "A provider recorded an event" in digest.body_text and digest.status == "queued"  # the sender's next
    page.goto("/notifications")  # the list shows each update itself, the summary is the e-mail gathering them
    expect(page.locator("main")).to_contain_text("A provider recorded an event")
    check(page, axe, page_errors, screenshot, "list-with-held-update")
