"""Fixtures for API tests: a small world of boards, providers and plans, and a token per role."""
from __future__ import annotations

from typing import Any

import pytest

from tests.api.openapi_check import OpenApiChecker
from tests.factories import make_hwb, make_plan, make_provider, make_user
from tracker.domain import accounts
from tracker.web.extensions import db


@pytest.fixture
def api_world(app_ctx) -> dict[str, Any]:
    """Board IN (north) served by providers RIN (acute) and RCO (community); board OUT (london) by ROUT."""
    board_in = make_hwb("E06000001", region="north", name="Hartlepool")
    board_out = make_hwb("E09000001", region="london", name="City of London")
    rin = make_provider("acute", footprint=[board_in], code="RIN")
    rco = make_provider("community", footprint=[board_in], code="RCO")
    rout = make_provider("acute", footprint=[board_out], code="ROUT")
    make_plan(board_in)
    make_plan(board_out)
    users = {
        "provider": make_user("provider", provider=rin),
        "other_provider": make_user("provider", provider=rout),
        "hwb": make_user("hwb", hwb=board_in),
        "assurer": make_user("assurer"),
        "regional": make_user("assurer", region="london"),
        "admin": make_user("admin"),
    }
    tokens = {role: accounts.create_token(db.session, user) for role, user in users.items()}
    db.session.commit()
    return {"users": users, "tokens": tokens, "providers": {"RIN": rin, "RCO": rco, "ROUT": rout}}


@pytest.fixture
def openapi(client) -> OpenApiChecker:
    """The app's own OpenAPI document, itself validated, ready to check answers against."""
    return OpenApiChecker(client.get("/api/v1/openapi.json").json)


@pytest.fixture
def call(client, api_world, openapi):
    """call(role, method, path, json=None, headers=None) -> response, authenticated as that role's token.

    Every answer is checked against the OpenAPI document, so no test can see an undocumented shape.
    """

    def _call(role: str | None, method: str, path: str, json: Any = None, headers: dict | None = None):
        all_headers = dict(headers or {})
        if role is not None:
            all_headers["Authorization"] = f"Bearer {api_world['tokens'][role]}"
        response = client.open(path, method=method, json=json, headers=all_headers)
        openapi.check(method, path, response.status_code, response.json)
        return response

    return _call
