"""Fuzzing one page form as a hostile browser would: open the page, fill the form in, make part of it hostile,
post it, and read every page that then shows what was sent.

A submission starts well-formed (the page's own choices, the spec's valid text), so that most get past the first
check and are stored; then one to three fields are dropped, repeated, or given random and malicious values
(hidden fields, the CSRF token and the one-time submission token included), an unknown field may be added, free
text may carry script, a file may be attached, and the address may point at someone else's record or carry a
hostile string. No answer may be a server error, and no page may show sent markup live.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import sign_in_as
from tests.reliability import figures, world
from tests.reliability.form_table import FormSpec
from tests.reliability.hostile import FUZZ, HUGE, LIVE_MARKUP, SCRIPT, SQL, hostile_bytes, hostile_text
from tests.reliability.pages import Form, FormField, form_for, multipart, urlencoded
from tracker.web.extensions import db

TOKEN = re.compile(r"[0-9a-f]{32}")
REF = re.compile(r"\b(?:EV|CN)-[0-9A-F]+\b")
LIVE_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*(?:javascript|data|vbscript):""", re.I)
PLAIN = "Met the discharge team"  # a free text that every text field accepts

hostile_field = st.one_of(hostile_text, st.sampled_from(HUGE).map(str), st.integers().map(str), st.just(""),
                          st.sampled_from(SCRIPT + SQL))
with_script = st.builds("{} {} {}".format, st.sampled_from(["Notes", PLAIN]), st.sampled_from(SCRIPT),
                        st.sampled_from(["end", "' OR '1'='1"]))
uploads = st.one_of(st.just(("boards.csv", world.HWBS_CSV)), st.tuples(
    st.one_of(st.sampled_from(["minutes.pdf", "../../etc/passwd", "a.html", "<script>alert(1)</script>.pdf",
                               "x.exe", "", "minutes.pdf\x00.html", ".docx"]), hostile_text),
    st.one_of(st.just(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), hostile_bytes,
              st.just(b"<html><script>alert(1)</script></html>"))))  # and a well-formed CSV, for the imports


def as_text(value: str | bytes) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def assert_inert(html: str, sent: list[str], where: str) -> None:
    """No markup that was sent shows live in the page, and no link or form runs a script address."""
    for fragment in LIVE_MARKUP:
        if fragment in html and any(fragment in value for value in sent):
            at = html.find(fragment)
            raise AssertionError(f"{where} shows sent markup live: {html[max(0, at - 200):at + 200]!r}")
    match = LIVE_URL.search(html)
    assert match is None, f"{where} has a script address: {html[max(0, match.start() - 200):match.end() + 100]!r}"


def _careful(f: FormField, valid: dict[str, Any]) -> st.SearchStrategy[list[str]]:
    """What a careful person sends in this field: the spec's valid value, a choice the page offers, or its own."""
    if f.name in valid:
        value = valid[f.name]
        return st.just(list(value) if isinstance(value, list | tuple) else [value])
    if f.kind == "hidden":
        return st.just([secrets.token_hex(16) if TOKEN.fullmatch(f.value) else f.value])
    if f.kind in ("radio", "select"):
        return st.sampled_from(f.options).map(lambda v: [v])
    if f.kind == "checkbox":
        return st.lists(st.sampled_from(f.options), min_size=int(len(f.options) > 1), max_size=3, unique=True)
    return st.just([f.value or PLAIN])


@st.composite
def submissions(draw: st.DrawFn, form: Form, valid: dict[str, Any]) -> tuple[list[tuple[str, Any]], list]:
    """Fields (name, value) pairs and files for one hostile submission of the form."""
    fields = [f for f in form.fields.values() if f.kind not in ("file", "submit", "button")]
    names = [f.name for f in fields]
    hostile = set(draw(st.lists(st.sampled_from([*names, "+extra"]), max_size=3, unique=True)))
    scripted = draw(st.booleans())
    pairs: list[tuple[str, Any]] = []
    for f in fields:
        if f.name not in hostile:
            values = draw(_careful(f, valid))
            if scripted and f.kind in ("text", "textarea") and "[" not in f.name:
                values = [f"{v} {draw(with_script)}" for v in values]
            pairs += [(f.name, v) for v in values]
            continue
        how = draw(st.sampled_from(["drop", "one", "many", "bytes"]))
        if how == "one":
            pairs.append((f.name, draw(hostile_field)))
        elif how == "many":
            pairs += [(f.name, v) for v in draw(st.lists(hostile_field, min_size=2, max_size=4))]
        elif how == "bytes":
            pairs.append((f.name, draw(hostile_bytes)))
    if "+extra" in hostile:
        pairs.append((draw(st.one_of(hostile_text, st.sampled_from(["id", "user_id", "role", "provider_id"]))),
                      draw(hostile_field)))
    files = []
    if any(f.kind == "file" for f in form.fields.values()) and draw(st.booleans()):
        name, content = draw(uploads)
        files.append((next(n for n, f in form.fields.items() if f.kind == "file"), name, content))
    return pairs, files


COUNTS: dict[str, dict[str, dict[str, int]]] = {}  # figures section -> form or page -> counts


def fuzz_and_record(fuzzer: FormFuzzer, endpoint: str, section: str, examples: int) -> None:
    """Run the fuzzer, and keep its counts with the others of its section in the run's figures."""
    fuzzer.run(examples)
    counts = COUNTS.setdefault(section, {})
    counts[endpoint] = {"inputs": fuzzer.tried, "accepted": fuzzer.accepted, "pages_read": fuzzer.shown}
    figures.record(section, {"routes": len(counts), **{k: sum(c[k] for c in counts.values())
                                                       for k in ("inputs", "accepted", "pages_read")},
                             "fewest_inputs_per_route": min(c["inputs"] for c in counts.values())})
    assert fuzzer.tried >= examples, f"only {fuzzer.tried} inputs tried"


class FormFuzzer:
    """Fuzz one spec's form against an app whose forms check CSRF tokens, as in production."""

    def __init__(self, app: Flask, spec: FormSpec, backend: str) -> None:
        self.app, self.spec, self.backend = app, spec, backend
        self.clients: dict[str, FlaskClient] = {}
        self.tried = self.accepted = self.shown = 0  # posts; those sent on to another page; pages read after

    def db(self, work: Callable[[], Any]) -> Any:
        """Run `work` with the database, in an app context of its own."""
        with self.app.app_context():
            try:
                return work()
            finally:
                db.session.remove()

    def client(self, role: str, fresh: bool = False) -> FlaskClient:
        """A browser signed in as the world's user for the role (anonymous for "anon")."""
        if fresh or role not in self.clients:
            client = self.app.test_client()
            sign_in_as(client, None if role == "anon" else self.db(lambda: world.user(role)))
            self.clients[role] = client
        return self.clients[role]

    def run(self, examples: int) -> None:
        """Fuzz; afterwards every audit entry written before is still there, unchanged (append-only)."""
        @settings(FUZZ, max_examples=examples)
        @given(data=st.data())
        def fuzz(data: st.DataObject) -> None:
            self.example(data)

        self.db(lambda: world.event("provider"))  # so that there is an entry to keep
        entries = self.db(world.audit_snapshot)
        fuzz()
        after = self.db(world.audit_snapshot)
        assert {i: after.get(i) for i in entries} == entries, "an audit entry changed or went"

    def example(self, data: st.DataObject) -> None:
        spec = self.spec
        variant = data.draw(st.sampled_from(spec.variants), label="target")
        values = self.db(lambda: spec.target(**variant))
        client = self.client(spec.role, fresh=spec.fresh_session)
        if spec.prepare:
            spec.prepare(client)
        page = client.get(spec.page.format(**values))
        assert page.status_code == 200, (spec.page.format(**values), page.status_code)
        form = form_for(page.get_data(as_text=True), spec.posts_to.format(**values))
        pairs, files = data.draw(submissions(form, spec.valid), label="submission")
        address = self._address(data, values, spec.posts_to)
        if files or form.multipart:
            body, content_type = multipart(pairs, files)
        else:
            body, content_type = urlencoded(pairs), "application/x-www-form-urlencoded"
        self.tried += 1
        response = client.post(address, data=body, content_type=content_type,
                               environ_base={"REMOTE_ADDR": f"10.9.{self.tried // 250}.{self.tried % 250}"})
        sent = [as_text(v) for _, v in pairs] + [as_text(name) for _, name, _ in files]
        self._check(response, sent, f"POST {address}")
        if response.status_code in (301, 302, 303, 307, 308):
            self._follow(client, response.headers["Location"], values, sent, back=(address, page.request.path))

    def _address(self, data: st.DataObject, values: dict[str, Any], template: str) -> str:
        """The form's address, now and then pointing at someone else's record or carrying a hostile string."""
        how = data.draw(st.sampled_from(["as is"] * 6 + ["others'", "hostile", "query"]), label="address")
        if how == "others'" and values:
            values = {**values, **data.draw(st.sampled_from(self.db(self.spec.tampered) or [values]))}
        elif how == "hostile" and values:
            key = data.draw(st.sampled_from(sorted(values)))
            values = {**values, key: quote(data.draw(hostile_text), safe="")}
        address = template.format(**values)
        if how == "query":
            address += "?year=" + quote(data.draw(hostile_text), safe="")
        return address

    def _check(self, response: Any, sent: list[str], where: str) -> None:
        assert response.status_code < 500, (where, response.status_code, response.get_data(as_text=True)[-2000:])
        if response.mimetype == "text/html":
            assert_inert(response.get_data(as_text=True), sent, where)

    def _follow(self, client: FlaskClient, location: str, values: dict[str, Any], sent: list[str],
                back: tuple[str, ...]) -> None:
        """Read the page the form sent the browser to, and every page that shows what it stored (unless it was
        sent back to the form, as an expired CSRF token is)."""
        target = urlsplit(location)
        if target.netloc not in ("", "localhost") or target.path.startswith("/sign-in"):
            return
        self._check(client.get(location), sent, f"GET {location}")
        if target.path in {urlsplit(b).path for b in back}:
            return
        new = REF.search(location)
        self.accepted += 1
        for role, page in self.spec.shown:
            if "{new}" in page and new is None:
                continue
            path = page.format(**values, new=new.group(0) if new else "")
            self.shown += 1
            self._check(self.client(role).get(path), sent, f"GET {path} as {role}")


QUERY_NAMES = ["page", "per_page", "year", "q", "sort", "dir", "region", "rating", "status", "gap", "as_of",
               "as_of[day]", "as_of[month]", "as_of[year]", "peer", "next", "kind"]
query_value = st.one_of(hostile_field, st.sampled_from(["1", "2", "0", "-1", str(2**31), str(2**63), "1e3", "2015-16",
                                                        "2014-15", "north", "weak", "coverage", "desc"]))


class QueryFuzzer(FormFuzzer):
    """Fuzz one page's query string (its filter, search and paging fields, and others) and its address."""

    def example(self, data: st.DataObject) -> None:
        spec = self.spec
        variant = data.draw(st.sampled_from(spec.variants), label="target")
        values = self.db(lambda: spec.target(**variant))
        client = self.client(spec.role)
        if spec.prepare:
            spec.prepare(client)
        path = self._address(data, values, spec.page)
        query = data.draw(st.lists(st.tuples(st.one_of(st.sampled_from(QUERY_NAMES), hostile_text), query_value),
                                   max_size=5), label="query")
        address = f"{path}{'&' if '?' in path else '?'}{urlencoded(query).decode()}"
        self.tried += 1
        response = client.get(address)
        self._check(response, [as_text(v) for _, v in query], f"GET {address[:300]}")
        if response.status_code < 300:
            self.accepted += 1
