"""Upkeep of the engagement summaries: recompute them from the raw records for what a write touched.

ORM writes are covered by a flush hook (install_upkeep, bound in create_app); bulk Core writers (imports,
demo data) call refresh_plans. Either way the summaries change in the writer's own transaction, so a
reader never sees one that disagrees with the records (tests/test_summaries.py checks it after every
kind of write). The recomputation is one grouped INSERT … SELECT, bounded by what was touched.

A summary also keeps a copy of its provider's sector and of whether the provider serves the plan's board, and
footprint_tally counts each board's footprint providers by sector, so the evidence figures read one index. The
recomputation here sets the copies; when a provider's sector, a footprint or a plan's board changes, database
triggers (migration 0003) change them in the same statement, whoever writes. drift() checks all of it.
"""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.models import EngagementEvent, EngagementSummary, Participation, Plan, Provider, provider_footprint
from tracker.models.summaries import FootprintTally

Pair = tuple[int, int]  # (plan id, provider id)
COLUMNS = ["plan_id", "provider_id", "counted", "corroborated", "max_depth", "months", "sector", "in_footprint"]
Database = Session | sa.Connection


def month_key() -> sa.ColumnElement[int]:
    """The calendar month of the event's date as one number, year * 12 + month, the same on SQLite and PostgreSQL.

    The one definition of "a calendar month" for sustained involvement and the month-by-month timeline.
    """
    return (sa.cast(sa.extract("year", EngagementEvent.date), sa.Integer) * 12
            + sa.cast(sa.extract("month", EngagementEvent.date), sa.Integer))


def counted_participation() -> sa.ColumnElement[bool]:
    """PRODUCT.md's counted participation: the event is not withdrawn and the participation is not disputed.

    The one definition of it in SQL; the query must join Participation to its EngagementEvent.
    """
    return sa.and_(EngagementEvent.withdrawn.is_(False), Participation.status != "disputed")


def _recomputed(where: sa.ColumnElement[bool]) -> sa.Select:
    """The summaries (COLUMNS) recomputed from participations, providers and footprints, for the rows `where` picks."""
    counts = (
        sa.select(EngagementEvent.plan_id, Participation.provider_id, sa.func.count().label("counted"),
                  sa.func.sum(sa.case((Participation.status == "confirmed", 1), else_=0)).label("corroborated"),
                  sa.func.max(EngagementEvent.depth).label("max_depth"),
                  sa.func.count(sa.distinct(month_key())).label("months"))
        .join(EngagementEvent, EngagementEvent.id == Participation.event_id)
        .where(counted_participation(), where)
        .group_by(EngagementEvent.plan_id, Participation.provider_id)
    ).subquery("counts")
    pf = provider_footprint
    serves = sa.exists().where(pf.c.provider_id == counts.c.provider_id, pf.c.hwb_id == Plan.hwb_id)
    return (sa.select(counts.c.plan_id, counts.c.provider_id, counts.c.counted, counts.c.corroborated,
                      counts.c.max_depth, counts.c.months, Provider.sector, serves.label("in_footprint"))
            .join(Provider, Provider.id == counts.c.provider_id).join(Plan, Plan.id == counts.c.plan_id))


def _participations_of(pairs: list[Pair]) -> sa.ColumnElement[bool]:
    """The participations of these (plan, provider) pairs, found through their providers.

    A write touches few providers, each with few participations, while a plan has thousands of events. SQLite has
    no statistics to know that, and on a plain `plan_id IN …` (or a row-value IN) it walks the plan's events, or
    every event: `plan_id + 0` keeps it on the provider index. PostgreSQL's statistics choose the same road.
    """
    plans, providers = sorted({plan for plan, _ in pairs}), sorted({provider for _, provider in pairs})
    return sa.and_(Participation.provider_id.in_(providers), (EngagementEvent.plan_id + 0).in_(plans),
                   sa.tuple_(EngagementEvent.plan_id, Participation.provider_id).in_(pairs))


def _summaries_of(pairs: list[Pair]) -> sa.ColumnElement[bool]:
    """The stored summaries of these (plan, provider) pairs (plain INs first, so SQLite uses the primary key)."""
    table = EngagementSummary.__table__
    return sa.and_(table.c.plan_id.in_(sorted({plan for plan, _ in pairs})),
                   table.c.provider_id.in_(sorted({provider for _, provider in pairs})),
                   sa.tuple_(table.c.plan_id, table.c.provider_id).in_(pairs))


def lock_providers(connection: Database, provider_ids: Iterable[int] | sa.Select | None) -> None:
    """Hold the providers a recomputation copies the sector of (PostgreSQL; SQLite serialises writers already).

    FOR SHARE waits for a transaction changing one of them to commit, and makes such a change wait for this one,
    so a summary never keeps a sector that a concurrent update replaced; the trigger on the provider then sees
    this transaction's summaries. Taken before lock_plans, as every writer does, so the two cannot deadlock.
    """
    dialect = connection.dialect if isinstance(connection, sa.Connection) else connection.get_bind().dialect
    if dialect.name != "postgresql":
        return
    query = sa.select(Provider.__table__.c.id).order_by(Provider.__table__.c.id).with_for_update(read=True)
    if isinstance(provider_ids, sa.Select):
        query = query.where(Provider.__table__.c.id.in_(provider_ids))
    elif provider_ids is not None:
        query = query.where(Provider.__table__.c.id.in_(sorted(set(provider_ids))))
    connection.execute(query).all()


def lock_plans(connection: Database, plan_ids: Iterable[int] | None) -> None:
    """Serialise summary upkeep per plan between concurrent writers (PostgreSQL, READ COMMITTED).

    Without it two transactions recomputing the same (plan, provider) both delete the old row and both insert
    a new one: the second fails on the primary key (a 500) or, recomputing from its older snapshot, overwrites
    the first one's count. After the lock every later statement sees the other writer's committed rows.
    FOR NO KEY UPDATE does not conflict with the KEY SHARE lock that inserting an event takes on its plan, so
    writers cannot deadlock on it. SQLite serialises writers already (it renders no lock clause).
    """
    query = sa.select(Plan.__table__.c.id).order_by(Plan.__table__.c.id).with_for_update(key_share=True)
    if plan_ids is not None:
        query = query.where(Plan.__table__.c.id.in_(sorted(set(plan_ids))))
    connection.execute(query).all()


def _replace(session: Session, stored: sa.ColumnElement[bool], raw: sa.ColumnElement[bool]) -> None:
    """Delete the stored summaries `stored` selects and insert them again from the raw records."""
    session.flush()
    session.execute(sa.delete(EngagementSummary).where(stored))
    session.execute(sa.insert(EngagementSummary).from_select(COLUMNS, _recomputed(raw)))


def refresh_pairs(session: Session, pairs: Iterable[Pair]) -> None:
    """Recompute the summaries of these (plan, provider) pairs."""
    pairs = sorted(set(pairs))
    lock_providers(session, {provider for _, provider in pairs})
    lock_plans(session, {plan for plan, _ in pairs})
    for start in range(0, len(pairs), 500):
        chunk = pairs[start:start + 500]
        _replace(session, _summaries_of(chunk), _participations_of(chunk))


def refresh_plans(session: Session, plan_ids: Iterable[int] | None = None) -> None:
    """Recompute every summary of these plans (all plans when None), e.g. after an import."""
    ids = None if plan_ids is None else sorted(set(plan_ids))
    taking_part = sa.select(Participation.provider_id).join(EngagementEvent,
                                                            EngagementEvent.id == Participation.event_id)
    lock_providers(session, None if ids is None else taking_part.where(EngagementEvent.plan_id.in_(ids)))
    lock_plans(session, ids)
    if ids is None:
        _replace(session, sa.true(), sa.true())
        return
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        _replace(session, EngagementSummary.plan_id.in_(chunk), EngagementEvent.plan_id.in_(chunk))


def drift(session: Session) -> list[tuple]:
    """Stored summaries and tallies that differ from a fresh recomputation (an empty list when all is well)."""
    stored = set(session.execute(sa.select(*(getattr(EngagementSummary, name) for name in COLUMNS))).tuples())
    fresh = set(session.execute(_recomputed(sa.true())).tuples())
    tally, pf = FootprintTally, provider_footprint
    stored_tally = set(session.execute(sa.select(tally.hwb_id, tally.sector, tally.providers)
                                       .where(tally.providers > 0)).tuples())
    fresh_tally = set(session.execute(sa.select(pf.c.hwb_id, Provider.sector, sa.func.count())
                                      .join(Provider, Provider.id == pf.c.provider_id)
                                      .group_by(pf.c.hwb_id, Provider.sector)).tuples())
    return sorted((stored ^ fresh) | {("tally", *row) for row in stored_tally ^ fresh_tally}, key=repr)


def _touched(session: Session) -> tuple[set[EngagementEvent], set[int], set[int], set[int]]:
    """Events whose counted participations may change in this flush (as objects or ids), former plans,
    and providers whose participation was removed or moved."""
    events: set[EngagementEvent] = set()
    event_ids: set[int] = set()
    former_plans: set[int] = set()
    removed: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Participation):
            if obj.event is not None:
                events.add(obj.event)
            elif obj.event_id is not None:
                event_ids.add(obj.event_id)
            history = sa.inspect(obj).attrs.provider_id.history
            removed.update(pid for pid in (history.deleted or ()) if pid is not None)
            if obj in session.deleted and obj.provider_id is not None:
                removed.add(obj.provider_id)
        elif isinstance(obj, EngagementEvent):
            events.add(obj)
            state = sa.inspect(obj)
            former_plans.update(pid for pid in (state.attrs.plan_id.history.deleted or ()) if pid)
            # Participations taken out of the collection are deleted as orphans later in the flush.
            removed.update(p.provider_id for p in (state.attrs.participations.history.deleted or ())
                           if p.provider_id is not None)
    return events, event_ids, former_plans, removed


def _remember(session: Session, _context: object, _instances: object) -> None:
    """Before a flush: note what it touches (the ORM knows it only now)."""
    touched = _touched(session)
    if touched[0] or touched[1]:
        session.info.setdefault("summary_upkeep", []).append(touched)


def _refresh(session: Session, _context: object) -> None:
    """After a flush: recompute the touched (plan, provider) pairs on the same connection and transaction."""
    pending = session.info.pop("summary_upkeep", [])
    if not pending:
        return
    connection = session.connection()
    event_ids, plans, providers = set(), set(), set()
    for events, ids, former_plans, removed in pending:
        event_ids.update(ids)
        event_ids.update(e.id for e in events if e.id is not None)
        plans.update(former_plans)
        providers.update(removed)
    if event_ids:
        for plan_id, provider_id in connection.execute(
                sa.select(EngagementEvent.plan_id, Participation.provider_id)
                .outerjoin(Participation, Participation.event_id == EngagementEvent.id)
                .where(EngagementEvent.id.in_(event_ids))):
            plans.add(plan_id)
            if provider_id is not None:
                providers.add(provider_id)
    pairs = sorted({(plan, provider) for plan in plans for provider in providers})
    if pairs:
        lock_providers(connection, providers)
        lock_plans(connection, plans)
    table = EngagementSummary.__table__
    for start in range(0, len(pairs), 500):
        chunk = pairs[start:start + 500]
        connection.execute(sa.delete(table).where(_summaries_of(chunk)))
        connection.execute(sa.insert(table).from_select(COLUMNS, _recomputed(_participations_of(chunk))))


def install_upkeep() -> None:
    """Keep summaries true on every ORM flush that touches events or participations (once per process).

    Bulk Core writers (imports, demo data) bypass the ORM and call refresh_plans themselves.
    """
    if not sa.event.contains(Session, "before_flush", _remember):
        sa.event.listen(Session, "before_flush", _remember)
        sa.event.listen(Session, "after_flush_postexec", _refresh)
