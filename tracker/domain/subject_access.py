"""A subject access request: everything the tracker holds about one person, for an admin to export.

Their account (never the password hash), their API tokens (never the token's hash), what they recorded and said
(events, answers to participations, concern steps, impact assessments, reviews and review conditions, evidence
documents' details), and the audit entries about them or made by them. Board memberships are not attributed to
the person who changed them (the audit trail has those changes, made by them, among its entries).
The export itself is audited ("subject_access_exported"); the entry keeps what was exported, not the data.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.anonymise import Substitutions
from tracker.models import (
    HWB,
    ApiToken,
    AssuranceReview,
    AuditEntry,
    Concern,
    ConcernStep,
    EngagementEvent,
    EvidenceDocument,
    ImpactAssessment,
    Participation,
    Plan,
    Provider,
    ReviewCondition,
    User,
)

ACCOUNT = ("id", "email", "name", "role", "region", "active", "created_at", "last_sign_in_at")
RECORD_TYPES = ("account", "api_tokens", "events_recorded", "participation_answers", "concern_steps",
                "impact_assessments", "reviews", "review_conditions", "evidence_documents", "audit_entries")


def plain(value: Any) -> Any:
    """A value as JSON holds it: times and dates as ISO 8601, decimals as text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(record: Any, names: tuple[str, ...], **extra: Any) -> dict[str, Any]:
    return {**{name: plain(getattr(record, name)) for name in names}, **{k: plain(v) for k, v in extra.items()}}


def _plan_join(query: sa.Select, plan_id: Any) -> sa.Select:
    return query.join(Plan, Plan.id == plan_id).join(HWB, HWB.id == Plan.hwb_id)


def gather(session: Session, user: User) -> dict[str, list[dict[str, Any]]]:
    """Every record held about the person, by record type."""
    account = _row(user, ACCOUNT, provider_code=user.provider.code if user.provider else None,
                   hwb_code=user.hwb.code if user.hwb else None)
    tokens = [_row(t, ("name", "created_at", "last_used_at", "revoked_at"))
              for t in session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))]
    events = [_row(e, ("ref", "recorded_by", "date", "kind", "depth", "summary", "evidence_url", "withdrawn",
                       "created_at"), hwb_code=code, year=year)
              for e, code, year in session.execute(
                  _plan_join(sa.select(EngagementEvent, HWB.code, Plan.year), EngagementEvent.plan_id)
                  .where(EngagementEvent.created_by_id == user.id).order_by(EngagementEvent.id))]
    answers = [_row(p, ("status", "status_note", "status_changed_at"), event_ref=ref, provider_code=code)
               for p, ref, code in session.execute(
                   sa.select(Participation, EngagementEvent.ref, Provider.code)
                   .join(EngagementEvent, EngagementEvent.id == Participation.event_id)
                   .join(Provider, Provider.id == Participation.provider_id)
                   .where(Participation.status_changed_by_id == user.id).order_by(Participation.id))]
    steps = [_row(s, ("at", "actor_side", "from_status", "to_status", "message"), concern_ref=ref)
             for s, ref in session.execute(
                 sa.select(ConcernStep, Concern.ref).join(Concern, Concern.id == ConcernStep.concern_id)
                 .where(ConcernStep.actor_id == user.id).order_by(ConcernStep.id))]
    assessments = [_row(a, ("version", "emergency_admissions_change_pct", "financial_impact_gbp", "agreement",
                            "comments", "created_at"), hwb_code=code, year=year, provider_code=provider)
                   for a, code, year, provider in session.execute(
                       _plan_join(sa.select(ImpactAssessment, HWB.code, Plan.year, Provider.code),
                                  ImpactAssessment.plan_id)
                       .join(Provider, Provider.id == ImpactAssessment.provider_id)
                       .where(ImpactAssessment.created_by_id == user.id).order_by(ImpactAssessment.id))]
    reviews = [_row(r, ("id", "created_at", "rating", "decision", "tranche", "intervention", "override_reason"),
                    hwb_code=code, year=year)
               for r, code, year in session.execute(
                   _plan_join(sa.select(AssuranceReview, HWB.code, Plan.year), AssuranceReview.plan_id)
                   .where(AssuranceReview.reviewer_id == user.id).order_by(AssuranceReview.id))]
    conditions = [_row(c, ("id", "review_id", "text", "status", "answer", "answer_url", "answered_at",
                           "met_on", "not_met_reason", "decided_at"),
                       answered_by_them=c.answered_by_id == user.id, decided_by_them=c.decided_by_id == user.id)
                  for c in session.scalars(sa.select(ReviewCondition).where(sa.or_(
                      ReviewCondition.answered_by_id == user.id, ReviewCondition.decided_by_id == user.id))
                      .order_by(ReviewCondition.id))]
    documents = [_row(d, ("filename", "content_type", "size_bytes", "sha256", "uploaded_at"), event_ref=ref)
                 for d, ref in session.execute(
                     sa.select(EvidenceDocument, EngagementEvent.ref)
                     .join(EngagementEvent, EngagementEvent.id == EvidenceDocument.event_id)
                     .where(EvidenceDocument.uploaded_by_id == user.id).order_by(EvidenceDocument.id))]
    return {"account": [account], "api_tokens": tokens, "events_recorded": events, "participation_answers": answers,
            "concern_steps": steps, "impact_assessments": assessments, "reviews": reviews,
            "review_conditions": conditions, "evidence_documents": documents,
            "audit_entries": _audit_entries(session, user)}


def _audit_entries(session: Session, user: User) -> list[dict[str, Any]]:
    """The audit entries made by the person, about their account, or about their API tokens."""
    tokens = sa.select(sa.cast(ApiToken.id, sa.String)).where(ApiToken.user_id == user.id)
    query = sa.select(AuditEntry).where(sa.or_(
        AuditEntry.actor_id == user.id,
        sa.and_(AuditEntry.entity_type == "user", AuditEntry.entity_id == str(user.id)),
        sa.and_(AuditEntry.entity_type == "api_token", AuditEntry.entity_id.in_(tokens)),
    )).order_by(AuditEntry.id)
    substitute = Substitutions(session).apply
    return [{"id": e.id, "at": plain(e.at), "actor": user.email if e.actor_id == user.id else substitute(e.actor),
             "action": e.action, "entity_type": e.entity_type, "entity_id": e.entity_id,
             "before": substitute(e.before), "after": substitute(e.after)}
            for e in session.scalars(query)]


def export(session: Session, user: User, kind: str, *, actor: User) -> dict[str, list[dict[str, Any]]]:
    """Everything held about the person, and the audit entry saying who exported it, when and in what form."""
    held = gather(session, user)
    audit.record(session, "subject_access_exported", "user", user.id, actor=actor,
                 after={"format": kind, "counts": {name: len(rows) for name, rows in held.items()}})
    return held


CSV_HEADER = ("record_type", "item", "field", "value")


def csv_rows(held: dict[str, list[dict[str, Any]]]) -> Iterator[list[Any]]:
    """One CSV of everything: a line per field of each record, named by its type and its place in that list."""
    for record_type in RECORD_TYPES:
        for number, record in enumerate(held.get(record_type, []), start=1):
            for name, value in record.items():
                if isinstance(value, dict | list):
                    value = json.dumps(value, sort_keys=True, ensure_ascii=False)
                yield [record_type, number, name, "" if value is None else value]
