"""In Chromium: an admin adds a provider with a board found by the filter box, then imports files in the browser:
one with errors (listed by line), then a valid one through its preview, confirmation and progress to done. Axe on
each page. The live app's inline worker (a thread) does the background work."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import accessible
from tests.factories import PASSWORD, make_hwb, make_user
from tracker.web.extensions import db

pytestmark = pytest.mark.browser


def test_an_admin_adds_a_provider_and_imports_files(page: Any, axe: Any, page_errors: list[str],
                                                    live_app_ctx: Any, tmp_path: Path) -> None:
    make_hwb("E06000001", name="Hartlepool")
    make_hwb("E06000002", name="Middlesbrough")
    make_user("admin", "admin@example.org")
    db.session.commit()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("admin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Organisations").click()
    accessible(page, axe, page_errors, "organisations")
    page.get_by_role("button", name="Add a provider").click()
    accessible(page, axe, page_errors, "add a provider")
    page.get_by_label("ODS code (NHS body)").check()
    page.get_by_label("Code", exact=True).fill("RTR")
    page.get_by_label("Name", exact=True).fill("South Tees")
    page.get_by_label("Sector").select_option("acute")
    page.get_by_label("Find a board by name or code").fill("middles")
    expect(page.get_by_label("Hartlepool (E06000001)")).to_be_hidden()
    page.get_by_label("Middlesbrough (E06000002)").check()
    page.get_by_role("button", name="Add provider").click()
    expect(page.get_by_text("Provider added.")).to_be_visible()
    expect(page.get_by_label("Middlesbrough (E06000002)")).to_be_checked()
    accessible(page, axe, page_errors, "provider")

    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,region\nE06000003,Redcar,nowhere\nX1,Nowhere,north\n")
    page.goto("/admin/imports")
    accessible(page, axe, page_errors, "imports")
    page.get_by_label("What does the file hold?").select_option("hwbs")
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").click()
    errors = page.get_by_test_id("errors")
    expect(errors).to_contain_text("line 2: region", timeout=20_000)
    expect(errors).to_contain_text("line 3: code")
    accessible(page, axe, page_errors, "errors")

    good = tmp_path / "good.csv"
    good.write_text("code,name,region\nE06000001,Hartlepool,north\nE06000003,Redcar and Cleveland,north\n")
    page.goto("/admin/imports")
    page.get_by_label("What does the file hold?").select_option("hwbs")
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_test_id("created")).to_have_text("1", timeout=20_000)
    expect(page.get_by_test_id("unchanged")).to_have_text("1")
    accessible(page, axe, page_errors, "preview")
    page.get_by_role("button", name="Import these rows").click()
    expect(page.get_by_test_id("status")).to_contain_text("Imported", timeout=20_000)
    accessible(page, axe, page_errors, "done")
