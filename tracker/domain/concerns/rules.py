"""The lifecycle of a concern, in plain Python.

open -> acknowledged -> responded -> resolved, or escalated to assurers at any point before resolution.
The board acknowledges, responds and, once it has responded, may mark the concern resolved; the provider
replies, resolves, reopens a responded or resolved concern (it goes back to "acknowledged" with a new
response date: the board's answer, or its closing, did not settle it) or escalates; assurers acknowledge and
respond to confidential concerns, respond to escalated ones and may close either. A confidential concern is
never seen by the board, so the board cannot act on it.

Who owes the next step (next_step, the one rule): on a non-confidential concern the board owes the
acknowledgement while it is open and the response while it is acknowledged; on a confidential one the assurers
owe the same steps by the same dates; on an escalated one the assurers owe the response by the same response
date; once responded the provider decides (reply, reopen, escalate or resolve) and nothing is due; nothing once
resolved. A concern due today is not overdue.
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
    Action("acknowledge", "Acknowledge", frozenset({"hwb", "assurer"}), frozenset({"open"}), "acknowledged", False),
    Action("respond", "Respond", frozenset({"hwb", "assurer"}), frozenset({"open", "acknowledged", "escalated"}),
           "responded", True),
    Action("reply", "Reply", frozenset({"provider"}), frozenset({"open", "acknowledged", "responded", "escalated"}),
           None, True),
    Action("reopen", "Reopen: the response does not settle it", frozenset({"provider"}),
           frozenset({"responded", "resolved"}), "acknowledged", True),
    Action("escalate", "Escalate to assurers", frozenset({"provider"}),
           frozenset({"open", "acknowledged", "responded"}), "escalated", True),
    Action("resolve", "Mark as resolved", frozenset({"provider", "hwb", "assurer"}),
           frozenset({"open", "acknowledged", "responded", "escalated"}), "resolved", False),
)}


def allowed_actions(status: str, side: str, confidential: bool, escalated: bool = False) -> list[Action]:
    """What this side may do to a concern in this status (`escalated`: it has been escalated to assurers before,
    so the assurers may close what they answered)."""
    actions = [a for a in ACTIONS.values() if side in a.sides and status in a.from_statuses]
    if side == "assurer":
        # Assurers answer what the board cannot see or what was escalated to them; they acknowledge only what
        # the board cannot (a confidential concern) and close only what they have answered or what is theirs.
        if not (confidential or status == "escalated" or (escalated and status == "responded")):
            return []
        actions = [a for a in actions if a.name != "acknowledge" or confidential]
        actions = [a for a in actions if a.name != "resolve" or status in ("responded", "escalated")]
    if side == "hwb" and confidential:
        return []
    if side == "hwb" and status == "escalated":
        return []
    if side == "hwb":
        # The board closes only what it has answered; the provider can still reopen it.
        actions = [a for a in actions if a.name != "resolve" or status == "responded"]
    return actions


def check_action(name: str, status: str, side: str, confidential: bool, message: str,
                 escalated: bool = False) -> Action:
    """The action, or ConcernRejected saying why it cannot be taken now."""
    action = ACTIONS.get(name)
    if action is None or action not in allowed_actions(status, side, confidential, escalated):
        raise ConcernRejected("That cannot be done to this concern now")
    if action.message_required and not message.strip():
        raise ConcernRejected(f"Enter your {'reason' if name in ('escalate', 'reopen') else 'message'}", "message")
    if len(message) > 10_000:
        raise ConcernRejected("Message must be 10,000 characters or fewer", "message")
    return action


SIDES = ("hwb", "assurer", "provider")
STEPS = {"acknowledge": "Acknowledgement", "respond": "Response"}


@dataclass(frozen=True)
class NextStep:
    """Who owes the next step on a concern (hwb, assurer, provider or None), the step, by when, and whether late."""

    side: str | None
    step: str | None
    due: date | None
    overdue: bool


def next_step(status: str, confidential: bool, acknowledge_due: date, respond_due: date, today: date) -> NextStep:
    """The one rule of who owes what next: the board (its own concerns), the assurers (confidential and escalated
    ones) or the provider (deciding what to do with a response, nothing due); None once resolved."""
    answering = "assurer" if confidential else "hwb"
    if status == "open":
        side, step, due = answering, "acknowledge", acknowledge_due
    elif status == "acknowledged":
        side, step, due = answering, "respond", respond_due
    elif status == "escalated":
        side, step, due = "assurer", "respond", respond_due
    elif status == "responded":
        return NextStep("provider", "decide", None, False)
    else:
        return NextStep(None, None, None, False)
    return NextStep(side, step, due, today > due)


def due_date(status: str, acknowledge_due: date, respond_due: date) -> date | None:
    """What the board owes next on a non-confidential concern and by when, or None when nothing is due from it."""
    step = next_step(status, False, acknowledge_due, respond_due, acknowledge_due)
    return step.due if step.side == "hwb" else None


def is_overdue(status: str, acknowledge_due: date, respond_due: date, today: date) -> bool:
    """The board's step on a non-confidential concern is past its due date (a concern due today is not overdue)."""
    due = due_date(status, acknowledge_due, respond_due)
    return due is not None and today > due


OWED_STEPS = {"open": "Acknowledgement", "acknowledged": "Response"}


@dataclass(frozen=True)
class Owed:
    """What the board owes on a concern: the step, by when, and whether that date has passed."""

    step: str | None
    due: date | None
    overdue: bool


def board_owes(status: str, acknowledge_due: date, respond_due: date, today: date, confidential: bool = False) -> Owed:
    """The step the board owes now (none once the concern is responded, escalated or resolved, nor ever on a
    confidential one): next_step's answer when it names the board."""
    step = next_step(status, confidential, acknowledge_due, respond_due, today)
    if step.side != "hwb":
        return Owed(None, None, False)
    return Owed(STEPS[step.step], step.due, step.overdue)


def step_action(from_status: str | None, to_status: str) -> str:
    """The action a recorded step was (the history keeps the statuses): raise, reply, acknowledge, reopen, respond,
    escalate or resolve."""
    if from_status is None:
        return "raise"
    if from_status == to_status:
        return "reply"
    if to_status == "acknowledged":
        return "acknowledge" if from_status == "open" else "reopen"
    return {"responded": "respond", "escalated": "escalate", "resolved": "resolve"}.get(to_status, to_status)
