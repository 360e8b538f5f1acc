"""Raising concerns and taking them through their lifecycle, each step kept and audited."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tracker.domain import audit, notifications, vocab
from tracker.domain.concerns.rules import Action, ConcernRejected, NextStep, allowed_actions, check_action, next_step
from tracker.domain.text import text_problem
from tracker.domain.working_days import add_working_days, due_dates
from tracker.models import Concern, ConcernStep, Plan, User

TEXT_MAX = 10_000


@dataclass(frozen=True)
class ConcernInput:
    """What a provider raises."""

    category: str
    severity: str
    text: str
    confidential: bool


def validate_concern(concern: ConcernInput) -> dict[str, str]:
    """Every problem with a new concern, field -> message."""
    errors = {}
    if concern.category not in vocab.CONCERN_CATEGORIES:
        errors["category"] = "Select what the concern is about"
    if concern.severity not in vocab.SEVERITIES:
        errors["severity"] = "Select how serious the concern is"
    problem = text_problem(concern.text, label="Concern", maximum=TEXT_MAX, missing="Describe your concern")
    if problem:
        errors["text"] = problem
    return errors


def snapshot(concern: Concern) -> dict[str, object]:
    """The parts of a concern the audit trail keeps before and after a change."""
    return {"ref": concern.ref, "status": concern.status, "confidential": concern.confidential,
            "acknowledge_due": concern.acknowledge_due.isoformat(), "respond_due": concern.respond_due.isoformat()}


def raise_concern(session: Session, user: User, plan: Plan, concern: ConcernInput, *, today: date,
                  acknowledge_days: int, respond_days: int) -> Concern:
    """A provider raises a concern about a plan; its due dates are fixed in working days from today."""
    errors = validate_concern(concern)
    if errors:
        field, message = next(iter(errors.items()))
        raise ConcernRejected(message, field)
    acknowledge_due, respond_due = due_dates(today, acknowledge_days, respond_days)
    record = Concern(ref="CN-" + secrets.token_hex(5).upper(), plan_id=plan.id, provider_id=user.provider_id,
                     raised=today, category=concern.category, severity=concern.severity,
                     confidential=concern.confidential, status="open", text=concern.text.strip(),
                     acknowledge_due=acknowledge_due, respond_due=respond_due)
    record.history.append(ConcernStep(actor_id=user.id, actor_side="provider", from_status=None,
                                      to_status="open", message=record.text, taken_on=today,
                                      respond_due=respond_due))
    session.add(record)
    session.flush()
    audit.record(session, "concern_raised", "concern", record.ref, after=snapshot(record), actor=user)
    notifications.concern_raised(session, record)
    return record


def side_of(user: User) -> str:
    """The side a user acts for on a concern: provider, hwb or assurer (an administrator acts as an assurer)."""
    return "assurer" if user.role in ("assurer", "admin") else user.role


def was_escalated(concern: Concern) -> bool:
    """Whether the concern has ever been escalated to the assurers."""
    return any(step.to_status == "escalated" for step in concern.history)


def actions_for(concern: Concern, side: str) -> list[Action]:
    """What this side may do to the concern now (rules.allowed_actions with its history)."""
    return allowed_actions(concern.status, side, concern.confidential, was_escalated(concern))


def owed(concern: Concern, today: date) -> NextStep:
    """Who owes the concern's next step, and by when (rules.next_step)."""
    return next_step(concern.status, concern.confidential, concern.acknowledge_due, concern.respond_due, today)


def take_action(session: Session, user: User, concern: Concern, name: str, message: str, *, today: date,
                respond_days: int) -> ConcernStep:
    """One step of the lifecycle by the user's side (the access check is the caller's)."""
    side = side_of(user)
    action = check_action(name, concern.status, side, concern.confidential, message, was_escalated(concern))
    before = snapshot(concern)
    step = ConcernStep(actor_id=user.id, actor_side=side, from_status=concern.status,
                       to_status=action.to_status or concern.status, message=message.strip(), taken_on=today)
    if name == "reopen":
        concern.respond_due = step.respond_due = max(add_working_days(today, respond_days), concern.acknowledge_due)
    concern.status = step.to_status
    concern.history.append(step)
    session.flush()
    audit.record(session, f"concern_{name}", "concern", concern.ref, before=before,
                 after={**snapshot(concern), "message": step.message[:2000]}, actor=user)
    notifications.concern_step(session, concern, step)
    return step
