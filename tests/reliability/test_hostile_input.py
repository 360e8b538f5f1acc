"""Hostile input to every API endpoint: random and malicious values in paths, query strings, headers and bodies.

Very long strings, control characters, HTML and script, SQL fragments, invalid UTF-8 bytes, wrong types, huge
numbers, dates out of range and tampered ids. No answer may be a server error; every error is the API's JSON
error body; and whatever is stored comes back from the API as JSON data (never as a page) and, shown in a page,
is escaped by Jinja's autoescape, so no stored text can run as script.
"""
from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, quote_from_bytes

import pytest
from flask import Flask
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.reliability import figures
from tests.reliability.conftest import KNOWN_BUGS, hits_known_bug
from tests.reliability.harness import YEAR, db_backend

pytestmark = pytest.mark.reliability

FUZZ = settings(max_examples=250, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much, HealthCheck.data_too_large])

SCRIPT = ["<script>alert(1)</script>", "\"><script>alert(document.cookie)</script>", "<img src=x onerror=alert(1)>",
          "javascript:alert(1)", "<svg/onload=alert(1)>", "{{ 7*7 }}", "{% raw %}", "${7*7}", "</textarea><b>"]
SQL = ["' OR '1'='1", "'; DROP TABLE engagement_event; --", "1; SELECT pg_sleep(5)", "\" OR 1=1 --",
       "E06000101' --", "%' AND 1=0 UNION SELECT email FROM \"user\" --", "RA1'||'"]
TAMPERED = ["E06000103", "E09000001", "e06000101", " E06000101", "E06000101 ", "../E06000101", "..%2f..%2f",
            "RA3", "RA2", "ra1", "0", "-1", "2014-15", "2015-16 ", "2016-17", "%00", "null", "undefined"]
DATES = ["0000-00-00", "0001-01-01", "9999-12-31", "10000-01-01", "-0001-01-01", "2014-02-30", "2014-13-01",
         "2014-1-1", "14-06-01", "2014-06-01T00:00:00", "2014/06/01", "1e10", "", "today"]
HUGE = [10**30, -(10**30), 2**63, -(2**63) - 1, 2**31, 1e308, -1e308, 5e-324, 0, -0.0, 3.5]

control_text = st.text(alphabet=st.characters(max_codepoint=0x1F), min_size=1, max_size=20)
any_text = st.text(max_size=60)
long_text = st.builds(lambda ch, n: ch * n, st.sampled_from(["A", "é", "<", "'", "\u202e", "😀"]),
                      st.sampled_from([256, 5001, 20_000, 100_000]))
hostile_text = st.one_of(st.sampled_from(SCRIPT + SQL + TAMPERED + DATES), any_text, control_text, long_text,
                         st.builds("".join, st.lists(st.sampled_from(SCRIPT + SQL + ["\x00", "\n", "\u2028"]),
                                                     max_size=4)))
wrong_type = st.one_of(st.none(), st.booleans(), st.sampled_from(HUGE), st.integers(), st.floats(allow_nan=False,
                       allow_infinity=False), st.lists(st.integers(), max_size=3),
                       st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))
hostile_value = st.one_of(hostile_text, wrong_type)
hostile_bytes = st.one_of(st.binary(max_size=80), st.sampled_from([b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80",
                                                                   b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\x80"]))


def mostly(value: Any, otherwise: st.SearchStrategy, times: int = 3) -> st.SearchStrategy:
    """`value` `times` times out of `times` + 1, else a draw from `otherwise`."""
    return st.tuples(st.integers(0, times), otherwise).map(lambda pair: value if pair[0] else pair[1])


def header_value(text: str) -> str:
    """As a client can send it: bytes on the wire read as latin-1, no line breaks (HTTP cannot carry them)."""
    return text.encode("utf-8", "replace").decode("latin-1").replace("\r", "").replace("\n", "")


def valid_body(own: str = "RA1") -> dict[str, Any]:
    return {"date": "2014-06-12", "kind": "workshop", "depth": 3, "topics": ["schemes"],
            "summary": "A workshop on the schemes", "participations": [{"provider_code": own, "leadership": True}]}


@st.composite
def event_bodies(draw: st.DrawFn) -> Any:
    """Mostly a valid event with one to three fields made hostile, so the input gets past the first check."""
    body = valid_body()
    choice = draw(st.integers(0, 9))
    if choice == 0:
        return draw(hostile_value)  # not an object at all
    if choice <= 4:  # a valid event whose text is hostile: it is stored, and must come back harmless
        body["summary"] = draw(st.one_of(st.sampled_from(SCRIPT + SQL), hostile_text.filter(str.strip),
                                         st.builds("{} {} {}".format, any_text, st.sampled_from(SCRIPT), any_text)))
        url = draw(mostly(None, st.one_of(st.just("https://example.org/a?b=<script>"), hostile_text), times=1))
        if url is not None:
            body["evidence_url"] = url
        return body
    fields = ["date", "kind", "depth", "topics", "summary", "participations", "evidence_url", "extra"]
    for name in draw(st.lists(st.sampled_from(fields), min_size=1, max_size=3, unique=True)):
        if name == "participations":
            body[name] = draw(st.one_of(
                hostile_value,
                st.lists(st.fixed_dictionaries({"provider_code": st.one_of(hostile_text, st.just("RA1"))},
                                               optional={"leadership": st.one_of(st.booleans(), hostile_value),
                                                         "status": hostile_value}),
                         max_size=4),
                st.just([{"provider_code": "RA1"}] * 2 + [{"provider_code": c} for c in ("RV1", "RA3")])))
        elif name == "topics":
            body[name] = draw(st.one_of(hostile_value, st.lists(st.one_of(hostile_text, st.just("schemes")),
                                                                 max_size=10)))
        elif name == "date":
            body[name] = draw(st.one_of(st.sampled_from(DATES), hostile_value))
        elif name == "summary":
            body[name] = draw(st.one_of(st.sampled_from(SCRIPT).map(lambda s: f"Notes {s} end"), hostile_value))
        elif name == "extra":
            body[draw(hostile_text)] = draw(hostile_value)
        else:
            body[name] = draw(hostile_value)
    return body


def _check_answer(response: Any) -> None:
    assert response.status_code < 500, response.get_data()[:500]
    if response.status_code in (301, 308):
        return  # the router's own redirect to the canonical path (doubled or trailing slashes): no handler ran
    assert response.mimetype == "application/json", (response.status_code, response.mimetype)
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    if response.status_code >= 400:
        error = response.get_json()["error"]
        assert set(error) >= {"code", "message"} and isinstance(error["message"], str)


@pytest.fixture
def tried() -> dict[str, int]:
    return {"queries": 0, "bodies": 0, "stored": 0, "stored_with_markup": 0}


def test_hostile_paths_and_query_strings_never_cause_a_server_error(app: Flask, seeded, tried) -> None:
    client = app.test_client()
    backend = db_backend(app)
    tokens = {c.name: c.token for c in seeded}
    paths = ["/api/v1/statistics/board-membership", "/api/v1/plans", "/api/v1/plans/{hwb}/{year}/evidence",
             "/api/v1/plans/{hwb}/{year}/events"]
    names = ["as_of", "region", "year", "page", "per_page", "hwb_code"]

    @FUZZ
    @given(path=st.sampled_from(paths), hwb=st.one_of(st.just("E06000101"), hostile_text),
           year=st.one_of(st.just(YEAR), hostile_text),
           query=st.dictionaries(st.one_of(st.sampled_from(names), hostile_text),
                                 st.one_of(hostile_text, wrong_type.map(json.dumps)), max_size=4),
           raw=st.one_of(st.none(), hostile_bytes), caller=st.sampled_from(sorted(tokens)),
           token=st.one_of(st.none(), hostile_text))
    def fuzz(path: str, hwb: str, year: str, query: dict, raw: bytes | None, caller: str, token: str | None) -> None:
        assume(not hits_known_bug([hwb, year], backend))
        url = path.format(hwb=quote(hwb, safe=""), year=quote(year, safe=""))
        query_string = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query.items())
        if raw is not None:
            query_string += f"&as_of={quote_from_bytes(raw)}&region={quote_from_bytes(raw)}"
        auth = tokens[caller] if token is None else f"bcf_{token}"
        headers = {"Authorization": header_value(f"Bearer {auth}")}
        tried["queries"] += 1
        _check_answer(client.get(url, query_string=query_string, headers=headers))

    fuzz()
    figures.record(f"fuzz_queries_{backend}", {"inputs": tried["queries"]})


def test_hostile_event_bodies_never_cause_a_server_error_or_store_live_markup(app: Flask, seeded, tried) -> None:
    client = app.test_client()
    backend = db_backend(app)
    callers = {c.name: c for c in seeded}

    @FUZZ
    @given(body=event_bodies(), raw=mostly(None, hostile_bytes),
           caller=st.sampled_from(["provider-RA1", "provider-RA1", "hwb-E06000101", "provider-RA2"]),
           key=mostly(None, st.one_of(st.uuids().map(str), hostile_text,
                                      st.text(alphabet=st.characters(max_codepoint=255), max_size=300))),
           plan=mostly("E06000101", st.sampled_from(TAMPERED)))
    def fuzz(body: Any, raw: bytes | None, caller: str, key: str | None, plan: str) -> None:
        assume(not hits_known_bug([body, plan], backend))
        who = callers[caller]
        headers = {"Authorization": f"Bearer {who.token}"}
        if key is not None:
            headers["Idempotency-Key"] = header_value(key)
        path = f"/api/v1/plans/{quote(plan, safe='')}/{YEAR}/events"
        tried["bodies"] += 1
        if raw is not None:
            response = client.post(path, data=raw, content_type="application/json", headers=headers)
        else:
            response = client.post(path, json=body, headers=headers)
        _check_answer(response)
        if response.status_code == 201:
            tried["stored"] += 1
            tried["stored_with_markup"] += "<" in body["summary"]
            _check_stored(app, client, path, headers, body, response.get_json())

    fuzz()
    figures.record(f"fuzz_bodies_{backend}", {"inputs": tried["bodies"], "stored": tried["stored"],
                                              "stored_with_markup": tried["stored_with_markup"]})


def _check_stored(app: Flask, client: Any, path: str, headers: dict, body: dict, answer: dict) -> None:
    """What was stored comes back exactly, as JSON data; shown in a page, Jinja escapes it."""
    listed = client.get(path + "?per_page=500", headers={"Authorization": headers["Authorization"]})
    assert listed.status_code == 200 and listed.mimetype == "application/json"
    assert listed.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in listed.headers["Content-Security-Policy"]
    event = next(e for e in listed.get_json() if e["event_ref"] == answer["event_ref"])
    assert event["summary"] == body["summary"].strip() == answer["summary"]
    shown = app.jinja_env.from_string("<p>{{ summary }}</p>").render(summary=event["summary"])
    for dangerous in ("<script", "<img", "<svg", "<b>", "</textarea"):
        assert dangerous not in shown[3:-4], shown


@pytest.mark.parametrize("backend_only, method, path, body", [
    ("postgresql", "GET", "/api/v1/plans/E06000101%00/2015-16/evidence", None),
    ("postgresql", "GET", "/api/v1/plans/E06000101/2015-16%00/events", None),
    ("postgresql", "POST", "/api/v1/plans/E06000101/2015-16/events",
     {**valid_body(), "participations": [{"provider_code": "RA1"}, {"provider_code": "R\x00X"}]}),
    ("postgresql", "POST", "/api/v1/plans/E06000101/2015-16/events", {**valid_body(), "evidence_url": "https://x\x00y"}),
    (None, "POST", "/api/v1/plans/E06000101/2015-16/events", {**valid_body(), "summary": "a \ud800 b"}),
    (None, "POST", "/api/v1/plans/E06000101/2015-16/events", {**valid_body(), "evidence_url": "https://x/\udc00"}),
    (None, "POST", "/api/v1/plans/E06000101/2015-16/events",
     {**valid_body(), "participations": [{"provider_code": "RA1"}, {"provider_code": "\ud800"}]}),
], ids=["nul-hwb-code", "nul-year", "nul-provider-code", "nul-evidence-url", "surrogate-summary",
        "surrogate-evidence-url", "surrogate-provider-code"])
def test_known_bug_inputs_answer_4xx(app: Flask, seeded, backend_only, method, path, body) -> None:
    """The inputs of KNOWN_BUGS: each must be refused with a 4xx, never a 500 (xfail until fixed)."""
    backend = db_backend(app)
    if backend_only and backend != backend_only:
        pytest.skip(f"only {backend_only} fails on this input")
    pinned = "nul_on_postgresql" if "%00" in path or "\\u0000" in json.dumps(body) else "lone_surrogate"
    provider = next(c for c in seeded if c.own_provider == "RA1")
    headers = {"Authorization": f"Bearer {provider.token}"}
    client = app.test_client()
    if body is None:
        response = client.open(path, method=method, headers=headers)
    else:
        data = json.dumps(body)  # ensure_ascii: the surrogate travels as the valid JSON escape \ud800
        response = client.open(path, method=method, data=data, content_type="application/json", headers=headers)
    refused = response.status_code in (404, 422)
    if pinned in KNOWN_BUGS:
        assert not refused, f"fixed: remove {pinned!r} from KNOWN_BUGS in conftest.py so the fuzzers cover it again"
        pytest.xfail(f"known bug: {KNOWN_BUGS[pinned]}")
    assert refused, (response.status_code, response.get_data()[:300])


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def test_stored_markup_and_sql_come_back_as_inert_data(app: Flask, seeded, tried) -> None:
    """Summaries full of script, markup and SQL that the rules accept are stored as written and shown harmless."""
    client = app.test_client()
    backend = db_backend(app)
    provider = next(c for c in seeded if c.own_provider == "RA1")
    headers = {"Authorization": f"Bearer {provider.token}"}
    path = f"/api/v1/plans/E06000101/{YEAR}/events"
    accepted = st.one_of(st.sampled_from(SCRIPT + SQL), hostile_text,
                         st.builds("{} {} {}".format, any_text, st.sampled_from(SCRIPT + SQL), any_text)).filter(
        lambda s: s.strip() and len(s.strip()) <= 5000 and not _CONTROL.search(s.strip()))

    @settings(FUZZ, max_examples=100)
    @given(summary=accepted)
    def fuzz(summary: str) -> None:
        assume(not hits_known_bug(summary, backend))
        body = {**valid_body(), "summary": summary}
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 201, response.get_data()[:300]
        tried["stored"] += 1
        tried["stored_with_markup"] += "<" in summary
        _check_stored(app, client, path, headers, body, response.get_json())

    fuzz()
    figures.record(f"fuzz_stored_{backend}", {"stored": tried["stored"], "with_markup": tried["stored_with_markup"]})
