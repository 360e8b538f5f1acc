"""The audit trail for people: admins search all of it, assurers the entries about plans in their scope; by who,
kind of change, record and London dates; newest first, fifty a page; before and after side by side; CSV export
with the same filters, safe from formulas. Viewing writes nothing."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.factories import make_concern, make_hwb, make_plan, make_provider, make_user, sign_in_as
from tracker.domain import audit
from tracker.domain.audit_search import Filters, changes, search
from tracker.models import AuditEntry
from tracker.web.extensions import db


def _entry(action: str, entity_type: str, entity_id: object, *, actor=None, at: datetime | None = None,
           before=None, after=None) -> AuditEntry:
    entry = audit.record(db.session, action, entity_type, entity_id, actor=actor, before=before, after=after)
    if at is not None:
        entry.at = at
    db.session.flush()
    return entry


@pytest.fixture
def trail(app_ctx):
    """Two boards (north, london), a plan and a concern on each, people, and entries about them and accounts."""
    north, london = make_hwb("E06000001", region="north"), make_hwb("E09000001", region="london")
    provider = make_provider(footprint=[north, london], code="RAA")
    plan_n, plan_l = make_plan(north), make_plan(london)
    concern_n, concern_l = make_concern(plan_n, provider, ref="CN1"), make_concern(plan_l, provider, ref="CL1")
    people = {"admin": make_user("admin", "boss@example.org"), "assurer": make_user("assurer", "nat@example.org"),
              "regional": make_user("assurer", "ldn@example.org", region="london"),
              "hwb": make_user("hwb", hwb=north), "provider": make_user("provider", "p@example.org", provider=provider)}
    _entry("concern_raised", "concern", concern_n.ref, actor=people["provider"], after={"text": "North"},
           at=datetime(2015, 3, 1, 10, tzinfo=UTC))
    _entry("concern_acknowledge", "concern", concern_l.ref, actor=people["hwb"],
           before={"status": "open", "text": "same"}, after={"status": "acknowledged", "text": "same"},
           at=datetime(2015, 3, 31, 23, 30, tzinfo=UTC))  # 1 April 00:30 in London (BST from 29 March)
    _entry("plan_started", "plan", plan_l.id, actor=people["admin"], after={"year": "2015-16"},
           at=datetime(2015, 4, 2, 9, tzinfo=UTC))
    _entry("user_created", "user", people["hwb"].id, actor=people["admin"], after={"email": people["hwb"].email},
           at=datetime(2015, 4, 3, 9, tzinfo=UTC))
    _entry("sign_in_failed", "user", "", actor="=HYPERLINK(\"http://x\")", after={"email": "=cmd|' /C calc'!A0"},
           at=datetime(2015, 4, 4, 9, tzinfo=UTC))
    db.session.commit()
    return {"people": people, "plans": (plan_n, plan_l), "concerns": (concern_n, concern_l)}


def _page(client, user, query: str = "") -> tuple[int, str]:
    sign_in_as(client, user)
    response = client.get(f"/admin/audit{query}")
    return response.status_code, response.get_data(as_text=True)


def _shown_ids(html: str) -> list[int]:
    import re

    return [int(n) for n in re.findall(r'data-entry="(\d+)"', html)]


def _ids() -> dict[str, int]:
    return {a: i for i, a in db.session.execute(sa.select(AuditEntry.id, AuditEntry.action))}


def test_admin_sees_everything_newest_first_with_london_times(client, trail) -> None:
    status, html = _page(client, trail["people"]["admin"])
    assert status == 200
    ids = _ids()
    assert _shown_ids(html) == [ids["sign_in_failed"], ids["user_created"], ids["plan_started"],
                                ids["concern_acknowledge"], ids["concern_raised"]]
    assert "1 Apr 2015<br>00:30:00" in html  # London time, summer time
    assert "boss@example.org" in html and 'href="/assurance/concerns/CN1"' in html
    assert f'href="/admin/users/{trail["people"]["hwb"].id}"' in html


def test_assurers_see_only_plan_entries_in_their_scope(client, trail) -> None:
    ids = _ids()
    _status, html = _page(client, trail["people"]["assurer"])
    assert set(_shown_ids(html)) == {ids["concern_raised"], ids["concern_acknowledge"], ids["plan_started"]}
    _status, html = _page(client, trail["people"]["regional"])
    assert set(_shown_ids(html)) == {ids["concern_acknowledge"], ids["plan_started"]}
    assert "user_created" not in html and "sign in failed" not in html
    sign_in_as(client, trail["people"]["regional"])
    assert client.get(f"/admin/audit/{ids['concern_raised']}").status_code == 404
    assert client.get(f"/admin/audit/{ids['user_created']}").status_code == 404
    assert client.get(f"/admin/audit/{ids['plan_started']}").status_code == 200
    for role in ("hwb", "provider"):
        assert _page(client, trail["people"][role])[0] == 403


def test_filters_who_what_record_and_dates(client, trail) -> None:
    ids = _ids()
    admin = trail["people"]["admin"]
    assert _shown_ids(_page(client, admin, "?actor=BOSS@")[1]) == [ids["user_created"], ids["plan_started"]]
    assert _shown_ids(_page(client, admin, "?action=concern_raised")[1]) == [ids["concern_raised"]]
    assert _shown_ids(_page(client, admin, "?entity_type=concern&entity=CL1")[1]) == [ids["concern_acknowledge"]]
    # London dates: the entry at 23:30 UTC on 31 March is on 1 April in London.
    dates = ("?date_from[day]=1&date_from[month]=4&date_from[year]=2015"
             "&date_to[day]=2&date_to[month]=4&date_to[year]=2015")
    assert _shown_ids(_page(client, admin, dates)[1]) == [ids["plan_started"], ids["concern_acknowledge"]]
    _status, html = _page(client, admin, "?actor=%25")  # a LIKE wildcard is searched for as typed
    assert _shown_ids(html) == []
    _status, html = _page(client, admin, "?action=concern_raised")
    assert '<option value="concern_raised" selected>' in html


@pytest.mark.parametrize(("query", "message"), [
    ("?date_from[day]=2&date_from[month]=4&date_from[year]=2015&date_to[day]=1&date_to[month]=4&date_to[year]=2015",
     "Date to must be the same as or after date from"),
    ("?date_from[day]=31&date_from[month]=2&date_from[year]=2015", "Date from must be a real date"),
    ("?date_to[day]=3&date_to[year]=2015", "Date to must include a month"),
])
def test_wrong_dates_are_named(client, trail, query: str, message: str) -> None:
    status, html = _page(client, trail["people"]["admin"], query)
    assert status == 400 and message in html and "There is a problem" in html
    assert _shown_ids(html) == []
    assert client.get(f"/admin/audit.csv{query}").status_code == 400


def test_entry_page_shows_before_and_after_side_by_side(client, trail) -> None:
    ids = _ids()
    sign_in_as(client, trail["people"]["admin"])
    html = client.get(f"/admin/audit/{ids['concern_acknowledge']}").get_data(as_text=True)
    assert 'data-field="status"' in html and "acknowledged" in html and "(unchanged)" in html
    rows = changes({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": ["x", "y"]})
    assert [(c.field, c.before, c.after, c.changed) for c in rows] == [
        ("a", "1", "1", False), ("b", "2", "3", True), ("c", "", "x, y", True)]
    assert [(c.field, c.after) for c in changes(None, "done")] == [("value", "done")]
    assert client.get("/admin/audit/999999").status_code == 404


def test_csv_export_has_the_same_filters_and_is_formula_safe(client, trail) -> None:
    ids = _ids()
    sign_in_as(client, trail["people"]["admin"])
    response = client.get("/admin/audit.csv?action=sign_in_failed")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["id", "at_london", "actor", "action", "entity_type", "entity_id", "before", "after"]
    assert [r[0] for r in rows[1:]] == [str(ids["sign_in_failed"])]
    assert rows[1][2].startswith("'=") and rows[1][1] == "2015-04-04 10:00:00"
    sign_in_as(client, trail["people"]["regional"])
    rows = list(csv.reader(io.StringIO(client.get("/admin/audit.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted(int(r[0]) for r in rows[1:]) == sorted([ids["concern_acknowledge"], ids["plan_started"]])


def test_fifty_a_page_and_viewing_writes_nothing(client, trail) -> None:
    for n in range(55):
        _entry("plan_started", "plan", trail["plans"][0].id, actor=trail["people"]["admin"], after={"n": n})
    db.session.commit()
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    admin = trail["people"]["admin"]
    first, second = _page(client, admin)[1], _page(client, admin, "?page=2")[1]
    assert len(_shown_ids(first)) == 50 and len(_shown_ids(second)) == 10
    assert not set(_shown_ids(first)) & set(_shown_ids(second))
    client.get("/admin/audit.csv")
    client.get(f"/admin/audit/{_shown_ids(first)[0]}")
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == before


def test_search_is_a_domain_query(app_ctx, trail) -> None:
    regional = trail["people"]["regional"]
    found = db.session.execute(search(regional, Filters(entity_type="user"))).all()
    assert found == []
