"""Admins set the criteria thresholds and the concern deadlines in the browser: the values in force, a check of
what changes, then saved at once and audited; bad values are named and change nothing; reviews keep theirs."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import sign_in_as
from tracker.domain import settings
from tracker.models import AuditEntry, CriteriaSettings
from tracker.web.extensions import db

DEFAULTS = {"coverage_min": "80", "corroboration_min": "70", "sustained_share_min": "50", "sustained_months_min": "3",
            "shared_view_min": "50", "acute_depth_min": "3", "acknowledge_working_days": "3",
            "respond_working_days": "20"}


def post(client, step: str = "check", **changes: str):
    return client.post("/admin/settings", data={**DEFAULTS, **changes, "step": step})


def saved() -> CriteriaSettings | None:
    db.session.rollback()
    return db.session.get(CriteriaSettings, 1)


def test_the_page_shows_the_values_in_force(client, api_world) -> None:
    sign_in_as(client, api_world["users"]["admin"])
    html = client.get("/admin/settings").get_data(as_text=True)
    assert "E3 coverage" in html and "In force now: 80%." in html and "In force now: 20." in html
    assert 'name="coverage_min" type="text" value="80"' in html or 'value="80"' in html


def test_a_change_is_shown_before_it_is_saved_then_applies_at_once(client, call, api_world) -> None:
    sign_in_as(client, api_world["users"]["admin"])
    check = post(client, coverage_min="75", acknowledge_working_days="5")
    html = check.get_data(as_text=True)
    assert check.status_code == 200 and "Check the changes" in html
    assert "E3 coverage" in html and "Working days to acknowledge a concern" in html and "E4" not in html
    assert saved() is None  # nothing written by the check
    done = post(client, "save", coverage_min="75", acknowledge_working_days="5")
    assert done.status_code == 303
    record = saved()
    assert record.coverage_min == 0.75 and record.acknowledge_working_days == 5 and record.corroboration_min == 0.7
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "settings_changed")).one()
    assert entry.before == {"coverage_min": 0.8, "acknowledge_working_days": 3}
    assert entry.after == {"coverage_min": 0.75, "acknowledge_working_days": 5}
    # The evidence reads the new threshold at once; a concern raised now is due 5 working days later.
    criteria = call("hwb", "GET", "/api/v1/plans/E06000001/2015-16/evidence").json["criteria"]
    assert next(c for c in criteria if c["id"] == "E3")["threshold"] == 0.75
    assert settings.concern_deadlines(db.session, settings.Deadlines(3, 20)) == settings.Deadlines(5, 20)


def test_saving_the_same_values_changes_nothing(client, api_world) -> None:
    sign_in_as(client, api_world["users"]["admin"])
    response = post(client, "save")
    assert response.status_code == 303 and saved() is None
    assert "Nothing changed" in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("coverage_min", "", "Enter e3 coverage"),
    ("coverage_min", "eighty", "E3 coverage must be a percentage"),
    ("coverage_min", "120", "E3 coverage must be between 0% and 100%"),
    ("coverage_min", "75.555", "at most 2 decimal places"),
    ("acute_depth_min", "6", "E2 depth for acute providers must be between 1 and 5"),
    ("sustained_months_min", "2.5", "must be a whole number"),
    ("respond_working_days", "2", "must be at least the working days to acknowledge"),
    ("acknowledge_working_days", "0", "must be between 1 and 60"),
])
def test_each_bad_value_is_named_and_nothing_is_saved(client, api_world, field, value, message) -> None:
    sign_in_as(client, api_world["users"]["admin"])
    response = post(client, "save", **{field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html and f'href="#{field}"' in html
    assert saved() is None
    assert not db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "settings_changed")).all()


@pytest.mark.parametrize("role", ["provider", "hwb", "assurer"])
def test_only_admins_change_settings(client, api_world, role) -> None:
    sign_in_as(client, api_world["users"][role])
    assert post(client, "save", coverage_min="10").status_code == 403
    assert saved() is None


def test_a_review_keeps_the_thresholds_it_was_made_with(client, call, api_world) -> None:
    review = call("assurer", "POST", "/api/v1/plans/E06000001/2015-16/reviews", json={
        "rating": "insufficient", "decision": "not_approved", "tranche": None, "conditions": [],
        "intervention": "Support from the regional team", "peer_hwb_code": None, "override_reason": ""})
    assert review.status_code == 201, review.json
    sign_in_as(client, api_world["users"]["admin"])
    assert post(client, "save", coverage_min="60").status_code == 303
    [kept] = call("assurer", "GET", "/api/v1/plans/E06000001/2015-16/reviews").json
    assert next(c for c in kept["criteria"] if c["id"] == "E3")["threshold"] == 0.8
    now = call("assurer", "GET", "/api/v1/plans/E06000001/2015-16/evidence").json["criteria"]
    assert next(c for c in now if c["id"] == "E3")["threshold"] == 0.6
