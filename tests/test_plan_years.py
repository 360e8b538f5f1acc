"""Two years side by side, end to end: a board with a 2015-16 and a 2016-17 plan, each with its own events, concerns
and impact assessments, imported, recorded through the pages and the API, shown year by year and year on year; the
figures of one year never count the other's. Starting the next year's plan. (Both databases.)"""
from __future__ import annotations

import re
import secrets
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner

from tests.factories import make_user, sign_in_as
from tracker.domain import accounts, audit, evidence, plans, vocab
from tracker.domain.summaries import drift
from tracker.models import HWB, AuditEntry, Concern, EngagementEvent, ImpactAssessment, Plan, Provider, User
from tracker.web.extensions import db

TODAY = date(2015, 9, 1)
BOARD, OTHER = "E06000001", "E06000002"
FILES = {
    "hwbs": "code,name,region\nE06000001,Hartlepool,north\nE06000002,Middlesbrough,north\n",
    "providers": "code,name,sector,footprint\nRTR,South Tees Hospitals,acute,E06000001;E06000002\n"
                 "RX3,Tees Esk and Wear Valleys,mental_health,E06000001\nRCO,Tees Community Care,community,E06000001\n",
    "plans": "hwb_code,year,minimum_pool_gbp,total_pool_gbp,nhs_contribution_gbp,council_contribution_gbp,"
             "claimed_emergency_reduction_pct,final_submission\n"
             "E06000001,2015-16,7000000,9000000,6000000,3000000,3.5,2014-09-19\n"
             "E06000001,2016-17,7300000,9400000,6200000,3200000,4,\n"
             "E06000002,2015-16,10000000,10000000,8000000,2000000,-1.25,2014-09-19\n",
    # 2015-16: RTR (confirmed) and RX3 (unconfirmed) heard once each. 2016-17: all three, every participation
    # confirmed, RCO in three months.
    "events": "event_ref,provider_code,hwb_code,year,recorded_by,date,kind,depth,topics,summary,withdrawn,"
              "leadership,status\n"
              "EV-A1,RTR,E06000001,2015-16,provider,2014-06-02,workshop,3,schemes,First year,no,yes,confirmed\n"
              "EV-A2,RX3,E06000001,2015-16,hwb,2014-07-01,board_meeting,2,,First year,no,no,unconfirmed\n"
              "EV-B1,RTR,E06000001,2016-17,hwb,2015-06-01,workshop,4,schemes,Second year,no,yes,confirmed\n"
              "EV-B1,RX3,E06000001,2016-17,hwb,2015-06-01,workshop,4,schemes,Second year,no,no,confirmed\n"
              "EV-B1,RCO,E06000001,2016-17,hwb,2015-06-01,workshop,4,schemes,Second year,no,no,confirmed\n"
              "EV-B2,RCO,E06000001,2016-17,provider,2015-07-01,meeting,2,metrics,Second year,no,no,confirmed\n"
              "EV-B3,RCO,E06000001,2016-17,provider,2015-08-03,meeting,3,metrics,Second year,no,no,confirmed\n",
    "concerns": "ref,hwb_code,year,provider_code,raised,category,severity,confidential,status,text\n"
                "C-A,E06000001,2015-16,RTR,2015-01-02,acute_demand,high,no,open,Demand is not modelled\n"
                "C-B,E06000001,2016-17,RX3,2015-06-01,data,low,no,escalated,No data sharing agreement\n"
                "C-C,E06000001,2016-17,RCO,2015-06-08,other,low,no,resolved,Timetable\n",
    "impact-assessments": "hwb_code,year,provider_code,emergency_admissions_change_pct,financial_impact_gbp,"
                          "agreement,comments\n"
                          "E06000001,2015-16,RTR,1.5,-2500000,disagree,Not credible\n"
                          "E06000001,2016-17,RTR,-3.5,-1000000,agree,\n",
}
# What each year's plan shows, worked out by hand from the files above (PRODUCT.md's definitions).
FIRST = {"coverage": 2 / 3, "corroboration": 0.5, "sustained": 0, "depth": {"1": 0, "2": 1, "3": 1, "4": 0, "5": 0},
         "concerns": {"open": 1, "overdue": 1, "escalated": 0}, "rating": "weak",
         "passed": {"E1": False, "E2": True, "E3": False, "E4": False, "E5": False, "E6": False, "E7": False}}
SECOND = {"coverage": 1.0, "corroboration": 1.0, "sustained": 1, "depth": {"1": 0, "2": 0, "3": 0, "4": 3, "5": 0},
          "concerns": {"open": 1, "overdue": 0, "escalated": 1}, "rating": "adequate",
          "passed": {"E1": True, "E2": True, "E3": True, "E4": True, "E5": False, "E6": False, "E7": True}}


def imported(runner: FlaskCliRunner, tmp_path: Path, files: dict[str, str] = FILES) -> None:
    for kind, content in files.items():
        path = tmp_path / f"{kind}.csv"
        path.write_text(content, encoding="utf-8")
        result = runner.invoke(args=["import", kind, str(path)], catch_exceptions=False)
        assert result.exit_code == 0, result.output


@pytest.fixture
def world(app, app_ctx, runner, tmp_path, monkeypatch) -> dict[str, Any]:
    """The two years imported from CSV, a user per role with an API token, today pinned."""
    monkeypatch.setitem(app.config, "TODAY", TODAY)
    imported(runner, tmp_path)
    rtr, rx3 = (db.session.scalar(sa.select(Provider).where(Provider.code == code)) for code in ("RTR", "RX3"))
    board = db.session.scalar(sa.select(HWB).where(HWB.code == BOARD))
    users = {"provider": make_user("provider", provider=rtr), "other_provider": make_user("provider", provider=rx3),
             "hwb": make_user("hwb", hwb=board), "assurer": make_user("assurer"), "admin": make_user("admin")}
    tokens = {role: accounts.create_token(db.session, user) for role, user in users.items()}
    db.session.commit()
    return {"users": users, "tokens": tokens}


def api(client: FlaskClient, world: dict[str, Any], role: str, method: str, path: str, **kwargs: Any) -> Any:
    return client.open(f"/api/v1{path}", method=method,
                       headers={"Authorization": f"Bearer {world['tokens'][role]}"}, **kwargs)


def figures(client: FlaskClient, world: dict[str, Any], year: str, board: str = BOARD) -> dict[str, Any]:
    response = api(client, world, "assurer", "GET", f"/plans/{board}/{year}/evidence")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def assert_figures(answer: dict[str, Any], want: dict[str, Any]) -> None:
    assert answer["coverage"] == pytest.approx(want["coverage"])
    assert answer["corroboration"] == pytest.approx(want["corroboration"])
    assert (answer["sustained"], answer["depth"], answer["concerns"], answer["rating"]) == (
        want["sustained"], want["depth"], want["concerns"], want["rating"])
    assert {c["id"]: c["passed"] for c in answer["criteria"]} == want["passed"]


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def plan_of(board: str, year: str) -> Plan:
    return db.session.scalar(sa.select(Plan).join(HWB).where(HWB.code == board, Plan.year == year))


# -- the year itself ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("year, ok", [("2015-16", True), ("2016-17", True), ("2019-20", True), ("2098-99", True),
                                      ("2014-15", False), ("2099-00", False), ("2016-2017", False), ("2015-17", False),
                                      ("2015/16", False), ("１５-16", False), ("", False), (None, False)])
def test_a_financial_year_is_yyyy_yy_the_second_part_the_year_after(year: object, ok: bool) -> None:
    assert vocab.is_year(year) is ok


def test_years_in_words_and_their_neighbours() -> None:
    assert vocab.year_label("2016-17") == "2016 to 2017"
    assert (vocab.next_year("2015-16"), vocab.previous_year("2016-17")) == ("2016-17", "2015-16")
    assert (vocab.previous_year("2015-16"), vocab.next_year("2098-99"), vocab.next_year("2099-00")) == (None, None,
                                                                                                        None)
    assert vocab.year_of(2099) == "2099-00"


# -- imports ------------------------------------------------------------------------------------------------------

def test_a_data_set_of_two_years_imports_whole_each_record_on_its_year(world, runner, tmp_path) -> None:
    first, second = plan_of(BOARD, "2015-16"), plan_of(BOARD, "2016-17")
    assert (second.status, first.status) == ("draft", "submitted")  # no final submission date yet
    on: dict[int, list[str]] = {}
    for plan_id, ref in db.session.execute(sa.select(EngagementEvent.plan_id, EngagementEvent.ref)
                                           .order_by(EngagementEvent.ref)).tuples():
        on.setdefault(plan_id, []).append(ref)
    assert on == {first.id: ["EV-A1", "EV-A2"], second.id: ["EV-B1", "EV-B2", "EV-B3"]}
    assert dict(db.session.execute(sa.select(Concern.ref, Concern.plan_id)).tuples().all()) == {
        "C-A": first.id, "C-B": second.id, "C-C": second.id}
    assert dict(db.session.execute(sa.select(ImpactAssessment.plan_id, ImpactAssessment.agreement)).tuples().all()) == {
        first.id: "disagree", second.id: "agree"}
    for kind, content in FILES.items():  # importing again changes nothing
        path = tmp_path / f"again-{kind}.csv"
        path.write_text(content, encoding="utf-8")
        result = runner.invoke(args=["import", kind, str(path)], catch_exceptions=False)
        assert " 0 created, 0 updated" in result.output, result.output


def test_a_year_that_is_not_a_financial_year_is_refused_with_its_form(world, runner, tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(FILES["concerns"].splitlines()[0] + "\nC-9,E06000001,2016-2017,RTR,2015-01-02,data,low,no,open,T\n"
                    "C-8,E06000001,2017-18,RTR,2015-01-02,data,low,no,open,T\n", encoding="utf-8")
    result = runner.invoke(args=["import", "concerns", str(path)], catch_exceptions=False)
    assert result.exit_code == 1
    assert f'{path}:2: year "2016-2017" must be a financial year like 2015-16' in result.stderr
    assert f"{path}:3: there is no 2017-18 plan for E06000001 (import the plans first)" in result.stderr


# -- the figures of each year -------------------------------------------------------------------------------------

def test_each_years_figures_count_only_its_own_records(client, world) -> None:
    assert_figures(figures(client, world, "2015-16"), FIRST)
    assert_figures(figures(client, world, "2016-17"), SECOND)
    # The engine for many plans at once gives each the same as alone.
    ids = [plan_of(BOARD, year).id for year in ("2015-16", "2016-17")]
    thresholds = evidence.load_thresholds(db.session)
    together = evidence.plans_evidence(db.session, ids, TODAY, thresholds)
    for plan_id in ids:
        assert together[plan_id].to_api() == evidence.plan_evidence(db.session, plan_id, TODAY, thresholds).to_api()


def test_the_api_lists_a_years_plans_the_latest_by_default(client, world) -> None:
    listed = api(client, world, "assurer", "GET", "/plans").get_json()
    assert [(p["hwb_code"], p["year"], p["rating"]) for p in listed] == [(BOARD, "2016-17", "adequate")]
    listed = api(client, world, "assurer", "GET", "/plans?year=2015-16").get_json()
    assert [(p["hwb_code"], p["year"]) for p in listed] == [(BOARD, "2015-16"), (OTHER, "2015-16")]
    assert api(client, world, "assurer", "GET", "/plans?year=2017-18").get_json() == []
    refused = api(client, world, "assurer", "GET", "/plans?year=2016-2017")
    assert refused.status_code == 422 and "year" in refused.get_json()["error"]["message"]
    for path in (f"/plans/{BOARD}/2017-18/evidence", f"/plans/{BOARD}/2016-2017/events",
                 f"/plans/{OTHER}/2016-17/events"):
        assert api(client, world, "assurer", "GET", path).status_code == 404
    document = client.get("/api/v1/openapi.json").get_json()
    year = next(p for p in document["paths"]["/api/v1/plans"]["get"]["parameters"] if p["name"] == "year")
    assert "enum" not in year["schema"] and year["schema"]["pattern"] and not year["required"]


def test_what_is_recorded_through_the_api_and_the_pages_counts_in_its_own_year(client, world) -> None:
    # The provider records an event on the 2016-17 plan through the API: only 2016-17's events list it.
    body = {"date": "2015-08-20", "kind": "meeting", "depth": 5, "topics": ["schemes"], "summary": "Risk share",
            "participations": [{"provider_code": "RTR", "leadership": True}]}
    made = api(client, world, "provider", "POST", f"/plans/{BOARD}/2016-17/events", json=body)
    assert made.status_code == 201
    refs = {year: [e["event_ref"] for e in api(client, world, "provider", "GET",
                                                 f"/plans/{BOARD}/{year}/events").get_json()]
            for year in ("2015-16", "2016-17")}
    assert made.get_json()["event_ref"] in refs["2016-17"] and made.get_json()["event_ref"] not in refs["2015-16"]
    # The board records an event with RCO on its 2015-16 plan through its pages: 2015-16's coverage is now whole.
    sign_in_as(client, world["users"]["hwb"])
    response = client.post("/board/events/new?year=2015-16", data={
        "date[day]": "15", "date[month]": "9", "date[year]": "2014", "kind": "workshop", "depth": "3",
        "topics": ["schemes"], "took_part": ["RCO"], "summary": "Community services workshop", "evidence_url": "",
        "submission": secrets.token_hex(16)})
    assert response.status_code == 303
    # A provider raises a concern on the 2015-16 plan through its pages.
    sign_in_as(client, world["users"]["other_provider"])
    base = f"/provider/plans/{BOARD}/2015-16/concerns"
    assert client.post(f"{base}/new", data={"category": "workforce", "severity": "medium", "confidential": "no",
                                            "text": "No staff for seven-day discharge"}).status_code == 303
    assert client.post(f"{base}/check").status_code == 303
    first, second = figures(client, world, "2015-16"), figures(client, world, "2016-17")
    assert first["coverage"] == 1.0 and first["concerns"] == {"open": 2, "overdue": 1, "escalated": 0}
    # 2016-17 is as imported but for the API's event: RTR now at depth 5, and its participation waits for the
    # board to confirm it (5 of 6 confirmed).
    assert_figures(second, {**SECOND, "depth": {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1}, "corroboration": 5 / 6})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Concern)
                             .where(Concern.plan_id == plan_of(BOARD, "2016-17").id)) == 2


# -- the pages ----------------------------------------------------------------------------------------------------

def test_the_board_sees_its_latest_year_chooses_another_and_sees_the_year_before_beside(client, world) -> None:
    sign_in_as(client, world["users"]["hwb"])
    latest = client.get("/board/").get_data(as_text=True)
    assert "Better Care Fund plan 2016 to 2017" in latest
    assert '<option value="2015-16">2015 to 2016</option>' in latest and 'name="year"' in latest
    assert re.search(r'data-figure="coverage">100%', latest)
    assert re.search(r'data-previous="coverage">2015 to 2016: 67%', latest)
    assert re.search(r'data-previous="corroboration">2015 to 2016: 50%', latest)
    assert re.search(r'data-previous="E7">\s*<strong class="nhsuk-tag nhsuk-tag--red">Not met', latest)
    assert "In 2015 to 2016 the board's plan was rated" in text(client.get("/board/"))
    assert "Start the 2017 to 2018 plan" in latest
    first = client.get("/board/?year=2015-16").get_data(as_text=True)
    assert "Better Care Fund plan 2015 to 2016" in first and 'data-figure="coverage">67%' in first
    assert "data-previous" not in first and "Start the" not in first  # no 2014-15 plan; not the latest
    for page in ("events", "concerns", "plan"):
        html = client.get(f"/board/{page}?year=2015-16").get_data(as_text=True)
        assert "plan 2015 to 2016" in html and 'value="2015-16" selected' in html
    events = text(client.get("/board/events?year=2015-16"))
    assert "2 events" in events and "Second year" not in events
    concerns = client.get("/board/concerns?year=2015-16").get_data(as_text=True)
    assert 'data-ref="C-A"' in concerns and 'data-ref="C-B"' not in concerns
    # A concern's page is found whichever year's plan it is on, and names that year.
    assert "plan 2015 to 2016" in client.get("/board/concerns/C-A").get_data(as_text=True)
    assert client.get("/board/?year=2017-18").status_code == 404
    assert client.get("/board/?year=2016-2017").status_code == 404


def test_the_assurer_sees_each_year_and_compares_two(client, world) -> None:
    sign_in_as(client, world["users"]["assurer"])
    latest = client.get("/assurance/").get_data(as_text=True)
    assert f'data-hwb="{BOARD}"' in latest and f'data-hwb="{OTHER}"' not in latest
    assert "1 plan nationally for 2016 to 2017" in text(client.get("/assurance/"))
    first = client.get("/assurance/?year=2015-16").get_data(as_text=True)
    assert f'data-hwb="{BOARD}"' in first and f'data-hwb="{OTHER}"' in first
    compared = client.get("/assurance/?year=2016-17&compare=2015-16").get_data(as_text=True)
    row = re.search(rf'data-hwb="{BOARD}">(.*?)</tr>', compared, re.S).group(1)
    assert re.search(r'data-column="compared_rating">.*?Weak', row, re.S)
    assert 'data-column="coverage_change">+33</td>' in row
    assert "1 rated higher, 0 the same and 0 lower" in text(client.get("/assurance/?year=2016-17&compare=2015-16"))
    csv = client.get("/assurance/export.csv?year=2016-17&compare=2015-16")
    assert "2016-17-compared-with-2015-16" in csv.headers["Content-Disposition"]
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0].endswith("Rating in the compared year,Change in coverage since the compared year "
                             "(percentage points)")
    assert lines[1].startswith(BOARD) and ",Weak," in lines[1]
    # The plan page shows the board's other years and each figure beside the year before's.
    page = client.get(f"/assurance/plans/{BOARD}/2016-17").get_data(as_text=True)
    assert "Better Care Fund plan 2016 to 2017" in page
    assert f'href="/assurance/plans/{BOARD}/2015-16"' in page
    assert re.search(r'data-previous="rating">2015 to 2016: <strong[^>]*>Weak', page)
    assert 'data-previous="coverage">2015 to 2016: 67%' in page
    assert re.search(r'data-previous="E5">2015 to 2016: <strong[^>]*>Failed', page)
    assert "Start the 2017 to 2018 plan" not in page  # an administrator's action


def test_the_provider_chooses_the_year_of_its_boards_plans(client, world) -> None:
    sign_in_as(client, world["users"]["provider"])  # RTR serves both boards
    latest = text(client.get("/provider/"))
    assert "Plans for 2016 to 2017" in latest and "Hartlepool 2016-17" in latest
    assert re.search(r"Middlesbrough Plan status No plan for this year", latest)
    first = text(client.get("/provider/?year=2015-16"))
    assert "Hartlepool 2015-16" in first and "Middlesbrough 2015-16" in first
    assert f'href="/provider/plans/{BOARD}/2015-16"' in client.get("/provider/?year=2015-16").get_data(as_text=True)


# -- starting the next year's plan --------------------------------------------------------------------------------

def test_the_board_starts_next_years_plan_from_this_years_figures(client, world) -> None:
    sign_in_as(client, world["users"]["hwb"])
    form = client.get("/board/plans/next").get_data(as_text=True)
    assert "Start the 2017 to 2018 plan" in form and 'value="2017-18"' in form
    assert 'value="7300000"' in form and 'value="9400000"' in form and 'value="4.00"' in form
    data = {"year": "2017-18", "minimum_pool_gbp": "7,500,000", "total_pool_gbp": "£9600000",
            "nhs_contribution_gbp": "6300000", "council_contribution_gbp": "3300000",
            "claimed_emergency_reduction_pct": "4.5", "final_submission[day]": "", "final_submission[month]": "",
            "final_submission[year]": ""}
    response = client.post("/board/plans/next", data=data)
    assert response.status_code == 303 and response.headers["Location"].endswith("/board/?year=2017-18")
    plan = plan_of(BOARD, "2017-18")
    assert (plan.minimum_pool_gbp, plan.total_pool_gbp, plan.claimed_emergency_reduction_pct, plan.status) == (
        7_500_000, 9_600_000, Decimal("4.5"), "draft")
    # Nothing of the year before is copied; the footprint carries over.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EngagementEvent)
                             .where(EngagementEvent.plan_id == plan.id)) == 0
    new = figures(client, world, "2017-18")
    assert new["footprint"] == figures(client, world, "2016-17")["footprint"]
    assert (new["coverage"], new["concerns"], new["rating"]) == (0.0, {"open": 0, "overdue": 0, "escalated": 0},
                                                                 "insufficient")
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "plan_started"))
    assert (entry.actor_id, entry.entity_type, entry.entity_id) == (world["users"]["hwb"].id, "plan", str(plan.id))
    assert entry.after["year"] == "2017-18" and entry.after["from_year"] == "2016-17"
    assert audit.ACTIONS["plan_started"] == audit.CREATED
    # The same form sent again is refused: a board has one plan a year.
    again = client.post("/board/plans/next", data=data)
    assert again.status_code == 200
    assert "There is already a 2017 to 2018 plan for Hartlepool" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Plan)) == 4
    assert drift(db.session) == []  # the engagement summaries still agree with the records
    # The new plan is the board's latest now: its dashboard, with 2016-17 beside it.
    dashboard = client.get("/board/").get_data(as_text=True)
    assert "plan 2017 to 2018" in dashboard and 'data-previous="coverage">2016 to 2017: 100%' in dashboard


def test_the_plan_rules_of_the_import_check_the_form(client, world) -> None:
    sign_in_as(client, world["users"]["hwb"])
    response = client.post("/board/plans/next", data={
        "year": "2017-18", "minimum_pool_gbp": "10", "total_pool_gbp": "9", "nhs_contribution_gbp": "12.50",
        "council_contribution_gbp": "-1", "claimed_emergency_reduction_pct": "101"})
    page = text(response)
    assert response.status_code == 200 and plan_of(BOARD, "2017-18") is None
    for message in ("Total pooled budget must be at least the minimum pooled budget",
                    "NHS contribution must be a whole number of pounds", "Council contribution must be £0 or more",
                    "Claimed reduction in emergency admissions must be a number from -100 to 100"):
        assert message in page
    parsed, errors = plans.parse_figures(plans.PlanFiguresInput("1", "2", "3", "4", "-3.25"))
    assert not errors and parsed["claimed_emergency_reduction_pct"] == Decimal("-3.25")
    assert plans.total_below_minimum(10, 9) and not plans.total_below_minimum(10, 10)
    # A year other than the one after the latest is refused too.
    with pytest.raises(plans.PlanRejected, match="2017 to 2018"):
        plans.start_next_plan(db.session, world["users"]["hwb"], db.session.scalar(
            sa.select(HWB).where(HWB.code == BOARD)), "2018-19", plans.PlanFiguresInput("1", "2", "3", "4", "3.5"))


def test_an_administrator_starts_any_boards_next_plan_and_others_may_not(client, world) -> None:
    sign_in_as(client, world["users"]["admin"])
    assert "Start the 2017 to 2018 plan" in client.get(f"/assurance/plans/{BOARD}/2016-17").get_data(as_text=True)
    assert "Start the" not in client.get(f"/assurance/plans/{BOARD}/2015-16").get_data(as_text=True)
    response = client.post(f"/admin/boards/{OTHER}/next-plan", data={
        "year": "2016-17", "minimum_pool_gbp": "10000000", "total_pool_gbp": "10500000",
        "nhs_contribution_gbp": "8000000", "council_contribution_gbp": "2500000",
        "claimed_emergency_reduction_pct": "3.5", "final_submission[day]": "19", "final_submission[month]": "9",
        "final_submission[year]": "2015"})
    assert response.status_code == 303 and response.headers["Location"] == f"/assurance/plans/{OTHER}/2016-17"
    plan = plan_of(OTHER, "2016-17")
    assert (plan.status, plan.final_submission) == ("submitted", date(2015, 9, 19))
    actor = db.session.scalar(sa.select(User.id).join(AuditEntry, AuditEntry.actor_id == User.id)
                              .where(AuditEntry.action == "plan_started"))
    assert actor == world["users"]["admin"].id
    sign_in_as(client, world["users"]["hwb"])  # another board's: not this board user's to start
    assert client.get(f"/admin/boards/{OTHER}/next-plan").status_code == 403
    with pytest.raises(PermissionError):
        plans.start_next_plan(db.session, world["users"]["hwb"], plan.hwb, "2017-18",
                              plans.PlanFiguresInput("1", "2", "3", "4", "3.5"))
