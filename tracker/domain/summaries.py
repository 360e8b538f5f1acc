"""The engagement summaries and footprint tallies: recomputed from the raw records for what a write touched,
checked against a full recomputation (verify), and rebuilt whole (rebuild).

A summary counts a provider's counted participations on one plan and keeps a copy of the provider's sector and of
whether the provider serves the plan's board; footprint_tally counts each board's footprint providers by sector.
The evidence figures read these rows alone. One mechanism keeps them true, in the writer's own transaction, so a
reader never sees one that disagrees with the records (tracker/domain/summary_upkeep.py):

* ORM writes: a flush hook recomputes what the flush touched: events, participations, a provider's sector or
  footprint, a new or removed provider, a plan's board.
* Bulk writers (imports, the demo data) declare what they write with `bulk_write(session, plans=…, providers=…,
  boards=…)`; inside it they may send INSERT, UPDATE and DELETE statements on the watched tables, and on leaving
  it what they declared is recomputed (`refresh`).
* Any other SQLAlchemy INSERT, UPDATE or DELETE statement on engagement_event, participation, provider or
  provider_footprint raises SummaryUpkeepBypassed before it runs. Plain SQL text (sa.text) is not inspected:
  `verify` finds what such a statement left wrong and `rebuild` mends it (`flask evidence verify|rebuild`).

install_upkeep() binds the hook and the guard, once per process: create_app calls it; a script that uses the
domain layer without Flask calls it before writing.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.models import HWB, EngagementEvent, EngagementSummary, Participation, Plan, Provider, provider_footprint
from tracker.models.summaries import FootprintTally

Pair = tuple[int, int]  # (plan id, provider id)
COLUMNS = ["plan_id", "provider_id", "counted", "corroborated", "max_depth", "months", "sector", "in_footprint"]
VALUES = COLUMNS[2:]
Database = Session | sa.Connection
CHUNK = 500
SUMMARY, TALLY = EngagementSummary.__tablename__, FootprintTally.__tablename__
# The tables the summaries and tallies are computed from. A plan's board is kept by the flush hook only: plan is
# not watched (the plans import rewrites its rows, board unchanged), so a Core UPDATE of plan.hwb_id is not refused.
WATCHED = frozenset({"engagement_event", "participation", "provider", "provider_footprint"})


class SummaryUpkeepBypassed(RuntimeError):
    """A write statement on a watched table was sent outside an ORM flush and outside bulk_write."""


_bulk_writes: ContextVar[int] = ContextVar("summary_bulk_writes", default=0)


def bulk_writing() -> bool:
    """Whether the current thread (or task) is inside bulk_write."""
    return _bulk_writes.get() > 0


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


def _tallied() -> sa.Select:
    """Each board's footprint providers counted by sector, from the footprints (hwb_id, sector, providers)."""
    pf = provider_footprint
    return (sa.select(pf.c.hwb_id, Provider.sector, sa.func.count().label("providers"))
            .join(Provider, Provider.id == pf.c.provider_id).group_by(pf.c.hwb_id, Provider.sector))


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


def _chunks(ids: Iterable[Any]) -> Iterator[list[Any]]:
    """The ids, sorted, in lists of at most CHUNK (so no statement carries thousands of parameters)."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start:start + CHUNK]


def _postgresql(db: Database) -> bool:
    return (db.dialect if isinstance(db, sa.Connection) else db.get_bind().dialect).name == "postgresql"


def lock_providers(db: Database, provider_ids: Iterable[int] | None, plan_ids: Iterable[int] = ()) -> None:
    """Hold the providers a recomputation copies the sector of (PostgreSQL; SQLite serialises writers already):
    those given and those taking part in the plans given (None: every provider).

    FOR SHARE waits for a transaction changing one of them to commit, and makes such a change wait for this one,
    so a summary never keeps a sector that a concurrent update replaced; the change's own upkeep then sees this
    transaction's summaries. Taken before lock_plans, as every writer does, so the two cannot deadlock.
    """
    if not _postgresql(db):
        return
    table = Provider.__table__
    query = sa.select(table.c.id).order_by(table.c.id).with_for_update(read=True)
    if provider_ids is not None:
        provider_ids, plan_ids = sorted(set(provider_ids)), sorted(set(plan_ids))
        chosen = [table.c.id.in_(provider_ids)] if provider_ids else []
        if plan_ids:
            chosen.append(table.c.id.in_(
                sa.select(Participation.provider_id).join(EngagementEvent, EngagementEvent.id == Participation.event_id)
                .where(EngagementEvent.plan_id.in_(plan_ids))))
        if not chosen:
            return
        query = query.where(sa.or_(*chosen))
    db.execute(query).all()


def lock_plans(db: Database, plan_ids: Iterable[int] | None, boards: Iterable[int] | None = ()) -> None:
    """Serialise summary upkeep per plan between concurrent writers (PostgreSQL, READ COMMITTED): the plans given
    and the plans of the boards given (None: every plan).

    Without it two transactions recomputing the same (plan, provider) both delete the old row and both insert
    a new one: the second fails on the primary key (a 500) or, recomputing from its older snapshot, overwrites
    the first one's count. After the lock every later statement sees the other writer's committed rows. A change
    to a board's footprint locks the board's plans, so a summary recomputed meanwhile sees the change.
    FOR NO KEY UPDATE does not conflict with the KEY SHARE lock that inserting an event takes on its plan, so
    writers cannot deadlock on it. SQLite serialises writers already.
    """
    if not _postgresql(db):
        return
    table = Plan.__table__
    query = sa.select(table.c.id).order_by(table.c.id).with_for_update(key_share=True)
    if plan_ids is not None and boards is not None:
        chosen = table.c.id.in_(sorted(set(plan_ids)))
        boards = sorted(set(boards))
        query = query.where(sa.or_(chosen, table.c.hwb_id.in_(boards)) if boards else chosen)
    db.execute(query).all()


def lock_boards(db: Database, boards: Iterable[int] | None) -> None:
    """Serialise the recounting of a board's tallies (PostgreSQL): two writers that both delete and recount them
    would otherwise collide on the primary key or lose one's change. Taken after lock_plans."""
    if not _postgresql(db):
        return
    table = HWB.__table__
    query = sa.select(table.c.id).order_by(table.c.id).with_for_update(key_share=True)
    if boards is not None:
        query = query.where(table.c.id.in_(sorted(set(boards))))
    db.execute(query).all()


@dataclass
class Scope:
    """What a write may have changed, for refresh() to recompute; None means every one."""

    pairs: set[Pair] = field(default_factory=set)  # (plan, provider) summaries to recompute
    plans: set[int] | None = field(default_factory=set)  # plans to recompute every summary of
    # Providers whose sector or footprint changed: their summaries' copies, and the tallies of the boards they serve.
    providers: set[int] | None = field(default_factory=set)
    # Boards whose footprint changed (or that a provider stopped serving): their tallies.
    boards: set[int] | None = field(default_factory=set)


def refresh(db: Database, scope: Scope) -> None:
    """Recompute, in db's transaction, the summaries and tallies the scope names (locking first, in the order
    every writer takes: providers, plans, boards)."""
    if isinstance(db, Session):
        db.flush()
    pairs, plans, providers, boards = sorted(scope.pairs), scope.plans, scope.providers, scope.boards
    tallies = None if providers is None or boards is None else boards | _boards_served_by(db, providers)
    if not (pairs or plans or providers or tallies or plans is None or providers is None or tallies is None):
        return
    paired = {provider for _, provider in pairs}
    lock_providers(db, None if plans is None or providers is None else paired | providers, plans or ())
    lock_plans(db, None if plans is None else {plan for plan, _ in pairs} | plans, boards)
    if tallies is None or tallies:
        lock_boards(db, tallies)
    table = EngagementSummary.__table__
    for chunk in _chunks(pairs):
        _replace(db, _summaries_of(chunk), _participations_of(chunk))
    if plans is None:
        _replace(db, sa.true(), sa.true())  # which sets every copy too
    else:
        for chunk in _chunks(plans):
            _replace(db, table.c.plan_id.in_(chunk), EngagementEvent.plan_id.in_(chunk))
        if providers is None:
            _copy(db, sa.true())
        for chunk in _chunks(providers or ()):
            _copy(db, table.c.provider_id.in_(chunk))
    if tallies is None:
        _recount(db, None)
    for chunk in _chunks(tallies or ()):
        _recount(db, chunk)


def _boards_served_by(db: Database, providers: set[int]) -> set[int]:
    pf = provider_footprint
    return {board for chunk in _chunks(providers) for board in db.execute(
        sa.select(pf.c.hwb_id).where(pf.c.provider_id.in_(chunk)).distinct()).scalars()}


def _replace(db: Database, stored: sa.ColumnElement[bool], raw: sa.ColumnElement[bool]) -> None:
    """Delete the stored summaries `stored` selects and insert them again from the raw records."""
    table = EngagementSummary.__table__
    db.execute(sa.delete(table).where(stored))
    db.execute(sa.insert(table).from_select(COLUMNS, _recomputed(raw)))


def _copy(db: Database, where: sa.ColumnElement[bool]) -> None:
    """Set the sector and footprint copies of the summaries `where` selects from their provider and plan."""
    table, plan, pf, provider = EngagementSummary.__table__, Plan.__table__, provider_footprint, Provider.__table__
    sector = sa.select(provider.c.sector).where(provider.c.id == table.c.provider_id)
    serves = (sa.exists().where(pf.c.provider_id == table.c.provider_id, plan.c.id == table.c.plan_id,
                                plan.c.hwb_id == pf.c.hwb_id))
    db.execute(sa.update(table).where(where).values(sector=sector.correlate(table).scalar_subquery(),
                                                    in_footprint=serves.correlate(table)))


def _recount(db: Database, boards: list[int] | None) -> None:
    """Count again the footprint tallies of these boards (None: every board)."""
    table, pf = FootprintTally.__table__, provider_footprint
    fresh = _tallied()
    if boards is None:
        db.execute(sa.delete(table))
    else:
        db.execute(sa.delete(table).where(table.c.hwb_id.in_(boards)))
        fresh = fresh.where(pf.c.hwb_id.in_(boards))
    db.execute(sa.insert(table).from_select(["hwb_id", "sector", "providers"], fresh))


def refresh_pairs(db: Database, pairs: Iterable[Pair]) -> None:
    """Recompute the summaries of these (plan, provider) pairs."""
    refresh(db, Scope(pairs=set(pairs)))


def refresh_plans(db: Database, plan_ids: Iterable[int] | None = None) -> None:
    """Recompute every summary of these plans (all plans when None)."""
    refresh(db, Scope(plans=None if plan_ids is None else set(plan_ids)))


def rebuild(db: Database) -> None:
    """Recompute every summary and every tally, in db's transaction (the caller commits)."""
    refresh(db, Scope(plans=None, providers=None, boards=None))


@contextmanager
def bulk_write(db: Database, *, plans: Iterable[int] | None = None, providers: Iterable[int] | None = None,
               boards: Iterable[int] | None = None) -> Iterator[Scope]:
    """Write the watched tables with bulk statements inside; on leaving, recompute what was declared.

    plans: plans whose events or participations are written (every summary of them is recomputed).
    providers: providers whose sector or footprint is written, or that are new (their summaries' copies, and the
    tallies of the boards they serve afterwards). boards: boards a provider started or stopped serving (their
    tallies). None, the default, means every one, so `bulk_write(session)` rebuilds everything on leaving.
    The Scope yielded holds the sets; a writer that learns what it touched as it goes adds to them. When the
    block raises, nothing is recomputed (the caller rolls back). Permission to write is per thread (or task).
    """
    def wanted(ids: Iterable[int] | None) -> set[int] | None:
        return None if ids is None else set(ids)

    scope = Scope(plans=wanted(plans), providers=wanted(providers), boards=wanted(boards))
    token = _bulk_writes.set(_bulk_writes.get() + 1)
    try:
        yield scope
    finally:
        _bulk_writes.reset(token)
    refresh(db, scope)


@dataclass(frozen=True)
class Difference:
    """A stored summary or tally that differs from the recomputation from the raw records."""

    table: str  # SUMMARY or TALLY
    board: str  # the board's code (the plan's, for a summary)
    year: str | None = None  # the plan's year (a summary)
    provider: str | None = None  # the provider's code (a summary)
    sector: str | None = None  # the sector (a tally)
    stored: dict[str, Any] | None = None  # the stored values; None when no row is stored
    recomputed: dict[str, Any] | None = None  # what the records give; None when they give no row

    def __str__(self) -> str:
        where = (f"summary of plan {self.board} {self.year}, provider {self.provider}" if self.table == SUMMARY
                 else f"footprint tally of board {self.board}, sector {self.sector}")
        if self.stored is None:
            return f"{where}: missing; the records give {_shown(self.recomputed)}"
        if self.recomputed is None:
            return f"{where}: stored ({_shown(self.stored)}) but the records give none"
        return f"{where}: " + "; ".join(f"{name} is {value}, the records give {self.recomputed[name]}"
                                        for name, value in self.stored.items() if value != self.recomputed[name])


def _shown(values: dict[str, Any] | None) -> str:
    return ", ".join(f"{name} {value}" for name, value in (values or {}).items())


def _differing(stored: sa.CTE, fresh: sa.CTE, keys: list[str], values: list[str]) -> sa.Subquery:
    """The rows where two CTEs differ, in one statement (one snapshot): key columns, then stored_* and fresh_*
    values (all None on the side that has no row)."""
    def joined(a: sa.CTE, b: sa.CTE) -> sa.ColumnElement[bool]:
        return sa.and_(*(a.c[key] == b.c[key] for key in keys))

    both = [*(stored.c[v].label(f"stored_{v}") for v in values), *(fresh.c[v].label(f"fresh_{v}") for v in values)]
    kept = (sa.select(*(stored.c[key] for key in keys), *both)
            .select_from(stored.outerjoin(fresh, joined(stored, fresh)))
            .where(sa.or_(fresh.c[keys[0]].is_(None), *(stored.c[v] != fresh.c[v] for v in values))))
    missing = (sa.select(*(fresh.c[key] for key in keys), *both)
               .select_from(fresh.outerjoin(stored, joined(fresh, stored))).where(stored.c[keys[0]].is_(None)))
    return sa.union_all(kept, missing).subquery("differing")


def _values(row: sa.Row, side: str, names: list[str]) -> dict[str, Any] | None:
    values = {name: getattr(row, f"{side}_{name}") for name in names}
    if values[names[0]] is None:
        return None
    if "in_footprint" in values:
        values["in_footprint"] = bool(values["in_footprint"])  # SQLite gives 0 or 1
    return values


def verify(db: Database) -> list[Difference]:
    """Every stored summary and tally that differs from a recomputation from the raw records (missing, extra or
    with other values), naming the plan (board code and year) and provider, or the board and sector; [] when
    all is well. Each table is compared in one statement, so on PostgreSQL concurrent writers cannot mislead it."""
    table = EngagementSummary.__table__
    differing = _differing(sa.select(*(table.c[name] for name in COLUMNS)).cte("stored"),
                           _recomputed(sa.true()).cte("fresh"), COLUMNS[:2], VALUES)
    named = (sa.select(differing, HWB.code.label("board"), Plan.year, Provider.code.label("provider"))
             .join(Plan, Plan.id == differing.c.plan_id).join(HWB, HWB.id == Plan.hwb_id)
             .join(Provider, Provider.id == differing.c.provider_id))
    found = [Difference(SUMMARY, row.board, row.year, row.provider, None, _values(row, "stored", VALUES),
                        _values(row, "fresh", VALUES)) for row in db.execute(named)]
    tally = FootprintTally.__table__
    tallies = _differing(sa.select(tally).where(tally.c.providers > 0).cte("stored_tally"),
                         _tallied().cte("fresh_tally"), ["hwb_id", "sector"], ["providers"])
    found += [Difference(TALLY, row.board, sector=row.sector, stored=_values(row, "stored", ["providers"]),
                         recomputed=_values(row, "fresh", ["providers"]))
              for row in db.execute(sa.select(tallies, HWB.code.label("board"))
                                    .join(HWB, HWB.id == tallies.c.hwb_id))]
    return sorted(found, key=lambda d: (d.table != SUMMARY, d.board, d.year or "", d.provider or "", d.sector or ""))


def drift(db: Database) -> list[Difference]:
    """The differences verify finds ([] when all is well); kept for the callers that ask for drift."""
    return verify(db)


def stored_counts(db: Database) -> tuple[int, int]:
    """How many summaries and (non-zero) tallies are stored."""
    return (db.execute(sa.select(sa.func.count()).select_from(EngagementSummary.__table__)).scalar_one(),
            db.execute(sa.select(sa.func.count()).select_from(FootprintTally.__table__)
                       .where(FootprintTally.__table__.c.providers > 0)).scalar_one())


def install_upkeep() -> None:
    """Bind the flush hook that keeps summaries true and the guard against writes that bypass it (once per
    process; create_app calls it, and so must a script that writes through the domain layer without Flask)."""
    from tracker.domain import summary_upkeep

    summary_upkeep.install()
