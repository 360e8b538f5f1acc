"""In Chromium: an assurer reviews a plan and signs it off; every page passes axe-core at WCAG 2.2 A and AA under
the real Content-Security-Policy, with no console error. Screenshots: test-results/screenshots/assurance-*.png.

Uses the shared fixtures of tests/browser/conftest.py (live server, hermetic page, axe, screenshots): without
Chromium or axe-core the tests are skipped, or fail when CI or REQUIRE_BROWSER is set.
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

from tests.assurance.builders import declare_all, rated_plan
from tests.browser.conftest import describe_violations
from tests.factories import PASSWORD, make_concern, make_membership, make_user
from tracker.models import AssuranceReview, Plan
from tracker.web.extensions import db

pytestmark = pytest.mark.browser

TODAY = date(2014, 11, 3)


@pytest.fixture
def assurance_site(live_app: Flask, live_app_ctx: Flask) -> Iterator[None]:
    """Five hand-made plans, one of each rating and a second strong one, and a national assurer; today pinned."""
    live_app.config["TODAY"] = TODAY
    strong = rated_plan("strong", "north", {"acute": 2, "community": 1}, code="E06000047", name="County Durham")
    declare_all(strong)
    make_membership(strong.hwb, provider=strong.hwb.providers[0], name="Chief executive, acute trust")
    rated_plan("strong", "north", code="E08000021", name="Newcastle upon Tyne")
    rated_plan("adequate", "london", code="E09000028", name="Southwark")
    weak = rated_plan("weak", "midlands_east", {"acute": 1, "community": 1}, code="E10000024", name="Nottinghamshire")
    make_concern(weak, weak.hwb.providers[0], "escalated", confidential=True, text="Acute demand not modelled")
    rated_plan("insufficient", "south", {"housing": 2}, code="E06000045", name="Southampton")
    make_user("assurer", "assurer@example.org")
    db.session.commit()
    yield
    live_app.config.pop("TODAY", None)


def check(page: Any, axe: Any, page_errors: list[str], screenshot: Any, name: str) -> None:
    """A full-page screenshot, then no axe violation and no console error."""
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page, f"assurance-{name}")
    violations = axe(page)
    assert violations == [], f"{name}:\n{describe_violations(violations)}"
    assert page_errors == [], name


def sign_in(page: Any) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("assurer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("assurer@example.org")


def test_an_assurer_reviews_and_signs_off_a_plan(page: Any, axe: Any, page_errors: list[str], screenshot: Any,
                                                 assurance_site: None, live_app_ctx: Flask) -> None:
    sign_in(page)
    expect(page.locator("h1")).to_contain_text("Plans: England")
    expect(page.locator('[data-testid="plans-table"] tbody tr')).to_have_count(5)
    check(page, axe, page_errors, screenshot, "overview")

    page.get_by_role("link", name="County Durham").click()
    expect(page.locator("h1")).to_contain_text("County Durham")
    expect(page.locator('[data-figure="rating"]')).to_have_text("Strong")
    check(page, axe, page_errors, screenshot, "plan")

    page.get_by_role("button", name="Record a review").click()
    expect(page.locator("h1")).to_contain_text("Record a review")
    for legend in ("Plans jointly agreed", "Protection of social care", "Seven-day services", "Data sharing",
                   "Joint assessment", "Agreement on the impact on the acute sector"):
        page.get_by_role("group", name=legend).get_by_label("Met", exact=True).check()
    page.get_by_role("group", name="Decision").get_by_label("Approved", exact=True).check()
    page.get_by_label("Tranche 2").check()  # the evidence suggests tranche 1
    check(page, axe, page_errors, screenshot, "review-form")
    page.get_by_role("button", name="Record review").click()

    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter why the decision goes against the evidence")
    expect(page).to_have_title(re.compile("^Error: "))
    check(page, axe, page_errors, screenshot, "review-override-needed")

    page.get_by_label("Reason for going against the evidence").fill(
        "Strong evidence, but the CCG governing body signs off in the second round.")
    page.get_by_role("button", name="Record review").click()

    expect(page.locator(".tracker-flash")).to_contain_text("Review recorded: approved.")
    expect(page.locator('[data-figure="status"]')).to_have_text("Approved")
    expect(page.locator(".assurance-review--latest")).to_contain_text("Approved, tranche 2")
    check(page, axe, page_errors, screenshot, "signed-off")

    page.get_by_role("link", name="Plans", exact=True).first.click()
    row = page.locator('tr[data-hwb="E06000047"]')
    expect(row.locator('[data-column="status"]')).to_have_text("Approved")
    expect(row.locator('[data-column="tranche"]')).to_have_text("2")

    db.session.rollback()  # a new transaction: see what the live server committed
    review = db.session.scalar(sa.select(AssuranceReview).join(Plan).where(Plan.status == "approved"))
    assert (review.decision, review.tranche, review.suggested_rating) == ("approved", 2, "strong")
    assert review.override_reason.startswith("Strong evidence")


@pytest.mark.parametrize("path", ["/assurance/escalations", "/assurance/plans/E10000024/2015-16/peers",
                                  "/assurance/plans/E10000024/2015-16/pack"])
def test_the_other_assurance_pages_pass_axe(page: Any, axe: Any, page_errors: list[str], screenshot: Any,
                                            assurance_site: None, path: str) -> None:
    sign_in(page)
    response = page.goto(path)
    assert response is not None and response.status == 200
    check(page, axe, page_errors, screenshot, path.strip("/").replace("/", "-").replace("assurance-", "", 1))
