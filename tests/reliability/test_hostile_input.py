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
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reliability import figures
from tests.reliability.harness import YEAR, db_backend
from tests.reliability.hostile import (
    DATES,
    FUZZ,
    SCRIPT,
    SQL,
    TAMPERED,
    any_text,
    hostile_bytes,
    hostile_text,
    hostile_value,
    mostly,
    wrong_type,
)

pytestmark = pytest.mark.reliability

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
             "/api/v1/plans/{hwb}/{year}/events", "/api/v1/plans/{hwb}/{year}/concerns",
             "/api/v1/plans/{hwb}/{year}/reviews"]
    names = ["as_of", "region", "year", "page", "per_page", "hwb_code", "status"]

    @FUZZ
    @given(path=st.sampled_from(paths), hwb=st.one_of(st.just("E06000101"), hostile_text),
           year=st.one_of(st.just(YEAR), hostile_text),
           query=st.dictionaries(st.one_of(st.sampled_from(names), hostile_text),
                                 st.one_of(hostile_text, wrong_type.map(json.dumps)), max_size=4),
           raw=st.one_of(st.none(), hostile_bytes), caller=st.sampled_from(sorted(tokens)),
           token=st.one_of(st.none(), hostile_text))
    def fuzz(path: str, hwb: str, year: str, query: dict, raw: bytes | None, caller: str, token: str | None) -> None:
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


@pytest.mark.parametrize("method, path, body", [
    ("GET", "/api/v1/plans/E06000101%00/2015-16/evidence", None),
    ("GET", "/api/v1/plans/E06000101/2015-16%00/events", None),
    ("POST", "/api/v1/plans/E06000101/2015-16/events",
     {**valid_body(), "participations": [{"provider_code": "RA1"}, {"provider_code": "R\x00X"}]}),
    ("POST", "/api/v1/plans/E06000101/2015-16/events", {**valid_body(), "evidence_url": "https://x\x00y"}),
    ("POST", "/api/v1/plans/E06000101/2015-16/events", {**valid_body(), "summary": "a \ud800 b"}),
    ("POST", "/api/v1/plans/E06000101/2015-16/events", {**valid_body(), "evidence_url": "https://x/\udc00"}),
    ("POST", "/api/v1/plans/E06000101/2015-16/events",
     {**valid_body(), "participations": [{"provider_code": "RA1"}, {"provider_code": "\ud800"}]}),
], ids=["nul-hwb-code", "nul-year", "nul-provider-code", "nul-evidence-url", "surrogate-summary",
        "surrogate-evidence-url", "surrogate-provider-code"])
def test_inputs_that_once_caused_server_errors_are_refused(app: Flask, seeded, method, path, body) -> None:
    """Inputs the fuzzers found answering 500 (a NUL on PostgreSQL, a lone surrogate): now refused, 404 or 422."""
    provider = next(c for c in seeded if c.own_provider == "RA1")
    headers = {"Authorization": f"Bearer {provider.token}"}
    client = app.test_client()
    if body is None:
        response = client.open(path, method=method, headers=headers)
    else:
        data = json.dumps(body)  # ensure_ascii: the surrogate travels as the valid JSON escape \ud800
        response = client.open(path, method=method, data=data, content_type="application/json", headers=headers)
    assert response.status_code in (404, 422), (response.status_code, response.get_data()[:300])


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
        body = {**valid_body(), "summary": summary}
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 201, response.get_data()[:300]
        tried["stored"] += 1
        tried["stored_with_markup"] += "<" in summary
        _check_stored(app, client, path, headers, body, response.get_json())

    fuzz()
    figures.record(f"fuzz_stored_{backend}", {"stored": tried["stored"], "with_markup": tried["stored_with_markup"]})
