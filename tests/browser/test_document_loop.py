"""In Chromium: a provider uploads a document with its event; the board opens it from the event page; the
assurer opens it from the plan's events and finds it in the evidence pack. Every page passes axe-core at WCAG 2.2
A and AA under the real Content-Security-Policy, with no console error.
Screenshots: test-results/screenshots/document-*.png.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from tests.browser.conftest import describe_violations, sign_in
from tests.factories import make_hwb, make_plan, make_provider, make_user
from tracker.web.extensions import db

pytestmark = pytest.mark.browser

TODAY = date(2014, 10, 1)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PLAN = "/assurance/plans/E06000047/2015-16"


@pytest.fixture
def site(live_app: Flask, live_app_ctx: Flask) -> Iterator[None]:
    """The Durham board's plan, an acute trust and a community partner serving it, a user of the trust, of the
    board and a national assurer; today pinned to 1 October 2014."""
    live_app.config["TODAY"] = TODAY
    durham = make_hwb("E06000047", region="north", name="County Durham")
    trust = make_provider("acute", [durham], code="RXP", name="County Durham and Darlington NHS Foundation Trust")
    make_provider("community", [durham], code="RPART", name="Durham Community Care")
    make_plan(durham)
    make_user("provider", "provider@example.org", provider=trust)
    make_user("hwb", "board@example.org", hwb=durham)
    make_user("assurer", "assurer@example.org")
    db.session.commit()
    yield
    live_app.config.pop("TODAY", None)


def check(page: Any, axe: Any, page_errors: list[str], screenshot: Any, name: str) -> None:
    """A full-page screenshot, then no axe violation and no console error."""
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page, f"document-{name}")
    violations = axe(page)
    assert violations == [], f"{name}:\n{describe_violations(violations)}"
    assert page_errors == [], name


def download(page: Any, link: Any) -> bytes:
    """Click a download link; the file's bytes."""
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


def test_a_document_goes_from_the_provider_to_the_board_the_assurer_and_the_pack(
        page: Any, axe: Any, page_errors: list[str], screenshot: Any, site: None) -> None:
    # The provider records an event with its minutes attached.
    sign_in(page, "provider@example.org")
    page.goto("/provider/plans/E06000047/2015-16/events/new")
    page.get_by_label("Day", exact=True).fill("3")
    page.get_by_label("Month", exact=True).fill("7")
    page.get_by_label("Year", exact=True).fill("2014")
    page.get_by_label("Workshop", exact=True).check()
    page.get_by_label("3 Involve").check()
    page.get_by_label("Schemes", exact=True).check()
    page.get_by_role("group", name="Did your organisation's leadership take part?").get_by_label("Yes").check()
    page.get_by_label("Durham Community Care (RPART)").check()
    page.get_by_label("Summary of what happened").fill("Workshop on the discharge schemes")
    page.get_by_label("Upload a document as evidence (optional)").set_input_files(
        files=[{"name": "workshop-minutes.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Record the event").click()
    expect(page.locator(".tracker-flash")).to_contain_text("Event recorded")
    expect(page.get_by_role("link", name="workshop-minutes.pdf")).to_be_visible()
    # The partner's leadership is its own to state.
    expect(page.locator('[data-testid="participants"]')).to_contain_text("Not stated")
    check(page, axe, page_errors, screenshot, "provider-event")
    event_path = page.url.split("127.0.0.1", 1)[1].split("/", 1)[1]
    ref = event_path.rstrip("/").rsplit("/", 1)[1]

    # The board opens it from the event page, and reads the depth in its own words.
    sign_in(page, "board@example.org")
    page.goto("/board/events")
    page.locator('[data-testid="events"]').get_by_role("link", name="Workshop on 3 July 2014").click()
    expect(page.locator("h1")).to_contain_text("Workshop on 3 July 2014")
    expect(page.locator('[data-testid="event-details"]')).to_contain_text("We worked with them throughout (involve)")
    check(page, axe, page_errors, screenshot, "board-event")
    assert download(page, page.get_by_role("link", name="workshop-minutes.pdf")) == PDF

    # The assurer opens it from the plan's events and finds it in the evidence pack.
    sign_in(page, "assurer@example.org")
    page.goto(PLAN)
    row = page.locator(f"#event-{ref}")
    expect(row).to_contain_text("workshop-minutes.pdf")
    check(page, axe, page_errors, screenshot, "assurer-plan")
    assert download(page, row.get_by_role("link", name="workshop-minutes.pdf")) == PDF
    page.goto(PLAN + "/pack")
    section = page.locator("section", has=page.get_by_role("heading", name="Evidence documents"))
    expect(section).to_contain_text("workshop-minutes.pdf")
    check(page, axe, page_errors, screenshot, "pack")
    assert download(page, section.get_by_role("link", name="workshop-minutes.pdf")) == PDF
