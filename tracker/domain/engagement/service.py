"""Writing events and participations (record, edit, withdraw, confirm or dispute), each into the audit trail.

The rules themselves are in rules.py (plain Python); this module applies them to the database.
"""
from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import audit, notifications
from tracker.domain.clock import london_today
from tracker.domain.engagement import corroboration
from tracker.domain.engagement.rules import EventInput, validate_event
from tracker.domain.errors import Rejected
from tracker.domain.history import note_status
from tracker.models import EngagementEvent, EventTopic, Participation, Plan, Provider, User
from tracker.models._types import utcnow


class EventRejected(Rejected):
    """The event breaks a rule; `errors` maps each field to its message."""


def new_event_ref() -> str:
    """A reference that is unique without asking the database, and safe to show."""
    return "EV-" + secrets.token_hex(6).upper()


def _problems(session: Session, user: User, event: EventInput, today: date) -> tuple[dict[str, str], dict[str, int]]:
    """The rules for the user's side: every problem (field -> message), and the named providers' ids by code."""
    side = "provider" if user.role == "provider" else "hwb"
    # A code with control characters cannot be a provider's (and PostgreSQL refuses NUL bytes): unknown.
    codes = [p.provider_code for p in event.participations if p.provider_code.isprintable()]
    providers = {code: pid for code, pid in session.execute(
        sa.select(Provider.code, Provider.id).where(Provider.code.in_(codes)))} if codes else {}
    _known_codes(session).update({pid: code for code, pid in providers.items()})
    own_code = user.provider.code if user.provider is not None else None
    return validate_event(event, today=today, side=side, own_provider_code=own_code,
                          known_provider_codes=set(providers)), providers


def event_problems(session: Session, user: User, event: EventInput, *, today: date) -> dict[str, str]:
    """Every problem the service would refuse the event for, without saving anything (for a form shown again)."""
    return _problems(session, user, event, today)[0]


def _checked(session: Session, user: User, event: EventInput, today: date) -> dict[str, int]:
    """Apply the rules for the user's side; the named providers' ids by code, or EventRejected."""
    errors, providers = _problems(session, user, event, today)
    if errors:
        raise EventRejected(errors)
    return providers


def record_event(session: Session, user: User, plan: Plan, event: EventInput, *, today: date) -> EngagementEvent:
    """Validate and add an event recorded by the user's side, with its audit entry; the caller commits.

    The event and its participations count as recorded on `today` (evidence as at an earlier day leaves them out).
    """
    providers = _checked(session, user, event, today)
    side = "provider" if user.role == "provider" else "hwb"
    record = EngagementEvent(
        ref=new_event_ref(), plan_id=plan.id, recorded_by=side,
        recorded_by_provider_id=user.provider_id if side == "provider" else None,
        date=event.date, kind=event.kind, depth=event.depth, summary=event.summary.strip(),
        evidence_url=event.evidence_url or None, created_by_id=user.id, recorded_on=today,
        topics=[EventTopic(topic=topic) for topic in event.topics],
        participations=[Participation(provider_id=providers[p.provider_code],
                                      leadership=stated_leadership(user, providers[p.provider_code], p.leadership))
                        for p in event.participations],
    )
    record.changed_in_tracker_at = utcnow()
    session.add(record)
    for participation in record.participations:
        note_status(session, participation, today, "unconfirmed")
    session.flush()
    audit.record(session, "event_recorded", "engagement_event", record.ref,
                 after=event_as_dict(record, provider_codes(session, [record])), actor=user)
    notifications.event_recorded(session, record)
    return record


def update_event(session: Session, user: User, record: EngagementEvent, event: EventInput, *,
                 today: date) -> list[Participation]:
    """Change an event its side recorded, audited. A provider still named keeps its answer unless the change
    touches what it answered (corroboration.py): those go back to unconfirmed, and are returned."""
    if record.withdrawn:
        raise EventRejected({"event": "A withdrawn event cannot be changed"})
    providers = _checked(session, user, event, today)
    before = event_as_dict(record, provider_codes(session, [record]))
    answered = _answered_facts(record)
    link = record.evidence_url
    record.date, record.kind, record.depth = event.date, event.kind, event.depth
    record.summary, record.evidence_url = event.summary.strip(), event.evidence_url or None
    record.topics = [EventTopic(topic=topic) for topic in event.topics]
    kept = {p.provider_id: p for p in record.participations}
    record.participations = [_participation(user, kept, providers[p.provider_code], p.leadership)
                             for p in event.participations]
    for participation in record.participations:
        if participation.id is None:  # a provider newly named: taking part from today
            note_status(session, participation, today, "unconfirmed")
    session.flush()
    after = event_as_dict(record, provider_codes(session, [record]))
    if after != before:
        audit.record(session, "event_changed", "engagement_event", record.ref, before=before, after=after, actor=user)
    if after != before or record.evidence_url != link:
        record.changed_in_tracker_at = utcnow()
    return _ask_again(session, user, record, answered)


def _answered_facts(record: EngagementEvent) -> dict[int, dict[str, Any]]:
    """What each answered participation of the event answered, by provider id (before an edit)."""
    return {p.provider_id: corroboration.facts(record, p.leadership) for p in record.participations
            if corroboration.is_answered(p.status)}


def _ask_again(session: Session, user: User, record: EngagementEvent,
               answered: dict[int, dict[str, Any]]) -> list[Participation]:
    """Set back to unconfirmed each answer the edit made stale (corroboration.confirmed_changes), audited."""
    reset = []
    for participation in record.participations:
        before = answered.get(participation.provider_id)
        if before is None or not corroboration.is_answered(participation.status):
            continue
        reasons = corroboration.confirmed_changes(before, corroboration.facts(record, participation.leadership))
        if reasons:
            corroboration.ask_again(session, user, participation, reasons)
            reset.append(participation)
    return reset


def may_state_leadership(user: User, provider_id: int) -> bool:
    """Whether the recorder states a named provider's leadership: a provider only its own (every other named
    provider's is "not stated", None, until that provider says, tracker.domain.engagement.answers); the board each
    one's, as its view (None when it does not say), until the provider answers for itself."""
    return user.role != "provider" or provider_id == user.provider_id


def stated_leadership(user: User, provider_id: int, given: bool | None) -> bool | None:
    """The leadership a new participation is recorded with: what the recorder gave, when it may state it."""
    return given if may_state_leadership(user, provider_id) else None


def _participation(user: User, kept: dict[int, Participation], provider_id: int,
                   leadership: bool | None) -> Participation:
    """The existing participation of a provider still named (its status kept), or a new unconfirmed one; the
    leadership changes only where the recorder may state it."""
    existing = kept.get(provider_id)
    if existing is None:
        return Participation(provider_id=provider_id, leadership=stated_leadership(user, provider_id, leadership))
    if may_state_leadership(user, provider_id):
        existing.leadership = leadership
    return existing


def withdraw_event(session: Session, user: User, record: EngagementEvent, reason: str = "", *,
                   today: date | None = None) -> None:
    """Withdraw an event: it stops counting from `today` (London's, unless given) but is never deleted."""
    if record.withdrawn:
        return
    record.withdrawn = True
    record.withdrawn_at = utcnow()
    record.withdrawn_on = today or london_today()
    record.changed_in_tracker_at = record.withdrawn_at
    audit.record(session, "event_withdrawn", "engagement_event", record.ref, before={"withdrawn": False},
                 after={"withdrawn": True, "reason": reason.strip()[:2000]}, actor=user)


def set_participation_status(session: Session, user: User, participation: Participation, status: str,
                             note: str = "", *, today: date | None = None) -> None:
    """Confirm or dispute a participation (the access check is the caller's); audited with the note. The new status
    holds from `today` (London's, unless given), kept in the participation's history."""
    if status not in ("confirmed", "disputed"):
        raise EventRejected({"status": "Select confirm or dispute"})
    if len(note) > 2000:
        raise EventRejected({"note": "Note must be 2,000 characters or fewer"})
    before = {"status": participation.status, "note": participation.status_note}
    if status != participation.status:
        note_status(session, participation, today or london_today(), status)
    participation.status, participation.status_note = status, note.strip()
    participation.status_changed_at, participation.status_changed_by_id = utcnow(), user.id
    audit.record(session, f"participation_{status}", "participation", participation.id, before=before,
                 after={"status": status, "note": participation.status_note,
                        "event_ref": participation.event.ref}, actor=user)


def _known_codes(session: Session) -> dict[int, str]:
    """Provider codes (by id) this session has read already: a request reads each at most once."""
    return session.info.setdefault("provider_codes", {})


def provider_codes(session: Session, events: list[EngagementEvent]) -> dict[int, str]:
    """Codes of every provider taking part in these events, in one query at most."""
    ids = {p.provider_id for event in events for p in event.participations}
    known = _known_codes(session)
    missing = ids - known.keys()
    if missing:
        known.update(session.execute(sa.select(Provider.id, Provider.code).where(Provider.id.in_(missing)))
                     .tuples().all())  # a list of pairs: a Result has keys() and would be read as a mapping
    return {provider_id: known[provider_id] for provider_id in ids}


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
