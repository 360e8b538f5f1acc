"""The national and regional overview: figures from the evidence engine, filters, sorting, summary, statistics."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa

from tests.assurance.builders import MONTHS, footprint_providers, rated_plan
from tests.factories import make_concern, make_event, make_hwb, make_membership, make_plan, sign_in_as
from tracker.domain import evidence
from tracker.models import AssuranceReview, Plan
from tracker.web.extensions import db


@pytest.fixture
def country(app_ctx) -> dict[str, Plan]:
    """One plan of each rating: strong and weak in the north, adequate in London, insufficient in the south."""
    plans = {
        "strong": rated_plan("strong", "north", code="E06000301", name="Alpha"),
        "weak": rated_plan("weak", "north", code="E06000302", name="Bravo"),
        "adequate": rated_plan("adequate", "london", code="E09000301", name="Charlie"),
        "insufficient": rated_plan("insufficient", "south", {"housing": 2}, code="E06000303", name="Delta"),
    }
    strong_acute = plans["strong"].hwb.providers[0]
    make_membership(plans["strong"].hwb, provider=strong_acute, name="Acute chief executive")
    make_membership(plans["strong"].hwb, end=date(2014, 3, 31), provider=strong_acute, name="Former member")
    make_membership(plans["adequate"].hwb, seat="director_adult_social_services", name="Director")
    make_concern(plans["adequate"], plans["adequate"].hwb.providers[0], "escalated")
    make_concern(plans["adequate"], plans["adequate"].hwb.providers[0], "open", confidential=True)
    db.session.add(AssuranceReview(plan_id=plans["strong"].id, criteria_snapshot={}, thresholds={},
                                   suggested_rating="strong", rating="strong", decision="approved", tranche=1))
    plans["strong"].status = "approved"
    db.session.commit()
    return plans


def table_rows(html: str) -> dict[str, dict[str, str]]:
    """The plans table as board code -> column key -> text."""
    rows = {}
    for code, body in re.findall(r'<tr class="nhsuk-table__row" data-hwb="(\w+)">(.*?)</tr>', html, re.S):
        cells = dict(re.findall(r'data-column="(\w+)">(.*?)</td>', body, re.S))
        rows[code] = {k: re.sub(r"<[^>]+>|\s+", " ", v).strip() for k, v in cells.items()}
    return rows


def test_every_plan_with_its_figures_from_the_evidence_engine(client, assurer, country) -> None:
    sign_in_as(client, assurer)
    html = client.get("/assurance/").get_data(as_text=True)
    rows = table_rows(html)
    assert list(rows) == ["E06000301", "E06000302", "E09000301", "E06000303"]  # by board name
    figures = evidence.plans_evidence(db.session, None, date.today(), evidence.load_thresholds(db.session))
    for plan in country.values():
        row, ev = rows[plan.hwb.code], figures[plan.id]
        assert row["rating"] == ev.rating.capitalize()
        assert row["coverage"] == ("none" if ev.coverage is None else f"{round(ev.coverage * 100)}%")
    # Each row has a cell for every column of the page but the board, which heads the row.
    assert {code: list(row) for code, row in rows.items()} == dict.fromkeys(rows, [
        "region", "rating", "coverage", "corroboration", "open", "overdue", "escalated", "confidential",
        "provider_members", "status", "tranche", "conditions", "gaps"])
    # The strong plan, cell by cell: its current acute member counts (the former one does not), it is approved in
    # tranche 1, and every sector is heard.
    assert rows["E06000301"] == {
        "region": "North of England", "rating": "Strong", "coverage": "100%", "corroboration": "100%", "open": "0",
        "overdue": "0", "escalated": "0", "confidential": "0", "provider_members": "1", "status": "Approved",
        "tranche": "1", "conditions": "", "gaps": ""}
    assert rows["E09000301"]["escalated"] == "1" and rows["E09000301"]["confidential"] == "1"
    assert rows["E06000302"]["tranche"] == "3 suggested"
    assert rows["E06000303"]["tranche"] == "Intervention suggested"
    assert rows["E06000302"]["gaps"] == "Acute hospital"
    assert "4 plans nationally" in html


def test_summary_counts_ratings_and_tranches(client, assurer, country) -> None:
    sign_in_as(client, assurer)
    html = client.get("/assurance/").get_data(as_text=True)
    counts = re.findall(r'assurance-count--(\w+)"><span class="assurance-count__number">(\d+)', html)
    assert counts == [("strong", "1"), ("adequate", "1"), ("weak", "1"), ("insufficient", "1")]
    tranches = html[html.index('id="tranches"'):]
    cells = re.findall(r'<th scope="row" class="nhsuk-table__header">([^<]+)</th>\s*'
                       r'<td class="nhsuk-table__cell tracker-numeric">(\d*)</td><td[^>]*>(\d+)</td>', tranches)
    assert cells[:5] == [("1", "1", "1"), ("2", "1", "0"), ("3", "1", "0"), ("Intervention", "1", "0"),
                         ("Not yet reviewed", "", "3")]


@pytest.mark.parametrize(("query", "expected"), [
    ("region=north", ["E06000301", "E06000302"]),
    ("rating=weak", ["E06000302"]),
    ("status=approved", ["E06000301"]),
    ("gap=acute", ["E06000302"]),
    ("gap=housing", ["E06000303"]),
    ("region=north&rating=strong", ["E06000301"]),
    ("region=atlantis", ["E06000301", "E06000302", "E09000301", "E06000303"]),
])
def test_filters(client, assurer, country, query: str, expected: list[str]) -> None:
    sign_in_as(client, assurer)
    assert list(table_rows(client.get(f"/assurance/?{query}").get_data(as_text=True))) == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("sort=rating", ["E06000301", "E09000301", "E06000302", "E06000303"]),
    ("sort=rating&dir=desc", ["E06000303", "E06000302", "E09000301", "E06000301"]),
    ("sort=coverage&dir=desc", ["E06000301", "E09000301", "E06000302", "E06000303"]),
    ("sort=hwb_code", ["E06000301", "E06000302", "E06000303", "E09000301"]),
    ("sort=escalated&dir=desc", ["E09000301", "E06000301", "E06000302", "E06000303"]),
    ("sort=nonsense", ["E06000301", "E06000302", "E09000301", "E06000303"]),
])
def test_sort_by_any_column(client, assurer, country, query: str, expected: list[str]) -> None:
    sign_in_as(client, assurer)
    html = client.get(f"/assurance/?{query}").get_data(as_text=True)
    assert list(table_rows(html)) == expected


def test_sorted_heading_says_so(client, assurer, country) -> None:
    sign_in_as(client, assurer)
    html = client.get("/assurance/?sort=coverage").get_data(as_text=True)
    assert re.search(r'aria-sort="ascending"[^>]*>\s*<a class="assurance-sort" href="[^"]*dir=desc[^"]*">Coverage',
                     html)


def test_a_regional_assurer_sees_only_its_region(client, london_assurer, country) -> None:
    sign_in_as(client, london_assurer)
    html = client.get("/assurance/").get_data(as_text=True)
    assert list(table_rows(html)) == ["E09000301"]
    assert "Plans: London" in html and 'name="region"' not in html
    membership = html[html.index('id="membership"'):]
    assert re.search(r"Boards</dt><dd[^>]*>1</dd>", membership)


def test_board_membership_statistics_on_a_chosen_date(client, assurer, country) -> None:
    sign_in_as(client, assurer)
    html = client.get("/assurance/").get_data(as_text=True)
    assert re.search(r"With a provider member</dt><dd[^>]*>1 \(25%\)</dd>", html)
    before = client.get("/assurance/?as_of[day]=1&as_of[month]=1&as_of[year]=2013").get_data(as_text=True)
    assert "Board membership on 1 January 2013" in before
    assert re.search(r"With a provider member</dt><dd[^>]*>0 \(0%\)</dd>", before)
    bad = client.get("/assurance/?as_of[day]=31&as_of[month]=2&as_of[year]=2014").get_data(as_text=True)
    assert "Statistics date must be a real date" in bad and "There is a problem" in bad


class StatementCounter:
    """Counts the SQL statements sent to the database while active."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args: object) -> None:
        self.count += 1


@contextmanager
def counting() -> Iterator[StatementCounter]:
    counter = StatementCounter()
    sa.event.listen(db.engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", counter)


def add_plans(n: int, events_each: int, start: int) -> None:
    """n plans with three providers each, events_each events, a concern, a review and a board member."""
    for i in range(start, start + n):
        hwb = make_hwb(f"E08{i:06d}", region=("north", "london", "south", "midlands_east")[i % 4])
        plan = make_plan(hwb)
        providers = footprint_providers(hwb, {"acute": 1, "community": 1, "voluntary": 1})
        for k in range(events_each):
            status = ("confirmed", "unconfirmed")[k % 2]
            make_event(plan, MONTHS[k % 3], 1 + k % 5, [(p, status) for p in providers[: 1 + k % 3]])
        make_concern(plan, providers[0], ("open", "escalated")[i % 2])
        make_membership(hwb, provider=providers[1], name=f"Member {i}")
        if i % 3 == 0:
            db.session.add(AssuranceReview(plan_id=plan.id, criteria_snapshot={}, thresholds={},
                                           suggested_rating="weak", rating="weak", decision="approved", tranche=3))
    db.session.commit()


def test_the_overview_takes_a_constant_number_of_queries(client, assurer) -> None:
    sign_in_as(client, assurer)
    add_plans(8, 2, 0)
    with counting() as small:
        assert client.get("/assurance/").status_code == 200
    add_plans(72, 20, 100)  # ten times the plans, and ten times the events per plan
    with counting() as large:
        html = client.get("/assurance/").get_data(as_text=True)
    assert len(table_rows(html)) == 80
    assert small.count == large.count, (small.count, large.count)
    assert large.count <= 20
