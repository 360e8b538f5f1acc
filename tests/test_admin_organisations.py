"""Admins keep providers (code checked, footprint, closing) and boards; nothing is deleted and all is audited."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import make_event, make_hwb, make_plan, make_provider, make_user, sign_in_as
from tracker.domain.evidence import plan_evidence
from tracker.domain.evidence.queries import load_thresholds
from tracker.domain.organisations import code_problem
from tracker.models import HWB, AuditEntry, Provider
from tracker.web.extensions import db

TOKEN = "a" * 32


@pytest.fixture
def admin(app: Flask, client: FlaskClient) -> FlaskClient:
    with app.app_context():
        make_hwb("E06000001", name="Hartlepool")
        make_hwb("E06000002", name="Middlesbrough")
        make_hwb("E09000001", name="City of London", region="london")
        sign_in_as(client, make_user("admin"))
        db.session.commit()
    return client


def provider(code: str) -> Provider:
    return db.session.scalars(sa.select(Provider).where(Provider.code == code)).one()


def actions(entity_id: str) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.entity_id == entity_id)
                                   .order_by(AuditEntry.id)))


@pytest.mark.parametrize(("code", "kind", "ok"), [
    ("RTR", "ods", True), ("A81001", "ods", True), ("rt", "ods", False), ("1-101234567", "cqc", True),
    ("1-12", "cqc", False), ("VCS12345", "local", True), ("1ABC", "local", False), ("RTR", "other", False)])
def test_codes_are_checked_for_their_kind(code, kind, ok) -> None:
    assert (code_problem(code, kind) is None) is ok


def test_an_admin_adds_a_provider_with_its_footprint(app, admin) -> None:
    page = admin.get("/admin/organisations/providers/new").text
    assert "Find a board by name or code" in page and "Middlesbrough (E06000002)" in page
    data = {"code_kind": "ods", "code": "rtr", "name": "South Tees", "sector": "acute",
            "footprint": ["E06000001", "E06000002"], "submission": TOKEN}
    response = admin.post("/admin/organisations/providers/new", data=data)
    assert response.status_code == 303
    again = admin.post("/admin/organisations/providers/new", data=data)  # the same form sent twice: one provider
    assert again.status_code == 303
    with app.app_context():
        added = provider("RTR")
        assert sorted(h.code for h in added.footprint) == ["E06000001", "E06000002"]
        assert actions("RTR") == ["provider_added"]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Provider)) == 1
    refused = admin.post("/admin/organisations/providers/new", data={
        **data, "submission": "b" * 32, "footprint": ["E06000009"], "name": ""})
    assert refused.status_code == 400
    assert "Another provider already has the code RTR" in refused.text and "Enter the organisation" in refused.text
    listed = admin.get("/admin/organisations?q=tees").text
    assert "South Tees" in listed and "1 provider" in listed
    assert "South Tees" not in admin.get("/admin/organisations?q=nothing").text


def test_changing_a_footprint_keeps_the_summaries_true(app, admin, runner) -> None:
    with app.app_context():
        board = db.session.scalars(sa.select(HWB).where(HWB.code == "E06000001")).one()
        trust = make_provider("acute", footprint=[board], code="RTR")
        make_event(make_plan(board), date(2014, 6, 12), participants=[(trust, "confirmed")])
        db.session.commit()
        trust_id = trust.id
    response = admin.post(f"/admin/organisations/providers/{trust_id}", data={
        "code_kind": "ods", "code": "RTR", "name": "South Tees", "sector": "community", "footprint": ["E09000001"]})
    assert response.status_code == 303
    with app.app_context():
        assert [h.code for h in provider("RTR").footprint] == ["E09000001"]
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "provider_changed")).one()
        assert entry.before["footprint"] == ["E06000001"] and entry.after["sector"] == "community"
    assert runner.invoke(args=["evidence", "verify"]).exit_code == 0


def test_a_closed_provider_keeps_its_history_and_past_evidence(app, admin, runner) -> None:
    with app.app_context():
        board = db.session.scalars(sa.select(HWB).where(HWB.code == "E06000001")).one()
        trust = make_provider("acute", footprint=[board], code="RTR")
        plan = make_plan(board)
        make_event(plan, date(2014, 6, 12), participants=[(trust, "confirmed")])
        db.session.commit()
        trust_id, plan_id = trust.id, plan.id
        before = plan_evidence(db.session, plan_id, date(2016, 1, 1), load_thresholds(db.session)).to_api()
    refused = admin.post(f"/admin/organisations/providers/{trust_id}/close",
                         data={"closed_on[day]": "1", "closed_on[month]": "1", "closed_on[year]": "2999"})
    assert refused.status_code == 400 and "today or in the past" in refused.text
    closed = admin.post(f"/admin/organisations/providers/{trust_id}/close",
                        data={"closed_on[day]": "31", "closed_on[month]": "3", "closed_on[year]": "2016"})
    assert closed.status_code == 303
    frozen = admin.post(f"/admin/organisations/providers/{trust_id}", data={
        "code_kind": "ods", "code": "RTR", "name": "South Tees", "sector": "acute", "footprint": []})
    assert frozen.status_code == 400 and "reopen it first" in frozen.text
    with app.app_context():
        trust = provider("RTR")
        assert trust.closed_on == date(2016, 3, 31) and [h.code for h in trust.footprint] == ["E06000001"]
        after = plan_evidence(db.session, plan_id, date(2016, 1, 1), load_thresholds(db.session)).to_api()
        assert after == before
        assert actions("RTR") == ["provider_closed"]
    assert "Closed on" in admin.get("/admin/organisations").text
    assert admin.post(f"/admin/organisations/providers/{trust_id}/reopen").status_code == 303
    with app.app_context():
        assert provider("RTR").closed_on is None and actions("RTR")[-1] == "provider_reopened"
    assert runner.invoke(args=["evidence", "verify"]).exit_code == 0


def test_an_admin_renames_a_board_and_moves_its_region(app, admin) -> None:
    assert "City of London" in admin.get("/admin/organisations/boards").text
    response = admin.post("/admin/organisations/boards/E06000001", data={"name": "Hartlepool Borough",
                                                                         "region": "midlands_east"})
    assert response.status_code == 303
    assert admin.post("/admin/organisations/boards/E06000001", data={"name": "", "region": "x"}).status_code == 400
    with app.app_context():
        board = db.session.scalars(sa.select(HWB).where(HWB.code == "E06000001")).one()
        assert (board.name, board.region) == ("Hartlepool Borough", "midlands_east")
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "board_changed")).one()
        assert entry.before == {"name": "Hartlepool", "region": "north"}


def test_admins_see_organisations_in_the_header(app, admin) -> None:
    assert 'href="/admin/organisations"' in admin.get("/admin/users").text
