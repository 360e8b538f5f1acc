"""Schemathesis against the app's own OpenAPI document (/api/v1/openapi.json), in process, on both databases.

Every operation gets a bounded number of generated requests, valid (positive) and invalid (negative), sent with
a real provider token; half of them aim at a real plan so they reach the handlers and not only the 404. Each
answer must not be a server error, and must match the document (status, content type and body schema).
"""
from __future__ import annotations

import contextlib
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.reliability import figures
from tests.reliability.harness import YEAR, db_backend

pytestmark = pytest.mark.reliability

EXAMPLES_PER_OPERATION = 40
POSITIVE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
                   response_schema_conformance]
NEGATIVE_CHECKS = [not_a_server_error, negative_data_rejection, content_type_conformance]


def test_schemathesis_finds_no_server_error_and_no_departure_from_the_document(app: Flask, seeded) -> None:
    provider = next(c for c in seeded if c.own_provider == "RA1")
    auth = {"Authorization": f"Bearer {provider.token}"}
    backend = db_backend(app)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    real_plan = {"hwb_code": provider.hwb_codes[0], "year": YEAR}
    tried: dict[str, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        has_plan = "{hwb_code}" in operation.path
        for mode, checks in ((GenerationMode.POSITIVE, POSITIVE_CHECKS), (GenerationMode.NEGATIVE, NEGATIVE_CHECKS)):
            # The token is fixed (never negated): the point is what the handlers do with everything else.
            strategies = [operation.as_strategy(generation_mode=mode, headers=auth)]
            if has_plan and mode is GenerationMode.POSITIVE:
                strategies.append(operation.as_strategy(generation_mode=mode, headers=auth,
                                                        path_parameters=real_plan))
            label = f"{operation.method.upper()} {operation.path} {mode.value}"
            tried[label] = 0

            _run(st.one_of(strategies), checks, backend, lambda label=label: tried.__setitem__(
                label, tried[label] + 1))
    assert len(tried) >= 10
    figures.record(f"schemathesis_{backend}",
                   {"operations": len(tried) // 2, "cases": sum(tried.values())})


def _run(cases: st.SearchStrategy, checks: list, backend: str, count: Any) -> None:
    """Send EXAMPLES_PER_OPERATION generated cases and validate each answer."""

    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def check(case: Any) -> None:
        count()
        response = case.call()
        case.validate_response(response, checks=checks)

    # Unsatisfiable: nothing of this operation can be made invalid (its only inputs are fixed): nothing to try.
    with contextlib.suppress(Unsatisfiable):
        check()
