"""Recording a review: append a row, make its decision the plan's status, audit it. The request commits."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tracker.domain import audit, notifications
from tracker.domain.errors import Rejected
from tracker.domain.evidence import PlanEvidence
from tracker.domain.reviews.conditions import may_decide, new_conditions
from tracker.domain.reviews.peers import BoardProfile
from tracker.domain.reviews.rules import ReviewChoice, check_review
from tracker.models import AssuranceReview, Plan, User


class ReviewRefused(Rejected):
    """The review breaks a rule; `errors` maps each field to its message."""


def may_review(user: User, plan: Plan) -> bool:
    """Assurers whose scope holds the plan, and admins, record its reviews (as they decide on its conditions)."""
    return may_decide(user, plan)


@dataclass(frozen=True)
class ReviewInput:
    """A review as the assurer gave it."""

    choice: ReviewChoice
    condition_views: dict[str, str]
    peer: BoardProfile | None = None  # one of the boards peer matching suggested


def record_review(session: Session, user: User, plan: Plan, figures: PlanEvidence,
                  review: ReviewInput) -> AssuranceReview:
    """Add the review with the criteria and thresholds as they are now; the plan's status becomes its decision.

    Reviews are never changed or deleted: a new review is a new row, and the latest is the plan's status.
    """
    choice = review.choice
    if not may_review(user, plan):
        raise ReviewRefused({"decision": "Only assurers for the plan's region record its reviews"})
    if choice.suggested_rating != figures.rating:
        raise ReviewRefused({"rating": "The evidence changed while you were reviewing: check the rating again"})
    errors = check_review(choice)
    if errors:
        raise ReviewRefused(errors)
    record = AssuranceReview(
        plan_id=plan.id, reviewer_id=user.id, criteria_snapshot=figures.to_api(),
        thresholds=figures.thresholds.as_dict(), condition_views=dict(review.condition_views),
        suggested_rating=figures.rating, rating=choice.rating, decision=choice.decision, tranche=choice.tranche,
        intervention=choice.intervention.strip(),
        peer_hwb_id=review.peer.hwb_id if review.peer else None, override_reason=choice.override_reason.strip(),
    )
    record.condition_items = new_conditions(choice.conditions)
    session.add(record)
    before = plan.status
    plan.status = choice.decision
    session.flush()
    audit.record(session, "assurance.review", "assurance_review", record.id,
                 before={"plan_status": before},
                 after={"plan_id": plan.id, "rating": record.rating, "suggested_rating": record.suggested_rating,
                        "decision": record.decision, "tranche": record.tranche,
                        "override_reason": record.override_reason,
                        "conditions": [item.text for item in record.condition_items],
                        "peer_hwb": review.peer.code if review.peer else None},
                 actor=user)
    if review.peer:
        audit.record(session, "assurance.peer_match", "plan", plan.id,
                     after={"peer_hwb": review.peer.code, "review": record.id}, actor=user)
    notifications.review_recorded(session, record)
    for item in record.condition_items:
        notifications.condition_set(session, plan, item.id, item.text)
    return record
