"""Hostile query strings and addresses on every page: the filter, search and paging fields of the pages' GET
forms, and others besides, with random and malicious values; ids and references tampered in the address.

No answer may be a server error, and what was sent back in a page (a search box, a filter) is shown escaped.
Every GET route of the pages must be in tests/reliability/page_table.py. The inputs with which the fuzzers once
found a server error are kept below as plain tests.
"""
from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.routing import IntegerConverter

from tests.factories import sign_in_as
from tests.reliability import world
from tests.reliability.form_fuzzer import QueryFuzzer, fuzz_and_record
from tests.reliability.harness import db_backend
from tests.reliability.hostile import examples
from tests.reliability.page_table import NOT_PAGES, PAGES

pytestmark = pytest.mark.reliability

EXAMPLES = examples(4)  # per page and database (RELIABILITY_FUZZ_DEPTH scales it)
TOO_BIG = 2**31  # one more than a database integer column holds


def test_every_page_is_fuzzed(app: Flask) -> None:
    """A new page fails here until it has its row in page_table.PAGES."""
    pages = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods
             and rule.endpoint not in NOT_PAGES and rule.endpoint.split(".")[0] not in NOT_PAGES}
    missing = pages - set(PAGES)
    assert not missing, f"pages the fuzzer does not know; add them to page_table.PAGES: {sorted(missing)}"
    assert not set(PAGES) - pages, f"rows of page_table for routes that are gone: {sorted(set(PAGES) - pages)}"


@pytest.mark.parametrize("endpoint", sorted(PAGES))
def test_hostile_query_strings_never_cause_a_server_error_or_live_markup(app: Flask, csrf_app: Flask,
                                                                        endpoint: str) -> None:
    backend = db_backend(app)
    fuzz_and_record(QueryFuzzer(csrf_app, PAGES[endpoint], backend), endpoint, f"fuzz_pages_{backend}", EXAMPLES)


def _id_routes(app: Flask) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if any(isinstance(c, IntegerConverter) for c in rule._converters.values())}  # noqa: SLF001


# Every route with an <int:...> id: (role, method, address); {doc} is a real event with a document.
ID_ROUTES = {
    "admin.edit_user": ("admin", "GET", f"/admin/users/{TOO_BIG}"),
    "admin.reset_password": ("admin", "POST", f"/admin/users/{TOO_BIG}/password"),
    "account.revoke_token": ("provider", "POST", f"/account/tokens/{TOO_BIG}/revoke"),
    "account.end_session": ("provider", "POST", f"/account/sessions/{TOO_BIG}/end"),
    "admin.anonymise": ("admin", "GET", f"/admin/users/{TOO_BIG}/anonymise"),
    "admin.audit_entry": ("admin", "GET", f"/admin/audit/{TOO_BIG}"),
    "admin.subject_access_csv": ("admin", "GET", f"/admin/users/{TOO_BIG}/subject-access.csv"),
    "admin.subject_access_json": ("admin", "GET", f"/admin/users/{TOO_BIG}/subject-access.json"),
    "assurance.condition": ("assurer", "GET", f"/assurance/conditions/{TOO_BIG}"),
    "hwb.answer_condition_page": ("hwb", "GET", f"/board/review/conditions/{TOO_BIG}"),
    "notifications.open_item": ("provider", "GET", f"/notifications/{TOO_BIG}"),
    "hwb.change_membership": ("hwb", "GET", f"/board/members/{TOO_BIG}"),
    "provider.document": ("provider", "GET", "/provider/events/{ref}/documents/" + str(TOO_BIG)),
    "admin.edit_provider": ("admin", "GET", f"/admin/organisations/providers/{TOO_BIG}"),
    "admin.close_provider": ("admin", "POST", f"/admin/organisations/providers/{TOO_BIG}/close"),
    "admin.reopen_provider": ("admin", "POST", f"/admin/organisations/providers/{TOO_BIG}/reopen"),
    "admin.import_job": ("admin", "GET", f"/admin/imports/{TOO_BIG}"),
    "admin.confirm_import": ("admin", "POST", f"/admin/imports/{TOO_BIG}/confirm"),
}
BUG_INPUTS = [
    *(pytest.param("id_out_of_range_on_postgresql", *row, id=endpoint) for endpoint, row in ID_ROUTES.items()),
    *(pytest.param("page_overflow", role, "GET", f"{path}?page=99999999999999999999", id=f"page-{role}")
      for role, path in (("admin", "/admin/users"), ("hwb", "/board/events"), ("assurer", "/assurance/escalations"))),
    pytest.param("nul_in_user_search_on_postgresql", "admin", "GET", "/admin/users?q=%00", id="nul-search"),
    *(pytest.param("nul_in_address_on_postgresql", role, "GET", path, id=f"nul-ref-{role}-{path.split('/')[2]}")
      for role, path in (("provider", "/provider/events/%00"), ("provider", "/provider/concerns/%00/raised"),
                         ("hwb", "/board/events/%00/answer"), ("hwb", "/board/concerns/%00"))),
    pytest.param("newline_in_address_with_expired_csrf", "provider", "POST",
                 "/provider/plans/E06000101%0A/2015-16/assessment", id="csrf-newline"),
    pytest.param("long_address_with_expired_csrf_on_postgresql", "hwb", "POST", "/board/concerns/" + "A" * 600,
                 id="csrf-long-address"),
    pytest.param("nul_in_forgotten_address_on_postgresql", "anon", "POST", "/forgot-password",
                 id="nul-forgot-password"),
    pytest.param("year_in_the_query_of_a_wrong_dated_pack", "assurer", "GET",
                 "/assurance/plans/E06000101/2015-16/pack.pdf?year=2014-15&as_of=nonsense", id="pack-pdf-year"),
]
# Posted to the app that checks CSRF tokens, with none.
WITH_CSRF = {"newline_in_address_with_expired_csrf", "long_address_with_expired_csrf_on_postgresql"}


def test_every_id_route_is_pinned(app: Flask) -> None:
    assert _id_routes(app) == set(ID_ROUTES)


@pytest.mark.parametrize("bug, role, method, address", BUG_INPUTS)
def test_inputs_that_once_caused_server_errors_no_longer_do(app: Flask, csrf_app: Flask, bug: str, role: str,
                                                           method: str, address: str) -> None:
    """Each input with which the fuzzers found a 500 (`bug` says which) is now refused or served, never a 500."""
    with app.app_context():
        address = address.format(**world.document()) if "{ref}" in address else address
        client = sign_in_as((csrf_app if bug in WITH_CSRF else app).test_client(),
                            None if role == "anon" else world.user(role))
    typed = {"message": "Typed in", "email": "someone\x00@example.org"}  # what a POST's form carries
    response = client.open(address, method=method, data=typed if method == "POST" else None)
    assert response.status_code < 500, (address, response.status_code)
