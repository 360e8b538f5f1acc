"""In Chromium: a board's officer with a 2015-16 and a 2016-17 plan sees the latest year, switches to the year before
and back, then starts the 2017-18 plan from the form prefilled with 2016-17's figures; every page passes axe-core
at WCAG 2.2 A and AA with no console error. Screenshots: test-results/screenshots/board-years-*.png.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect

from tests.browser.test_board_workspace import check_page
from tests.factories import PASSWORD, make_hwb, make_plan, make_provider, make_user
from tests.hwb.conftest import TODAY, add_event
from tracker.models import Plan
from tracker.web.extensions import db

pytestmark = pytest.mark.browser

EMAIL = "officer@durham.example.org"


@pytest.fixture
def two_years(live_app: Flask, live_app_ctx: Flask) -> Iterator[None]:
    """County Durham with a 2015-16 plan (one provider of two heard) and a 2016-17 plan (both heard)."""
    live_app.config["TODAY"] = TODAY
    hwb = make_hwb("E06000047", region="north", name="County Durham")
    acute, community = make_provider("acute", footprint=[hwb], code="RACU"), make_provider(
        "community", footprint=[hwb], code="RCOM")
    first = make_plan(hwb, "2015-16")
    second = make_plan(hwb, "2016-17", minimum_pool_gbp=11_000_000, total_pool_gbp=13_000_000,
                       claimed_emergency_reduction_pct=Decimal("4.25"))
    make_user("hwb", EMAIL, hwb=hwb)
    add_event(first.id, date(2014, 6, 12), [acute], depth=3, status="confirmed", ref="EV-YEAR1")
    add_event(second.id, date(2014, 9, 1), [acute, community], depth=4, status="confirmed", ref="EV-YEAR2")
    db.session.commit()
    yield
    live_app.config.pop("TODAY", None)


def test_a_board_switches_year_and_starts_next_years_plan(page: Any, axe: Any, page_errors: list[str],
                                                          screenshot: Any, two_years: None,
                                                          live_app_ctx: Flask) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # The latest year first, with the year before beside each figure.
    page.goto("/board/")
    expect(page.locator("h1")).to_contain_text("Better Care Fund plan 2016 to 2017")
    expect(page.locator('[data-figure="coverage"]')).to_have_text("100%")
    expect(page.locator('[data-previous="coverage"]')).to_have_text("2015 to 2016: 50%")
    check_page(page, axe, page_errors, screenshot, "years-latest")

    # Switch to the year before: its own figures, and the choice keeps the year.
    page.get_by_label("Financial year").select_option("2015-16")
    page.get_by_role("button", name="Show this year").click()
    expect(page.locator("h1")).to_contain_text("Better Care Fund plan 2015 to 2016")
    expect(page.locator('[data-figure="coverage"]')).to_have_text("50%")
    expect(page.get_by_label("Financial year")).to_have_value("2015-16")
    page.get_by_role("link", name="All events on the plan").click()
    expect(page.locator("h1")).to_contain_text("2015 to 2016")
    expect(page.get_by_text("1 event, newest first")).to_be_visible()
    check_page(page, axe, page_errors, screenshot, "years-previous-events")

    # Back to the latest, and start the next year's plan from it.
    page.get_by_label("Financial year").select_option("2016-17")
    page.get_by_role("button", name="Show this year").click()
    page.get_by_role("link", name="Start the 2017 to 2018 plan").click()
    expect(page.locator("h1")).to_contain_text("Start the 2017 to 2018 plan")
    expect(page.get_by_label("Minimum pooled budget")).to_have_value("11000000")
    expect(page.get_by_label("Claimed reduction in emergency admissions")).to_have_value("4.25")
    check_page(page, axe, page_errors, screenshot, "years-next-plan-form")
    page.get_by_label("Total pooled budget").fill("10000000")  # below the minimum: refused, as the import does
    page.get_by_role("button", name="Start the 2017 to 2018 plan").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Total pooled budget must be at least the minimum pooled budget")
    check_page(page, axe, page_errors, screenshot, "years-next-plan-errors")
    page.get_by_label("Total pooled budget").fill("13500000")
    page.get_by_role("button", name="Start the 2017 to 2018 plan").click()
    expect(page.get_by_text("The 2017 to 2018 plan is started")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Better Care Fund plan 2017 to 2018")
    expect(page.locator('[data-previous="coverage"]')).to_have_text("2016 to 2017: 100%")
    check_page(page, axe, page_errors, screenshot, "years-next-plan-started")
    db.session.expire_all()
    started = db.session.scalar(sa.select(Plan).where(Plan.year == "2017-18"))
    assert (started.minimum_pool_gbp, started.total_pool_gbp, started.status) == (11_000_000, 13_500_000, "draft")
