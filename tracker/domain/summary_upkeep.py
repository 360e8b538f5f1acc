"""The one mechanism that keeps the engagement summaries and footprint tallies true (see tracker/domain/summaries.py):
an ORM flush hook, and a guard that refuses the write statements that would bypass it.

The hook notes before each flush what the flush touches (the ORM knows it only then) and, after it, recomputes
on the flush's own connection and transaction: the (plan, provider) summaries of the events and participations
written; the sector and footprint copies of the summaries of a provider whose sector or footprint changed, and
of a plan whose board changed; the tallies of the boards whose footprint providers changed.

The guard: an INSERT, UPDATE or DELETE statement on a watched table raises SummaryUpkeepBypassed unless it is
part of an ORM flush or sent inside summaries.bulk_write. Statements sent through a session are refused before
the ORM does any work (do_orm_execute); those sent on a connection, at the engine (before_execute). A flush is
recognised by a context variable set in before_flush and cleared after it, or on the rollback that ends a
failed one. Each check begins with an isinstance test, so reads pay one call and nothing more.
"""
from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import ORMExecuteState, Session

from tracker.domain import summaries
from tracker.domain.summaries import SummaryUpkeepBypassed
from tracker.models import HWB, EngagementEvent, Participation, Plan, Provider, provider_footprint

PENDING = "summary_upkeep"  # session.info key: what the flushes since the last upkeep touched
_flushing: ContextVar[Session | None] = ContextVar("summary_upkeep_flushing", default=None)


@dataclass(slots=True)
class Touched:
    """What flushes touched, as objects where new rows have no id yet."""

    events: set[EngagementEvent] = field(default_factory=set)  # events whose counted participations may change
    event_ids: set[int] = field(default_factory=set)  # the same, known by id only
    plans: set[int] = field(default_factory=set)  # plans an event moved away from
    providers: set[int] = field(default_factory=set)  # providers whose participation was removed or moved
    moved: set[Plan] = field(default_factory=set)  # plans whose board changed
    changed: set[Provider] = field(default_factory=set)  # providers new, or whose sector or footprint changed
    boards: set[HWB | int] = field(default_factory=set)  # boards that gained or lost a footprint provider


def _changes(obj: object, name: str) -> bool:
    return sa.inspect(obj).attrs[name].history.has_changes()


def _note(session: Session, obj: object, touched: Touched, deleted: bool) -> None:
    """Note what writing obj may change."""
    if isinstance(obj, Participation):
        if obj.event is not None:
            touched.events.add(obj.event)
        elif obj.event_id is not None:
            touched.event_ids.add(obj.event_id)
        history = sa.inspect(obj).attrs.provider_id.history
        touched.providers.update(pid for pid in (history.deleted or ()) if pid is not None)
        if deleted and obj.provider_id is not None:
            touched.providers.add(obj.provider_id)
    elif isinstance(obj, EngagementEvent):
        touched.events.add(obj)
        state = sa.inspect(obj)
        touched.plans.update(pid for pid in (state.attrs.plan_id.history.deleted or ()) if pid)
        if deleted:  # after the flush it cannot be found: its plan now
            touched.plans.add(obj.plan_id)
        # Participations taken out of the collection are deleted as orphans later in the flush.
        touched.providers.update(p.provider_id for p in (state.attrs.participations.history.deleted or ())
                                 if p.provider_id is not None)
    elif isinstance(obj, Provider):
        footprint = sa.inspect(obj).attrs.footprint.history
        if deleted:  # its footprint rows go with it: the boards it served, read while they are there
            pf = provider_footprint
            touched.boards.update(session.connection().execute(
                sa.select(pf.c.hwb_id).where(pf.c.provider_id == sa.inspect(obj).identity[0])).scalars())
            touched.boards.update(footprint.deleted or ())
        elif sa.inspect(obj).pending or footprint.has_changes() or _changes(obj, "sector"):
            touched.changed.add(obj)
            touched.boards.update(footprint.added or ())
            touched.boards.update(footprint.deleted or ())
    elif isinstance(obj, HWB) and not deleted:
        providers = sa.inspect(obj).attrs.providers.history
        if providers.has_changes():
            touched.changed.update((*(providers.added or ()), *(providers.deleted or ())))
            touched.boards.add(obj)
    elif isinstance(obj, Plan) and not deleted and not sa.inspect(obj).pending and _changes(obj, "hwb_id"):
        touched.moved.add(obj)


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    """Before a flush: mark the flush as under way (for the guard) and note what it touches."""
    _flushing.set(session)
    touched = session.info.get(PENDING) or Touched()
    for obj in (*session.new, *session.dirty):
        _note(session, obj, touched, deleted=False)
    for obj in session.deleted:
        _note(session, obj, touched, deleted=True)
    if touched.events or touched.event_ids or touched.moved or touched.changed or touched.boards:
        session.info[PENDING] = touched


def _after_flush(session: Session, _context: object) -> None:
    """After a flush: recompute what it touched on the same connection and transaction."""
    if _flushing.get() is session:
        _flushing.set(None)
    touched: Touched | None = session.info.pop(PENDING, None)
    if touched is None:
        return
    connection = session.connection()
    event_ids, plans, providers = set(touched.event_ids), set(touched.plans), set(touched.providers)
    event_ids.update(e.id for e in touched.events if e.id is not None)
    if event_ids:
        for plan_id, provider_id in connection.execute(
                sa.select(EngagementEvent.plan_id, Participation.provider_id)
                .outerjoin(Participation, Participation.event_id == EngagementEvent.id)
                .where(EngagementEvent.id.in_(event_ids))):
            plans.add(plan_id)
            if provider_id is not None:
                providers.add(provider_id)
    scope = summaries.Scope(pairs={(plan, provider) for plan in plans for provider in providers},
                            plans={plan.id for plan in touched.moved},
                            providers={p.id for p in touched.changed if p.id is not None},
                            boards={b if isinstance(b, int) else b.id for b in touched.boards} - {None})
    summaries.refresh(connection, scope)


def _after_rollback(session: Session, _previous: object) -> None:
    """A rollback ends a failed flush (and undoes what earlier flushes noted but did not write)."""
    if _flushing.get() is session:
        _flushing.set(None)
    session.info.pop(PENDING, None)


def _permitted() -> bool:
    if summaries.bulk_writing():
        return True
    session = _flushing.get()
    # A flush with nothing to write returns without after_flush_postexec: check that it is still under way.
    return session is not None and session._flushing  # noqa: SLF001 - the ORM's own flag, the one sure sign


def _check(statement: sa.UpdateBase) -> None:
    name = getattr(statement.table, "name", None)
    if name in summaries.WATCHED and not _permitted():
        verb = type(statement).__name__.upper()
        raise SummaryUpkeepBypassed(
            f"{verb} on {name} outside an ORM flush would leave the engagement summaries and footprint tallies "
            f"wrong: write through the ORM, or inside `with tracker.domain.summaries.bulk_write(session, "
            f"plans=..., providers=..., boards=...)`, which recomputes what it declares")


def _guard_session(state: ORMExecuteState) -> None:
    if isinstance(state.statement, sa.UpdateBase):
        _check(state.statement)


def _guard_connection(_connection: Any, statement: Any, *_args: Any) -> None:
    if isinstance(statement, sa.UpdateBase):
        _check(statement)


def install() -> None:
    """Listen on every Session and every Engine (once per process)."""
    if sa.event.contains(Session, "before_flush", _before_flush):
        return
    sa.event.listen(Session, "before_flush", _before_flush)
    sa.event.listen(Session, "after_flush_postexec", _after_flush)
    sa.event.listen(Session, "after_soft_rollback", _after_rollback)
    sa.event.listen(Session, "do_orm_execute", _guard_session)
    sa.event.listen(sa.Engine, "before_execute", _guard_connection)
