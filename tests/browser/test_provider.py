"""In a real browser: a provider records an event, raises a concern and confirms a board's event.

Screenshots go to test-results/screenshots/provider-*.png and every page is checked with axe-core at WCAG 2.2
A and AA. Self-contained for now (its own live server and browser context, with fixture names of its own):
the shared fixtures of tests/browser/conftest.py were not there when this was written.
"""
from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from tests.conftest import make_test_app
from tests.factories import PASSWORD, make_hwb, make_plan, make_provider, make_user
from tracker.web.extensions import db
from tracker.models import Concern, EngagementEvent, EvidenceDocument, Participation

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(os.environ.get("AXE_JS", ROOT / "node_modules/axe-core/axe.min.js"))
SHOTS = ROOT / "test-results" / "screenshots"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def provider_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A live server on its own SQLite database: a provider serving two boards, and an event a board recorded."""
    instance = tmp_path_factory.mktemp("provider-browser")
    app = make_test_app(f"sqlite:///{instance / 'browser.sqlite'}", instance, WTF_CSRF_ENABLED=True,
                        RATELIMIT_ENABLED=False, TODAY="2014-10-01")
    with app.app_context():
        from flask_migrate import upgrade

        from tracker.domain.engagement import EventInput, ParticipantInput, record_event

        upgrade()
        durham = make_hwb("E06000047", region="north", name="County Durham")
        newcastle = make_hwb("E08000021", region="north", name="Newcastle upon Tyne")
        trust = make_provider("acute", footprint=[durham, newcastle], code="RXP")
        trust.name = "County Durham and Darlington NHS Foundation Trust"
        partner = make_provider("community", footprint=[durham], code="RPART")
        partner.name = "Durham Community Care"
        plan = make_plan(durham)
        make_plan(newcastle)
        make_user("provider", "provider@example.org", provider=trust)
        board_user = make_user("hwb", "board@example.org", hwb=durham)
        record_event(db.session, board_user, plan, EventInput(
            date=date(2014, 7, 3), kind="board_meeting", depth=2, topics=("schemes", "acute_impact"),
            summary="Board meeting: draft plan presented to providers",
            participations=(ParticipantInput("RXP", True), ParticipantInput("RPART"))), today=date(2014, 10, 1))
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"app": app, "url": f"http://127.0.0.1:{server.server_port}"}
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def provider_page(browser_type: Any, provider_site: dict[str, Any]) -> Iterator[Any]:
    """A page on the live server; requests elsewhere (the NHS fonts) are refused, so the test is hermetic."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} missing: apt-get install -y chromium")
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS} missing: npm install axe-core")
    base = provider_site["url"]
    browser = browser_type.launch(executable_path=CHROMIUM, args=ARGS)
    # bypass_csp lets the test inject axe-core; the app's own pages run under the real policy otherwise.
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    page = context.new_page()
    yield page
    context.close()
    browser.close()


def violations(page: Any) -> list[tuple[str, list[Any]]]:
    """axe-core's WCAG 2.2 A and AA violations on the page, as (rule, targets)."""
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                          ".then(r => r.violations)", WCAG)
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in found]


def check(page: Any, name: str) -> None:
    """A full-page screenshot, then no accessibility violation."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"provider-{name}.png", full_page=True)
    assert violations(page) == [], name


def in_database(site: dict[str, Any], query: sa.Select) -> list[Any]:
    with site["app"].app_context():
        return list(db.session.execute(query).tuples())


def test_a_provider_records_an_event_raises_a_concern_and_confirms_the_boards_event(
        provider_page: Any, provider_site: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    page = provider_page
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("provider@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_contain_text("Your boards")
    expect(page.locator('[data-testid="boards"] tbody tr')).to_have_count(2)
    expect(page.locator('[data-testid="waiting"]')).to_contain_text("Board meeting on 3 July 2014")
    check(page, "home")

    # Record an event: first with mistakes, then put right.
    page.get_by_role("link", name="County Durham 2015-16").click()
    expect(page.locator("h1")).to_contain_text("County Durham")
    check(page, "plan")
    page.get_by_role("button", name="Record an event").click()
    expect(page.locator("h1")).to_contain_text("Record an engagement event")
    check(page, "event-form")
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
    check(page, "event-form-errors")

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
    expect(page.locator('[data-testid="event-details"]')).to_contain_text("4 Collaborate")
    expect(page.get_by_role("link", name="workshop-notes.pdf")).to_be_visible()
    expect(page.locator('[data-testid="history"]')).to_contain_text("Recorded by provider@example.org")
    check(page, "event")
    events = in_database(provider_site, sa.select(EngagementEvent.depth, EngagementEvent.recorded_by)
                         .where(EngagementEvent.recorded_by == "provider"))
    assert events == [(4, "provider")]
    assert len(in_database(provider_site, sa.select(EvidenceDocument.id))) == 1

    # Raise a concern: the form, check your answers, the confirmation panel.
    page.get_by_role("link", name="Back to the plan").click()
    page.get_by_role("button", name="Raise a concern").click()
    check(page, "concern-form")
    page.get_by_label("Demand on acute services").check()
    page.get_by_label("High", exact=True).check()
    page.get_by_label("Describe your concern").fill("The plan moves £4m out of acute care without modelling demand.")
    page.get_by_label("The board and assurers").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_contain_text("Check your concern before sending it")
    expect(page.locator('[data-testid="check-answers"]')).to_contain_text("Demand on acute services")
    check(page, "concern-check")
    page.get_by_role("button", name="Send the concern").click()
    expect(page.locator(".nhsuk-panel")).to_contain_text("Concern sent")
    check(page, "concern-sent")
    ref = page.locator('[data-testid="concern-ref"]').inner_text()
    assert in_database(provider_site, sa.select(Concern.status).where(Concern.ref == ref)) == [("open",)]
    page.get_by_role("link", name="Follow your concern").click()
    expect(page.locator('[data-testid="steps"]')).to_contain_text("Raised by you")
    check(page, "concern")

    # Confirm the event the board recorded.
    page.get_by_role("link", name="Your boards").click()
    page.get_by_role("link", name=re.compile("Board meeting on 3 July 2014")).click()
    expect(page.locator("h1")).to_contain_text("Confirm or dispute the event")
    check(page, "answer")
    page.get_by_label("Yes, confirm it").check()
    page.get_by_role("button", name="Send your answer").click()
    expect(page.locator(".tracker-flash")).to_contain_text("You confirmed the event of 3 July 2014")
    expect(page.locator('[data-testid="waiting"]')).to_contain_text("Nothing is waiting for you")
    check(page, "home-after")
    statuses = in_database(provider_site, sa.select(Participation.status).join(Participation.event)
                           .where(EngagementEvent.recorded_by == "hwb", Participation.provider.has(code="RXP")))
    assert statuses == [("confirmed",)]
