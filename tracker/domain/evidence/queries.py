"""SQL aggregates that gather PlanFacts for any number of plans in one statement, whatever the data size.

They read the engagement summaries (one row per plan and provider: counted and corroborated participations,
MAX(depth) and COUNT(DISTINCT year * 12 + month), with copies of the provider's sector and of whether it serves
the plan's board) and the boards' footprint tallies (providers per sector), all kept up to date in the writer's
own transaction (see summaries.py). So their cost grows with neither events nor participations, and the
engagement figures of every plan come from one scan of one index.
Counted participation: the event is not withdrawn and the participation is not disputed.

Concerns (PRODUCT.md leaves "its due date" to us; this is the reading, shared with tracker.domain.concerns.rules):
only non-confidential concerns count. Open = status is not resolved; escalated = status is escalated;
overdue = open and past what the board owes next: the acknowledgement (acknowledge_due) while the status is
open, the response (respond_due) while it is acknowledged. A responded, escalated or resolved concern owes the
board nothing, so it is never overdue (an escalated one counts under escalated). A concern due today is not
overdue: overdue means due < today, and `today` is always a parameter, never the clock.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import vocab
from tracker.domain.evidence.rules import PlanFacts, Thresholds
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


# Every figure comes back from one statement: the five grouped queries below joined by UNION ALL, each row
# tagged with its part. One round trip instead of five matters on PostgreSQL, where each costs a wait on the
# server: it is most of what a plan's evidence costs (see README.md, "National scale").
FOOTPRINT, ENGAGEMENT, ACUTE, ASSESSMENTS, CONCERNS = range(1, 6)


def _part(part: int, plan_id: sa.ColumnElement[int], label: sa.ColumnElement[str] | None = None,
          flag: sa.ColumnElement[bool] | None = None, depth: sa.ColumnElement[int] | None = None,
          *numbers: sa.ColumnElement[int]) -> list[sa.ColumnElement]:
    """One part's columns in the shared shape: part, plan, a label, a flag, a depth and four numbers."""
    def given(column: sa.ColumnElement | None, kind: sa.types.TypeEngine) -> sa.ColumnElement:
        return sa.cast(sa.null() if column is None else column, kind)

    padded = [*numbers, *[None] * (4 - len(numbers))]
    return [sa.literal_column(str(part), sa.Integer), plan_id, given(label, sa.String()),
            given(None if flag is None else sa.case((flag, 1), else_=0), sa.Integer()), given(depth, sa.Integer()),
            *(given(number, sa.BigInteger()) for number in padded)]


@functools.cache
def _statement(every_plan: bool) -> sa.CompoundSelect:
    """The figures of every plan, or of the plans in the expanding parameter `ids`, built once and run with
    parameters: a request then costs the database's work, not the building of the same expressions again."""
    def only(column: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
        return sa.true() if every_plan else column.in_(sa.bindparam("ids", expanding=True))

    # The plans with their boards' footprints (a board with no footprint gives one row with no sector).
    footprint = (sa.select(*_part(FOOTPRINT, Plan.id, FootprintTally.sector, None, None, FootprintTally.providers))
                 .outerjoin(FootprintTally, FootprintTally.hwb_id == Plan.hwb_id).where(only(Plan.id)))
    # Every summary of the plans, counted by footprint, sector and depth: engagement, depth, sustained, and the
    # participations counted and corroborated. One scan of one index; nothing per row but arithmetic.
    sustained = sa.case((S.months >= sa.bindparam("sustained_months_min"), 1), else_=0)
    engagement = (sa.select(*_part(ENGAGEMENT, S.plan_id, S.sector, S.in_footprint, S.max_depth, sa.func.count(),
                                   sa.func.sum(sustained), sa.func.sum(S.counted), sa.func.sum(S.corroborated)))
                  .where(only(S.plan_id)).group_by(S.plan_id, S.in_footprint, S.sector, S.max_depth))
    # Acute footprint providers at the required depth with a current impact assessment (a few rows per plan; the
    # repeated plan filter lets PostgreSQL's hashed subplan read only these plans' assessments).
    assessed = current_assessment_exists(S.plan_id, S.provider_id).where(only(ImpactAssessment.plan_id))
    acute = (sa.select(*_part(ACUTE, S.plan_id, None, None, None, sa.func.count()))
             .where(only(S.plan_id), S.in_footprint.is_(True), S.sector == "acute",
                    S.max_depth >= sa.bindparam("acute_depth_min"), assessed)
             .group_by(S.plan_id))
    agreeing = sa.case((ImpactAssessment.agreement.in_(("agree", "partly")), 1), else_=0)
    assessments = (sa.select(*_part(ASSESSMENTS, ImpactAssessment.plan_id, None, None, None, sa.func.count(),
                                    sa.func.sum(agreeing)))
                   .where(only(ImpactAssessment.plan_id), ImpactAssessment.is_current.is_(True))
                   .group_by(ImpactAssessment.plan_id))
    today = sa.bindparam("today", type_=sa.Date)
    overdue = sa.or_(sa.and_(Concern.status == "open", Concern.acknowledge_due < today),
                     sa.and_(Concern.status == "acknowledged", Concern.respond_due < today))
    concerns = (sa.select(*_part(CONCERNS, Concern.plan_id, Concern.status, None, None, sa.func.count(),
                                 sa.func.sum(sa.case((overdue, 1), else_=0))))
                .where(only(Concern.plan_id), Concern.confidential.is_(False),
                       Concern.status.in_(vocab.UNRESOLVED))
                .group_by(Concern.plan_id, Concern.status))
    return sa.union_all(footprint, engagement, acute, assessments, concerns)


def gather_facts(session: Database, plan_ids: Iterable[int] | None, today: date,
                 thresholds: Thresholds) -> dict[int, PlanFacts]:
    """PlanFacts for the given plans (all plans when None), from one statement."""
    params: dict[str, object] = {"today": today, "sustained_months_min": thresholds.sustained_months_min,
                                 "acute_depth_min": thresholds.acute_depth_min}
    if plan_ids is not None:
        params["ids"] = list(plan_ids)
    rows = session.execute(_statement(plan_ids is None), params).all()
    # Every plan asked for that exists has a footprint row, whatever order the parts come back in.
    facts = {row[1]: PlanFacts(row[1]) for row in rows if row[0] == FOOTPRINT}
    for part, plan_id, label, flag, depth, a, b, c, d in rows:
        plan_facts = facts[plan_id]
        if part == FOOTPRINT:
            if label is not None:
                plan_facts.footprint[label] += int(a)
                plan_facts.acute_total += int(a) if label == "acute" else 0
        elif part == ENGAGEMENT:  # a: providers, b: of which sustained, c: counted, d: corroborated
            plan_facts.counted += int(c)
            plan_facts.corroborated += int(d)
            if flag:
                plan_facts.engaged_by_sector[label] += int(a)
                plan_facts.depths[str(depth)] += int(a)
                plan_facts.sustained += int(b)
        elif part == ACUTE:  # a: acute footprint providers at the depth with a current assessment
            plan_facts.acute_ok = int(a)
        elif part == ASSESSMENTS:  # a: current assessments, b: of which agreeing
            plan_facts.assessments, plan_facts.assessments_agreeing = int(a), int(b or 0)
        else:  # CONCERNS, a: open (not resolved) of this status, b: of which overdue
            plan_facts.concerns_open += int(a)
            plan_facts.concerns_overdue += int(b or 0)
            plan_facts.concerns_escalated += int(a) if label == "escalated" else 0
    return facts
