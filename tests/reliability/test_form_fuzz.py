"""Hostile input to every form of the pages: random and malicious values in every field (hidden ones, the CSRF
token and the one-time submission token included), unknown fields, files, and tampered addresses.

No answer may be a server error, and what was sent, stored or sent back with an error, is shown escaped: no
page shows it as live markup or as a script link. The app runs with CSRF protection on, as in production.
Every POST route of the app must be in tests/reliability/form_table.py (or fuzzed elsewhere, as the JSON API is).
"""
from __future__ import annotations

import pytest
from flask import Flask

from tests.reliability.form_fuzzer import FormFuzzer, assert_inert, fuzz_and_record
from tests.reliability.form_table import FORMS, NOT_PAGE_FORMS
from tests.reliability.harness import db_backend
from tests.reliability.hostile import examples

pytestmark = pytest.mark.reliability

EXAMPLES = examples(20)  # per form and database (RELIABILITY_FUZZ_DEPTH scales it)


def post_routes(app: Flask) -> set[str]:
    """The endpoint of every route that takes a POST (or any other method that writes)."""
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}}


def test_every_post_route_is_fuzzed(app: Flask) -> None:
    """A new form fails here until it has its row in form_table.FORMS."""
    routes = post_routes(app)
    missing = routes - set(FORMS) - set(NOT_PAGE_FORMS)
    assert not missing, f"POST routes the fuzzer does not know; add them to form_table.FORMS: {sorted(missing)}"
    gone = (set(FORMS) | set(NOT_PAGE_FORMS)) - routes
    assert not gone, f"rows of form_table for routes that no longer take a POST: {sorted(gone)}"


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_hostile_form_input_never_causes_a_server_error_or_live_markup(app: Flask, csrf_app: Flask,
                                                                      endpoint: str) -> None:
    backend = db_backend(app)
    fuzz_and_record(FormFuzzer(csrf_app, FORMS[endpoint], backend), endpoint, f"fuzz_forms_{backend}", EXAMPLES)


def test_the_markup_check_tells_live_markup_from_escaped() -> None:
    """The fuzzers' check itself: escaped markup passes; live markup or a script link in the page fails."""
    sent = ['Notes <script>alert(1)</script> end', "javascript:alert(1)"]
    assert_inert("<p>Notes &lt;script&gt;alert(1)&lt;/script&gt; end</p><p>javascript:alert(1)</p>", sent, "page")
    for page in ("<p>Notes <script>alert(1)</script> end</p>", '<a href="javascript:alert(1)">link</a>'):
        with pytest.raises(AssertionError):
            assert_inert(page, sent, "page")
