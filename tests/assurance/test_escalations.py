"""The queue of concerns awaiting assurers (escalated ones and confidential ones not yet answered, overdue first,
then by due date) that replaced the escalations queue, and a concern's page and its place on the plan's page."""
from __future__ import annotations

import re
from datetime import date

import pytest

from tests.assurance.builders import rated_plan, utc
from tests.factories import make_concern, sign_in_as
from tracker.web.extensions import db


@pytest.fixture
def escalated(app_ctx) -> None:
    north = rated_plan("adequate", "north", code="E06000401", name="Northby")
    london = rated_plan("adequate", "london", code="E09000401", name="Londonby")
    acute_n, acute_l = north.hwb.providers[0], london.hwb.providers[0]
    make_concern(north, acute_n, "escalated", raised=date(2014, 9, 10), ref="NEWER", escalated_at=utc(2014, 10, 20))
    make_concern(north, acute_n, "escalated", raised=date(2014, 8, 1), ref="OLDEST", confidential=True,
            text="Secret worry", escalated_at=utc(2014, 9, 2))
    make_concern(london, acute_l, "escalated", raised=date(2014, 8, 20), ref="LONDON")
    make_concern(north, acute_n, "open", raised=date(2014, 7, 1), ref="NOTESC")
    db.session.commit()


def refs(html: str) -> list[str]:
    return re.findall(r'data-ref="(\w+)"', html)


def test_queue_by_due_date_with_plan_and_provider(client, assurer, escalated) -> None:
    sign_in_as(client, assurer)
    response = client.get("/assurance/escalations")
    assert (response.status_code, response.location) == (301, "/assurance/concerns")
    html = client.get("/assurance/concerns").get_data(as_text=True)
    # Escalated ones are owed a response by their respond_due; the open non-confidential one is the board's.
    assert refs(html) == ["OLDEST", "LONDON", "NEWER"]
    oldest = html[html.index('data-ref="OLDEST"'):html.index('data-ref="LONDON"')]
    assert "Northby" in oldest and 'href="/assurance/concerns/OLDEST"' in oldest
    assert "Confidential" in oldest and "Secret worry" in oldest and "Overdue" in oldest
    assert "3 concerns awaiting assurers" in html


def test_a_regional_assurer_sees_its_region_only(client, london_assurer, escalated) -> None:
    sign_in_as(client, london_assurer)
    assert refs(client.get("/assurance/concerns").get_data(as_text=True)) == ["LONDON"]


def test_the_plan_page_lists_its_escalations(client, assurer, escalated) -> None:
    sign_in_as(client, assurer)
    html = client.get("/assurance/plans/E06000401/2015-16").get_data(as_text=True)
    assert "3 concerns, 2 escalated" in html


def test_the_plan_page_shows_concerns_most_pressing_first(client, assurer, escalated) -> None:
    sign_in_as(client, assurer)
    html = client.get("/assurance/plans/E06000401/2015-16").get_data(as_text=True)
    shown = re.findall(r'id="concern-(\w+)"', html)
    assert shown == ["OLDEST", "NEWER", "NOTESC"]  # escalated (oldest first), then open


def test_a_concern_page_links_to_its_page_of_the_plan(client, assurer, london_assurer, escalated) -> None:
    """With more concerns than a page holds, the concern's page links to the plan's page that shows it; out of
    scope: 404."""
    from tracker.assurance.queries import CONCERNS_PER_PAGE
    from tracker.models import Plan

    north = db.session.scalar(db.select(Plan).where(Plan.hwb.has(code="E06000401")))
    provider = north.hwb.providers[0]
    for n in range(CONCERNS_PER_PAGE + 5):
        make_concern(north, provider, "resolved", raised=date(2014, 6, 1), ref=f"R{n:03d}")
    make_concern(north, provider, "resolved", raised=date(2014, 12, 1), ref="LAST")
    db.session.commit()
    sign_in_as(client, assurer)
    page = client.get("/assurance/concerns/LAST").get_data(as_text=True)
    link = "/assurance/plans/E06000401/2015-16?concerns_page=2#concern-LAST"
    assert f'href="{link}"' in page
    second = client.get(link).get_data(as_text=True)
    assert 'id="concern-LAST"' in second and "page 2 of 2" in second and "Pages of concerns" in second
    first = client.get("/assurance/plans/E06000401/2015-16").get_data(as_text=True)
    assert 'id="concern-LAST"' not in first and 'id="concern-OLDEST"' in first
    assert "concerns_page=2#concerns" in first and "59 concerns, 2 escalated" in first
    assert "?concerns_page=1#concern-OLDEST" in client.get("/assurance/concerns/OLDEST").get_data(as_text=True)
    assert client.get("/assurance/concerns/NOSUCH").status_code == 404
    sign_in_as(client, london_assurer)
    assert client.get("/assurance/concerns/LAST").status_code == 404
    assert client.get("/assurance/concerns/LONDON").status_code == 200
