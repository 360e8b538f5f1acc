"""GET and POST /api/v1/plans/{hwb_code}/{year}/reviews: the plan's assurance reviews, and recording one."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, url_for
from sqlalchemy.orm import selectinload

from tracker.api import bp
from tracker.api.auth import api_user, token_required
from tracker.api.once import created_once
from tracker.api.review_schemas import ReviewIn, ReviewOut
from tracker.api.schemas import ErrorBody
from tracker.assurance import queries
from tracker.domain import evidence
from tracker.domain.reviews.peers import BoardProfile
from tracker.domain.reviews.rules import ReviewChoice
from tracker.domain.reviews.service import ReviewInput, ReviewRefused, may_review, record_review
from tracker.models import AssuranceReview, Plan, User
from tracker.web import access
from tracker.web.clock import today
from tracker.web.extensions import db


def review_as_dict(review: AssuranceReview, reviewer: str | None, for_assurer: bool) -> dict[str, Any]:
    """A review in PRODUCT.md's fields; the override reason and the reviewer for assurers and admins only."""
    answer: dict[str, Any] = {
        "at": review.created_at.isoformat(), "rating": review.rating, "suggested_rating": review.suggested_rating,
        "decision": review.decision, "tranche": review.tranche,
        "conditions": [{"id": c.id, "text": c.text, "status": c.status,
                        "met_on": c.met_on.isoformat() if c.met_on else None} for c in review.condition_items],
        "intervention": review.intervention, "peer_hwb_code": review.peer_hwb.code if review.peer_hwb else None,
        "criteria": review.criteria_snapshot.get("criteria", []),
    }
    if for_assurer:
        answer.update(override_reason=review.override_reason, reviewer=reviewer)
    return answer


def _sees_everything(user: User) -> bool:
    return user.role in ("assurer", "admin")


@bp.get("/plans/<string:hwb_code>/<string:year>/reviews")
@token_required
@bp.response(200, ReviewOut(many=True), description="Newest first")
@bp.alt_response(404, schema=ErrorBody, description="No such plan in the caller's scope")
def list_reviews(hwb_code: str, year: str) -> list[dict[str, Any]]:
    """The plan's assurance reviews, newest first, for assurers in scope, the board and its footprint providers."""
    user = api_user()
    plan = access.plan_or_404(user, hwb_code, year)
    rows = db.session.execute(
        sa.select(AssuranceReview, User.email).outerjoin(User, User.id == AssuranceReview.reviewer_id)
        .where(AssuranceReview.plan_id == plan.id)
        .options(selectinload(AssuranceReview.condition_items), selectinload(AssuranceReview.peer_hwb))
        .order_by(AssuranceReview.id.desc())).all()
    return [review_as_dict(review, email, _sees_everything(user)) for review, email in rows]


def _peer(user: User, plan: Plan, code: str | None, rating: str) -> BoardProfile | None:
    """The peer board named, which must be a board in the caller's scope whose plan the evidence rates strong."""
    if not code:
        return None
    if rating not in ("weak", "insufficient"):
        abort(422, description="peer_hwb_code: Peer matching is for plans rated weak or insufficient")
    _, candidates = queries.peer_candidates(user, plan, today())
    found = next((c for c in candidates if c.code == code and c.rating == "strong"), None)
    if found is None:
        abort(422, description="peer_hwb_code: Name a board in your scope whose plan the evidence rates strong")
    return found


@bp.post("/plans/<string:hwb_code>/<string:year>/reviews")
@token_required
@bp.arguments(ReviewIn, location="json", error_status_code=422)
@bp.response(201, ReviewOut)
@bp.alt_response(403, schema=ErrorBody, description="Only assurers record reviews")
@bp.alt_response(404, schema=ErrorBody, description="No such plan in the caller's scope")
@bp.alt_response(422, schema=ErrorBody, description="Invalid input; the error names the field")
def create_review(body: dict[str, Any], hwb_code: str, year: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Record a review as an assurer in scope, against the evidence as it is now; an Idempotency-Key makes a retry
    return the first answer."""
    user = api_user()
    plan = access.plan_or_404(user, hwb_code, year)
    if not may_review(user, plan):
        abort(403, description="Only assurers record reviews")
    def create() -> dict[str, Any]:
        figures = evidence.plan_evidence(db.session, plan.id, today(), evidence.load_thresholds(db.session))
        choice = ReviewChoice(suggested_rating=figures.rating, rating=body["rating"], decision=body["decision"],
                              tranche=body["tranche"], conditions=tuple(body["conditions"]),
                              intervention=body["intervention"], override_reason=body["override_reason"])
        peer = _peer(user, plan, body["peer_hwb_code"], figures.rating)
        try:
            review = record_review(db.session, user, plan, figures, ReviewInput(choice, {}, peer))
        except ReviewRefused as refused:
            db.session.rollback()
            abort(422, description="; ".join(f"{f}: {m}" for f, m in refused.errors.items()))
        return review_as_dict(review, user.email, True)

    return created_once(user.id, create, url_for("api.list_reviews", hwb_code=hwb_code, year=year))
