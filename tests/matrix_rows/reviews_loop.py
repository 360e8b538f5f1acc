"""Access rows of the review loop: the board's view of its review and answering its conditions, the assurer's
verdict on a condition, and the reviews API. extend_world adds a review with one condition on each board's plan.

POSTs of the pages here are incomplete (shown again with their errors, nothing written); the API's POST records a
review (201) as an assurer or admin in scope, going against the evidence with a reason, so whatever the rating.
"""
from __future__ import annotations

from typing import Any

from tests.matrix_rows import IN_SCOPE, OUT_OF_SCOPE, Case, only
from tracker.models import AssuranceReview, ReviewCondition
from tracker.web.extensions import db

HWB = only({"hwb"})
HWB_OUT = only({"hwb"}, code=404)
ASSURERS = only({"assurer", "regional", "admin"})
ASSURERS_IN = {**ASSURERS, "regional": 404}
REVIEW = {"rating": "insufficient", "decision": "not_approved", "tranche": None, "intervention": "Support",
          "override_reason": "Matrix check"}
RECORD_IN = {"anon": 401, "provider": 403, "hwb": 403, "assurer": 201, "regional": 404, "admin": 201}
RECORD_OUT = {"anon": 401, "provider": 404, "hwb": 404, "assurer": 201, "regional": 201, "admin": 201}

ROWS: dict[str, list[Case]] = {
    "hwb.outcome_page": [Case("GET", "/board/review", HWB), Case("GET", "/board/review?year=2099-00", HWB_OUT)],
    "hwb.answer_condition_page": [
        Case("GET", "/board/review/conditions/{condition_in}", HWB),
        Case("POST", "/board/review/conditions/{condition_in}", HWB, data={"answer": ""}),
        Case("GET", "/board/review/conditions/{condition_out}", HWB_OUT),
        Case("POST", "/board/review/conditions/{condition_out}", HWB_OUT, data={"answer": "x"}),
        Case("GET", "/board/review/conditions/999999", HWB_OUT),
    ],
    "assurance.condition": [
        Case("GET", "/assurance/conditions/{condition_in}", ASSURERS_IN),
        Case("GET", "/assurance/conditions/{condition_out}", ASSURERS),
        Case("POST", "/assurance/conditions/{condition_in}", ASSURERS_IN, data={"met": ""}),
        Case("GET", "/assurance/conditions/999999", only({"assurer", "regional", "admin"}, code=404)),
    ],
    "api.list_reviews": [
        Case("GET", "/api/v1/plans/{hwb_in}/2015-16/reviews", IN_SCOPE, token=True),
        Case("GET", "/api/v1/plans/{hwb_out}/2015-16/reviews", OUT_OF_SCOPE, token=True),
    ],
    "api.create_review": [
        Case("POST", "/api/v1/plans/{hwb_in}/2015-16/reviews", RECORD_IN, token=True, json=REVIEW),
        Case("POST", "/api/v1/plans/{hwb_out}/2015-16/reviews", RECORD_OUT, token=True, json=REVIEW),
    ],
}


def _review(plan_id: int) -> int:
    review = AssuranceReview(plan_id=plan_id, criteria_snapshot={"criteria": []}, thresholds={}, condition_views={},
                             suggested_rating="weak", rating="weak", decision="approved_subject_to_conditions",
                             tranche=3, intervention="", override_reason="")
    review.condition_items = [ReviewCondition(position=1, text="Hold a provider forum", status="open")]
    db.session.add(review)
    db.session.flush()
    return review.condition_items[0].id


def extend_world(world: dict[str, Any]) -> dict[str, Any]:
    """A review subject to one condition on board IN's plan, and one on board OUT's."""
    return {"condition_in": _review(world["plans"]["in"].id), "condition_out": _review(world["plans"]["out"].id)}
