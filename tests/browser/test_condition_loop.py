"""In Chromium: the review loop. An assurer approves a plan subject to two conditions; the board sees the outcome
and answers both; the assurer marks them met; the overview shows the plan with all conditions met; a provider
serving the board sees the outcome. Every page passes axe-core with no console error.
Screenshots: test-results/screenshots/conditions-*.png.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect

from tests.assurance.builders import declare_all, rated_plan
from tests.browser.conftest import describe_violations, sign_in
from tests.factories import make_user
from tracker.models import ReviewCondition
from tracker.web.extensions import db

pytestmark = pytest.mark.browser

TODAY = date(2014, 11, 3)
PLAN = "/assurance/plans/E09000028/2015-16"


@pytest.fixture
def loop_site(live_app: Flask, live_app_ctx: Flask) -> Iterator[None]:
    """An adequate plan (tranche 2 suggested) with its board's user, a provider's user and a national assurer."""
    live_app.config["TODAY"] = TODAY
    plan = rated_plan("adequate", "london", code="E09000028", name="Southwark")
    declare_all(plan)
    make_user("assurer", "assurer@example.org")
    make_user("hwb", "board@southwark.example", hwb=plan.hwb)
    make_user("provider", "trust@example.org", provider=plan.hwb.providers[0])
    db.session.commit()
    yield
    live_app.config.pop("TODAY", None)


def check(page: Any, axe: Any, page_errors: list[str], screenshot: Any, name: str) -> None:
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page, f"conditions-{name}")
    violations = axe(page)
    assert violations == [], f"{name}:\n{describe_violations(violations)}"
    assert page_errors == [], name


def test_conditions_go_round_the_loop(page: Any, axe: Any, page_errors: list[str], screenshot: Any,
                                      loop_site: None, live_app_ctx: Flask) -> None:
    sign_in(page, "assurer@example.org")
    page.goto(PLAN + "/review")
    for legend in ("Plans jointly agreed", "Protection of social care", "Seven-day services", "Data sharing",
                   "Joint assessment", "Agreement on the impact on the acute sector"):
        page.get_by_role("group", name=legend).get_by_label("Met", exact=True).check()
    page.get_by_role("group", name="Decision").get_by_label("Approved subject to conditions").check()
    page.get_by_label("Tranche 2").check()  # as the evidence suggests: no reason needed
    page.get_by_label("Conditions, one a line").fill("Hold a provider forum before March\nAgree the acute impact")
    check(page, axe, page_errors, screenshot, "review-form")
    page.get_by_role("button", name="Record review").click()
    expect(page.locator(".tracker-flash")).to_contain_text("Review recorded: approved subject to conditions.")
    expect(page.locator(".assurance-review--latest")).to_contain_text("2 of 2 outstanding")
    check(page, axe, page_errors, screenshot, "plan-with-conditions")

    sign_in(page, "board@southwark.example")
    expect(page.locator('[data-testid="review-outcome"]')).to_contain_text("2 of 2 conditions outstanding")
    page.get_by_role("link", name="See the review").click()
    expect(page.locator('[data-testid="outcome-decision"]')).to_contain_text("Approved subject to conditions")
    expect(page.locator('[data-testid="outcome-tranche"]')).to_contain_text("Tranche 2")
    check(page, axe, page_errors, screenshot, "board-outcome")
    for n, (answer, link) in enumerate([("Forum held on 20 October with every provider", "https://example.org/f"),
                                        ("Acute impact agreed with the trust", "")], start=1):
        page.get_by_role("link", name=f"Answer condition {n}").click()
        page.get_by_label("What has the board done to meet the condition?").fill(answer)
        page.get_by_label("Link to the evidence (optional)").fill(link)
        if n == 1:
            check(page, axe, page_errors, screenshot, "board-answer")
        page.get_by_role("button", name="Send your answer").click()
        expect(page.locator(".tracker-flash")).to_contain_text("Your answer has been sent to the assurers.")
    expect(page.locator('[data-testid="outcome-conditions"]')).to_contain_text("Forum held on 20 October")

    sign_in(page, "assurer@example.org")
    for n in (1, 2):
        page.goto(PLAN)
        page.locator(".assurance-review--latest").get_by_role("link", name=f"Decide condition {n} ").click()
        expect(page.locator('[data-testid="board-answer"]')).to_be_visible()
        if n == 1:
            check(page, axe, page_errors, screenshot, "decide")
        page.get_by_label("Yes, it is met").check()
        page.get_by_role("button", name="Save your decision").click()
        expect(page.locator(".tracker-flash")).to_contain_text("Condition marked met.")
    expect(page.locator('[data-testid="all-conditions-met"]')).to_have_text("All conditions met")

    page.goto("/assurance/?conditions=all_met")
    row = page.locator('tr[data-hwb="E09000028"]')
    expect(row.locator('[data-column="conditions"]')).to_have_text("All conditions met")
    check(page, axe, page_errors, screenshot, "overview-all-met")

    sign_in(page, "trust@example.org")
    page.goto("/provider/plans/E09000028/2015-16")
    expect(page.locator('[data-testid="outcome-decision"]')).to_contain_text("Approved subject to conditions")
    expect(page.locator('[data-testid="outcome-progress"]')).to_contain_text("All conditions met")
    expect(page.locator('[data-testid="outcome-evidence"]')).to_be_visible()
    check(page, axe, page_errors, screenshot, "provider-plan")

    db.session.rollback()  # see what the live server committed
    statuses = db.session.scalars(sa.select(ReviewCondition.status).order_by(ReviewCondition.position)).all()
    assert statuses == ["met", "met"]
