"""Corroboration that cannot be gamed: what the other side confirmed of a participation, and asking again when it
changes.

The other side confirms (or disputes) one participation: that this provider took part, with or without its
leadership, in an event of this date, kind and depth, on this plan, recorded by this side. When the recording side
changes any of that, the answer no longer answers what is recorded, so it goes back to unconfirmed and the other
side is asked again (audited as `participation_reset`). Wording (the summary), topics and the evidence link are
the recorder's own account and change no answer. An import that would change what an answer given in the tracker
answered keeps the tracker's values instead (tracker/imports/events.py), unless told to overwrite.

`confirmed_changes` is the one rule; the service (service.py) and the events import use it.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.models import EngagementEvent, Participation, User
from tracker.models._types import utcnow

# The event's fields an answer covers (stored names), with the word the audit trail and the import's report use.
EVENT_FACTS: dict[str, str] = {"plan_id": "plan", "recorded_by": "recorder", "recorded_by_provider_id": "recorder",
                               "date": "date", "kind": "kind", "depth": "depth"}
ANSWERED = ("confirmed", "disputed")


def facts(event: EngagementEvent | Mapping[str, Any], leadership: bool | None = None) -> dict[str, Any]:
    """What an answer about one participation in the event covers: the event's facts, and the participation's
    leadership when given. `event` is a record or a mapping of its stored fields (an import's row)."""
    get = event.get if isinstance(event, Mapping) else lambda name: getattr(event, name)
    found = {name: get(name) for name in EVENT_FACTS}
    if leadership is not None:
        found["leadership"] = leadership
    return found


def confirmed_changes(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[str]:
    """What changed among the things the other side confirmed or disputed, in words (`date`, `kind`, `depth`,
    `plan`, `recorder`, `leadership`); `["participant"]` when the participation is new (`before` is None). Empty:
    the answer still answers what is recorded. Compares the keys both sides give (see `facts`)."""
    if before is None:
        return ["participant"]
    words = {**EVENT_FACTS, "leadership": "leadership"}
    return list(dict.fromkeys(words[name] for name in words
                              if name in before and name in after and before[name] != after[name]))


def is_answered(status: str) -> bool:
    """Whether the other side has confirmed or disputed (an unconfirmed participation has nothing to lose)."""
    return status in ANSWERED


def ask_again(session: Session, user: User, participation: Participation, reasons: list[str]) -> None:
    """Set an answered participation back to unconfirmed because `reasons` changed; the other side is asked again
    (it waits for their answer once more) and the audit trail keeps what the answer was and why it went."""
    before = {"status": participation.status, "note": participation.status_note}
    participation.status, participation.status_note = "unconfirmed", ""
    participation.status_changed_at, participation.status_changed_by_id = utcnow(), user.id
    audit.record(session, "participation_reset", "participation", participation.id, before=before,
                 after={"status": "unconfirmed", "note": "", "event_ref": participation.event.ref,
                        "reasons": reasons}, actor=user)


def asked_again_message(recorded_by: str, reset: int) -> str:
    """What the recorder is told after an edit that set `reset` answers back to unconfirmed ("" when none): the
    board answers for events a provider recorded, each named provider for the board's own."""
    if not reset:
        return ""
    if recorded_by == "provider":
        return "The board will be asked to confirm again."
    return f"{reset} provider{'s' if reset != 1 else ''} will be asked to confirm again."
