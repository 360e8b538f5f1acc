"""The lifecycle of a concern, in plain Python.

open -> acknowledged -> responded -> resolved, or escalated to assurers at any point before resolution.
The board acknowledges, responds and, once it has responded, may mark the concern resolved; the provider
replies, resolves, reopens a responded or resolved concern (it goes back to "acknowledged" with a new
response date: the board's answer, or its closing, did not settle it) or escalates; assurers respond to
confidential and escalated concerns. A confidential concern is never seen by the board, so the board cannot
act on it.

What is due from the board: acknowledgement while the concern is open, a response while it is
acknowledged; nothing once it is responded, escalated (the assurers' hands) or resolved. A concern due
today is not overdue.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


class ConcernRejected(ValueError):
    """The action cannot be taken; `field` names the input at fault."""

    def __init__(self, message: str, field: str = "action") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Action:
    """One thing someone can do to a concern."""

    name: str
    label: str
    sides: frozenset[str]  # provider, hwb, assurer
    from_statuses: frozenset[str]
    to_status: str | None  # None keeps the status (a reply)
    message_required: bool


ACTIONS: dict[str, Action] = {a.name: a for a in (
    Action("acknowledge", "Acknowledge", frozenset({"hwb"}), frozenset({"open"}), "acknowledged", False),
    Action("respond", "Respond", frozenset({"hwb", "assurer"}), frozenset({"open", "acknowledged", "escalated"}),
           "responded", True),
    Action("reply", "Reply", frozenset({"provider"}), frozenset({"open", "acknowledged", "responded", "escalated"}),
           None, True),
    Action("reopen", "Reopen: the response does not settle it", frozenset({"provider"}),
           frozenset({"responded", "resolved"}), "acknowledged", True),
    Action("escalate", "Escalate to assurers", frozenset({"provider"}),
           frozenset({"open", "acknowledged", "responded"}), "escalated", True),
    Action("resolve", "Mark as resolved", frozenset({"provider", "hwb"}),
           frozenset({"open", "acknowledged", "responded", "escalated"}), "resolved", False),
)}


def allowed_actions(status: str, side: str, confidential: bool) -> list[Action]:
    """What this side may do to a concern in this status."""
    actions = [a for a in ACTIONS.values() if side in a.sides and status in a.from_statuses]
    if side == "assurer":
        # Assurers answer what the board cannot see or what was escalated to them.
        actions = [a for a in actions if confidential or status == "escalated"]
    if side == "hwb" and confidential:
        return []
    if side == "hwb" and status == "escalated":
        return []
    if side == "hwb":
        # The board closes only what it has answered; the provider can still reopen it.
        actions = [a for a in actions if a.name != "resolve" or status == "responded"]
    return actions


def check_action(name: str, status: str, side: str, confidential: bool, message: str) -> Action:
    """The action, or ConcernRejected saying why it cannot be taken now."""
    action = ACTIONS.get(name)
    if action is None or action not in allowed_actions(status, side, confidential):
        raise ConcernRejected("That cannot be done to this concern now")
    if action.message_required and not message.strip():
        raise ConcernRejected(f"Enter your {'reason' if name in ('escalate', 'reopen') else 'message'}", "message")
    if len(message) > 10_000:
        raise ConcernRejected("Message must be 10,000 characters or fewer", "message")
    return action


def due_date(status: str, acknowledge_due: date, respond_due: date) -> date | None:
    """What the board owes next and by when, or None when nothing is due from it."""
    if status == "open":
        return acknowledge_due
    if status == "acknowledged":
        return respond_due
    return None


def is_overdue(status: str, acknowledge_due: date, respond_due: date, today: date) -> bool:
    """Past its due date (a concern due today is not overdue)."""
    due = due_date(status, acknowledge_due, respond_due)
    return due is not None and today > due


OWED_STEPS = {"open": "Acknowledgement", "acknowledged": "Response"}


@dataclass(frozen=True)
class Owed:
    """What the board owes on a concern: the step, by when, and whether that date has passed."""

    step: str | None
    due: date | None
    overdue: bool


def board_owes(status: str, acknowledge_due: date, respond_due: date, today: date) -> Owed:
    """The step the board owes now (none once the concern is responded, escalated or resolved)."""
    return Owed(OWED_STEPS.get(status), due_date(status, acknowledge_due, respond_due),
                is_overdue(status, acknowledge_due, respond_due, today))
