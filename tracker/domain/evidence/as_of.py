"""Evidence as at a date D: PRODUCT.md's definition, the one place it is written. No Flask here.

"The figures as the tracker would have shown them at the end of D." The same PlanFacts as queries.py gathers from
the summaries, gathered instead from the records and their history (tracker.domain.history keeps it), then the
same rules. What stood at the end of D:

- an event counts when it is dated on or before D, was recorded on or before D (recorded_on) and had not been
  withdrawn by D (withdrawn_on is empty or after D);
- a participation has the status of its latest history row changed on or before D, latest in the order the rows
  were written: an import dates its rows on the event's date, so its values hold from then on, as PRODUCT.md
  says, whatever was written before. A participation with no row by D was not recorded yet and does not count;
- a concern counts when raised on or before D, with the status of its latest step taken on or before D (a concern
  with no step at all stands as it is now: none of the tracker's writers makes one) and the response date the
  latest such step set (else its own); overdue against D by the rule of tracker.domain.concerns.rules;
- an impact assessment counts in its highest version assessed on or before D.

Kept as they are now, as nothing records their past: footprints and sectors; an event's date, depth and who takes
part (the side that recorded it may edit them); a concern's confidentiality and acknowledgement date.

One plan costs four small queries over that plan's own rows (its participations through the plan's events, each
status read backwards from one index), so it does not grow with the rest of the country; every plan costs the
same four queries over everything.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from tracker.domain import vocab
from tracker.domain.concerns.rules import is_overdue
from tracker.domain.evidence.queries import Database
from tracker.domain.evidence.rules import AcuteProvider, EngagedProvider, PlanFacts, Thresholds
from tracker.domain.summaries import month_key
from tracker.models import (
    Concern,
    ConcernStep,
    EngagementEvent,
    ImpactAssessment,
    Participation,
    ParticipationStatusChange,
    Plan,
    Provider,
    provider_footprint,
)

H, E, P, A, S = ParticipationStatusChange, EngagementEvent, Participation, ImpactAssessment, ConcernStep
COUNTED = ("unconfirmed", "confirmed")  # a participation counts unless disputed


@dataclass(frozen=True)
class Standing:
    """A provider's counted participations on a plan as at the date: how many, the deepest, in how many months."""

    participations: int
    depth: int
    months: int


@dataclass
class AsOf:
    """A plan's facts as at a date, with what its per-provider rows show."""

    facts: PlanFacts
    day: date
    standing: dict[int, Standing] = field(default_factory=dict)  # provider id -> its counted participations
    assessed: set[int] = field(default_factory=set)  # providers with an impact assessment of the plan by the date


def status_on(day: date) -> sa.ScalarSelect:
    """A participation's status at the end of the day (None when it was not recorded yet)."""
    return (sa.select(H.status).where(H.participation_id == P.id, H.changed_on <= day)
            .order_by(H.id.desc()).limit(1).scalar_subquery())


def event_stood(day: date) -> sa.ColumnElement[bool]:
    """The event counted at the end of the day: dated and recorded by then, and not withdrawn by then."""
    return sa.and_(E.date <= day, E.recorded_on <= day, sa.or_(E.withdrawn_on.is_(None), E.withdrawn_on > day))


def counted_on(day: date) -> sa.ColumnElement[bool]:
    """PRODUCT.md's counted participation as at the end of the day (the query joins Participation to its event)."""
    return sa.and_(event_stood(day), status_on(day).in_(COUNTED))


def _only(column: sa.ColumnElement[int], plan_ids: list[int] | None) -> sa.ColumnElement[bool]:
    return sa.true() if plan_ids is None else column.in_(plan_ids)


def _engagement(session: Database, plan_ids: list[int] | None, day: date) -> list[sa.Row]:
    """Per plan and provider: counted participations, of which confirmed, the deepest and distinct months.

    Both steps are MATERIALIZED common table expressions. The events first: else PostgreSQL, misjudging how few
    participations a plan's events have, reads every participation in the country to join them. Then the
    participations with their status: merged into the grouping, SQLite would look each status up twice (for the
    filter and for the count of confirmed ones)."""
    events = (sa.select(E.id, E.plan_id, E.depth, month_key().label("month"))
              .where(_only(E.plan_id, plan_ids), event_stood(day)).cte("stood_events").prefix_with("MATERIALIZED"))
    stood = (sa.select(events.c.plan_id, P.provider_id, events.c.depth, events.c.month, status_on(day).label("status"))
             .join(P, P.event_id == events.c.id).cte("stood").prefix_with("MATERIALIZED"))
    confirmed = sa.case((stood.c.status == "confirmed", 1), else_=0)
    return session.execute(
        sa.select(stood.c.plan_id, stood.c.provider_id, sa.func.count(), sa.func.sum(confirmed),
                  sa.func.max(stood.c.depth), sa.func.count(sa.distinct(stood.c.month)))
        .where(stood.c.status.in_(COUNTED)).group_by(stood.c.plan_id, stood.c.provider_id)).all()


def _assessments(session: Database, plan_ids: list[int] | None, day: date) -> list[sa.Row]:
    """Per plan and provider: the agreement of the highest version assessed by the day."""
    later = aliased(A)
    newer = sa.exists().where(later.plan_id == A.plan_id, later.provider_id == A.provider_id,
                              later.version > A.version, later.assessed_on <= day)
    return session.execute(sa.select(A.plan_id, A.provider_id, A.agreement)
                           .where(_only(A.plan_id, plan_ids), A.assessed_on <= day, ~newer)).all()


def _concerns(session: Database, plan_ids: list[int] | None, day: date) -> list[sa.Row]:
    """The non-confidential concerns raised by the day, each with its status and due dates at the end of it."""
    latest = (sa.select(S.to_status).where(S.concern_id == Concern.id, S.taken_on <= day).order_by(S.id.desc())
              .limit(1).scalar_subquery())
    unstepped = sa.case((~sa.exists().where(S.concern_id == Concern.id), Concern.status))
    respond = (sa.select(S.respond_due).where(S.concern_id == Concern.id, S.taken_on <= day, S.respond_due.is_not(None))
               .order_by(S.id.desc()).limit(1).scalar_subquery())
    return session.execute(
        sa.select(Concern.plan_id, sa.func.coalesce(latest, unstepped),
                  Concern.acknowledge_due, sa.func.coalesce(respond, Concern.respond_due))
        .where(_only(Concern.plan_id, plan_ids), Concern.confidential.is_(False), Concern.raised <= day)).all()


def _footprints(session: Database, plan_ids: list[int] | None) -> list[sa.Row]:
    """Every plan asked for, with each footprint provider and its sector (a plan with none: one row of None)."""
    pf = provider_footprint
    return session.execute(
        sa.select(Plan.id, Provider.id, Provider.sector).select_from(Plan)
        .outerjoin(pf, pf.c.hwb_id == Plan.hwb_id).outerjoin(Provider, Provider.id == pf.c.provider_id)
        .where(_only(Plan.id, plan_ids))).all()


def gather_as_of(session: Database, plan_ids: Iterable[int] | None, day: date,
                 thresholds: Thresholds) -> dict[int, AsOf]:
    """Each plan's facts as at the end of `day` (every plan when plan_ids is None), with its per-provider rows."""
    ids = None if plan_ids is None else list(plan_ids)
    footprint: dict[int, dict[int, str]] = {}
    for plan_id, provider_id, sector in _footprints(session, ids):
        footprint.setdefault(plan_id, {})
        if provider_id is not None:
            footprint[plan_id][provider_id] = sector
    counts: dict[int, dict[str, int]] = {plan_id: defaultdict(int) for plan_id in footprint}
    standing: dict[int, dict[int, Standing]] = {plan_id: {} for plan_id in footprint}
    for plan_id, provider_id, counted, confirmed, depth, months in _engagement(session, ids, day):
        counts[plan_id]["counted"] += counted
        counts[plan_id]["corroborated"] += int(confirmed or 0)
        standing[plan_id][provider_id] = Standing(counted, depth, months)
    assessed: dict[int, set[int]] = {plan_id: set() for plan_id in footprint}
    for plan_id, provider_id, agreement in _assessments(session, ids, day):
        assessed[plan_id].add(provider_id)
        counts[plan_id]["assessments"] += 1
        counts[plan_id]["assessments_agreeing"] += agreement in ("agree", "partly")
    for plan_id, status, acknowledge_due, respond_due in _concerns(session, ids, day):
        if status in vocab.UNRESOLVED:
            counts[plan_id]["concerns_open"] += 1
            counts[plan_id]["concerns_overdue"] += is_overdue(status, acknowledge_due, respond_due, day)
            counts[plan_id]["concerns_escalated"] += status == "escalated"
    result = {}
    for plan_id, served in footprint.items():
        by_sector = dict.fromkeys(vocab.SECTORS, 0)
        for sector in served.values():
            by_sector[sector] += 1
        mine = standing[plan_id]
        engaged = [EngagedProvider(pid, sector, mine[pid].depth, mine[pid].months)
                   for pid, sector in served.items() if pid in mine]
        acute = [AcuteProvider(pid, pid in assessed[plan_id]) for pid, sector in served.items() if sector == "acute"]
        facts = PlanFacts.from_providers(plan_id, by_sector, engaged, acute, thresholds, **counts[plan_id])
        result[plan_id] = AsOf(facts, day, mine, assessed[plan_id])
    return result
