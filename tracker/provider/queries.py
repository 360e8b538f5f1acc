"""Read queries of the provider workspace, each filtered by the access policy in SQL."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from tracker.domain import scope, vocab
from tracker.domain.concerns import owed
from tracker.domain.concerns.rules import STEPS
from tracker.domain.engagement import answers
from tracker.models import (
    HWB,
    AuditEntry,
    Concern,
    EngagementEvent,
    EngagementSummary,
    EvidenceDocument,
    ImpactAssessment,
    Participation,
    Plan,
    Provider,
    User,
    provider_footprint,
)
from tracker.web.extensions import db


@dataclass(frozen=True)
class Engagement:
    """The provider's own counted engagement on one plan (PRODUCT.md's counted participations)."""

    events: int = 0
    highest_depth: int | None = None
    months: int = 0


def own_engagement(provider_id: int, plan_ids: list[int]) -> dict[int, Engagement]:
    """Per plan: the provider's counted events, their highest depth and distinct calendar months.

    Read from the engagement summaries (one row per plan and provider, kept true by every write; see
    tracker.domain.summaries), which the evidence engine reads too, so the page and the figures cannot disagree.
    A provider takes part in an event once, so its counted participations are its counted events.
    """
    if not plan_ids:
        return {}
    rows = db.session.execute(
        sa.select(EngagementSummary.plan_id, EngagementSummary.counted, EngagementSummary.max_depth,
                  EngagementSummary.months)
        .where(EngagementSummary.provider_id == provider_id, EngagementSummary.plan_id.in_(plan_ids)))
    return {plan_id: Engagement(events, depth, months) for plan_id, events, depth, months in rows}


def footprint_boards(user: User, year: str | None) -> list[tuple[HWB, Plan | None]]:
    """The boards the provider serves, each with its plan for the year (or None), ordered by name."""
    return list(db.session.execute(
        sa.select(HWB, Plan).outerjoin(Plan, sa.and_(Plan.hwb_id == HWB.id, Plan.year == year))
        .where(scope.hwb_scope(user)).order_by(HWB.name)).tuples())


def open_concerns(user: User) -> list[Concern]:
    """The provider's concerns not yet resolved, on plans still in its footprint, oldest first."""
    return list(db.session.scalars(scope.concerns_visible(user).where(Concern.status.in_(vocab.UNRESOLVED))
                                   .order_by(Concern.raised, Concern.id)))


def awaiting_answer(user: User) -> list[Participation]:
    """Its participations that wait for it (tracker.domain.engagement.answers): board-recorded events it has not yet
    confirmed or disputed, and other providers' events where it has not said whether its leadership took part."""
    return list(db.session.scalars(
        sa.select(Participation).join(Participation.event).join(EngagementEvent.plan).join(Plan.hwb)
        .where(scope.hwb_scope(user), answers.waiting_on_provider(user.provider_id))
        .options(selectinload(Participation.event))
        .order_by(EngagementEvent.date, EngagementEvent.id)))


def concern_due(concern: Concern, today: date) -> dict[str, Any]:
    """Who owes the concern's next step (the board, the assurers, or the provider deciding on a response), what,
    by when and whether it is late (tracker.domain.concerns.next_step)."""
    step = owed(concern, today)
    return {"side": step.side, "step": step.step, "due": step.due, "owed": STEPS.get(step.step or ""),
            "overdue": step.overdue}


def plan_events(user: User, plan: Plan) -> list[EngagementEvent]:
    """The plan's events the provider may see, newest first."""
    return list(db.session.scalars(
        scope.events_newest_first(user, plan)
        .options(selectinload(EngagementEvent.topics), selectinload(EngagementEvent.participations))))


def plan_concerns(user: User, plan: Plan) -> list[Concern]:
    """The provider's own concerns on the plan, newest first."""
    return list(db.session.scalars(scope.concerns_visible(user).where(Concern.plan_id == plan.id)
                                   .order_by(Concern.raised.desc(), Concern.id.desc())))


def assessment_versions(user: User, plan: Plan) -> list[ImpactAssessment]:
    """Every version of the provider's assessment of the plan, newest first."""
    return list(db.session.scalars(
        sa.select(ImpactAssessment).where(ImpactAssessment.plan_id == plan.id,
                                          ImpactAssessment.provider_id == user.provider_id)
        .order_by(ImpactAssessment.version.desc())))


def visible_event_or_404(user: User, ref: str) -> EngagementEvent:
    """An event by its ref, if it is on a plan in the user's scope and the user may see it; else 404."""
    plan_ids = sa.select(Plan.id).join(Plan.hwb).where(scope.hwb_scope(user))
    event = db.session.scalar(sa.select(EngagementEvent).where(EngagementEvent.ref == ref,
                                                               EngagementEvent.plan_id.in_(plan_ids)))
    if event is None or db.session.scalar(
            scope.events_visible(user, event.plan).where(EngagementEvent.id == event.id)) is None:
        abort(404)
    return event


def own_concern_or_404(user: User, ref: str) -> Concern:
    """One of the provider's own concerns by its ref, or 404."""
    return db.one_or_404(scope.concerns_visible(user).where(Concern.ref == ref))


def document_or_404(user: User, ref: str, document_id: int) -> EvidenceDocument:
    """A document of an event the user may see, or 404."""
    event = visible_event_or_404(user, ref)
    return db.one_or_404(sa.select(EvidenceDocument).where(EvidenceDocument.id == document_id,
                                                           EvidenceDocument.event_id == event.id))


def board_providers(plan: Plan, exclude_id: int | None) -> list[Provider]:
    """The other providers serving the plan's board, by name: the ones an event can name."""
    return list(db.session.scalars(
        sa.select(Provider).join(provider_footprint, provider_footprint.c.provider_id == Provider.id)
        .where(provider_footprint.c.hwb_id == plan.hwb_id, Provider.id != (exclude_id or 0))
        .order_by(Provider.name)))


def providers_by_id(ids: set[int]) -> dict[int, Provider]:
    """Providers by id, in one query."""
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(sa.select(Provider).where(Provider.id.in_(ids)))}


FIELD_LABELS = {"date": "Date", "kind": "Kind", "depth": "Depth", "topics": "Topics", "summary": "Summary",
                "withdrawn": "Withdrawn", "participations": "Providers taking part", "reason": "Reason",
                "status": "Status", "note": "Note", "filename": "Document", "provider_code": "Provider",
                "leadership": "Leadership took part", "reasons": "Because the recorder changed"}
ACTION_LABELS = {"event_recorded": "Recorded", "event_changed": "Changed", "event_withdrawn": "Withdrawn",
                 "participation_confirmed": "Confirmed", "participation_disputed": "Disputed",
                 "participation_reset": "Asked to confirm again",
                 "participation_leadership_stated": "Leadership stated", "evidence_uploaded": "Document added",
                 "import_row_created": "Imported", "import_row_changed": "Changed by an import"}


@dataclass(frozen=True)
class HistoryEntry:
    """One audited change to an event, as the event page shows it."""

    at: datetime
    action: str
    who: str
    changes: list[tuple[str, str, str]]


def event_history(user: User, event: EngagementEvent) -> list[HistoryEntry]:
    """Every audit entry about the event, its participations and documents, oldest first."""
    participation_ids = [str(p.id) for p in event.participations]
    entries = db.session.execute(
        sa.select(AuditEntry, User).outerjoin(User, User.id == AuditEntry.actor_id).where(sa.or_(
            sa.and_(AuditEntry.entity_type.in_(("engagement_event", "evidence_document")),
                    AuditEntry.entity_id == event.ref),
            sa.and_(AuditEntry.entity_type == "participation", AuditEntry.entity_id.in_(participation_ids))))
        .order_by(AuditEntry.at, AuditEntry.id)).tuples()
    return [HistoryEntry(entry.at, ACTION_LABELS.get(entry.action, entry.action), _who(user, actor, entry.actor),
                         _changes(entry.before, entry.after)) for entry, actor in entries]


def _who(viewer: User, actor: User | None, label: str) -> str:
    """Colleagues by e-mail; people of other organisations by their organisation only."""
    if actor is None:
        return label
    if viewer.provider_id is not None and actor.provider_id == viewer.provider_id:
        return actor.email
    if actor.role == "hwb":
        return "The board"
    if actor.role == "provider" and actor.provider is not None:
        return actor.provider.name
    return vocab.ROLES.get(actor.role, actor.role)


def _show(value: Any, key: str = "") -> str:
    """An audited value in words: labels rather than codes, dates as people write them."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if key == "leadership" and value is None:
        return "Not stated"
    if key == "kind":
        return vocab.EVENT_KINDS.get(value, str(value))
    if key == "depth" and value in vocab.DEPTHS:
        return f"{value} {vocab.DEPTHS[value][0]}"
    if key == "date" and isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.day} {day:%B %Y}"
    if key == "status":
        return vocab.PARTICIPATION_STATUSES.get(value, str(value))
    if isinstance(value, list):
        labels = vocab.TOPICS if key == "topics" else {}
        return "; ".join(labels.get(v, _show(v)) if isinstance(v, str) else _show(v) for v in value) or "none"
    if isinstance(value, dict):
        if "provider_code" in value:
            status = vocab.PARTICIPATION_STATUSES.get(value.get("status"), "")
            return f"{value['provider_code']} ({status}{', leadership' if value.get('leadership') else ''})"
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def _changes(before: Any, after: Any) -> list[tuple[str, str, str]]:
    """(field, before, after) for each field that differs; for a new record, its values."""
    before, after = before or {}, after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    rows = []
    for key in after:
        if key in ("event_ref", "recorded_by") or key not in FIELD_LABELS or (key == "withdrawn" and not before):
            continue
        if before.get(key) != after.get(key) or key == "provider_code":  # an imported row names its provider
            rows.append((FIELD_LABELS[key], _show(before.get(key), key) if key in before else "",
                         _show(after.get(key), key)))
    return rows
