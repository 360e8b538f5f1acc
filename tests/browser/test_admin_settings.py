"""In Chromium: an admin changes a threshold and a deadline — the values in force, the check of what changes,
then saved — with axe-core on every page."""
from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import accessible
from tests.factories import PASSWORD, make_user
from tracker.web.extensions import db

pytestmark = pytest.mark.browser


def test_an_admin_changes_a_threshold_and_a_deadline(page: Any, axe: Any, page_errors: list[str],
                                                     live_app_ctx: Any) -> None:
    make_user("admin", "admin@example.org")
    db.session.commit()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("admin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Settings").click()
    expect(page.locator("h1")).to_contain_text("Thresholds and deadlines")
    accessible(page, axe, page_errors, "settings")
    page.get_by_label("E3 coverage").fill("abc")
    page.get_by_role("button", name="Check the changes").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("E3 coverage must be a percentage")
    accessible(page, axe, page_errors, "settings with an error")
    page.get_by_label("E3 coverage").fill("75")
    page.get_by_label("Working days to answer a concern").fill("15")
    page.get_by_role("button", name="Check the changes").click()
    changes = page.get_by_test_id("changes")
    expect(changes).to_contain_text("E3 coverage")
    expect(changes).to_contain_text("75%")
    expect(changes).to_contain_text("Working days to answer a concern")
    accessible(page, axe, page_errors, "check the changes")
    page.get_by_role("button", name="Save these changes").click()
    expect(page.get_by_text("Saved 2 changes")).to_be_visible()
    expect(page.get_by_label("E3 coverage")).to_have_value("75")
    accessible(page, axe, page_errors, "saved")
