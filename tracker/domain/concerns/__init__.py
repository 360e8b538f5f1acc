"""Concerns raised by providers: the lifecycle rules (plain Python) and the service that applies them."""
from tracker.domain.concerns.rules import (
    ACTIONS,
    ConcernRejected,
    NextStep,
    Owed,
    allowed_actions,
    board_owes,
    due_date,
    is_overdue,
    next_step,
    step_action,
)
from tracker.domain.concerns.service import (
    ConcernInput,
    actions_for,
    owed,
    raise_concern,
    side_of,
    take_action,
    was_escalated,
)

__all__ = ["ACTIONS", "ConcernInput", "ConcernRejected", "NextStep", "Owed", "actions_for", "allowed_actions",
           "board_owes", "due_date", "is_overdue", "next_step", "owed", "raise_concern", "side_of", "step_action",
           "take_action", "was_escalated"]
