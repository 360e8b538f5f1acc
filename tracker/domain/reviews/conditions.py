"""The conditions of a review's approval as work to finish: the board answers each one, the assurer marks it met or
says why it is not met yet (it then stays open and the board can answer again). No Flask.

Who may do what:
- the board's own users (role hwb, the plan's board) answer a condition of their plan while it is open;
- an assurer whose scope holds the plan (national, or its region), or an admin, decides on a condition while it is
  open: met (on a date, not after today) or not met (with a reason); usually once the board has answered it.
Every step is audited, with the values before and after.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import audit, notifications
from tracker.domain.errors import Rejected
from tracker.domain.text import text_problem
from tracker.models import AssuranceReview, Plan, ReviewCondition, User
from tracker.models._types import utcnow

ANSWER_MAX = 5000
REASON_MAX = 5000
LINK_MAX = 2000


class ConditionRefused(Rejected):
    """The step breaks a rule; `errors` maps each field at fault to its message."""


@dataclass(frozen=True)
class ConditionProgress:
    """How far a review's conditions have got: how many there are, and how many are met."""

    total: int
    met: int

    @property
    def outstanding(self) -> int:
        return self.total - self.met

    @property
    def all_met(self) -> bool:
        return self.total > 0 and self.met == self.total


def may_answer(user: User, plan: Plan) -> bool:
    """The board's own users answer the conditions of its plan."""
    return user.role == "hwb" and user.hwb_id is not None and user.hwb_id == plan.hwb_id


def may_decide(user: User, plan: Plan) -> bool:
    """Assurers with the plan in scope, and admins, decide whether a condition is met."""
    if user.role == "admin":
        return True
    return user.role == "assurer" and (not user.region or user.region == plan.hwb.region)


def link_problem(link: str) -> str | None:
    """The message for a link that is not a plain web address, or None (an empty link is no link)."""
    if not link:
        return None
    parts = urlsplit(link)
    if (parts.scheme not in ("http", "https") or not parts.netloc or len(link) > LINK_MAX or not link.isprintable()
            or " " in link):
        return "Enter a link that starts with https:// or http://"
    return None


def new_conditions(texts: Iterable[str]) -> list[ReviewCondition]:
    """Open conditions for a new review, one per non-empty text, numbered from 1 in the order given."""
    return [ReviewCondition(position=n, text=text.strip(), status="open")
            for n, text in enumerate((t for t in texts if t.strip()), start=1)]


def _state(item: ReviewCondition) -> dict[str, object]:
    return {"status": item.status, "answer": item.answer, "answer_url": item.answer_url,
            "met_on": item.met_on.isoformat() if item.met_on else None, "not_met_reason": item.not_met_reason}


def answer_condition(session: Session, user: User, item: ReviewCondition, answer: str, link: str = "") -> None:
    """The board says what it has done about an open condition (text, and a link to show it if it has one)."""
    plan = item.review.plan
    if not may_answer(user, plan):
        raise ConditionRefused({"answer": "Only the board's own users can answer the conditions of its plan"})
    if item.status != "open":
        raise ConditionRefused({"answer": "This condition has been marked met: there is nothing more to answer"})
    errors = {}
    problem = text_problem(answer, label="Your answer", maximum=ANSWER_MAX,
                           missing="Enter what the board has done to meet the condition")
    if problem:
        errors["answer"] = problem
    problem = link_problem(link.strip())
    if problem:
        errors["answer_url"] = problem
    if errors:
        raise ConditionRefused(errors)
    before = _state(item)
    item.answer, item.answer_url = answer.strip(), link.strip()
    item.answered_at, item.answered_by_id = utcnow(), user.id
    session.flush()
    audit.record(session, "review_condition.answered", "review_condition", item.id, before=before,
                 after={**_state(item), "review": item.review_id, "plan_id": plan.id}, actor=user)
    notifications.condition_answered(session, plan, item.id, item.text)


def decide_condition(session: Session, user: User, item: ReviewCondition, met: bool | None, *, met_on: date | None,
                     reason: str, today: date) -> None:
    """The assurer marks an open condition met on a date (not after today), or says why it is not met:
    then it stays open for the board to answer again."""
    plan = item.review.plan
    if not may_decide(user, plan):
        raise ConditionRefused({"met": "Only assurers for the plan's region can decide on its conditions"})
    if item.status != "open":
        raise ConditionRefused({"met": "This condition is already marked met"})
    errors: dict[str, str] = {}
    if met is None:
        errors["met"] = "Select whether the condition is met"
    elif met:
        if met_on is None:
            errors["met_on"] = "Enter the date the condition was met"
        elif met_on > today:
            errors["met_on"] = "The date the condition was met must be today or in the past"
    else:
        problem = text_problem(reason, label="The reason", maximum=REASON_MAX,
                               missing="Enter why the condition is not met yet")
        if problem:
            errors["not_met_reason"] = problem
    if errors:
        raise ConditionRefused(errors)
    before = _state(item)
    if met:
        item.status, item.met_on, item.not_met_reason = "met", met_on, ""
    else:
        item.not_met_reason = reason.strip()
    item.decided_at, item.decided_by_id = utcnow(), user.id
    session.flush()
    audit.record(session, "review_condition.met" if met else "review_condition.not_met", "review_condition",
                 item.id, before=before, after={**_state(item), "review": item.review_id, "plan_id": plan.id},
                 actor=user)
    if met:
        notifications.condition_met(session, plan, item.id, item.text)


def latest_review(session: Session, plan_id: int) -> AssuranceReview | None:
    """The plan's latest review (the highest id: reviews are only ever added), or None before any."""
    return session.scalar(sa.select(AssuranceReview).where(AssuranceReview.plan_id == plan_id)
                          .order_by(AssuranceReview.id.desc()).limit(1))


def progress_of_latest(session: Session, plan_ids: list[int]) -> dict[int, ConditionProgress]:
    """For each plan whose latest review has conditions: how many it has and how many are met (one query)."""
    if not plan_ids:
        return {}
    latest = (sa.select(sa.func.max(AssuranceReview.id)).where(AssuranceReview.plan_id.in_(plan_ids))
              .group_by(AssuranceReview.plan_id))
    rows = session.execute(
        sa.select(AssuranceReview.plan_id, sa.func.count(ReviewCondition.id),
                  sa.func.sum(sa.case((ReviewCondition.status == "met", 1), else_=0)))
        .join(ReviewCondition, ReviewCondition.review_id == AssuranceReview.id)
        .where(AssuranceReview.id.in_(latest)).group_by(AssuranceReview.plan_id)).all()
    return {plan_id: ConditionProgress(total, int(met or 0)) for plan_id, total, met in rows}


def condition_in_scope(session: Session, visible_plans: sa.Select, condition_id: int) -> ReviewCondition | None:
    """The condition, when its plan is among `visible_plans` (tracker.domain.scope.plans_in_scope), else None."""
    plan_ids = visible_plans.with_only_columns(Plan.id)
    return session.scalar(sa.select(ReviewCondition).join(AssuranceReview)
                          .where(ReviewCondition.id == condition_id, AssuranceReview.plan_id.in_(plan_ids)))
