"""The access matrix: every route, for an anonymous visitor and each role, in scope and out of scope.

When a route is added, `test_every_route_is_in_the_matrix` fails until the route has its row here.
Roles: anon; provider (a provider serving board IN); hwb (board IN's user); assurer (national);
regional (an assurer for London, where board IN is not); admin.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import make_hwb, make_plan, make_provider, make_user, sign_in_as
from tracker.extensions import db

ROLES = ("anon", "provider", "hwb", "assurer", "regional", "admin")


def everyone(code: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, code)


def signed_in(code: int, anon: int = 302) -> dict[str, int]:
    return {**everyone(code), "anon": anon}


def only(roles: set[str], code: int = 200, others: int = 403, anon: int = 302) -> dict[str, int]:
    return {role: (code if role in roles else others) for role in ROLES} | {"anon": anon}


# A plan on board IN is in scope for everyone but the London assurer; board OUT's only for assurers and admin.
IN_SCOPE = {"anon": 401, "provider": 200, "hwb": 200, "assurer": 200, "regional": 404, "admin": 200}
OUT_OF_SCOPE = {"anon": 401, "provider": 404, "hwb": 404, "assurer": 200, "regional": 200, "admin": 200}
EVENT = {"date": "2014-06-12", "kind": "meeting", "depth": 2, "topics": ["schemes"], "summary": "Matrix check",
         "participations": [{"provider_code": "RIN"}]}


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # formatted with the world's ids and codes
    expect: dict[str, int]
    data: dict[str, Any] | None = None
    token: bool = False  # authenticate with the role's API token instead of a signed-in session
    json: dict[str, Any] | None = None


MATRIX: dict[str, list[Case]] = {
    "static": [Case("GET", "/static/css/tracker.css", everyone(200))],
    "main.start": [Case("GET", "/", everyone(200))],
    "main.nhsuk_assets": [Case("GET", "/assets/images/favicon.ico", everyone(200))],
    "main.nhsuk_dist": [Case("GET", "/nhsuk/nhsuk-frontend.min.css", everyone(200))],
    "auth.sign_in": [Case("GET", "/sign-in", everyone(200))],
    "auth.sign_out": [Case("POST", "/sign-out", everyone(302))],
    "account.home": [Case("GET", "/account/", signed_in(200))],
    "account.tokens": [Case("GET", "/account/tokens", signed_in(200))],
    "account.revoke_token": [
        Case("POST", "/account/tokens/{admin_token}/revoke", {**signed_in(404), "admin": 303}),
    ],
    "admin.users": [Case("GET", "/admin/users", only({"admin"}))],
    "admin.new_user": [Case("GET", "/admin/users/new", only({"admin"}))],
    "admin.edit_user": [
        Case("GET", "/admin/users/{hwb_user}", only({"admin"})),
        Case("GET", "/admin/users/999999", only({"admin"}, code=404)),
    ],
    "admin.reset_password": [Case("POST", "/admin/users/{hwb_user}/password", only({"admin"}, code=400))],
    "api-docs.openapi_json": [Case("GET", "/api/v1/openapi.json", everyone(200))],
    "api.board_membership": [
        Case("GET", "/api/v1/statistics/board-membership?as_of=2014-11-01", signed_in(200, anon=401), token=True),
    ],
    "api.plans": [Case("GET", "/api/v1/plans?year=2015-16", signed_in(200, anon=401), token=True)],
    "api.plan_evidence": [
        Case("GET", "/api/v1/plans/{hwb_in}/2015-16/evidence", IN_SCOPE, token=True),
        Case("GET", "/api/v1/plans/{hwb_out}/2015-16/evidence", OUT_OF_SCOPE, token=True),
    ],
    "api.list_events": [
        Case("GET", "/api/v1/plans/{hwb_in}/2015-16/events", IN_SCOPE, token=True),
        Case("GET", "/api/v1/plans/{hwb_out}/2015-16/events", OUT_OF_SCOPE, token=True),
    ],
    "api.create_event": [
        Case("POST", "/api/v1/plans/{hwb_in}/2015-16/events", {**IN_SCOPE, "provider": 201, "hwb": 201,
                                                               "assurer": 403, "admin": 403},
             token=True, json=EVENT),
        Case("POST", "/api/v1/plans/{hwb_out}/2015-16/events", {**OUT_OF_SCOPE, "assurer": 403, "regional": 403,
                                                                "admin": 403}, token=True, json=EVENT),
    ],
}


@pytest.fixture
def world(app_ctx) -> dict[str, Any]:
    """Two boards in different regions, a provider serving one, a plan each, and a user per role."""
    from tracker import accounts

    board_in = make_hwb("E06000001", region="north")
    board_out = make_hwb("E09000001", region="london")
    provider = make_provider("acute", footprint=[board_in], code="RIN")
    other_provider = make_provider("community", footprint=[board_out], code="ROUT")
    plan_in, plan_out = make_plan(board_in), make_plan(board_out)
    users = {
        "provider": make_user("provider", provider=provider),
        "hwb": make_user("hwb", hwb=board_in),
        "assurer": make_user("assurer"),
        "regional": make_user("assurer", region="london"),
        "admin": make_user("admin"),
    }
    tokens = {role: accounts.create_token(user) for role, user in users.items()}
    accounts.create_token(users["admin"], "to revoke")
    db.session.commit()
    from tracker.models import ApiToken

    return {
        "users": users,
        "tokens": tokens,
        "ids": {"hwb_in": board_in.code, "hwb_out": board_out.code, "provider": provider.code,
                "other_provider": other_provider.code, "plan_in": plan_in.id, "plan_out": plan_out.id,
                "hwb_user": users["hwb"].id, "admin_token": db.session.scalar(db.select(ApiToken.id).where(ApiToken.name == "to revoke"))},
    }


def test_every_route_is_in_the_matrix(app) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(MATRIX) == set(), "add these routes to MATRIX with the outcome for every role"
    assert set(MATRIX) - endpoints == set(), "these MATRIX rows name routes that no longer exist"


def test_every_view_declares_its_access(app) -> None:
    undeclared = sorted(name for name, view in app.view_functions.items()
                        if name != "static" and not hasattr(view, "access"))
    assert undeclared == [], "decorate these views with an access rule from tracker.access"


def test_access_matrix(app, client, world) -> None:
    failures = []
    for endpoint, cases in MATRIX.items():
        for case in cases:
            path = case.path.format(**world["ids"])
            for role in ROLES:
                headers = {}
                if case.token:
                    sign_in_as(client, None)
                    if role != "anon":
                        headers["Authorization"] = f"Bearer {world['tokens'][role]}"
                else:
                    sign_in_as(client, None if role == "anon" else world["users"][role])
                with client.open(path, method=case.method, data=case.data, json=case.json,
                                 headers=headers) as response:
                    status = response.status_code
                if status != case.expect[role]:
                    failures.append(f"{case.method} {path} as {role}: {status}, expected {case.expect[role]}")
    assert failures == [], "\n".join(failures)
