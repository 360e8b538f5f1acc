"""SQL aggregates that gather PlanFacts for any number of plans in a fixed number of queries.

Every query groups in the database; what comes back is bounded by the plans' footprints, never by the
number of events or participations. Counted participation: the event is not withdrawn and the
participation is not disputed. Concern counts take non-confidential concerns only.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.evidence.rules import AcuteProvider, EngagedProvider, PlanFacts, Thresholds
from tracker.models import (
    Concern, CriteriaSettings, EngagementEvent, ImpactAssessment, Participation, Plan, Provider, provider_footprint,
)

pf = provider_footprint


def load_thresholds(session: Session) -> Thresholds:
    """The thresholds of the settings record, or PRODUCT.md's defaults when none was saved."""
    row = session.get(CriteriaSettings, 1)
    if row is None:
        return Thresholds()
    return Thresholds(**{name: getattr(row, name) for name in Thresholds.__dataclass_fields__})


def _counted() -> sa.ColumnElement[bool]:
    """A participation that counts: its event is not withdrawn and it is not disputed."""
    return sa.and_(EngagementEvent.withdrawn.is_(False), Participation.status != "disputed")


def _month_key() -> sa.ColumnElement[int]:
    """year * 12 + month of the event's date, the same on SQLite and PostgreSQL."""
    return sa.cast(sa.extract("year", EngagementEvent.date), sa.Integer) * 12 + sa.cast(
        sa.extract("month", EngagementEvent.date), sa.Integer)


def gather_facts(session: Session, plan_ids: Iterable[int] | None, today: date) -> dict[int, PlanFacts]:
    """PlanFacts for the given plans (all plans when None), in six grouped queries."""
    plan_filter = (lambda col: sa.true()) if plan_ids is None else (lambda col: col.in_(list(plan_ids)))
    plans = session.scalars(sa.select(Plan.id).where(plan_filter(Plan.id))).all()
    facts = {plan_id: PlanFacts(plan_id) for plan_id in plans}
    if not facts:
        return facts

    footprint = (sa.select(Plan.id, Provider.sector, sa.func.count())
                 .join(pf, pf.c.hwb_id == Plan.hwb_id).join(Provider, Provider.id == pf.c.provider_id)
                 .where(plan_filter(Plan.id)).group_by(Plan.id, Provider.sector))
    for plan_id, sector, count in session.execute(footprint):
        facts[plan_id].footprint[sector] = count

    engaged = (sa.select(EngagementEvent.plan_id, Participation.provider_id, Provider.sector,
                         sa.func.max(EngagementEvent.depth), sa.func.count(sa.distinct(_month_key())))
               .join(EngagementEvent, EngagementEvent.id == Participation.event_id)
               .join(Plan, Plan.id == EngagementEvent.plan_id)
               .join(pf, sa.and_(pf.c.provider_id == Participation.provider_id, pf.c.hwb_id == Plan.hwb_id))
               .join(Provider, Provider.id == Participation.provider_id)
               .where(plan_filter(EngagementEvent.plan_id), _counted())
               .group_by(EngagementEvent.plan_id, Participation.provider_id, Provider.sector))
    for plan_id, provider_id, sector, depth, months in session.execute(engaged):
        facts[plan_id].engaged.append(EngagedProvider(provider_id, sector, int(depth), int(months)))

    corroboration = (sa.select(EngagementEvent.plan_id, sa.func.count(),
                               sa.func.sum(sa.case((Participation.status == "confirmed", 1), else_=0)))
                     .join(EngagementEvent, EngagementEvent.id == Participation.event_id)
                     .where(plan_filter(EngagementEvent.plan_id), _counted()).group_by(EngagementEvent.plan_id))
    for plan_id, counted, corroborated in session.execute(corroboration):
        facts[plan_id].counted, facts[plan_id].corroborated = int(counted), int(corroborated or 0)

    current = sa.and_(ImpactAssessment.plan_id == Plan.id, ImpactAssessment.provider_id == Provider.id,
                      ImpactAssessment.is_current.is_(True))
    acute = (sa.select(Plan.id, Provider.id, sa.exists().where(current))
             .join(pf, pf.c.hwb_id == Plan.hwb_id).join(Provider, Provider.id == pf.c.provider_id)
             .where(plan_filter(Plan.id), Provider.sector == "acute"))
    for plan_id, provider_id, has_assessment in session.execute(acute):
        facts[plan_id].acute.append(AcuteProvider(provider_id, bool(has_assessment)))

    assessments = (sa.select(ImpactAssessment.plan_id, sa.func.count(),
                             sa.func.sum(sa.case((ImpactAssessment.agreement.in_(("agree", "partly")), 1), else_=0)))
                   .where(plan_filter(ImpactAssessment.plan_id), ImpactAssessment.is_current.is_(True))
                   .group_by(ImpactAssessment.plan_id))
    for plan_id, total, agreeing in session.execute(assessments):
        facts[plan_id].assessments, facts[plan_id].assessments_agreeing = int(total), int(agreeing or 0)

    overdue = sa.or_(sa.and_(Concern.status == "open", Concern.acknowledge_due < today),
                     sa.and_(Concern.status == "acknowledged", Concern.respond_due < today))
    concerns = (sa.select(Concern.plan_id,
                          sa.func.sum(sa.case((Concern.status != "resolved", 1), else_=0)),
                          sa.func.sum(sa.case((overdue, 1), else_=0)),
                          sa.func.sum(sa.case((Concern.status == "escalated", 1), else_=0)))
                .where(plan_filter(Concern.plan_id), Concern.confidential.is_(False)).group_by(Concern.plan_id))
    for plan_id, open_count, overdue_count, escalated in session.execute(concerns):
        plan_facts = facts[plan_id]
        plan_facts.concerns_open = int(open_count or 0)
        plan_facts.concerns_overdue = int(overdue_count or 0)
        plan_facts.concerns_escalated = int(escalated or 0)
    return facts
