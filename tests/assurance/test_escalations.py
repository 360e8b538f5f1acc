"""The escalations queue: escalated concerns across the scope, oldest first, confidential ones marked."""
from __future__ import annotations

import re
from datetime import date

import pytest

from tests.assurance.builders import concern, rated_plan, utc
from tests.factories import sign_in_as
from tracker.extensions import db


@pytest.fixture
def escalated(app_ctx) -> None:
    north = rated_plan("adequate", "north", code="E06000401", name="Northby")
    london = rated_plan("adequate", "london", code="E09000401", name="Londonby")
    acute_n, acute_l = north.hwb.providers[0], london.hwb.providers[0]
    concern(north, acute_n, "escalated", raised=date(2014, 9, 10), ref="NEWER", escalated_at=utc(2014, 10, 20))
    concern(north, acute_n, "escalated", raised=date(2014, 8, 1), ref="OLDEST", confidential=True,
            text="Secret worry", escalated_at=utc(2014, 9, 2))
    concern(london, acute_l, "escalated", raised=date(2014, 8, 20), ref="LONDON")
    concern(north, acute_n, "open", raised=date(2014, 7, 1), ref="NOTESC")
    db.session.commit()


def refs(html: str) -> list[str]:
    return re.findall(r'data-ref="(\w+)"', html)


def test_queue_oldest_first_with_plan_and_provider(client, assurer, escalated) -> None:
    sign_in_as(client, assurer)
    html = client.get("/assurance/escalations").get_data(as_text=True)
    assert refs(html) == ["OLDEST", "LONDON", "NEWER"]
    oldest = html[html.index('data-ref="OLDEST"'):html.index('data-ref="LONDON"')]
    assert "Northby" in oldest and "/assurance/plans/E06000401/2015-16#concern-OLDEST" in oldest
    assert "Confidential" in oldest and "Secret worry" in oldest and "2 September 2014" in oldest
    assert "3 escalated concerns" in html


def test_a_regional_assurer_sees_its_region_only(client, london_assurer, escalated) -> None:
    sign_in_as(client, london_assurer)
    assert refs(client.get("/assurance/escalations").get_data(as_text=True)) == ["LONDON"]


def test_the_plan_page_lists_its_escalations(client, assurer, escalated) -> None:
    sign_in_as(client, assurer)
    html = client.get("/assurance/plans/E06000401/2015-16").get_data(as_text=True)
    assert "3 concerns, 2 escalated" in html
