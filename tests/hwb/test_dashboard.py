"""The evidence dashboard: the engine's figures, the gaps in words, charts with tables, constant queries."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from tests.factories import make_hwb, make_user, sign_in_as
from tests.hwb.conftest import TODAY, add_event, text
from tracker.domain import evidence
from tracker.models import EngagementEvent, Plan, User, provider_footprint
from tracker.web.extensions import db


def figure(html: str, name: str) -> str:
    """The text of the element marked data-figure=NAME."""
    found = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert found, name
    return found.group(1)


def test_the_dashboard_shows_the_engines_figures_and_the_gaps(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    response = client.get("/board/")
    assert response.status_code == 200
    html = text(response)
    api = evidence.plan_evidence(db.session, scene.plan.id, TODAY, evidence.load_thresholds(db.session)).to_api()
    assert figure(html, "coverage") == f"{round(api['coverage'] * 100)}%"  # 2 of 5 footprint providers
    assert api["coverage"] == 2 / 5
    assert figure(html, "corroboration") == f"{round(api['corroboration'] * 100)}%"
    assert figure(html, "concerns-overdue") == str(api["concerns"]["overdue"]) == "1"
    assert vocab_rating(api["rating"]) in html
    # The gaps, in words, naming who is behind them.
    gaps = html[html.index('data-testid="gaps"'):html.index('id="criteria"')]
    assert "No independent social care provider engaged" in gaps and "Sunrise Care Homes" in gaps
    assert "No voluntary and community provider engaged" in gaps
    assert "Acute trust North Tees Hospitals NHS Trust (RAC2) not engaged and has no impact assessment" in gaps
    assert "Acute trust Durham Acute Hospitals NHS Trust (RACU)" not in gaps  # depth 4 with an assessment
    # Depth per provider, from the engine's provider rows.
    row = re.search(r'data-provider="RACU">(.*?)</tr>', html, re.S).group(1)
    assert "4 Collaborate" in row and "Given" in row
    assert "Not engaged" in re.search(r'data-provider="1-CARE">(.*?)</tr>', html, re.S).group(1)
    # Another board's providers never appear.
    assert "London Housing" not in html and "RSTR" not in html


def vocab_rating(rating: str) -> str:
    from tracker.domain import vocab

    return f">{vocab.RATINGS[rating]}</strong>"


def test_each_chart_has_a_table_with_the_same_figures(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    html = text(client.get("/board/"))
    assert html.count('<svg class="hwb-chart"') == 2
    assert 'role="img"' in html and "<title id=\"coverage-chart-title\">" in html
    assert 'style="' not in html.split("<main", 1)[1]  # the CSP allows no inline styles
    coverage = html[html.index('data-testid="coverage-table"'):]
    coverage = coverage[:coverage.index("</table>")]
    assert re.search(r"Acute hospital</th>\s*<td[^>]*>2</td>\s*<td[^>]*>1</td>\s*<td[^>]*>50%</td>", coverage)
    assert re.search(r"Independent social care</th>\s*<td[^>]*>1</td>\s*<td[^>]*>0</td>\s*<td[^>]*>0%</td>",
                     coverage)
    assert "Acute hospital: 1 of 2 engaged." in html  # the chart's own description
    timeline = html[html.index('data-testid="timeline-table"'):]
    timeline = timeline[:timeline.index("</table>")]
    months = re.findall(r'<th scope="row" class="nhsuk-table__header">([A-Za-z]+ \d{4})</th>', timeline)
    assert months == ["June 2014", "July 2014", "August 2014"]  # the empty month between is shown
    assert re.search(r"June 2014</th>\s*<td[^>]*>1</td>\s*<td[^>]*>0</td>\s*<td[^>]*>1</td>\s*<td[^>]*>2</td>",
                     timeline)
    assert re.search(r"July 2014</th>\s*<td[^>]*>0</td>\s*<td[^>]*>0</td>", timeline)
    assert re.search(r"August 2014</th>\s*<td[^>]*>0</td>\s*<td[^>]*>1</td>", timeline)


def test_confidential_concerns_are_not_counted_or_shown(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    html = text(client.get("/board/"))
    assert "CN-SECRET" not in html and "the trust's finances" not in html
    assert "2 open, 0 escalated" in html  # CN-OVERDUE and CN-LATER; not the confidential one


def test_events_waiting_for_the_board_are_listed(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    html = text(client.get("/board/"))
    waiting = html[html.index('data-testid="awaiting"'):]
    assert "1 event recorded by providers waits for you" in waiting
    assert "/board/events/EV-PROV1/answer" in waiting


def test_a_board_with_no_plan_for_the_year_or_an_unknown_year_is_not_found(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    assert client.get("/board/?year=2016-17").status_code == 404
    no_plan = make_user("hwb", hwb=make_hwb("E06000099", name="Board without a plan"))
    db.session.commit()
    sign_in_as(client, no_plan)
    assert client.get("/board/").status_code == 404
    assert client.get("/board/members").status_code == 200  # the board itself still has its membership page


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """Every SQL statement sent while inside the block."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001, PLR0913
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def test_the_dashboard_costs_the_same_number_of_queries_whatever_the_number_of_events(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    # Plain ids: each measured request starts from a fresh session, which detaches the scene's objects.
    providers = [SimpleNamespace(id=p.id) for p in (scene.acute, scene.acute2, scene.community, scene.voluntary)]
    plan_id, recorder = scene.plan.id, providers[2]

    def add(n: int) -> None:
        for i in range(n):
            day = date(2014, 4, 1) + timedelta(days=(i * 7) % 180)
            add_event(plan_id, day, providers[: 1 + i % 4], depth=1 + i % 5,
                      recorded_by=recorder if i % 2 else None, ref=f"EV-LOAD-{n}-{i}",
                      status="confirmed" if i % 3 else "unconfirmed")
        db.session.commit()

    add(5)
    client.get("/board/")  # warm up (templates compiled), then each measured request starts from a fresh session
    db.session.remove()
    with counted_statements() as few:
        assert client.get("/board/").status_code == 200
    add(50)  # ten times more
    db.session.remove()
    with counted_statements() as many:
        html = text(client.get("/board/"))
    assert len(few) == len(many), (len(few), len(many))
    assert "57 events" not in html  # nothing listed one by one
    print(f"dashboard queries: {len(few)} with 7 events, {len(many)} with 57")


def test_the_demo_boards_dashboard_costs_the_same_number_of_queries_with_ten_times_the_events(
        client, runner, app_ctx) -> None:
    assert runner.invoke(args=["seed-demo"], catch_exceptions=False).exit_code == 0
    user = db.session.scalar(sa.select(User).where(User.email == "hwb@demo.bcf.example"))
    # The plan the dashboard shows: the board's latest (the demo board has a 2015-16 and a 2016-17 plan).
    plan = db.session.scalar(sa.select(Plan).where(Plan.hwb_id == user.hwb_id).order_by(Plan.year.desc()).limit(1))
    footprint = [SimpleNamespace(id=pid) for pid in db.session.scalars(
        sa.select(provider_footprint.c.provider_id).where(provider_footprint.c.hwb_id == user.hwb_id))]
    plan_id = plan.id
    before = db.session.scalar(sa.select(sa.func.count()).select_from(EngagementEvent)
                               .where(EngagementEvent.plan_id == plan_id))
    sign_in_as(client, user)
    client.get("/board/")
    db.session.remove()
    with counted_statements() as demo:
        assert client.get("/board/").status_code == 200
    for i in range(9 * before):
        add_event(plan_id, date(2014, 1, 6) + timedelta(days=i % 300), footprint[i % len(footprint):][:3],
                  depth=1 + i % 5, ref=f"EV-DEMO-MORE-{i}", status="confirmed" if i % 2 else "unconfirmed")
    db.session.commit()
    db.session.remove()
    with counted_statements() as more:
        assert client.get("/board/").status_code == 200
    assert len(demo) == len(more), (len(demo), len(more))
    print(f"demo dashboard: {len(demo)} queries with {before} events, {len(more)} with {10 * before}")
