"""Providers' impact assessments: one current per plan and provider, every earlier version kept."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import audit, vocab
from tracker.domain.clock import london_today
from tracker.domain.errors import Rejected
from tracker.models import ImpactAssessment, Plan, User

FINANCIAL_LIMIT = 10_000_000_000  # £10bn either way: far beyond any one provider's BCF exposure


class AssessmentRejected(Rejected):
    """The assessment breaks a rule; `errors` maps each field to its message."""


@dataclass(frozen=True)
class AssessmentInput:
    """What a provider says about a plan's impact on it."""

    emergency_admissions_change_pct: str
    financial_impact_gbp: str
    agreement: str
    comments: str


def parse_assessment(values: AssessmentInput) -> tuple[dict[str, object], dict[str, str]]:
    """Typed values and field -> message for whatever cannot be accepted."""
    errors: dict[str, str] = {}
    parsed: dict[str, object] = {}
    try:
        pct = Decimal(values.emergency_admissions_change_pct.strip().rstrip("%"))
        if not pct.is_finite() or pct < -100 or pct > 1000 or pct != pct.quantize(Decimal("0.01")):
            raise InvalidOperation
        parsed["emergency_admissions_change_pct"] = pct
    except (InvalidOperation, ValueError):
        errors["emergency_admissions_change_pct"] = (
            "Expected change in emergency admissions must be a number between -100 and 1000, like -3.5")
    text = values.financial_impact_gbp.strip().replace(",", "").replace("£", "")
    if not re.fullmatch(r"-?\d{1,11}", text) or abs(int(text)) > FINANCIAL_LIMIT:
        errors["financial_impact_gbp"] = "Financial impact must be a whole number of pounds, like -250000"
    else:
        parsed["financial_impact_gbp"] = int(text)
    if values.agreement not in vocab.AGREEMENTS:
        errors["agreement"] = "Select whether you agree with the plan's own assessment"
    parsed["agreement"] = values.agreement
    if len(values.comments) > 10_000:
        errors["comments"] = "Comments must be 10,000 characters or fewer"
    parsed["comments"] = values.comments.strip()
    return parsed, errors


def current_assessment(session: Session, plan_id: int, provider_id: int) -> ImpactAssessment | None:
    """The provider's current assessment of the plan."""
    return session.scalar(sa.select(ImpactAssessment).where(
        ImpactAssessment.plan_id == plan_id, ImpactAssessment.provider_id == provider_id,
        ImpactAssessment.is_current.is_(True)))


def save_assessment(session: Session, user: User, plan: Plan, values: AssessmentInput, *,
                    today: date | None = None) -> ImpactAssessment:
    """Make a new current version (the old one kept), current from `today` (London's, unless given); unchanged
    values make nothing new."""
    parsed, errors = parse_assessment(values)
    if errors:
        raise AssessmentRejected(errors)
    current = current_assessment(session, plan.id, user.provider_id)
    keys = ("emergency_admissions_change_pct", "financial_impact_gbp", "agreement", "comments")
    if current is not None and all(getattr(current, k) == parsed[k] for k in keys):
        return current
    version = 1
    if current is not None:
        current.is_current = False
        version = current.version + 1
        session.flush()  # the partial unique index allows one current version at a time
    record = ImpactAssessment(plan_id=plan.id, provider_id=user.provider_id, version=version, is_current=True,
                              created_by_id=user.id, assessed_on=today or london_today(), **parsed)
    session.add(record)
    session.flush()
    audit.record(session, "impact_assessment_saved", "impact_assessment", record.id,
                 before={k: str(getattr(current, k)) for k in keys} if current else None,
                 after={"version": version, **{k: str(parsed[k]) for k in keys}}, actor=user)
    return record
