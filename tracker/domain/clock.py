"""Today's date in England: the date in Europe/London (GMT in winter, BST in summer), whatever the server's own
time zone. Plain Python; tracker.web.clock adds the date pinned in the configuration for tests and demos.

Timestamps are still stored in UTC: this is only for the date that 'overdue', 'due tomorrow' and 'in the
future' are judged against, and the date a concern is raised on.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london_today(now: datetime | None = None) -> date:
    """The date in London at the instant `now` (an aware datetime; the current instant when None)."""
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime (a naive one could be in any time zone)")
    return now.astimezone(LONDON).date()
