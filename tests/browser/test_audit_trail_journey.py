"""In Chromium: an admin searches the audit trail with a filter, opens an entry's before and after, downloads the
CSV; exports a person's data (subject access); anonymises a person who has left — axe-core on every page."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import accessible
from tests.factories import PASSWORD, make_hwb, make_provider, make_user
from tracker.domain import accounts
from tracker.web.extensions import db

pytestmark = pytest.mark.browser

LEAVER = "sam.leaver@trust.example"


def _world() -> int:
    admin = make_user("admin", "admin@example.org")
    board = make_hwb("E06000021", region="north")
    make_provider(footprint=[board], code="RSL")
    leaver = accounts.create_user(db.session, LEAVER, "a long enough password 2", accounts.Scope("provider", "RSL"),
                                  name="Sam Leaver", actor=admin)
    accounts.change_scope(db.session, leaver, accounts.Scope("hwb", hwb_code="E06000021"), actor=admin)
    db.session.commit()
    return leaver.id


def _download(page: Any, link: Any) -> str:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_text(encoding="utf-8-sig")


def test_an_admin_searches_the_trail_exports_a_person_and_anonymises_them(page: Any, axe: Any, page_errors: list[str],
                                                                          live_app_ctx: Any) -> None:
    leaver_id = _world()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("admin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Audit trail", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Audit trail")
    accessible(page, axe, page_errors, "audit trail")
    page.get_by_label("Kind of change").select_option("role_changed")
    page.get_by_label("Who (email address contains)").fill("admin@")
    page.get_by_role("button", name="Search").click()
    entries = page.get_by_test_id("audit-entries")
    expect(entries.locator("tr[data-entry]")).to_have_count(1)
    expect(entries).to_contain_text("role changed")
    page.locator("summary", has_text="Changes").click()
    expect(entries.locator('tr[data-field="role"]')).to_contain_text("provider")
    expect(entries.locator('tr[data-field="role"]')).to_contain_text("hwb")
    accessible(page, axe, page_errors, "audit trail searched, changes open")
    csv_text = _download(page, page.get_by_test_id("audit-export"))
    assert csv_text.splitlines()[0].startswith("id,at_london,actor,action")
    assert len(csv_text.strip().splitlines()) == 2 and "role_changed" in csv_text

    page.get_by_role("link", name="role changed").click()
    expect(page.locator("h1")).to_contain_text("Role changed")
    expect(page.locator('tr[data-field="role"]')).to_contain_text("hwb")
    accessible(page, axe, page_errors, "audit entry")

    page.goto(f"/admin/users/{leaver_id}")
    accessible(page, axe, page_errors, "user page")
    held = _download(page, page.get_by_role("link", name="download as JSON"))
    assert LEAVER in held and "password" not in held

    page.get_by_role("link", name="Anonymise this account").click()
    expect(page.locator("h1")).to_contain_text("Anonymise this account")
    accessible(page, axe, page_errors, "anonymise: confirm")
    page.get_by_role("button", name="Anonymise the account").click()
    anonymised = f"former-user-{leaver_id}@anonymised.invalid"
    expect(page.get_by_text(f"The account is anonymised: it is now {anonymised}.")).to_be_visible()
    expect(page.locator("h1")).to_contain_text(anonymised)
    accessible(page, axe, page_errors, "anonymised")

    page.get_by_role("link", name="Audit trail", exact=True).click()
    expect(page.get_by_test_id("audit-entries")).to_contain_text("user anonymised")
    expect(page.locator("main")).not_to_contain_text(LEAVER)
    accessible(page, axe, page_errors, "audit trail after anonymising")
