"""The access matrix: every route, for an anonymous visitor and each role, in scope and out of scope.

When a route is added, `test_every_route_is_in_the_matrix` fails until the route has its row here.
Roles: anon; provider (a provider serving board IN); hwb (board IN's user); assurer (national);
regional (an assurer for London, where board IN is not); admin.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest

import tests.matrix_rows as matrix_rows
from tests.factories import make_hwb, make_plan, make_provider, make_user, sign_in_as
from tests.matrix_rows import EVENT, IN_SCOPE, OUT_OF_SCOPE, ROLES, Case, everyone, only, signed_in
from tracker.web.extensions import db

CORE: dict[str, list[Case]] = {
    "static": [Case("GET", "/static/css/tracker.css", everyone(200))],
    "main.start": [Case("GET", "/", everyone(200))],
    "main.health": [Case("GET", "/healthz", everyone(200))],
    "main.privacy": [Case("GET", "/privacy", everyone(200))],
    "main.accessibility": [Case("GET", "/accessibility", everyone(200))],
    "main.cookies": [Case("GET", "/cookies", everyone(200))],
    "main.nhsuk_assets": [Case("GET", "/assets/images/favicon.ico", everyone(200))],
    "main.nhsuk_dist": [Case("GET", "/nhsuk/nhsuk-frontend.min.css", everyone(200))],
    "auth.sign_in": [Case("GET", "/sign-in", everyone(200))],
    "auth.sign_out": [Case("POST", "/sign-out", everyone(302))],
    "account.home": [Case("GET", "/account/", signed_in(200))],
    "account.tokens": [Case("GET", "/account/tokens", signed_in(200))],
    "account.name": [Case("GET", "/account/name", signed_in(200)), Case("POST", "/account/name", signed_in(200))],
    "account.password": [Case("GET", "/account/password", signed_in(200)),
                         Case("POST", "/account/password", signed_in(200))],
    "account.own_sessions": [Case("GET", "/account/sessions", signed_in(200))],
    "account.end_session": [Case("POST", "/account/sessions/999999/end", signed_in(404))],
    "account.end_other_sessions": [Case("POST", "/account/sessions/end-others", signed_in(303))],
    "account.revoke_token": [
        Case("POST", "/account/tokens/{admin_token}/revoke", {**signed_in(404), "admin": 303}),
    ],
    "admin.users": [Case("GET", "/admin/users", only({"admin"}))],
    "admin.criteria_settings": [Case("GET", "/admin/settings", only({"admin"})),
                                Case("POST", "/admin/settings", only({"admin"}))],
    "admin.new_user": [Case("GET", "/admin/users/new", only({"admin"}))],
    "admin.edit_user": [
        Case("GET", "/admin/users/{hwb_user}", only({"admin"})),
        Case("GET", "/admin/users/999999", only({"admin"}, code=404)),
    ],
    "admin.reset_password": [Case("POST", "/admin/users/{hwb_user}/password", only({"admin"}, code=400))],
    # Any board's next year's plan: the form, a post without figures shown again, a board that does not exist.
    "admin.next_plan": [
        Case("GET", "/admin/boards/{hwb_out}/next-plan", only({"admin"})),
        Case("POST", "/admin/boards/{hwb_in}/next-plan", only({"admin"}), data={"year": "2016-17"}),
        Case("GET", "/admin/boards/E06999999/next-plan", only({"admin"}, code=404)),
    ],
    "api-docs.openapi_json": [Case("GET", "/api/v1/openapi.json", everyone(200))],
    "api.board_membership": [
        Case("GET", "/api/v1/statistics/board-membership?as_of=2014-11-01", signed_in(200, anon=401), token=True),
    ],
    "api.plans": [Case("GET", "/api/v1/plans?year=2015-16", signed_in(200, anon=401), token=True),
                  Case("GET", "/api/v1/plans", signed_in(200, anon=401), token=True),
                  Case("GET", "/api/v1/plans?year=2015-2016", signed_in(422, anon=401), token=True)],
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


def area_modules() -> list[Any]:
    """Every area's rows module in tests/matrix_rows/."""
    return [importlib.import_module(f"tests.matrix_rows.{m.name}") for m in pkgutil.iter_modules(matrix_rows.__path__)]


def merged_matrix() -> dict[str, list[Case]]:
    """The core rows here and every area's rows from tests/matrix_rows/."""
    matrix = dict(CORE)
    for module in area_modules():
        rows = module.ROWS
        clash = set(rows) & set(matrix)
        assert not clash, f"rows given twice: {clash}"
        matrix.update(rows)
    return matrix


MATRIX = merged_matrix()


@pytest.fixture
def world(app_ctx) -> dict[str, Any]:
    """Two boards in different regions, a provider serving one, a plan each, and a user per role."""
    from tracker.domain import accounts

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
    tokens = {role: accounts.create_token(db.session, user) for role, user in users.items()}
    accounts.create_token(db.session, users["admin"], "to revoke")
    db.session.commit()
    from tracker.models import ApiToken

    world = {
        "users": users,
        "tokens": tokens,
        "ids": {"hwb_in": board_in.code, "hwb_out": board_out.code, "provider": provider.code,
                "other_provider": other_provider.code, "plan_in": plan_in.id, "plan_out": plan_out.id,
                "hwb_user": users["hwb"].id,
                "admin_token": db.session.scalar(db.select(ApiToken.id).where(ApiToken.name == "to revoke"))},
        "boards": {"in": board_in, "out": board_out}, "plans": {"in": plan_in, "out": plan_out},
        "providers": {"in": provider, "out": other_provider},
    }
    # An area whose rows need more records (an event, a concern…) adds them with extend_world(world) -> ids.
    for module in area_modules():
        if hasattr(module, "extend_world"):
            world["ids"].update(module.extend_world(world))
    db.session.commit()
    return world


def test_every_route_is_in_the_matrix(app) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(MATRIX) == set(), "add these routes to MATRIX with the outcome for every role"
    assert set(MATRIX) - endpoints == set(), "these MATRIX rows name routes that no longer exist"


def test_every_view_declares_its_access(app) -> None:
    undeclared = sorted(name for name, view in app.view_functions.items()
                        if name != "static" and not hasattr(view, "access"))
    assert undeclared == [], "decorate these views with an access rule from tracker.web.access"


def test_access_matrix(app, client, world) -> None:
    failures = []
    for cases in MATRIX.values():
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
                    location = response.headers.get("Location", "")
                expected = case.expect[role]
                if expected == 302 and case.method == "POST" and not case.token:
                    # A form sent without a session is kept, and the sender sent to sign in: 303 See Other.
                    expected = 303 if role == "anon" and "/sign-in?next=" in location else expected
                if status != expected:
                    failures.append(f"{case.method} {path} as {role}: {status}, expected {expected}")
    assert failures == [], "\n".join(failures)
