"""Fixtures for the provider workspace: two boards, providers serving them, a plan each, a user per part."""
from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa

from tests.factories import make_hwb, make_plan, make_provider, make_user
from tracker.models import AuditEntry
from tracker.web.extensions import db

TODAY = date(2014, 10, 1)  # a Wednesday


@pytest.fixture
def scene(app, app_ctx) -> Iterator[SimpleNamespace]:
    """Board IN (north) served by RME (us) and RPART; board OUT (london) served by RSTR; today pinned."""
    app.config["TODAY"] = TODAY
    hwb = make_hwb("E06000047", region="north", name="County Durham")
    other_hwb = make_hwb("E09000002", region="london", name="Barking and Dagenham")
    me = make_provider("acute", footprint=[hwb], code="RME")
    partner = make_provider("community", footprint=[hwb], code="RPART")
    stranger = make_provider("housing", footprint=[other_hwb], code="RSTR")
    plan, other_plan = make_plan(hwb), make_plan(other_hwb)
    users = {
        "user": make_user("provider", "me@rme.example.org", provider=me),
        "partner_user": make_user("provider", provider=partner),
        "stranger_user": make_user("provider", provider=stranger),
        "hwb_user": make_user("hwb", hwb=hwb),
        "other_hwb_user": make_user("hwb", hwb=other_hwb),
        "assurer": make_user("assurer"),
        "regional": make_user("assurer", region="london"),
        "admin": make_user("admin"),
    }
    db.session.commit()
    yield SimpleNamespace(hwb=hwb, other_hwb=other_hwb, me=me, partner=partner, stranger=stranger, plan=plan,
                          other_plan=other_plan, base=f"/provider/plans/{hwb.code}/2015-16",
                          other_base=f"/provider/plans/{other_hwb.code}/2015-16", **users)
    app.config.pop("TODAY", None)


def audit_actions() -> list[str]:
    """Every audit entry's action, oldest first."""
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def count(model: Any) -> int:
    """Rows in a table."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def event_form(**changes: Any) -> dict[str, Any]:
    """A valid record-event form, with a fresh one-time submission token."""
    data: dict[str, Any] = {
        "date[day]": "12", "date[month]": "6", "date[year]": "2014", "kind": "workshop", "depth": "3",
        "topics": ["schemes", "acute_impact"], "leadership": "yes", "others": ["RPART"],
        "summary": "Workshop on the discharge schemes", "evidence_url": "https://example.org/minutes.pdf",
        "submission": secrets.token_hex(16),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}
