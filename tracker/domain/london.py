"""The day in Europe/London, in which the tracker keeps the dates things were recorded on. Plain Python.

PRODUCT.md: "today" is the date in Europe/London. Evidence as at a date compares these dates with the day asked
for, so a confirmation made at 00:30 on a summer morning (23:30 the day before in UTC) counts from that morning.
(Another branch adds london_today() to tracker.domain.working_days; the two are to become one.)
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london_date(moment: datetime) -> date:
    """The London date of a moment (a timezone-aware datetime; a naive one is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON).date()


def london_today() -> date:
    """Today's date in London."""
    return london_date(datetime.now(UTC))
