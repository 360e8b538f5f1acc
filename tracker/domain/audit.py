"""Writing to the append-only audit trail. Entries are only ever added, in the caller's transaction.

Every action the code writes is named in ACTIONS with the shape of what it keeps: a record made keeps what it
holds (after), a change keeps what was and what is (before and after), and an occurrence (a sign-in, a password
reset, a bulk load) keeps who and when. tests/reliability/test_audit_trail.py makes each of them happen through
the pages, the API or the commands, and fails when the code writes an action that is not listed here, or when
one listed here is never written.

Who acted is an argument. Where the change came from travels with the unit of work: the web layer stamps each
request's session with the client's address (`stamp_origin`); a session without a stamp is the command line.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import islice
from typing import Any

from sqlalchemy.orm import Session

from tracker.models import AuditEntry, User
from tracker.models._types import utcnow

CREATED, CHANGED, HAPPENED = "created", "changed", "happened"

ACTIONS: dict[str, str] = {
    # Signing in and accounts (tracker/domain/accounts.py).
    "sign_in": HAPPENED, "sign_in_failed": HAPPENED, "password_reset": HAPPENED,
    "user_created": CREATED, "role_changed": CHANGED, "user_deactivated": CHANGED, "user_reactivated": CHANGED,
    "token_created": CREATED, "token_revoked": CHANGED,
    # People's own accounts (accounts.py, sessions.py).
    "password_changed": HAPPENED, "name_changed": CHANGED, "session_ended": CHANGED,
    # A reset link asked for by e-mail (whether or not the address has an account: tracker/domain/password_resets.py;
    # using it writes password_reset), and a person's choices of how to hear each kind of notification
    # (tracker/domain/notifications/inbox.py).
    "password_reset_requested": HAPPENED, "notification_preferences": CHANGED,
    # The thresholds and deadlines an admin sets (tracker/domain/settings.py).
    "settings_changed": CHANGED,
    # A person's data exported for a subject access request, and a person who has left anonymised
    # (tracker/domain/subject_access.py, tracker/domain/anonymise.py).
    "subject_access_exported": HAPPENED, "user_anonymised": CHANGED,
    # Engagement events and participations (tracker/domain/engagement/service.py, tracker/provider/events.py).
    "event_recorded": CREATED, "event_changed": CHANGED, "event_withdrawn": CHANGED, "evidence_uploaded": CREATED,
    "participation_confirmed": CHANGED, "participation_disputed": CHANGED,
    # An answer set back to unconfirmed because the recorder changed what it answered (engagement/corroboration.py).
    "participation_reset": CHANGED,
    # A named provider says whether its own leadership took part (engagement/answers.py).
    "participation_leadership_stated": CHANGED,
    # Concerns (tracker/domain/concerns/service.py): raised, then one action a step (concerns/rules.py).
    "concern_raised": CREATED, "concern_acknowledge": CHANGED, "concern_respond": CHANGED, "concern_reply": CHANGED,
    "concern_reopen": CHANGED, "concern_escalate": CHANGED, "concern_resolve": CHANGED,
    # Plans: a board's next year's plan started from its latest (tracker/domain/plans.py).
    "plan_started": CREATED,
    # Impact assessments, board membership, assurance reviews.
    "impact_assessment_saved": CREATED,
    "board_member_added": CREATED, "board_member_changed": CHANGED, "board_member_ended": CHANGED,
    "assurance.review": CHANGED, "assurance.peer_match": CREATED,
    # A condition of a plan's approval answered by the board, then marked met or not met by an assurer
    # (tracker/domain/reviews/conditions.py).
    "review_condition.answered": CHANGED, "review_condition.met": CHANGED, "review_condition.not_met": CHANGED,
    # Commands that load data in bulk (tracker/imports/command.py, tracker/demo/command.py), and that rebuild the
    # evidence summaries (tracker/summaries_command.py).
    "import": HAPPENED, "seed-demo": HAPPENED, "summaries_rebuilt": HAPPENED,
    # Each row an import creates or changes, with the stored values before and the file's after (record_rows).
    "import_row_created": CREATED, "import_row_changed": CHANGED,
    # Providers and boards kept by admins (tracker/domain/organisations.py), and imports run from the browser
    # (tracker/imports/jobs.py: an upload, then the import itself, recorded as "import" like the command's).
    "provider_added": CREATED, "provider_changed": CHANGED, "provider_closed": CHANGED, "provider_reopened": CHANGED,
    "board_changed": CHANGED, "import_uploaded": CREATED,
}

_ORIGIN = "audit_origin"
COMMAND_LINE, ANONYMOUS = "cli", "anonymous"


def stamp_origin(session: Session, address: str) -> None:
    """Mark the session's work as coming from a web request from this client address."""
    session.info[_ORIGIN] = address[:45]


def clear_origin(session: Session) -> None:
    """Forget the request's stamp (at the end of the request)."""
    session.info.pop(_ORIGIN, None)


def record(session: Session, action: str, entity_type: str, entity_id: object = "", *, before: Any = None,
           after: Any = None, actor: User | str | None = None) -> AuditEntry:
    """Add an audit entry to the session's transaction.

    `actor` is the user who acted, or a label (an e-mail that failed to sign in, "cli"); without one, the entry
    names the command line, or "anonymous" in a web request.
    """
    address = session.info.get(_ORIGIN)
    actor_id, label = None, COMMAND_LINE if address is None else ANONYMOUS
    if isinstance(actor, User):
        actor_id, label = actor.id, actor.email
    elif isinstance(actor, str):
        label = actor
    entry = AuditEntry(actor_id=actor_id, actor=label, action=action, entity_type=entity_type,
                       entity_id=str(entity_id), before=before, after=after, remote_addr=address or "")
    session.add(entry)
    return entry


ROWS_PER_INSERT = 5_000
_COLUMNS = ("at", "actor_id", "actor", "action", "entity_type", "entity_id", "before", "after", "remote_addr")


def record_rows(session: Session, action: str, entity_type: str, rows: Iterable[tuple[object, Any, Any]], *,
                actor: str = COMMAND_LINE) -> int:
    """Add one entry per (entity_id, before, after) to the session's transaction, all at one instant: for the many
    rows of an import (a million for the national events file), which the ORM would make too slowly. The entries
    are those `record` makes (the actor a label, the origin the session's stamp; None is SQL NULL). They go
    straight to the driver's executemany in batches, each value converted as the column's type would (the time
    once, before and after as compact JSON), which makes them several times cheaper than Core's per-row processing.
    Returns how many were written."""
    connection = session.connection()
    dialect = connection.dialect
    table = AuditEntry.__table__
    at = table.c.at.type.dialect_impl(dialect).bind_processor(dialect)
    common = (at(utcnow()) if at else utcnow(), None, actor, action, entity_type)
    address = session.info.get(_ORIGIN) or ""
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    as_json = f"CAST({mark} AS JSON)" if dialect.name == "postgresql" else mark
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in _COLUMNS)
    marks = ", ".join([mark] * 6 + [as_json] * 2 + [mark])
    statement = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})"  # noqa: S608  # nosec B608 - names from the model, values bound
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    iterator, written = iter(rows), 0
    while chunk := [(*common, str(entity_id), None if before is None else dumps(before),
                     None if after is None else dumps(after), address)
                    for entity_id, before, after in islice(iterator, ROWS_PER_INSERT)]:
        connection.exec_driver_sql(statement, chunk)
        written += len(chunk)
    return written
