"""Shared vocabulary of the access matrix: roles, expected outcomes and the Case record.

Each area's rows live in a module of this package exposing ROWS: dict[endpoint, list[Case]];
tests/test_access_matrix.py merges them. The world the paths are formatted with is described there.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
