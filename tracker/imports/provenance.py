"""What people did in the tracker since a row was last imported, which a re-import keeps and reports.

A re-import never overwrites a change people made in the tracker since that record was last imported, unless run
with --overwrite; each kept row is reported as `line N: kept … in the tracker on DATE by WHO; use --overwrite to
replace it`. How each kind knows (no record needs more than one new column, migration 0009):

* an event: `engagement_event.changed_in_tracker_at`, set by the engagement service when people record, change or
  withdraw it, and cleared by an import that overwrites it; who did it is in the audit trail;
* a participation: its answer (confirmed or disputed) was given in the tracker when `status_changed_by_id` names a
  person (an import leaves it empty);
* a concern: its last step is a person's (`concern_step.actor_side` is not 'import');
* an impact assessment: its current version was saved in the tracker (`created_by_id` names a person).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain.clock import london_today
from tracker.imports.store import batches
from tracker.models import AuditEntry, User

# The actions by which people record, change or withdraw an event in the tracker.
EVENT_ACTIONS = ("event_recorded", "event_changed", "event_withdrawn")


@dataclass(frozen=True, slots=True)
class Kept:
    """One row of the file whose change was not made, because people changed that record in the tracker."""

    line: int
    what: str  # "the dispute recorded", "the changes to event EV-1 made", ...
    at: datetime | None
    user_id: int | None = None  # who, when the record names them
    event_ref: str | None = None  # who, from the audit trail of this event, otherwise
    detail: str = ""  # appended after who, e.g. " (the file changes its depth)"
    them: bool = False  # "replace them" rather than "replace it"


def report(session: Session, kept: Iterable[Kept]) -> list[tuple[int, str]]:
    """(line, message) for each kept row, with who did it read in two queries at most."""
    kept = list(kept)
    emails = _emails(session, {k.user_id for k in kept if k.user_id is not None})
    actors = _event_actors(session, {k.event_ref for k in kept if k.user_id is None and k.event_ref})
    lines = []
    for k in kept:
        who = emails.get(k.user_id, "someone") if k.user_id is not None else actors.get(k.event_ref, "someone")
        day = london_today(k.at).isoformat() if k.at is not None else "an unknown date"
        lines.append((k.line, f"line {k.line}: kept {k.what} in the tracker on {day} by {who}{k.detail}; "
                              f"use --overwrite to replace {'them' if k.them else 'it'}"))
    return lines


def _emails(session: Session, ids: set[int]) -> dict[int, str]:
    """E-mail addresses by user id."""
    found: dict[int, str] = {}
    for chunk in batches(ids):
        found.update(session.execute(sa.select(User.id, User.email).where(User.id.in_(chunk))).tuples().all())
    return found


def _event_actors(session: Session, refs: set[str]) -> dict[str, str]:
    """Who last recorded, changed or withdrew each event in the tracker, from the audit trail."""
    found: dict[str, str] = {}
    for chunk in batches(refs):
        query = (sa.select(AuditEntry.entity_id, AuditEntry.actor)
                 .where(AuditEntry.entity_type == "engagement_event", AuditEntry.entity_id.in_(chunk),
                        AuditEntry.action.in_(EVENT_ACTIONS))
                 .order_by(AuditEntry.id))
        found.update(session.execute(query).tuples().all())  # the last entry of each event wins
    return found
