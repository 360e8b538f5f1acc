"""Each provider answers for itself: the other side confirms or disputes a participation, and a named provider
states whether its own leadership took part. One set of rules for the provider's and the board's pages and the API.

Who answers (tracker.domain.scope.can_set_participation_status): the board for an event a provider recorded, each
named provider for its own participation in an event the board recorded. A provider named in another provider's
event cannot confirm it (the board does) but states its own leadership, which no one else may state for it: the
recorder's value is "not stated" (None) until it does, and a provider's own statement replaces the board's view.
An answer may be given again (a confirmation may become a dispute); a withdrawn event is not answered.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import audit, scope
from tracker.domain.clock import london_today
from tracker.domain.engagement.service import EventRejected, set_participation_status
from tracker.domain.formatting import format_date
from tracker.models import EngagementEvent, Participation, ParticipationStatusChange, User

NOTE_REQUIRED = "Enter why you dispute it"
WITHDRAWN = "The event was withdrawn, so there is nothing to answer"


class NotYours(PermissionError):
    """The user's side does not answer for this participation."""


def may_answer(user: User, participation: Participation) -> bool:
    """Whether the user confirms or disputes this participation (the other side of its event)."""
    return scope.can_set_participation_status(user, participation)


def may_state_leadership(user: User, participation: Participation) -> bool:
    """Whether the user states this participation's leadership as its provider's own word: the named provider's
    users, in an event they did not record (the recorder states its own when it records or edits the event)."""
    return (user.role == "provider" and participation.provider_id == user.provider_id
            and participation.event.recorded_by_provider_id != user.provider_id)


def waiting_on_provider(provider_id: int) -> sa.ColumnElement[bool]:
    """A condition on Participation joined to its EngagementEvent: the provider's participations that wait for it
    (the same rule as `waits_for`): its answer to the board's event, or its leadership in another provider's."""
    return sa.and_(
        Participation.provider_id == provider_id, EngagementEvent.withdrawn.is_(False),
        sa.or_(sa.and_(EngagementEvent.recorded_by == "hwb", Participation.status == "unconfirmed"),
               sa.and_(EngagementEvent.recorded_by == "provider",
                       EngagementEvent.recorded_by_provider_id != provider_id, Participation.leadership.is_(None))))


def waits_for(participation: Participation | None, provider_id: int | None) -> str:
    """What the participation waits for from the provider: "answer" (confirm or dispute the board's event),
    "leadership" (say whether its leadership took part in another provider's), or "" (nothing)."""
    if participation is None or participation.provider_id != provider_id or participation.event.withdrawn:
        return ""
    event = participation.event
    if event.recorded_by == "hwb":
        return "answer" if participation.status == "unconfirmed" else ""
    if event.recorded_by_provider_id != provider_id and participation.leadership is None:
        return "leadership"
    return ""


def answer_problems(participation: Participation, status: str | None, note: str) -> dict[str, str]:
    """What is wrong with an answer (field -> message); empty when it can be given."""
    if participation.event.withdrawn:
        return {"status": WITHDRAWN}
    if status not in ("confirmed", "disputed"):
        return {"status": "Select whether you confirm or dispute the event"}
    if status == "disputed" and not note.strip():
        return {"note": NOTE_REQUIRED}
    if len(note) > 2000:
        return {"note": "Note must be 2,000 characters or fewer"}
    return {}


def answer(session: Session, user: User, participation: Participation, status: str, note: str = "", *,
           leadership: bool | None = None, today: date | None = None) -> None:
    """Confirm or dispute a participation as the other side, audited; a note is required to dispute and kept only
    then. A provider answering for itself may state its leadership too (None leaves it as it is)."""
    if not may_answer(user, participation):
        raise NotYours("Only the other side of the event answers for this participation")
    problems = answer_problems(participation, status, note)
    if problems:
        raise EventRejected(problems)
    set_participation_status(session, user, participation, status, note if status == "disputed" else "",
                             today=today or london_today())
    if leadership is not None and may_state_leadership(user, participation):
        state_leadership(session, user, participation, leadership)


def state_leadership(session: Session, user: User, participation: Participation, leadership: bool) -> None:
    """The named provider says whether its own leadership took part; its word replaces what the recorder gave."""
    if not may_state_leadership(user, participation):
        raise NotYours("Only the provider named states its own leadership")
    if participation.event.withdrawn:
        raise EventRejected({"leadership": WITHDRAWN})
    if participation.leadership is leadership:
        return
    before = {"leadership": participation.leadership}
    participation.leadership = leadership
    audit.record(session, "participation_leadership_stated", "participation", participation.id, before=before,
                 after={"leadership": leadership, "event_ref": participation.event.ref}, actor=user)


def answered_on(session: Session, participation: Participation) -> date | None:
    """The London date the participation's current answer holds from (its latest status change), or None."""
    return session.scalar(sa.select(ParticipationStatusChange.changed_on)
                          .where(ParticipationStatusChange.participation_id == participation.id)
                          .order_by(ParticipationStatusChange.id.desc()).limit(1))


def answered_line(session: Session, participation: Participation, reader: User, answerer_name: str) -> str:
    """What happened to the participation's answer, for the reader: "You confirmed this on 3 March 2015", "The
    board disputed this on …"; "" while it waits. `answerer_name` names the other side when the reader is not it."""
    if participation.status not in ("confirmed", "disputed"):
        return ""
    who = "You" if may_answer(reader, participation) else answerer_name
    on = answered_on(session, participation)
    return f"{who} {participation.status} this" + (f" on {format_date(on)}" if on else "")
