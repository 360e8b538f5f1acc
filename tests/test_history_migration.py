"""Migration 0008 fills the history of existing rows: imported ones on their own dates, the tracker's own on the
London dates of their timestamps and of the audit trail's entries (migrations/versions/0008_evidence_history.py)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from tests import factories as make
from tests.conftest import make_test_app, new_postgres_database
from tracker.domain.evidence import load_thresholds, plan_evidence
from tracker.web.extensions import db

BEFORE = "0007"  # the revision before the history


def at(day: int, hour: int, month: int = 9) -> datetime:
    return datetime(2014, month, day, hour, 30, tzinfo=UTC)


@contextmanager
def fresh_app(backend: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on a new, empty database of the backend."""
    if backend == "sqlite":
        yield make_test_app(f"sqlite:///{tmp_path / 'migrated.sqlite'}", tmp_path)
        return
    with new_postgres_database("tracker_migration") as url:
        application = make_test_app(url, tmp_path)
        try:
            yield application
        finally:
            with application.app_context():
                db.engine.dispose()


def insert(table: str, **values: object) -> None:
    """One row in plain SQL (the summaries' guard inspects only built statements), each value typed."""
    def kind(value: object) -> sa.types.TypeEngine:
        if isinstance(value, dict):
            return sa.JSON()
        if isinstance(value, datetime):
            return sa.DateTime(timezone=True)
        if isinstance(value, date):
            return sa.Date()
        if isinstance(value, Decimal):
            return sa.Numeric(6, 2)
        return sa.Boolean() if isinstance(value, bool) else sa.types.NullType()
    names = list(values)
    statement = sa.text(f'INSERT INTO "{table}" ({", ".join(names)}) VALUES ({", ".join(":" + n for n in names)})')
    db.session.execute(statement.bindparams(*(sa.bindparam(n, type_=kind(values[n])) for n in names)), values)


def old_provider(provider_id: int, code: str, sector: str, hwb: object) -> SimpleNamespace:
    """A provider as a tracker before 0018 held it (no closed_on column yet): written with SQL, not the model."""
    insert("provider", id=provider_id, code=code, name=f"Provider {code}", sector=sector)
    insert("provider_footprint", provider_id=provider_id, hwb_id=hwb.id)
    return SimpleNamespace(id=provider_id)


def existing_rows() -> dict[str, int]:
    """The rows of a tracker that ran before 0008: imported and tracker-recorded, with their audit trail."""
    hwb = make.make_hwb("E06000001")
    trust, care = old_provider(901, "RTR", "acute", hwb), old_provider(902, "RCO", "community", hwb)
    plan, user = make.make_plan(hwb), make.make_user("hwb", hwb=hwb)
    db.session.commit()
    event = {"plan_id": plan.id, "recorded_by": "hwb", "kind": "meeting", "depth": 3, "summary": "Met",
             "updated_at": at(1, 9)}
    insert("engagement_event", id=1, ref="EV-IMPORTED", date=date(2014, 6, 2), withdrawn=False, created_at=at(1, 9),
           **event)
    insert("engagement_event", id=2, ref="EV-TRACKER", date=date(2014, 8, 1), withdrawn=True, created_by_id=user.id,
           created_at=at(10, 23), withdrawn_at=at(20, 10), **event)  # 23:30 UTC on the 10th: the 11th in London
    insert("engagement_event", id=3, ref="EV-GONE", date=date(2014, 7, 1), withdrawn=True, created_at=at(1, 9),
           withdrawn_at=at(1, 9), **event)
    insert("participation", id=1, event_id=1, provider_id=trust.id, status="confirmed", leadership=False)
    insert("participation", id=2, event_id=2, provider_id=trust.id, status="disputed", leadership=False,
           status_changed_by_id=user.id, status_changed_at=at(14, 10))
    insert("participation", id=3, event_id=2, provider_id=care.id, status="confirmed", leadership=False,
           status_changed_by_id=user.id, status_changed_at=at(13, 23))
    audit = {"actor": "someone@example.org", "entity_type": "participation", "entity_id": "2"}
    insert("audit_entry", at=at(12, 10), action="participation_confirmed", before={"status": "unconfirmed"},
           after={"status": "confirmed"}, **audit)
    insert("audit_entry", at=at(14, 10), action="participation_disputed", before={"status": "confirmed"},
           after={"status": "disputed"}, **audit)
    insert("audit_entry", at=at(15, 23), action="event_withdrawn", actor="someone@example.org",
           entity_type="engagement_event", entity_id="EV-TRACKER", before={"withdrawn": False}, after={})
    concern = {"plan_id": plan.id, "provider_id": care.id, "category": "excluded", "severity": "low", "text": "x",
               "confidential": False}
    insert("concern", id=1, ref="CN-IMPORTED", raised=date(2014, 9, 1), status="open",
           acknowledge_due=date(2014, 9, 4), respond_due=date(2014, 9, 29), **concern)
    insert("concern_step", concern_id=1, at=at(25, 9), actor_side="import", to_status="open", message="Imported")
    insert("concern", id=2, ref="CN-TRACKER", raised=date(2014, 9, 2), status="acknowledged",
           acknowledge_due=date(2014, 9, 5), respond_due=date(2014, 10, 6), **concern)
    for step_id, when, side, before, after in [(10, at(2, 9), "provider", None, "open"),
                                               (11, at(3, 23), "hwb", "open", "acknowledged"),
                                               (12, at(5, 9), "hwb", "acknowledged", "responded"),
                                               (13, at(8, 9), "provider", "responded", "acknowledged")]:
        insert("concern_step", id=step_id, concern_id=2, at=when, actor_side=side, from_status=before,
               to_status=after, message="m")
    insert("audit_entry", at=at(8, 9), action="concern_reopen", actor="someone@example.org", entity_type="concern",
           entity_id="CN-TRACKER", before={"respond_due": "2014-09-30"}, after={"respond_due": "2014-10-06"})
    insert("impact_assessment", plan_id=plan.id, provider_id=trust.id, version=1, is_current=True,
           emergency_admissions_change_pct=Decimal("-1.5"), financial_impact_gbp=-1000, agreement="agree",
           comments="", created_at=at(20, 23))
    db.session.commit()
    return {"plan": plan.id}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_history_of_existing_rows_is_filled_in(backend: str, tmp_path: Path) -> None:
    with fresh_app(backend, tmp_path) as application, application.app_context():
        upgrade(revision=BEFORE)
        ids = existing_rows()
        upgrade()
        def rows(table: str, *columns: str, order: tuple[str, ...] = ("id",)) -> list[tuple]:
            typed = [sa.column(c, sa.Date) if c.endswith(("_on", "_due")) else sa.column(c) for c in columns]
            found = sa.table(table, *typed, *(sa.column(c) for c in order if c not in columns))
            return [tuple(r) for r in db.session.execute(sa.select(*(found.c[c] for c in columns))
                                                            .order_by(*(found.c[c] for c in order)))]

        assert rows("engagement_event", "ref", "recorded_on", "withdrawn_on") == [
            ("EV-IMPORTED", date(2014, 6, 2), None),  # imported: its own date
            ("EV-TRACKER", date(2014, 9, 11), date(2014, 9, 16)),  # London dates of its creation and the trail's entry
            ("EV-GONE", date(2014, 7, 1), date(2014, 7, 1))]  # imported withdrawn: from its own date
        assert rows("participation_status_change", "participation_id", "changed_on", "status",
                    order=("participation_id", "id")) == [
            (1, date(2014, 6, 2), "confirmed"),
            (2, date(2014, 9, 11), "unconfirmed"), (2, date(2014, 9, 12), "confirmed"),
            (2, date(2014, 9, 14), "disputed"),
            (3, date(2014, 9, 11), "unconfirmed"), (3, date(2014, 9, 14), "confirmed")]  # no trail: its own time
        assert rows("concern_step", "concern_id", "taken_on", "respond_due") == [
            (1, date(2014, 9, 1), date(2014, 9, 29)),  # imported: on its raised date
            (2, date(2014, 9, 2), date(2014, 9, 30)), (2, date(2014, 9, 4), None), (2, date(2014, 9, 5), None),
            (2, date(2014, 9, 8), date(2014, 10, 6))]  # the reopening's new date; the first from the trail
        assert rows("impact_assessment", "assessed_on") == [(date(2014, 9, 21),)]
        figures = plan_evidence(db.session, ids["plan"], date(2015, 1, 1), load_thresholds(db.session),
                                date(2014, 9, 13))
        assert (figures.facts.counted, figures.facts.corroborated) == (3, 2)  # the community one confirms on the 14th
        db.session.remove()
        downgrade(revision=BEFORE)
        upgrade()
