"""Upkeep of the engagement summaries: recompute them from the raw records for what a write touched.

Every writer of events or participations calls one of these in its own transaction, so a reader never
sees a summary that disagrees with the records (tests/test_summaries.py checks it after every kind of
write). The recomputation is one grouped INSERT … SELECT, bounded by what was touched.
"""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.models import EngagementEvent, EngagementSummary, Participation

Pair = tuple[int, int]  # (plan id, provider id)


def month_key() -> sa.ColumnElement[int]:
    """year * 12 + month of the event's date, the same on SQLite and PostgreSQL."""
    return (sa.cast(sa.extract("year", EngagementEvent.date), sa.Integer) * 12
            + sa.cast(sa.extract("month", EngagementEvent.date), sa.Integer))


def _recomputed(where: sa.ColumnElement[bool]) -> sa.Select:
    """The summaries, recomputed from participations, for the rows `where` selects."""
    return (
        sa.select(EngagementEvent.plan_id, Participation.provider_id, sa.func.count(),
                  sa.func.sum(sa.case((Participation.status == "confirmed", 1), else_=0)),
                  sa.func.max(EngagementEvent.depth), sa.func.count(sa.distinct(month_key())))
        .join(EngagementEvent, EngagementEvent.id == Participation.event_id)
        .where(EngagementEvent.withdrawn.is_(False), Participation.status != "disputed", where)
        .group_by(EngagementEvent.plan_id, Participation.provider_id)
    )


def _replace(session: Session, stored: sa.ColumnElement[bool], raw: sa.ColumnElement[bool]) -> None:
    """Delete the stored summaries `stored` selects and insert them again from the raw records."""
    session.flush()
    session.execute(sa.delete(EngagementSummary).where(stored))
    columns = ["plan_id", "provider_id", "counted", "corroborated", "max_depth", "months"]
    session.execute(sa.insert(EngagementSummary).from_select(columns, _recomputed(raw)))


def refresh_pairs(session: Session, pairs: Iterable[Pair]) -> None:
    """Recompute the summaries of these (plan, provider) pairs."""
    pairs = sorted(set(pairs))
    for start in range(0, len(pairs), 500):
        chunk = pairs[start:start + 500]
        _replace(session,
                 sa.tuple_(EngagementSummary.plan_id, EngagementSummary.provider_id).in_(chunk),
                 sa.tuple_(EngagementEvent.plan_id, Participation.provider_id).in_(chunk))


def refresh_event(session: Session, event: EngagementEvent, former_provider_ids: Iterable[int] = ()) -> None:
    """After an event changed: its plan's summaries for every provider it names or used to name."""
    session.flush()
    providers = {p.provider_id for p in event.participations} | set(former_provider_ids)
    refresh_pairs(session, [(event.plan_id, provider_id) for provider_id in providers])


def refresh_plans(session: Session, plan_ids: Iterable[int] | None = None) -> None:
    """Recompute every summary of these plans (all plans when None), e.g. after an import."""
    if plan_ids is None:
        _replace(session, sa.true(), sa.true())
        return
    ids = sorted(set(plan_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        _replace(session, EngagementSummary.plan_id.in_(chunk), EngagementEvent.plan_id.in_(chunk))


def drift(session: Session) -> list[tuple]:
    """Stored summaries that differ from a fresh recomputation (an empty list when all is well)."""
    stored = set(session.execute(sa.select(
        EngagementSummary.plan_id, EngagementSummary.provider_id, EngagementSummary.counted,
        EngagementSummary.corroborated, EngagementSummary.max_depth, EngagementSummary.months)).tuples())
    fresh = {tuple(int(v) for v in row) for row in session.execute(_recomputed(sa.true())).tuples()}
    return sorted(stored ^ fresh)
