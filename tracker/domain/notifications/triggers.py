"""What causes a notification, in one place. Each trigger is called once, at the end of the domain service that
makes the change, and queues in that service's transaction; who hears what is PRODUCT.md's "Notifications".
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import vocab
from tracker.domain.clock import london_today
from tracker.domain.formatting import format_date
from tracker.domain.notifications.queue import (
    assurers_for,
    board_users,
    plan_name,
    provider_users,
    queue,
)
from tracker.models import (
    AssuranceReview,
    Concern,
    ConcernStep,
    EngagementEvent,
    Plan,
    Provider,
    User,
    provider_footprint,
)


def _user(session: Session, user_id: int | None) -> User | None:
    return session.get(User, user_id) if user_id else None


def event_recorded(session: Session, event: EngagementEvent) -> None:
    """The board recorded an event: each named provider's users answer it. A provider recorded one: the board
    hears (it confirms or disputes)."""
    plan, actor = event.plan, _user(session, event.created_by_id)
    facts = {"plan": plan_name(plan), "board": plan.hwb.name, "event_date": format_date(event.date)}
    if event.recorded_by == "hwb":
        for participation in event.participations:
            provider = session.get(Provider, participation.provider_id)
            queue(session, "event_to_answer", provider_users(session, [participation.provider_id]), plan, "event",
                  event.ref, {**facts, "provider": provider.name if provider else ""}, exclude=actor)
        return
    provider = session.get(Provider, event.recorded_by_provider_id)
    queue(session, "event_recorded", board_users(session, plan.hwb_id), plan, "event", event.ref,
          {**facts, "provider": provider.name if provider else ""}, exclude=actor)


def _concern_facts(concern: Concern, day: date) -> dict[str, str]:
    return {"plan": plan_name(concern.plan), "board": concern.plan.hwb.name, "provider": concern.provider.name,
            "ref": concern.ref, "category": vocab.CONCERN_CATEGORIES.get(concern.category, concern.category).lower(),
            "severity": vocab.SEVERITIES.get(concern.severity, concern.severity).lower(),
            "acknowledge_due": format_date(concern.acknowledge_due), "respond_due": format_date(concern.respond_due),
            "day": format_date(day)}


def concern_raised(session: Session, concern: Concern) -> None:
    """A concern raised openly goes to the board, one raised in confidence to the assurers in scope only."""
    facts = _concern_facts(concern, concern.raised)
    if concern.confidential:
        queue(session, "confidential_concern", assurers_for(session, concern.plan), concern.plan, "concern",
              concern.ref, facts, board_may_see=False)
    else:
        queue(session, "concern_raised", board_users(session, concern.plan.hwb_id), concern.plan, "concern",
              concern.ref, facts)


# The step a provider hears of, by the status the step moved the concern to (a reopened concern goes back to
# "acknowledged" from "responded" or "resolved").
_PROVIDER_STEPS = {"acknowledged": "acknowledged", "responded": "answered", "resolved": "resolved"}


def concern_step(session: Session, concern: Concern, step: ConcernStep) -> None:
    """Acknowledged, answered, resolved or reopened: the provider's users hear (but not whoever took the step).
    Escalated: the assurers in scope hear. A reply changes no status and is seen on the concern's page."""
    actor = _user(session, step.actor_id)
    facts = _concern_facts(concern, step.taken_on)
    if step.to_status == "escalated" and step.from_status != "escalated":
        queue(session, "concern_escalated", assurers_for(session, concern.plan), concern.plan, "concern",
              concern.ref, facts, exclude=actor, board_may_see=False)
        return
    if step.to_status == step.from_status:
        return
    reopened = step.to_status == "acknowledged" and step.from_status in ("responded", "resolved")
    name = "reopened" if reopened else _PROVIDER_STEPS.get(step.to_status)
    if name:
        queue(session, "concern_update", provider_users(session, [concern.provider_id]), concern.plan, "concern",
              concern.ref, {**facts, "step": name}, exclude=actor, board_may_see=not concern.confidential)


def review_recorded(session: Session, review: AssuranceReview) -> None:
    """A review of a plan: its board and the providers in its footprint hear the decision."""
    plan = review.plan
    footprint = session.scalars(sa.select(provider_footprint.c.provider_id)
                                .where(provider_footprint.c.hwb_id == plan.hwb_id)).all()
    created = london_today(review.created_at) if review.created_at else london_today()
    facts = {"plan": plan_name(plan), "decision": vocab.DECISIONS.get(review.decision, review.decision).lower(),
             "day": format_date(created)}
    people = board_users(session, plan.hwb_id) + provider_users(session, footprint)
    queue(session, "review_recorded", people, plan, "plan", f"{plan.hwb.code}/{plan.year}", facts)


def _condition(session: Session, kind: str, plan: Plan, condition_id: object, text: str,
               people: list[User]) -> None:
    facts = {"plan": plan_name(plan), "board": plan.hwb.name, "condition": " ".join(text.split())[:300]}
    queue(session, kind, people, plan, "plan", f"{plan.hwb.code}/{plan.year}", {**facts, "id": str(condition_id)})


def condition_set(session: Session, plan: Plan, condition_id: object, text: str) -> None:
    """An assurer set a condition of the plan's approval: the board hears."""
    _condition(session, "condition_set", plan, condition_id, text, board_users(session, plan.hwb_id))


def condition_met(session: Session, plan: Plan, condition_id: object, text: str) -> None:
    """An assurer marked a condition met: the board hears."""
    _condition(session, "condition_met", plan, condition_id, text, board_users(session, plan.hwb_id))


def condition_answered(session: Session, plan: Plan, condition_id: object, text: str) -> None:
    """The board answered a condition: the assurers in scope hear (the text is the condition's, which they see)."""
    _condition(session, "condition_answered", plan, condition_id, text, assurers_for(session, plan))
