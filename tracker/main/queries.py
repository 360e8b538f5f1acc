"""Read-only queries for the start page."""
from __future__ import annotations

import sqlalchemy as sa

from tracker.models import HWB, EngagementEvent, Plan, Provider
from tracker.web.extensions import db


def start_page_counts() -> dict[str, int]:
    """How many boards, plans, providers and events the tracker holds, in one query."""
    row = db.session.execute(
        sa.select(
            sa.select(sa.func.count()).select_from(HWB).scalar_subquery(),
            sa.select(sa.func.count()).select_from(Plan).scalar_subquery(),
            sa.select(sa.func.count()).select_from(Provider).scalar_subquery(),
            sa.select(sa.func.count()).select_from(EngagementEvent).scalar_subquery(),
        )
    ).one()
    return dict(zip(("boards", "plans", "providers", "events"), row, strict=True))
