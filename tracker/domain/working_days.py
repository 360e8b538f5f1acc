"""Working days (Monday to Friday) for concern due dates. Plain Python."""
from __future__ import annotations

from datetime import date, timedelta


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (Monday–Friday; the start day itself is not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def due_dates(raised: date, acknowledge_days: int, respond_days: int) -> tuple[date, date]:
    """When a concern raised on `raised` must be acknowledged and answered."""
    return add_working_days(raised, acknowledge_days), add_working_days(raised, respond_days)
