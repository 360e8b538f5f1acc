"""SQL aggregates that gather PlanFacts for any number of plans in a fixed number of queries.

They read the engagement summaries (one row per plan and provider: counted and corroborated participations,
MAX(depth) and COUNT(DISTINCT year * 12 + month), kept up to date by every write in the writer's own
transaction, see summaries.py), so their cost grows with neither events nor participations nor plans.
Counted participation: the event is not withdrawn and the participation is not disputed.

Concerns (PRODUCT.md leaves "its due date" to us; this is the reading, shared with tracker.concerns.rules):
only non-confidential concerns count. Open = status is not resolved; escalated = status is escalated;
overdue = open and past what the board owes next: the acknowledgement (acknowledge_due) while the status is
open, the response (respond_due) while it is acknowledged. A responded, escalated or resolved concern owes the
board nothing, so it is never overdue (an escalated one counts under escalated). A concern due today is not
overdue: overdue means due < today, and `today` is always a parameter, never the clock.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.evidence.rules import PlanFacts, Thresholds
from tracker.models import (
    Concern, CriteriaSettings, EngagementSummary, ImpactAssessment, Plan, Provider, provider_footprint,
)

pf = provider_footprint
S = EngagementSummary


Database = Session | sa.Connection


def load_thresholds(session: Database) -> Thresholds:
    """The thresholds of the settings record (id 1), or the model's defaults when none was saved."""
    names = list(Thresholds.__dataclass_fields__)
    table = CriteriaSettings.__table__
    row = session.execute(sa.select(*(table.c[name] for name in names)).where(table.c.id == 1)).first()
    if row is None:
        return Thresholds()
    return Thresholds(**dict(zip(names, row, strict=True)))


def current_assessment_exists() -> sa.Exists:
    """Whether the footprint provider (Provider) has a current impact assessment on the plan (Plan)."""
    return sa.exists().where(ImpactAssessment.plan_id == Plan.id, ImpactAssessment.provider_id == Provider.id,
                             ImpactAssessment.is_current.is_(True))


def gather_facts(session: Database, plan_ids: Iterable[int] | None, today: date,
                 thresholds: Thresholds) -> dict[int, PlanFacts]:
    """PlanFacts for the given plans (all plans when None), in seven grouped queries."""
    ids = None if plan_ids is None else list(plan_ids)
    only: Callable[[sa.ColumnElement[int]], sa.ColumnElement[bool]] = (
        (lambda column: sa.true()) if ids is None else (lambda column: column.in_(ids)))
    facts = {plan_id: PlanFacts(plan_id) for plan_id in session.scalars(sa.select(Plan.id).where(only(Plan.id)))}
    if not facts:
        return facts
    in_footprint = (sa.select(Plan.id.label("plan_id"), Provider.id.label("provider_id"), Provider.sector)
                    .join(pf, pf.c.hwb_id == Plan.hwb_id).join(Provider, Provider.id == pf.c.provider_id)
                    .where(only(Plan.id)))

    for plan_id, sector, count in session.execute(
            in_footprint.with_only_columns(Plan.id, Provider.sector, sa.func.count()).group_by(Plan.id,
                                                                                               Provider.sector)):
        facts[plan_id].footprint[sector] = count

    sustained = S.months >= thresholds.sustained_months_min
    engaged = (sa.select(S.plan_id, Provider.sector, S.max_depth, sustained, sa.func.count())
               .join(Plan, Plan.id == S.plan_id)
               .join(pf, sa.and_(pf.c.provider_id == S.provider_id, pf.c.hwb_id == Plan.hwb_id))
               .join(Provider, Provider.id == S.provider_id)
               .where(only(S.plan_id)).group_by(S.plan_id, Provider.sector, S.max_depth, sustained))
    for plan_id, sector, depth, is_sustained, count in session.execute(engaged):
        plan_facts = facts[plan_id]
        plan_facts.engaged_by_sector[sector] += count
        plan_facts.depths[str(depth)] += count
        plan_facts.sustained += count if is_sustained else 0

    acute_ok = sa.and_(S.max_depth >= thresholds.acute_depth_min, current_assessment_exists())
    acute = (sa.select(Plan.id, sa.func.count(), sa.func.sum(sa.case((acute_ok, 1), else_=0)))
             .join(pf, pf.c.hwb_id == Plan.hwb_id).join(Provider, Provider.id == pf.c.provider_id)
             .outerjoin(S, sa.and_(S.plan_id == Plan.id, S.provider_id == Provider.id))
             .where(only(Plan.id), Provider.sector == "acute").group_by(Plan.id))
    for plan_id, total, ok in session.execute(acute):
        facts[plan_id].acute_total, facts[plan_id].acute_ok = int(total), int(ok or 0)

    corroboration = (sa.select(S.plan_id, sa.func.sum(S.counted), sa.func.sum(S.corroborated))
                     .where(only(S.plan_id)).group_by(S.plan_id))
    for plan_id, counted, corroborated in session.execute(corroboration):
        facts[plan_id].counted, facts[plan_id].corroborated = int(counted or 0), int(corroborated or 0)

    agreeing = ImpactAssessment.agreement.in_(("agree", "partly"))
    assessments = (sa.select(ImpactAssessment.plan_id, sa.func.count(), sa.func.sum(sa.case((agreeing, 1), else_=0)))
                   .where(only(ImpactAssessment.plan_id), ImpactAssessment.is_current.is_(True))
                   .group_by(ImpactAssessment.plan_id))
    for plan_id, total, agree in session.execute(assessments):
        facts[plan_id].assessments, facts[plan_id].assessments_agreeing = int(total), int(agree or 0)

    overdue = sa.or_(sa.and_(Concern.status == "open", Concern.acknowledge_due < today),
                     sa.and_(Concern.status == "acknowledged", Concern.respond_due < today))
    concerns = (sa.select(Concern.plan_id, Concern.status, sa.func.count(), sa.func.sum(sa.case((overdue, 1), else_=0)))
                .where(only(Concern.plan_id), Concern.confidential.is_(False), Concern.status != "resolved")
                .group_by(Concern.plan_id, Concern.status))
    for plan_id, status, count, overdue_count in session.execute(concerns):
        plan_facts = facts[plan_id]
        plan_facts.concerns_open += count
        plan_facts.concerns_overdue += int(overdue_count or 0)
        plan_facts.concerns_escalated += count if status == "escalated" else 0
    return facts
