"""Migration 0011: participation.leadership becomes nullable ("not stated"); existing rows keep their value, and the
copy of the table on SQLite keeps every participation's history (migrations/versions/0011_leadership_not_stated.py)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests import factories as make
from tests.test_history_migration import at, fresh_app, insert, old_provider
from tracker.web.extensions import db

BEFORE = "0010"  # the revision 0011 follows


def leadership_rows() -> list[tuple]:
    return [tuple(r) for r in db.session.execute(sa.text("SELECT id, leadership FROM participation ORDER BY id"))]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_existing_leadership_is_kept_and_none_becomes_possible(backend: str, tmp_path: Path) -> None:
    with fresh_app(backend, tmp_path) as application, application.app_context():
        upgrade(revision=BEFORE)
        hwb = make.make_hwb("E06000001")
        trust, care = old_provider(901, "RTR", "acute", hwb), old_provider(902, "RCO", "community", hwb)
        plan = make.make_plan(hwb)
        db.session.commit()
        insert("engagement_event", id=1, ref="EV-1", plan_id=plan.id, recorded_by="hwb", kind="meeting", depth=3,
               summary="Met", date=date(2014, 6, 2), withdrawn=False, recorded_on=date(2014, 6, 2), created_at=at(1, 9),
               updated_at=at(1, 9))
        insert("participation", id=1, event_id=1, provider_id=trust.id, status="confirmed", leadership=True)
        insert("participation", id=2, event_id=1, provider_id=care.id, status="unconfirmed", leadership=False)
        insert("participation_status_change", participation_id=1, changed_on=date(2014, 6, 2), status="confirmed",
               changed_at=at(1, 9))
        db.session.commit()
        upgrade()
        assert leadership_rows() == [(1, True), (2, False)]
        assert db.session.scalar(sa.text("SELECT count(*) FROM participation_status_change")) == 1
        db.session.execute(sa.text("UPDATE participation SET leadership = NULL WHERE id = 2"))
        db.session.commit()
        assert leadership_rows() == [(1, True), (2, None)]
        db.session.remove()
        downgrade(revision=BEFORE)  # what nobody stated reads as "no" again
        assert leadership_rows() == [(1, True), (2, False)]
        assert db.session.scalar(sa.text("SELECT count(*) FROM participation_status_change")) == 1
        db.session.remove()
        upgrade()
