"""In Chromium, the concern loop through every side's pages: (a) a provider raises a concern, the board acknowledges
and answers it, the provider escalates it, an assurer responds and resolves it; (b) a provider raises one in
confidence, an assurer acknowledges and answers it, and the board sees nothing of it at any step (its concern list
and its dashboard's counts). Every page passes axe-core (WCAG 2.2 A and AA) with no console error.
Screenshots: test-results/screenshots/loop-*.png.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect

from tests.browser.conftest import describe_violations
from tests.factories import PASSWORD, make_hwb, make_plan, make_provider, make_user
from tracker.models import Concern
from tracker.web.extensions import db

pytestmark = pytest.mark.browser

TODAY = date(2014, 10, 1)  # a Wednesday: acknowledgement due 6 October, response due 29 October


@pytest.fixture
def site(live_app: Flask, live_app_ctx: Flask) -> Iterator[None]:
    """A board in the north with an acute trust serving it, and a user for each side; today pinned."""
    live_app.config["TODAY"] = TODAY
    durham = make_hwb("E06000047", region="north", name="County Durham")
    trust = make_provider("acute", [durham], code="RXP", name="County Durham and Darlington NHS Foundation Trust")
    make_plan(durham)
    make_user("provider", "provider@example.org", provider=trust)
    make_user("hwb", "board@example.org", hwb=durham)
    make_user("assurer", "assurer@example.org", region="north")
    db.session.commit()
    yield
    live_app.config.pop("TODAY", None)


def as_user(page: Any, email: str) -> None:
    """Sign out whoever was signed in, then sign in as this user."""
    page.context.clear_cookies()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_be_visible()


def check(page: Any, axe: Any, page_errors: list[str], screenshot: Any, name: str) -> None:
    """A full-page screenshot, then no axe violation and no console error."""
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page, f"loop-{name}")
    violations = axe(page)
    assert violations == [], f"{name}:\n{describe_violations(violations)}"
    assert page_errors == [], name


def status_of(ref: str) -> str:
    db.session.rollback()  # a new transaction sees the live server's commits
    return db.session.scalar(sa.select(Concern.status).where(Concern.ref == ref))


def raise_concern(page: Any, audience: str, text: str) -> str:
    """Raise a concern through the provider's form and check page; its reference."""
    page.goto("/provider/plans/E06000047/2015-16/concerns/new")
    page.get_by_label("Demand on acute services").check()
    page.get_by_label("High", exact=True).check()
    page.get_by_label("Describe your concern").fill(text)
    page.get_by_label(audience).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send the concern").click()
    expect(page.locator(".nhsuk-panel")).to_contain_text("Concern sent")
    return page.locator('[data-testid="concern-ref"]').inner_text()


def take(page: Any, action: str, message: str = "", label: str = "Your message to the provider") -> None:
    page.get_by_role("group", name="What do you want to do?").get_by_label(action).check()
    if message:
        page.get_by_label(label).fill(message)
    page.get_by_role("button", name="Send").click()


def test_a_concern_goes_from_the_board_to_the_assurers_and_is_resolved(
        page: Any, axe: Any, page_errors: list[str], screenshot: Any, site: None) -> None:
    as_user(page, "provider@example.org")
    ref = raise_concern(page, "The board and assurers", "The plan moves £4m out of acute care without modelling.")
    page.goto(f"/provider/concerns/{ref}")
    details = page.locator('[data-testid="concern-details"]')
    expect(details).to_contain_text("Due from the board: acknowledgement due 6 October 2014")
    check(page, axe, page_errors, screenshot, "a-provider-raised")

    as_user(page, "board@example.org")
    page.goto(f"/board/concerns/{ref}")
    take(page, "Acknowledge")
    expect(page.get_by_text("Concern acknowledged")).to_be_visible()
    take(page, "Respond", "We will publish the modelling in November.")
    expect(page.get_by_text("Response sent")).to_be_visible()
    check(page, axe, page_errors, screenshot, "a-board-answered")

    as_user(page, "provider@example.org")
    page.goto(f"/provider/concerns/{ref}")
    expect(details).to_contain_text("Waiting for you")
    page.get_by_role("group", name="What do you want to do next?").get_by_label("Escalate to assurers").check()
    page.get_by_label("Your message").fill("November is after the plan is signed off.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Concern escalated to the assurers")).to_be_visible()
    expect(details).to_contain_text("Due from the assurers: response due 29 October 2014")
    check(page, axe, page_errors, screenshot, "a-provider-escalated")
    assert status_of(ref) == "escalated"

    as_user(page, "assurer@example.org")
    page.get_by_role("link", name="Concerns", exact=True).click()
    queue = page.locator('[data-testid="awaiting"]')
    expect(queue).to_contain_text("County Durham")
    expect(queue).to_contain_text("Response by 29 October 2014")
    check(page, axe, page_errors, screenshot, "a-assurer-queue")
    queue.get_by_role("link", name="Demand on acute services").click()
    steps = page.locator('[data-testid="steps"]')
    expect(steps).to_contain_text("We will publish the modelling in November.")
    expect(steps).to_contain_text("November is after the plan is signed off.")
    check(page, axe, page_errors, screenshot, "a-assurer-concern")
    take(page, "Respond", "The board must share its modelling before sign-off.")
    expect(page.get_by_text("Response sent")).to_be_visible()
    take(page, "Mark as resolved")
    expect(page.get_by_text("Concern marked as resolved")).to_be_visible()
    check(page, axe, page_errors, screenshot, "a-assurer-resolved")
    assert status_of(ref) == "resolved"
    page.goto("/assurance/concerns")
    expect(page.locator('[data-testid="awaiting"]')).to_contain_text("No concern is waiting for the assurers")


def test_a_confidential_concern_is_answered_by_the_assurers_and_never_seen_by_the_board(
        page: Any, axe: Any, page_errors: list[str], screenshot: Any, site: None) -> None:
    def board_sees_nothing(name: str) -> None:
        as_user(page, "board@example.org")
        page.goto("/board/concerns")
        expect(page.locator('[data-testid="concerns"]')).to_contain_text("No provider has raised a concern")
        expect(page.locator("body")).not_to_contain_text(ref)
        check(page, axe, page_errors, screenshot, f"b-board-concerns-{name}")
        page.goto("/board/")
        expect(page.locator('[data-figure="concerns-overdue"]')).to_have_text("0")
        expect(page.locator("body")).to_contain_text("0 open, 0 escalated")
        check(page, axe, page_errors, screenshot, f"b-board-dashboard-{name}")
        assert page.goto(f"/board/concerns/{ref}").status == 404
        page_errors.clear()  # the 404 just asked for is the browser's "failed to load" console error

    as_user(page, "provider@example.org")
    ref = raise_concern(page, "Assurers only (confidential)", "The chair has told us not to object in public.")
    page.goto(f"/provider/concerns/{ref}")
    details = page.locator('[data-testid="concern-details"]')
    expect(details).to_contain_text("Due from the assurers: acknowledgement due 6 October 2014")
    expect(details).not_to_contain_text("board:")
    check(page, axe, page_errors, screenshot, "b-provider-raised")
    page.goto("/provider/")
    expect(page.locator('[data-testid="concerns"]')).to_contain_text("Due from the assurers")
    expect(page.locator('[data-testid="boards"]')).not_to_contain_text("next answer due")
    check(page, axe, page_errors, screenshot, "b-provider-home")
    board_sees_nothing("raised")

    as_user(page, "assurer@example.org")
    page.goto("/assurance/concerns")
    queue = page.locator('[data-testid="awaiting"]')
    expect(queue).to_contain_text("Acknowledgement by 6 October 2014")
    expect(queue).to_contain_text("Confidential")
    queue.get_by_role("link", name="Demand on acute services").click()
    check(page, axe, page_errors, screenshot, "b-assurer-concern")
    take(page, "Acknowledge")
    expect(page.get_by_text("Concern acknowledged")).to_be_visible()
    board_sees_nothing("acknowledged")

    as_user(page, "assurer@example.org")
    page.goto(f"/assurance/concerns/{ref}")
    take(page, "Respond", "We will raise it with the board without naming you.")
    expect(page.get_by_text("Response sent")).to_be_visible()
    check(page, axe, page_errors, screenshot, "b-assurer-answered")
    assert status_of(ref) == "responded"

    as_user(page, "provider@example.org")
    page.goto(f"/provider/concerns/{ref}")
    expect(page.locator('[data-testid="steps"]')).to_contain_text("We will raise it with the board")
    expect(details).to_contain_text("Waiting for you")
    page.get_by_role("group", name="What do you want to do next?").get_by_label("Mark as resolved").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Concern marked as resolved")).to_be_visible()
    check(page, axe, page_errors, screenshot, "b-provider-resolved")
    assert status_of(ref) == "resolved"
    board_sees_nothing("resolved")
