"""In Chromium: a person changes their name and password, sees where they are signed in and ends another
session, and makes an API token that expires; axe-core on every page."""
from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import accessible, sign_in
from tests.factories import PASSWORD, make_user
from tracker.web.extensions import db

pytestmark = pytest.mark.browser


def test_a_person_looks_after_their_own_account(page: Any, axe: Any, page_errors: list[str], live_app_ctx: Any,
                                                 browser: Any, base_url: str) -> None:
    make_user("assurer", "assurer@example.org")
    db.session.commit()
    other = browser.new_context(base_url=base_url)
    elsewhere = other.new_page()
    sign_in(elsewhere, "assurer@example.org")
    sign_in(page, "assurer@example.org")
    page.goto("/account/")
    accessible(page, axe, page_errors, "account")
    page.get_by_role("link", name="Change your name").click()
    accessible(page, axe, page_errors, "name")
    page.get_by_label("Your name").fill("Grace Hopper")
    page.get_by_role("button", name="Save your name").click()
    expect(page.get_by_text("Your name was changed")).to_be_visible()
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Grace Hopper")

    page.get_by_role("link", name="See where you are signed in").click()
    expect(page.get_by_test_id("sessions").locator("tbody tr")).to_have_count(2)
    accessible(page, axe, page_errors, "sessions")
    page.get_by_role("button", name="Sign out everywhere else").click()
    expect(page.get_by_text("1 other session ended")).to_be_visible()
    elsewhere.goto("/account/")
    expect(elsewhere.locator("h1")).to_contain_text("Sign in")
    other.close()

    page.goto("/account/password")
    accessible(page, axe, page_errors, "password")
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password").fill("a brand new passphrase")
    page.get_by_role("button", name="Change your password").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("enter your current password")
    accessible(page, axe, page_errors, "password with an error")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password").fill("a brand new passphrase")
    page.get_by_role("button", name="Change your password").click()
    expect(page.get_by_text("Your password was changed")).to_be_visible()

    page.goto("/account/tokens")
    page.get_by_label("Name this token").fill("Monthly report")
    page.get_by_label("30 days").check()
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_test_id("new-token")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Never")  # not used yet
    accessible(page, axe, page_errors, "tokens")
