"""Working days for concern due dates: Monday to Friday except England's bank holidays. Plain Python.

The bank holidays come from the `holidays` package (GB, subdivision ENG), which includes the substitute days
GOV.UK publishes (Boxing Day 2015 on Monday 28 December) and the one-off ones (the early May bank holiday
moved to Friday 8 May 2020, the Platinum Jubilee on 3 June 2022, the State Funeral on 19 September 2022, the
Coronation on 8 May 2023). Each year's dates are worked out once and kept.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=256)
def bank_holidays(year: int) -> frozenset[date]:
    """England's bank holidays in `year`, with the substitute days for those that fall at a weekend."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a bank holiday in England."""
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (the start day itself is not counted, whatever it is)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def due_dates(raised: date, acknowledge_days: int, respond_days: int) -> tuple[date, date]:
    """When a concern raised on `raised` must be acknowledged and answered."""
    return add_working_days(raised, acknowledge_days), add_working_days(raised, respond_days)
