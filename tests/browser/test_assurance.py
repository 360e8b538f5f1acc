"""In a real browser: an assurer reviews a plan and signs it off, with screenshots and axe-core on every page.

Self-contained for now (its own live server on a SQLite file, its own browser context): the shared browser
fixtures of tests/browser/conftest.py were not there yet when this was written. The fixtures below have
names of their own, so they neither clash with nor depend on the shared ones.
"""
from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from tests.assurance.builders import concern, declare_all, member, rated_plan
from tests.conftest import make_test_app
from tests.factories import PASSWORD, make_user
from tracker.web.extensions import db
from tracker.models import AssuranceReview, Plan

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(os.environ.get("AXE_JS", ROOT / "node_modules/axe-core/axe.min.js"))
SHOTS = ROOT / "test-results" / "screenshots"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def assurance_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A live server on its own SQLite database holding a few hand-made plans and a national assurer."""
    instance = tmp_path_factory.mktemp("assurance-browser")
    app = make_test_app(f"sqlite:///{instance / 'browser.sqlite'}", instance, WTF_CSRF_ENABLED=True,
                        RATELIMIT_ENABLED=False, TODAY="2014-11-03")
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        strong = rated_plan("strong", "north", {"acute": 2, "community": 1}, code="E06000047", name="County Durham")
        declare_all(strong)
        member(strong.hwb, "Chief executive, acute trust", strong.hwb.providers[0])
        rated_plan("strong", "north", code="E08000021", name="Newcastle upon Tyne")
        rated_plan("adequate", "london", code="E09000028", name="Southwark")
        weak = rated_plan("weak", "midlands_east", {"acute": 1, "community": 1}, code="E10000024",
                          name="Nottinghamshire")
        concern(weak, weak.hwb.providers[0], "escalated", confidential=True, text="Acute demand not modelled")
        rated_plan("insufficient", "south", {"housing": 2}, code="E06000045", name="Southampton")
        make_user("assurer", "assurer@example.org")
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
def assurance_page(browser_type: Any, assurance_site: dict[str, Any]) -> Iterator[Any]:
    """A page on the live server; requests elsewhere (the NHS fonts) are refused, so the test is hermetic."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} missing: apt-get install -y chromium")
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS} missing: npm install axe-core")
    base = assurance_site["url"]
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


def shoot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"assurance-{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def test_an_assurer_reviews_and_signs_off_a_plan(assurance_page: Any, assurance_site: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    page = assurance_page
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("assurer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator("h1")).to_contain_text("Plans: England")
    expect(page.locator('[data-testid="plans-table"] tbody tr')).to_have_count(5)
    shoot(page, "overview")
    assert violations(page) == []

    page.get_by_role("link", name="County Durham").click()
    expect(page.locator("h1")).to_contain_text("County Durham")
    expect(page.locator('[data-figure="rating"]')).to_have_text("Strong")
    shoot(page, "plan")
    assert violations(page) == []

    page.get_by_role("button", name="Record a review").click()
    expect(page.locator("h1")).to_contain_text("Record a review")
    for legend in ("Plans jointly agreed", "Protection of social care", "Seven-day services", "Data sharing",
                   "Joint assessment", "Agreement on the impact on the acute sector"):
        page.get_by_role("group", name=legend).get_by_label("Met", exact=True).check()
    page.get_by_role("group", name="Decision").get_by_label("Approved", exact=True).check()
    page.get_by_label("Tranche 2").check()  # the evidence suggests tranche 1
    shoot(page, "review-form")
    assert violations(page) == []
    page.get_by_role("button", name="Record review").click()

    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter why the decision goes against the evidence")
    expect(page).to_have_title(re.compile("^Error: "))
    shoot(page, "review-override-needed")
    assert violations(page) == []

    page.get_by_label("Reason for going against the evidence").fill(
        "Strong evidence, but the CCG governing body signs off in the second round.")
    page.get_by_role("button", name="Record review").click()

    expect(page.locator(".tracker-flash")).to_contain_text("Review recorded: approved.")
    expect(page.locator('[data-figure="status"]')).to_have_text("Approved")
    expect(page.locator(".assurance-review--latest")).to_contain_text("Approved, tranche 2")
    shoot(page, "signed-off")
    assert violations(page) == []

    page.get_by_role("link", name="Plans", exact=True).first.click()
    row = page.locator('tr[data-hwb="E06000047"]')
    expect(row.locator('[data-column="status"]')).to_have_text("Approved")
    expect(row.locator('[data-column="tranche"]')).to_have_text("2")

    with assurance_site["app"].app_context():
        review = db.session.scalar(sa.select(AssuranceReview).join(Plan).where(Plan.status == "approved"))
        assert (review.decision, review.tranche, review.suggested_rating) == ("approved", 2, "strong")
        assert review.override_reason.startswith("Strong evidence")


@pytest.mark.parametrize("path", ["/assurance/escalations", "/assurance/plans/E10000024/2015-16/peers",
                                  "/assurance/plans/E10000024/2015-16/pack"])
def test_the_other_assurance_pages_pass_axe(assurance_page: Any, path: str) -> None:
    from playwright.sync_api import expect

    page = assurance_page
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("assurer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_contain_text("Plans")
    page.goto(path)
    shoot(page, path.strip("/").replace("/", "-").replace("assurance-", "", 1))
    assert violations(page) == []
