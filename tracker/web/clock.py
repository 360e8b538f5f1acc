"""Today's date for the figures: the date in London, unless TODAY is set in the configuration (tests,
demonstrations)."""
from __future__ import annotations

from datetime import date

from flask import current_app

from tracker.domain.clock import london_today


def today() -> date:
    """The date that 'overdue' and 'in the future' are judged against."""
    pinned = current_app.config.get("TODAY")
    if isinstance(pinned, date):
        return pinned
    if isinstance(pinned, str) and pinned:
        return date.fromisoformat(pinned)
    return london_today()
