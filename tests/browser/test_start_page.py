"""In Chromium: the start page and the error page look like an NHS.UK service, run NHS.UK frontend's JavaScript
under the real Content-Security-Policy, show the fictional-data banner only when the demo data is loaded,
and pass axe-core at WCAG 2.2 A and AA. Screenshots: test-results/screenshots/start-page*.png, not-found.png.
"""
from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe_violations
from tests.factories import PASSWORD, make_user
from tracker.models import SiteFact
from tracker.web.extensions import db

pytestmark = pytest.mark.browser

NHS_BLUE = "rgb(0, 94, 184)"
SERVICE = "Better Care Fund engagement tracker"


def wait_for_frontend(page: Any) -> None:
    """NHS.UK frontend marks each component it started with data-<module>-init; the header is on every page."""
    expect(page.locator('header[data-module="nhsuk-header"]')).to_have_attribute("data-nhsuk-header-init", "")


def load_demo_flag(live_app_ctx: Any) -> None:
    db.session.add(SiteFact(key="demo_data", value="loaded by a browser test"))
    db.session.commit()


def test_the_start_page_has_the_nhsuk_header_styles_and_scripts(page: Any, page_errors: list[str],
                                                                screenshot: Any) -> None:
    response = page.goto("/")
    assert response is not None and response.status == 200
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]  # the real policy applies

    title = f"^Record and check how providers shaped Better Care Fund plans - {SERVICE}$"
    expect(page).to_have_title(re.compile(title))
    header = page.locator("header.nhsuk-header")
    expect(header).to_be_visible()
    expect(header.locator(".nhsuk-header__service-name")).to_have_text(SERVICE)
    expect(header.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Record and check how providers shaped Better Care Fund plans")
    expect(page.get_by_role("contentinfo")).to_contain_text("About this service")

    # The stylesheet is really applied: NHS blue header, Frutiger's fallback stack, the logo drawn.
    expect(header).to_have_css("background-color", NHS_BLUE)
    assert "Frutiger" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert page.locator("svg.nhsuk-header__logo").bounding_box()["width"] > 0

    # The nonce'd inline script of the page template ran, and the ES module initialised the components.
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b.*\bnhsuk-frontend-supported\b"))
    wait_for_frontend(page)
    expect(page.locator(".nhsuk-skip-link")).to_have_attribute("data-nhsuk-skip-link-init", "")
    page.wait_for_load_state("networkidle")
    assert page_errors == []

    # The skip link is the first thing a keyboard reaches, and it goes to the main content.
    page.keyboard.press("Tab")
    expect(page.locator(".nhsuk-skip-link")).to_be_focused()
    shot = screenshot(page, "start-page")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_demo_banner_shows_only_when_the_demo_data_is_loaded(page: Any, live_app_ctx: Any,
                                                                 page_errors: list[str], screenshot: Any) -> None:
    page.goto("/")
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_test_id("demo-banner")).to_have_count(0)

    load_demo_flag(live_app_ctx)
    page.reload()
    banner = page.get_by_test_id("demo-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("fictional")
    # Above the page's heading, inside the page width, and not hidden behind the header.
    assert banner.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
    wait_for_frontend(page)
    assert page_errors == []
    screenshot(page, "start-page-demo-data")


def test_the_start_page_passes_axe(page: Any, axe: Any, live_app_ctx: Any) -> None:
    load_demo_flag(live_app_ctx)  # check the banner too
    page.goto("/")
    expect(page.get_by_test_id("demo-banner")).to_be_visible()
    wait_for_frontend(page)
    violations = axe(page)
    assert violations == [], describe_violations(violations)


def test_the_not_found_page_passes_axe(page: Any, axe: Any, page_errors: list[str], screenshot: Any) -> None:
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    expect(page).to_have_title(f"Page not found - {SERVICE}")
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator("header.nhsuk-header")).to_have_css("background-color", NHS_BLUE)
    expect(page.get_by_role("link", name="Go to the start page")).to_have_attribute("href", "/")
    wait_for_frontend(page)
    screenshot(page, "not-found")
    violations = axe(page)
    assert violations == [], describe_violations(violations)
    # The only console error is the browser's own note of the 404 status of the page itself.
    assert [e for e in page_errors if "404" not in e] == []


def test_a_signed_in_header_passes_axe_and_signs_out(page: Any, axe: Any, live_app_ctx: Any,
                                                     page_errors: list[str], screenshot: Any) -> None:
    make_user("assurer", "assurer@example.org")
    db.session.commit()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("assurer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    account = page.get_by_role("navigation", name="Account")
    expect(account).to_contain_text("assurer@example.org")
    page.goto("/")
    wait_for_frontend(page)
    screenshot(page, "start-page-signed-in")
    violations = axe(page)
    assert violations == [], describe_violations(violations)

    # The sign-out button posts its form with the CSRF token (CSRF protection is on in the live app).
    account.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign in")).to_be_visible()
    assert page_errors == []


@pytest.mark.parametrize(("link", "heading"), [("Privacy", "Privacy notice"),
                                               ("Accessibility statement", "Accessibility statement"),
                                               ("Cookies", "Cookies")])
def test_the_privacy_accessibility_and_cookies_pages_are_linked_from_the_footer_and_read_signed_out(
        page: Any, axe: Any, page_errors: list[str], link: str, heading: str) -> None:
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name=link, exact=True).click()
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.get_by_role("contentinfo").get_by_role("link", name=link, exact=True)).to_be_visible()
    violations = axe(page)
    assert violations == [], describe_violations(violations)
    assert page_errors == []
