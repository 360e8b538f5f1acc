"""Shared fixtures for the browser tests: a live server, Debian's Chromium through pytest-playwright, axe-core.

- `live_app` is the app the live server runs: SQLite in a temporary folder, schema made by the migrations, CSRF
  on (a real browser sends the tokens). It is named so that tests/conftest.py's cleaning fixture, which looks
  for `app`, leaves it alone; `_clean_live_database` below empties it after each test instead.
- `live_app_ctx` gives a test an app context on that app, to put rows in before driving the browser
  (commit them: the server answers from other threads).
- `page` is pytest-playwright's page on the live server (`page.goto("/")`), under the app's real
  Content-Security-Policy; requests to any other host (the NHS fonts CDN) are refused, so the tests are hermetic.
- `page_errors` collects the page's console errors and uncaught exceptions; `axe(page)` returns axe-core's
  WCAG 2.2 A/AA violations; `screenshot(page, name)` saves test-results/screenshots/<name>.png.

Chromium is Debian's /usr/bin/chromium (never `playwright install`: it cannot download here). When it is
missing the browser tests are skipped, or fail when CI or REQUIRE_BROWSER is set. `make test` installs it.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import empty_database, make_test_app
from tests.factories import PASSWORD
from tracker.web.extensions import db

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(os.environ.get("AXE_JS", ROOT / "node_modules" / "axe-core" / "axe.min.js"))
SCREENSHOTS = ROOT / "test-results" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Playwright adds --headless, --no-sandbox and the rest itself; repeating them does no harm (see
# /work/shared/BROWSER-TESTS.md). --no-sandbox is needed as root.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


def require(path: Path | str, what: str, install: str) -> None:
    """Skip when a browser-test prerequisite is missing; fail instead on CI or when REQUIRE_BROWSER is set."""
    if Path(path).exists():
        return
    message = f"{what} not found at {path}: {install}"
    if _env_flag("CI") or _env_flag("REQUIRE_BROWSER"):
        pytest.fail(f"{message} (browser tests are required because CI or REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(f"{message} (set CI or REQUIRE_BROWSER to make this a failure)")


def require_chromium() -> None:
    require(CHROMIUM, "Chromium", "run `make chromium` (apt-get install -y chromium chromium-driver)")


@pytest.fixture(autouse=True)
def _chromium_present() -> None:
    """Every test in tests/browser needs Chromium: skip (or, on CI, fail) clearly before anything starts."""
    require_chromium()


# --- the live server -----------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app behind the live server, on its own SQLite file (browser behaviour does not depend on the backend)."""
    instance = tmp_path_factory.mktemp("browser-instance")
    application = make_test_app(f"sqlite:///{instance / 'browser.sqlite'}", instance, WTF_CSRF_ENABLED=True)
    with application.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """Serve live_app on a free local port from a daemon thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="browser-live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def live_app_ctx(live_app: Flask) -> Iterator[Flask]:
    """An app context on the live app, for putting rows in before the browser looks (db.session.commit() them)."""
    with live_app.app_context():
        yield live_app
        db.session.remove()


@pytest.fixture(autouse=True)
def _clean_live_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test that used the live app, delete every row (children first) and reset the rate limits."""
    yield
    if "live_app" not in request.fixturenames:
        return
    application: Flask = request.getfixturevalue("live_app")
    with application.app_context():
        empty_database()  # reversed(db.metadata.sorted_tables), one DELETE each on SQLite
        limiter = application.extensions.get("limiter")
        for lim in limiter if isinstance(limiter, set) else [limiter] if limiter else []:
            lim.reset()


# --- pytest-playwright overrides -----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """Overrides pytest-playwright's base_url, so `page.goto("/")` opens the live server."""
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium instead of Playwright's own download."""
    require_chromium()
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A desktop-sized window and British English, the same for every test, so screenshots are comparable."""
    return {**browser_context_args, "viewport": VIEWPORT, "locale": "en-GB"}


def _same_origin(url: str, base: str) -> bool:
    one, other = urlsplit(url), urlsplit(base)
    return (one.scheme, one.netloc) == (other.scheme, other.netloc)


@pytest.fixture
def blocked_requests() -> list[str]:
    """The URLs the hermetic page refused (requests to hosts other than the live server)."""
    return []


@pytest.fixture
def page(page: Any, base_url: str, blocked_requests: list[str]) -> Any:
    """pytest-playwright's page, hermetic: requests to anywhere but the live server are aborted."""

    def handle(route: Any) -> None:
        url = route.request.url
        if _same_origin(url, base_url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked_requests.append(url)
            route.abort()

    page.context.route("**/*", handle)
    page.set_default_timeout(10_000)  # a local server answers at once; fail fast rather than after 30 s
    return page


@pytest.fixture
def page_errors(page: Any, blocked_requests: list[str]) -> list[str]:
    """Console errors and uncaught exceptions on the page, as text (CSP refusals show up here too).

    The "Failed to load resource" errors of requests the hermetic page itself refused are left out.
    """
    errors: list[str] = []

    def on_console(message: Any) -> None:
        if message.type != "error":
            return
        source = (message.location or {}).get("url", "")
        if message.text.startswith("Failed to load resource") and (source in blocked_requests):
            return
        errors.append(f"console: {message.text} ({source})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


# --- accessibility and screenshots ---------------------------------------------------------------------------

@pytest.fixture
def axe(page: Any) -> Callable[..., list[dict[str, Any]]]:
    """axe(page[, context]) -> axe-core's violations of WCAG 2.0/2.1 A and AA and WCAG 2.2 AA.

    axe-core goes in as an init script of the browser context: that is not subject to the page's
    Content-Security-Policy, so the pages are checked under the real policy (no bypass_csp).
    """
    require(AXE_JS, "axe-core", "run `npm ci` (package.json pins axe-core)")
    source = AXE_JS.read_text(encoding="utf-8")
    page.context.add_init_script(script=source)

    def run(target_page: Any = None, context: Any = None) -> list[dict[str, Any]]:
        target_page = target_page or page
        if not target_page.evaluate("() => typeof window.axe === 'object'"):
            # Navigated before the fixture was set up: run it now as a function body (Playwright's evaluation
            # is not subject to the CSP, whereas eval() inside the page would be).
            target_page.evaluate("() => {\n" + source + "\n}")
        return target_page.evaluate(
            "([context, tags]) => axe.run(context || document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']}).then(result => result.violations)",
            [context, WCAG_TAGS])

    return run


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One line per violated rule and element, for assertion messages."""
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} -> {node['target']}"
                     for v in violations for node in v["nodes"])


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    """screenshot(page, name) saves a full-page PNG as test-results/screenshots/<name>.png and returns its path."""

    def take(page: Any, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


# --- what every journey does -------------------------------------------------------------------------------

def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in page as this person, whoever was signed in before (their cookies go)."""
    from playwright.sync_api import expect

    page.context.clear_cookies()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_be_visible()


def accessible(page: Any, axe: Any, page_errors: list[str], name: str) -> None:
    """The page has its heading, axe-core finds no WCAG 2.2 A or AA violation, and nothing was logged as an error."""
    from playwright.sync_api import expect

    expect(page.locator("h1")).to_be_visible()
    violations = axe(page)
    assert violations == [], f"{name}:\n{describe_violations(violations)}"
    assert page_errors == [], name
