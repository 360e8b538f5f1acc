"""Notifications: who hears what (kinds, recipients, wording), queued in the caller's transaction; the reminders
and daily digests the sender finds from the data; and sending each message exactly once (delivery.py).
"""
from tracker.domain.notifications.queue import queue
from tracker.domain.notifications.triggers import (
    concern_raised,
    concern_step,
    condition_answered,
    condition_met,
    condition_set,
    event_recorded,
    review_recorded,
)

__all__ = ["concern_raised", "concern_step", "condition_answered", "condition_met", "condition_set",
           "event_recorded", "queue", "review_recorded"]
