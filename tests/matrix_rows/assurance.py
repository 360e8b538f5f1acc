"""Access-matrix rows of the assurance workspace: assurers and admins only; the London assurer not board IN's plan."""
from __future__ import annotations

from tests.matrix_rows import Case, only

ASSURERS = only({"assurer", "regional", "admin"})
# Board IN is in the north: out of the London assurer's scope, so its plan answers 404 there.
PLAN_IN = {**ASSURERS, "regional": 404}


def plan_cases(suffix: str, method: str = "GET", data: dict[str, str] | None = None) -> list[Case]:
    """The route for board IN's plan and for board OUT's (in London, so in the regional assurer's scope)."""
    return [Case(method, "/assurance/plans/{hwb_in}/2015-16" + suffix, PLAN_IN, data=data),
            Case(method, "/assurance/plans/{hwb_out}/2015-16" + suffix, ASSURERS, data=data)]


ROWS: dict[str, list[Case]] = {
    "assurance.overview": [Case("GET", "/assurance/", ASSURERS),
                           Case("GET", "/assurance/?region=north&sort=coverage&dir=desc", ASSURERS)],
    # The concerns queue and a concern's page (and the old escalations address): tests/matrix_rows/concerns_loop.py
    "assurance.plan": plan_cases(""),
    # An incomplete review is shown again with its errors (200): nothing is written, so every role sees the same.
    "assurance.review": plan_cases("/review") + plan_cases("/review", "POST", {"evidence_rating": "strong"}),
    "assurance.peers": plan_cases("/peers"),
    "assurance.pack": plan_cases("/pack"),
    "assurance.pack_pdf": plan_cases("/pack.pdf"),
    "assurance.export_csv": [Case("GET", "/assurance/export.csv", ASSURERS)],
    "assurance.export_xlsx": [Case("GET", "/assurance/export.xlsx", ASSURERS)],
}
