"""The history that evidence as at a date reads, kept by whoever writes through the ORM.

The domain's writers date what they record with the day they are given (tracker.domain.engagement.service and
the others take `today`); Core bulk writers (imports, demo data) write their history themselves. The flush hook
here (install_history, bound in create_app) fills in what a writer left out, with the London date of the
moment: a participation recorded or given a new status with no history row for it in the same flush, a withdrawn
event without a withdrawal date, a concern step without the date it counts from. So the invariant holds for every
writer: a participation's latest history row gives its current status (drift() lists any that breaks it).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain.clock import london_today
from tracker.models import ConcernStep, EngagementEvent, Participation, ParticipationStatusChange
from tracker.models._types import utcnow

H = ParticipationStatusChange


def note_status(session: Session, participation: Participation, on: date, status: str | None = None) -> None:
    """Add the history row of the participation's status (given, or its own) from the date `on`."""
    session.add(H(participation=participation, changed_on=on, status=status or participation.status or "unconfirmed"))


def note_imported_statuses(session: Session, event_ids: Sequence[int] | None, *, unnoted_only: bool = False) -> None:
    """For bulk writers: the first history row of each participation of these events (of every event when None),
    its status from its event's date on, as PRODUCT.md takes an imported row; `unnoted_only` leaves out the
    participations that have a row already. One INSERT … SELECT (a few for many events)."""
    table, history, events = Participation.__table__, H.__table__, EngagementEvent.__table__
    rows = (sa.select(table.c.id, events.c.date, sa.literal(utcnow(), type_=history.c.changed_at.type), table.c.status)
            .join(events, events.c.id == table.c.event_id).order_by(table.c.id))
    if unnoted_only:
        rows = rows.where(~sa.exists().where(history.c.participation_id == table.c.id))
    columns = ["participation_id", "changed_on", "changed_at", "status"]
    chunks = [None] if event_ids is None else [event_ids[i:i + 5_000] for i in range(0, len(event_ids), 5_000)]
    for chunk in chunks:
        chosen = rows if chunk is None else rows.where(table.c.event_id.in_(chunk))
        session.execute(sa.insert(history).from_select(columns, chosen))


def _status_is_new(session: Session, participation: Participation) -> bool:
    """Whether this flush records the participation or changes its status."""
    return participation in session.new or sa.inspect(participation).attrs.status.history.has_changes()


def _keep_history(session: Session, _context: object, _instances: object) -> None:
    """Before a flush: add what the writers left out (see the module's docstring)."""
    noted = {id(row.participation) for row in session.new if isinstance(row, H)}
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Participation):
            if id(obj) not in noted and _status_is_new(session, obj):
                note_status(session, obj, london_today())
        elif isinstance(obj, EngagementEvent):
            if obj.withdrawn and obj.withdrawn_on is None:
                obj.withdrawn_on = london_today()
            elif obj.withdrawn is False and obj.withdrawn_on is not None:
                obj.withdrawn_on = None
        elif isinstance(obj, ConcernStep) and obj.taken_on is None:
            obj.taken_on = london_today(obj.at)  # the London date of its time (now, when not set yet)


def install_history() -> None:
    """Keep the history on every ORM flush (once per process)."""
    if not sa.event.contains(Session, "before_flush", _keep_history):
        sa.event.listen(Session, "before_flush", _keep_history)


def drift(session: Session) -> list[tuple[int, str, str | None]]:
    """Participations whose latest history row does not give their status: (id, status, the row's status or None)."""
    latest = (sa.select(H.status).where(H.participation_id == Participation.id).order_by(H.id.desc()).limit(1)
              .scalar_subquery())
    rows = session.execute(sa.select(Participation.id, Participation.status, latest.label("noted"))
                           .order_by(Participation.id)).all()
    return [(pid, status, noted) for pid, status, noted in rows if noted != status]
