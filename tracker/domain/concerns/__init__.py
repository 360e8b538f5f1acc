"""Concerns raised by providers: the lifecycle rules (plain Python) and the service that applies them."""
from tracker.domain.concerns.rules import (
    ACTIONS,
    ConcernRejected,
    Owed,
    allowed_actions,
    board_owes,
    due_date,
    is_overdue,
)
from tracker.domain.concerns.service import ConcernInput, raise_concern, take_action

__all__ = ["ACTIONS", "ConcernInput", "ConcernRejected", "Owed", "allowed_actions", "board_owes", "due_date", "is_overdue",
           "raise_concern", "take_action"]
