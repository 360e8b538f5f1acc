"""In Chromium: a provider records an event, raises a concern and confirms a board's event; every page passes
axe-core at WCAG 2.2 A and AA under the real Content-Security-Policy, with no console error.
Screenshots: test-results/screenshots/provider-*.png.

Uses the shared fixtures of tests/browser/conftest.py (live server, hermetic page, axe, screenshots): without
Chromium or axe-core the test is skipped, or fails when CI or REQUIRE_BROWSER is set.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect

from tests.browser.conftest import describe_violations
from tests.factories import PASSWORD, make_hwb, make_plan, make_provider, make_user
from tracker.domain.engagement import EventInput, ParticipantInput, record_event
from tracker.models import Concern, EngagementEvent, EvidenceDocument, Participation
from tracker.web.extensions import db

pytestmark = pytest.mark.browser

TODAY = date(2014, 10, 1)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def provider_site(live_app: Flask, live_app_ctx: Flask) -> Iterator[None]:
    """An acute trust serving two boards, a community partner, and an event the Durham board recorded; today
    pinned to 1 October 2014."""
    live_app.config["TODAY"] = TODAY
    durham = make_hwb("E06000047", region="north", name="County Durham")
    newcastle = make_hwb("E08000021", region="north", name="Newcastle upon Tyne")
    trust = make_provider("acute", [durham, newcastle], code="RXP",
                          name="County Durham and Darlington NHS Foundation Trust")
    make_provider("community", [durham], code="RPART", name="Durham Community Care")
    plan = make_plan(durham)
    make_plan(newcastle)
    make_user("provider", "provider@example.org", provider=trust)
    board_user = make_user("hwb", "board@example.org", hwb=durham)
    record_event(db.session, board_user, plan, EventInput(
        date=date(2014, 7, 3), kind="board_meeting", depth=2, topics=("schemes", "acute_impact"),
        summary="Board meeting: draft plan presented to providers",
        participations=(ParticipantInput("RXP", True), ParticipantInput("RPART"))), today=TODAY)
    db.session.commit()
    yield
    live_app.config.pop("TODAY", None)


def in_database(query: sa.Select) -> list[Any]:
    """What the database holds now (a new transaction, so the live server's commits are seen)."""
    db.session.rollback()
    return list(db.session.execute(query).tuples())


def check(page: Any, axe: Any, page_errors: list[str], screenshot: Any, name: str) -> None:
    """A full-page screenshot, then no axe violation and no console error."""
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page, f"provider-{name}")
    violations = axe(page)
    assert violations == [], f"{name}:\n{describe_violations(violations)}"
    assert page_errors == [], name


def test_a_provider_records_an_event_raises_a_concern_and_confirms_the_boards_event(
        page: Any, axe: Any, page_errors: list[str], screenshot: Any, provider_site: None) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("provider@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_contain_text("Your boards")
    expect(page.locator('[data-testid="boards"] tbody tr')).to_have_count(2)
    expect(page.locator('[data-testid="waiting"]')).to_contain_text("Board meeting on 3 July 2014")
    check(page, axe, page_errors, screenshot, "home")

    # Record an event: first with mistakes, then put right.
    page.get_by_role("link", name="County Durham 2015-16").click()
    expect(page.locator("h1")).to_contain_text("County Durham")
    check(page, axe, page_errors, screenshot, "plan")
    page.get_by_role("button", name="Record an event").click()
    expect(page.locator("h1")).to_contain_text("Record an engagement event")
    check(page, axe, page_errors, screenshot, "event-form")
    page.get_by_label("Day", exact=True).fill("12")
    page.get_by_label("Month", exact=True).fill("9")
    page.get_by_label("Year", exact=True).fill("2015")  # in the future
    page.get_by_label("Summary of what happened").fill("Workshop on the discharge schemes")
    page.get_by_role("button", name="Record the event").click()
    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Date of the event must be today or in the past")
    expect(summary).to_contain_text("Select what kind of event it was")
    expect(page.get_by_label("Summary of what happened")).to_have_value("Workshop on the discharge schemes")
    check(page, axe, page_errors, screenshot, "event-form-errors")

    page.get_by_label("Year", exact=True).fill("2014")
    page.get_by_label("Workshop", exact=True).check()
    page.get_by_label("4 Collaborate").check()
    page.get_by_label("Schemes", exact=True).check()
    page.get_by_label("Impact on acute services").check()
    page.get_by_role("group", name="Did your organisation's leadership take part?").get_by_label("Yes").check()
    page.get_by_label("Durham Community Care (RPART)").check()
    page.get_by_label("Upload a document as evidence (optional)").set_input_files(
        files=[{"name": "workshop-notes.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Record the event").click()
    expect(page.locator(".tracker-flash")).to_contain_text("Event recorded")
    expect(page.locator('[data-testid="event-details"]')).to_contain_text(
        "We developed the plan with the board as partners (collaborate)")
    expect(page.get_by_role("link", name="workshop-notes.pdf")).to_be_visible()
    expect(page.locator('[data-testid="history"]')).to_contain_text("Recorded by provider@example.org")
    check(page, axe, page_errors, screenshot, "event")
    events = in_database(sa.select(EngagementEvent.depth, EngagementEvent.recorded_by)
                         .where(EngagementEvent.recorded_by == "provider"))
    assert events == [(4, "provider")]
    assert len(in_database(sa.select(EvidenceDocument.id))) == 1

    # Raise a concern: the form, check your answers, the confirmation panel.
    page.get_by_role("link", name="Back to the plan").click()
    page.get_by_role("button", name="Raise a concern").click()
    check(page, axe, page_errors, screenshot, "concern-form")
    page.get_by_label("Demand on acute services").check()
    page.get_by_label("High", exact=True).check()
    page.get_by_label("Describe your concern").fill("The plan moves £4m out of acute care without modelling demand.")
    page.get_by_label("The board and assurers").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_contain_text("Check your concern before sending it")
    expect(page.locator('[data-testid="check-answers"]')).to_contain_text("Demand on acute services")
    check(page, axe, page_errors, screenshot, "concern-check")
    page.get_by_role("button", name="Send the concern").click()
    expect(page.locator(".nhsuk-panel")).to_contain_text("Concern sent")
    check(page, axe, page_errors, screenshot, "concern-sent")
    ref = page.locator('[data-testid="concern-ref"]').inner_text()
    assert in_database(sa.select(Concern.status).where(Concern.ref == ref)) == [("open",)]
    page.get_by_role("link", name="Follow your concern").click()
    expect(page.locator('[data-testid="steps"]')).to_contain_text("Raised by you")
    check(page, axe, page_errors, screenshot, "concern")

    # Confirm the event the board recorded.
    page.get_by_role("link", name="Your boards").click()
    page.get_by_role("link", name=re.compile("Board meeting on 3 July 2014")).click()
    expect(page.locator("h1")).to_contain_text("Confirm or dispute the event")
    check(page, axe, page_errors, screenshot, "answer")
    page.get_by_label("Yes, confirm it").check()
    page.get_by_role("button", name="Send your answer").click()
    expect(page.locator(".tracker-flash")).to_contain_text("You confirmed the event of 3 July 2014")
    expect(page.locator('[data-testid="waiting"]')).to_contain_text("Nothing is waiting for you")
    check(page, axe, page_errors, screenshot, "home-after")
    statuses = in_database(sa.select(Participation.status).join(Participation.event)
                           .where(EngagementEvent.recorded_by == "hwb", Participation.provider.has(code="RXP")))
    assert statuses == [("confirmed",)]
