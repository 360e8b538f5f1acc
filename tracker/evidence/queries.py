"""SQL aggregates that gather PlanFacts for any number of plans in five queries, whatever the data size.

They read the engagement summaries (one row per plan and provider: counted and corroborated participations,
MAX(depth) and COUNT(DISTINCT year * 12 + month), with copies of the provider's sector and of whether it serves
the plan's board) and the boards' footprint tallies (providers per sector), all kept up to date in the writer's
own transaction (see summaries.py). So their cost grows with neither events nor participations, and the
engagement figures of every plan come from one scan of one index.
Counted participation: the event is not withdrawn and the participation is not disputed.

Concerns (PRODUCT.md leaves "its due date" to us; this is the reading, shared with tracker.concerns.rules):
only non-confidential concerns count. Open = status is not resolved; escalated = status is escalated;
overdue = open and past what the board owes next: the acknowledgement (acknowledge_due) while the status is
open, the response (respond_due) while it is acknowledged. A responded, escalated or resolved concern owes the
board nothing, so it is never overdue (an escalated one counts under escalated). A concern due today is not
overdue: overdue means due < today, and `today` is always a parameter, never the clock.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import vocab
from tracker.evidence.rules import PlanFacts, Thresholds
from tracker.models import Concern, CriteriaSettings, EngagementSummary, ImpactAssessment, Plan, Provider
from tracker.models.summaries import FootprintTally

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


def current_assessment_exists(plan_id: sa.ColumnElement[int] = Plan.id,
                              provider_id: sa.ColumnElement[int] = Provider.id) -> sa.Exists:
    """Whether the provider (Provider by default) has a current impact assessment on the plan (Plan by default)."""
    return sa.exists().where(ImpactAssessment.plan_id == plan_id, ImpactAssessment.provider_id == provider_id,
                             ImpactAssessment.is_current.is_(True))


@dataclass(frozen=True)
class _Statements:
    """The five grouped queries, built once (per kind: every plan, or the plans in :ids) and run with parameters:
    a request then costs the database's work, not the building of the same expressions again."""

    footprint: sa.Select
    engagement: sa.Select
    acute: sa.Select
    assessments: sa.Select
    concerns: sa.Select


@functools.cache
def _statements(every_plan: bool) -> _Statements:
    """The queries for every plan, or for the plans in the expanding parameter `ids`."""
    def only(column: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
        return sa.true() if every_plan else column.in_(sa.bindparam("ids", expanding=True))

    # The plans with their boards' footprints (a board with no footprint gives one row with no sector).
    footprint = (sa.select(Plan.id, FootprintTally.sector, FootprintTally.providers)
                 .outerjoin(FootprintTally, FootprintTally.hwb_id == Plan.hwb_id).where(only(Plan.id)))
    # Every summary of the plans, counted by footprint, sector and depth: engagement, depth, sustained, and the
    # participations counted and corroborated. One scan of one index; nothing per row but arithmetic.
    sustained = sa.case((S.months >= sa.bindparam("sustained_months_min"), 1), else_=0)
    engagement = (sa.select(S.plan_id, S.in_footprint, S.sector, S.max_depth, sa.func.count(), sa.func.sum(sustained),
                            sa.func.sum(S.counted), sa.func.sum(S.corroborated))
                  .where(only(S.plan_id)).group_by(S.plan_id, S.in_footprint, S.sector, S.max_depth))
    # Acute footprint providers at the required depth with a current impact assessment (a few rows per plan; the
    # repeated plan filter lets PostgreSQL's hashed subplan read only these plans' assessments).
    assessed = current_assessment_exists(S.plan_id, S.provider_id).where(only(ImpactAssessment.plan_id))
    acute = (sa.select(S.plan_id, sa.func.count())
             .where(only(S.plan_id), S.in_footprint.is_(True), S.sector == "acute",
                    S.max_depth >= sa.bindparam("acute_depth_min"), assessed)
             .group_by(S.plan_id))
    agreeing = ImpactAssessment.agreement.in_(("agree", "partly"))
    assessments = (sa.select(ImpactAssessment.plan_id, sa.func.count(), sa.func.sum(sa.case((agreeing, 1), else_=0)))
                   .where(only(ImpactAssessment.plan_id), ImpactAssessment.is_current.is_(True))
                   .group_by(ImpactAssessment.plan_id))
    today = sa.bindparam("today", type_=sa.Date)
    overdue = sa.or_(sa.and_(Concern.status == "open", Concern.acknowledge_due < today),
                     sa.and_(Concern.status == "acknowledged", Concern.respond_due < today))
    concerns = (sa.select(Concern.plan_id, Concern.status, sa.func.count(), sa.func.sum(sa.case((overdue, 1), else_=0)))
                .where(only(Concern.plan_id), Concern.confidential.is_(False),
                       Concern.status.in_(vocab.UNRESOLVED))
                .group_by(Concern.plan_id, Concern.status))
    return _Statements(footprint, engagement, acute, assessments, concerns)


def gather_facts(session: Database, plan_ids: Iterable[int] | None, today: date,
                 thresholds: Thresholds) -> dict[int, PlanFacts]:
    """PlanFacts for the given plans (all plans when None), in five grouped queries."""
    statements = _statements(plan_ids is None)
    params: dict[str, object] = {"today": today, "sustained_months_min": thresholds.sustained_months_min,
                                 "acute_depth_min": thresholds.acute_depth_min}
    if plan_ids is not None:
        params["ids"] = list(plan_ids)
    facts: dict[int, PlanFacts] = {}
    for plan_id, sector, providers in session.execute(statements.footprint, params):
        plan_facts = facts.setdefault(plan_id, PlanFacts(plan_id))
        if sector is not None:
            plan_facts.footprint[sector] += providers
    if not facts:
        return facts
    for plan_facts in facts.values():
        plan_facts.acute_total = plan_facts.footprint["acute"]

    for plan_id, in_footprint, sector, depth, providers, sustained_count, counted, corroborated in (
            session.execute(statements.engagement, params)):
        plan_facts = facts[plan_id]
        plan_facts.counted += int(counted)
        plan_facts.corroborated += int(corroborated)
        if in_footprint:
            plan_facts.engaged_by_sector[sector] += providers
            plan_facts.depths[str(depth)] += providers
            plan_facts.sustained += int(sustained_count)

    for plan_id, count in session.execute(statements.acute, params):
        facts[plan_id].acute_ok = int(count)

    for plan_id, total, agree in session.execute(statements.assessments, params):
        facts[plan_id].assessments, facts[plan_id].assessments_agreeing = int(total), int(agree or 0)

    for plan_id, status, count, overdue_count in session.execute(statements.concerns, params):
        plan_facts = facts[plan_id]
        plan_facts.concerns_open += count
        plan_facts.concerns_overdue += int(overdue_count or 0)
        plan_facts.concerns_escalated += count if status == "escalated" else 0
    return facts
