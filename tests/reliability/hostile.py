"""Random and malicious values for the fuzzers of the API (test_hostile_input.py) and of the pages' forms
(test_form_fuzz.py): very long strings, control characters, NUL, lone surrogates, HTML and script, SQL
fragments, template syntax, huge numbers, impossible dates, tampered codes, wrong types and invalid UTF-8."""
from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st


def examples(count: int) -> int:
    """`count` examples, times RELIABILITY_FUZZ_DEPTH (default 1; say 10 for a deeper run before a release)."""
    return max(1, round(count * float(os.environ.get("RELIABILITY_FUZZ_DEPTH", "1"))))


FUZZ = settings(max_examples=250, deadline=None, database=None, phases=[Phase.explicit, Phase.generate, Phase.shrink],
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


# What must never reach a page unescaped: the start of each script or markup payload above. Escaped by Jinja it
# reads "&lt;script&gt;alert", so finding one of these in a page's HTML means stored or reflected markup is live.
LIVE_MARKUP = ("<script>alert", "<img src=x", "<svg/onload", "</textarea><b>", "\"><script>", "<b>")
