"""Writing an event and its participations, and its public shape in the API and exports."""
from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.engagement.rules import EventInput, validate_event
from tracker.models import EngagementEvent, EventTopic, Participation, Plan, Provider, User


class EventRejected(ValueError):
    """The event breaks a rule; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def new_event_ref() -> str:
    """A reference that is unique without asking the database, and safe to show."""
    return "EV-" + secrets.token_hex(6).upper()


def record_event(session: Session, user: User, plan: Plan, event: EventInput, *, today: date) -> EngagementEvent:
    """Validate and add an event recorded by the user's side; the caller commits (or rolls back)."""
    side = "provider" if user.role == "provider" else "hwb"
    codes = [p.provider_code for p in event.participations]
    providers = {code: pid for code, pid in session.execute(
        sa.select(Provider.code, Provider.id).where(Provider.code.in_(codes)))} if codes else {}
    own_code = user.provider.code if user.provider is not None else None
    errors = validate_event(event, today=today, side=side, own_provider_code=own_code,
                            known_provider_codes=set(providers))
    if errors:
        raise EventRejected(errors)
    record = EngagementEvent(
        ref=new_event_ref(), plan_id=plan.id, recorded_by=side,
        recorded_by_provider_id=user.provider_id if side == "provider" else None,
        date=event.date, kind=event.kind, depth=event.depth, summary=event.summary.strip(),
        evidence_url=event.evidence_url or None, created_by_id=user.id,
        topics=[EventTopic(topic=topic) for topic in event.topics],
        participations=[Participation(provider_id=providers[p.provider_code], leadership=p.leadership)
                        for p in event.participations],
    )
    session.add(record)
    session.flush()
    return record


def event_as_dict(event: EngagementEvent, provider_codes: dict[int, str]) -> dict[str, Any]:
    """The event as the API and exports show it (PRODUCT.md field names)."""
    return {
        "event_ref": event.ref,
        "recorded_by": event.recorded_by,
        "date": event.date.isoformat(),
        "kind": event.kind,
        "depth": event.depth,
        "topics": event.topic_codes,
        "summary": event.summary,
        "withdrawn": event.withdrawn,
        "participations": [
            {"provider_code": provider_codes[p.provider_id], "leadership": p.leadership, "status": p.status}
            for p in sorted(event.participations, key=lambda p: provider_codes[p.provider_id])
        ],
    }
