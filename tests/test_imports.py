"""`flask import KIND PATH`: every kind, idempotent re-imports, updates, and malformed files refused whole."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner

from tests.factories import make_user
from tracker.domain.assessments import AssessmentInput, save_assessment
from tracker.domain.clock import london_today
from tracker.domain.concerns.service import ConcernInput, raise_concern, take_action
from tracker.domain.engagement import (
    EventInput,
    ParticipantInput,
    set_participation_status,
    update_event,
    withdraw_event,
)
from tracker.models import (
    HWB,
    AuditEntry,
    BoardMembership,
    Concern,
    ConcernStep,
    EngagementEvent,
    EventTopic,
    ImpactAssessment,
    Participation,
    Plan,
    Provider,
)
from tracker.web.extensions import db

HWBS = """code,name,region
E06000001,Hartlepool,north
E06000002,Middlesbrough,north
E09000001,City of London,london
"""
PROVIDERS = """code,name,sector,footprint
RTR,South Tees Hospitals,acute,E06000001;E06000002
RX3,Tees Esk and Wear Valleys,mental_health,E06000001
1-100,Home Care Ltd,independent_social_care,
"""
PLANS = """hwb_code,year,minimum_pool_gbp,total_pool_gbp,nhs_contribution_gbp,council_contribution_gbp,\
claimed_emergency_reduction_pct,final_submission
E06000001,2015-16,7000000,9000000,6000000,3000000,3.5,2014-09-19
E06000002,2015-16,10000000,10000000,8000000,2000000,-1.25,
"""
BOARD = """hwb_code,member_name,seat,organisation_code,voting,start,end
E06000001,Ann Chair,chair,,yes,2013-04-01,
E06000001,Bob Trust,provider,RTR,no,2013-04-01,2015-03-31
"""
EVENTS = """event_ref,provider_code,hwb_code,year,recorded_by,date,kind,depth,topics,summary,withdrawn,leadership,status
EV-1,RTR,E06000001,2015-16,provider,2014-06-02,workshop,3,schemes;acute_impact,"Workshop, with notes",no,yes,confirmed
EV-1,RX3,E06000001,2015-16,provider,2014-06-02,workshop,3,acute_impact;schemes,"Workshop, with notes",no,no,unconfirmed
EV-2,RTR,E06000002,2015-16,hwb,2014-07-01,board_meeting,2,,Board,no,no,disputed
"""
CONCERNS = """ref,hwb_code,year,provider_code,raised,category,severity,confidential,status,text
C-1,E06000001,2015-16,RTR,2015-01-02,acute_demand,high,no,open,Demand on A&E is not modelled
C-2,E06000002,2015-16,RX3,2014-11-03,excluded,low,yes,resolved,Not invited
"""
ASSESSMENTS = """hwb_code,year,provider_code,emergency_admissions_change_pct,financial_impact_gbp,agreement,comments
E06000001,2015-16,RTR,-3.5,-2500000,partly,Optimistic
E06000002,2015-16,RTR,0,0,agree,
"""
FILES = {"hwbs": HWBS, "providers": PROVIDERS, "plans": PLANS, "board-members": BOARD, "events": EVENTS,
         "concerns": CONCERNS, "impact-assessments": ASSESSMENTS}
ORDER = list(FILES)


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    """Write a CSV into the test's folder; returns its path."""
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return str(path)


def run(runner: FlaskCliRunner, kind: str, path: str) -> Result:
    """Invoke `flask import KIND PATH`."""
    return runner.invoke(args=["import", kind, path], catch_exceptions=False)


def load(runner: FlaskCliRunner, tmp_path: Path, *kinds: str) -> None:
    """Import the standard files of the given kinds, each of which must succeed."""
    for kind in kinds:
        result = run(runner, kind, write(tmp_path, f"{kind}.csv", FILES[kind]))
        assert result.exit_code == 0, result.output


def count(model: type) -> int:
    """Rows in a model's table."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def refused(result: Result, *messages: str) -> None:
    """The command failed and reported each message on stderr, and nothing on stdout."""
    assert result.exit_code == 1, result.output
    for message in messages:
        assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


MODELS = {"hwbs": HWB, "providers": Provider, "plans": Plan, "board-members": BoardMembership,
          "events": Participation, "concerns": Concern, "impact-assessments": ImpactAssessment}
ROWS = {"hwbs": 3, "providers": 3, "plans": 2, "board-members": 2, "events": 3, "concerns": 2,
        "impact-assessments": 2}


def test_every_kind_imports_then_reimport_changes_nothing(runner: FlaskCliRunner, app_ctx: Flask,
                                                          tmp_path: Path) -> None:
    for kind in ORDER:
        result = run(runner, kind, write(tmp_path, f"{kind}.csv", FILES[kind]))
        n = ROWS[kind]
        assert result.exit_code == 0, result.output
        assert result.stdout == f"{kind}: {n} rows read, {n} created, 0 updated, 0 unchanged\n"
        assert count(MODELS[kind]) == n
    tables = {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
              for table in db.metadata.sorted_tables if table.name != "audit_entry"}
    for kind in ORDER:
        result = run(runner, kind, str(tmp_path / f"{kind}.csv"))
        n = ROWS[kind]
        assert result.stdout == f"{kind}: {n} rows read, 0 created, 0 updated, {n} unchanged\n"
    assert tables == {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
                      for table in db.metadata.sorted_tables if table.name != "audit_entry"}
    entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    runs = [e for e in entries if e.action == "import"]
    assert [(e.actor, e.action, e.entity_type, e.entity_id) for e in runs] == [
        ("cli", "import", kind, "") for kind in ORDER * 2]
    assert runs[1].after == {"path": str(tmp_path / "providers.csv"), "created": 3, "updated": 0, "unchanged": 0}
    assert runs[-1].after["unchanged"] == 2
    # The first import of each file left an entry per row it created; the second, changing nothing, none.
    rows = [e for e in entries if e.action != "import"]
    assert {(e.actor, e.action) for e in rows} == {("cli", "import_row_created")}
    assert len(rows) == sum(ROWS.values()) and all(e.id < runs[len(ORDER)].id for e in rows)


def test_imported_values_are_stored(runner: FlaskCliRunner, app_ctx: Flask, tmp_path: Path) -> None:
    load(runner, tmp_path, *ORDER)
    rtr = db.session.scalar(sa.select(Provider).where(Provider.code == "RTR"))
    assert sorted(h.code for h in rtr.footprint) == ["E06000001", "E06000002"]
    assert db.session.scalar(sa.select(Provider).where(Provider.code == "1-100")).footprint == []
    plans = {p.hwb.code: p for p in db.session.scalars(sa.select(Plan))}
    assert plans["E06000001"].status == "submitted" and plans["E06000001"].final_submission == date(2014, 9, 19)
    assert plans["E06000002"].status == "draft" and plans["E06000002"].final_submission is None
    assert plans["E06000002"].claimed_emergency_reduction_pct == Decimal("-1.25")
    bob = db.session.scalar(sa.select(BoardMembership).where(BoardMembership.member_name == "Bob Trust"))
    assert (bob.provider.code, bob.voting, bob.end) == ("RTR", False, date(2015, 3, 31))
    ev1 = db.session.scalar(sa.select(EngagementEvent).where(EngagementEvent.ref == "EV-1"))
    assert ev1.recorded_by_provider.code == "RTR" and ev1.summary == "Workshop, with notes"
    assert ev1.topic_codes == ["acute_impact", "schemes"] and ev1.depth == 3
    assert {(p.provider.code, p.leadership, p.status) for p in ev1.participations} == {
        ("RTR", True, "confirmed"), ("RX3", False, "unconfirmed")}
    ev2 = db.session.scalar(sa.select(EngagementEvent).where(EngagementEvent.ref == "EV-2"))
    assert ev2.recorded_by_provider_id is None and ev2.topics == []
    c2 = db.session.scalar(sa.select(Concern).where(Concern.ref == "C-2"))
    assert c2.confidential is True and c2.status == "resolved"


def test_concern_due_dates_and_history(runner: FlaskCliRunner, app_ctx: Flask, tmp_path: Path) -> None:
    load(runner, tmp_path, "hwbs", "providers", "plans", "concerns")
    c1 = db.session.scalar(sa.select(Concern).where(Concern.ref == "C-1"))
    assert c1.raised.weekday() == 4  # Friday 2 January 2015
    assert c1.acknowledge_due == date(2015, 1, 7) and c1.respond_due == date(2015, 1, 30)
    assert [(s.actor_side, s.from_status, s.to_status, s.message) for s in c1.history] == [
        ("import", None, "open", "Imported")]
    changed = CONCERNS.replace("no,open,Demand", "no,acknowledged,Demand")
    result = run(runner, "concerns", write(tmp_path, "changed.csv", changed))
    assert result.stdout == "concerns: 2 rows read, 0 created, 1 updated, 1 unchanged\n"
    c1 = db.session.scalar(sa.select(Concern).where(Concern.ref == "C-1"))
    assert c1.status == "acknowledged" and c1.acknowledge_due == date(2015, 1, 7)
    assert [(s.from_status, s.to_status) for s in c1.history] == [(None, "open"), ("open", "acknowledged")]
    run(runner, "concerns", str(tmp_path / "changed.csv"))
    assert count(ConcernStep) == 3  # two imported concerns, one status change; the repeat adds nothing


def test_concern_due_dates_follow_the_settings(other_app, tmp_path: Path) -> None:  # noqa: ANN001
    application = other_app(CONCERN_ACKNOWLEDGE_WORKING_DAYS=1, CONCERN_RESPONSE_WORKING_DAYS=5)
    runner = application.test_cli_runner()
    load(runner, tmp_path, "hwbs", "providers", "plans", "concerns")
    with application.app_context():
        c1 = db.session.scalar(sa.select(Concern).where(Concern.ref == "C-1"))
        assert (c1.acknowledge_due, c1.respond_due) == (date(2015, 1, 5), date(2015, 1, 9))


def test_updates_apply(runner: FlaskCliRunner, app_ctx: Flask, tmp_path: Path) -> None:
    load(runner, tmp_path, "hwbs", "providers", "plans", "board-members")
    result = run(runner, "hwbs", write(tmp_path, "h.csv", HWBS.replace("Hartlepool,north", "Hartlepool BC,south")))
    assert result.stdout == "hwbs: 3 rows read, 0 created, 1 updated, 2 unchanged\n"
    hwb = db.session.scalar(sa.select(HWB).where(HWB.code == "E06000001"))
    assert (hwb.name, hwb.region) == ("Hartlepool BC", "south")
    board = BOARD.replace("RTR,no,2013-04-01,2015-03-31", "RX3,yes,2013-04-01,")
    result = run(runner, "board-members", write(tmp_path, "b.csv", board))
    assert result.stdout == "board-members: 2 rows read, 0 created, 1 updated, 1 unchanged\n"
    bob = db.session.scalar(sa.select(BoardMembership).where(BoardMembership.member_name == "Bob Trust"))
    assert (bob.provider.code, bob.voting, bob.end) == ("RX3", True, None)
    assert count(BoardMembership) == 2


def test_provider_footprint_is_replaced(runner: FlaskCliRunner, app_ctx: Flask, tmp_path: Path) -> None:
    load(runner, tmp_path, "hwbs", "providers")
    text = PROVIDERS.replace("E06000001;E06000002", "E09000001").replace("mental_health,E06000001",
                                                                         "mental_health,E06000001;E09000001")
    result = run(runner, "providers", write(tmp_path, "p.csv", text))
    assert result.stdout == "providers: 3 rows read, 0 created, 2 updated, 1 unchanged\n"
    footprints = {p.code: sorted(h.code for h in p.footprint) for p in db.session.scalars(sa.select(Provider))}
    assert footprints == {"RTR": ["E09000001"], "RX3": ["E06000001", "E09000001"], "1-100": []}


def test_plan_status_follows_submission_but_keeps_assurance_decisions(runner: FlaskCliRunner, app_ctx: Flask,
                                                                      tmp_path: Path) -> None:
    load(runner, tmp_path, "hwbs", "plans")
    plan = db.session.scalar(sa.select(Plan).join(HWB).where(HWB.code == "E06000001"))
    plan.status = "approved_with_support"
    db.session.commit()
    text = PLANS.replace("3.5,2014-09-19", "4,").replace("-1.25,", "-1.25,2014-09-19")
    result = run(runner, "plans", write(tmp_path, "p.csv", text))
    assert result.stdout == "plans: 2 rows read, 0 created, 2 updated, 0 unchanged\n"
    statuses = {p.hwb.code: (p.status, p.final_submission) for p in db.session.scalars(sa.select(Plan))}
    assert statuses == {"E06000001": ("approved_with_support", None),
                        "E06000002": ("submitted", date(2014, 9, 19))}


def test_impact_assessment_versions(runner: FlaskCliRunner, app_ctx: Flask, tmp_path: Path) -> None:
    load(runner, tmp_path, "hwbs", "providers", "plans", "impact-assessments")
    text = ASSESSMENTS.replace("-3.5,-2500000,partly,Optimistic", "-4,-3000000,disagree,Worse")
    result = run(runner, "impact-assessments", write(tmp_path, "a.csv", text))
    assert result.stdout == "impact-assessments: 2 rows read, 0 created, 1 updated, 1 unchanged\n"
    result = run(runner, "impact-assessments", str(tmp_path / "a.csv"))
    assert result.stdout == "impact-assessments: 2 rows read, 0 created, 0 updated, 2 unchanged\n"
    query = sa.select(ImpactAssessment).join(Plan).join(HWB).where(HWB.code == "E06000001")
    versions = db.session.scalars(query.order_by(ImpactAssessment.version)).all()
    assert [(a.version, a.is_current, a.agreement, a.financial_impact_gbp) for a in versions] == [
        (1, False, "partly", -2500000), (2, True, "disagree", -3000000)]
    assert versions[1].emergency_admissions_change_pct == Decimal("-4")
    assert count(ImpactAssessment) == 3


def test_event_participations_and_topics_are_updated_and_none_removed(runner: FlaskCliRunner, app_ctx: Flask,
                                                                       tmp_path: Path) -> None:
    load(runner, tmp_path, "hwbs", "providers", "plans", "events")
    text = EVENTS.replace("schemes;acute_impact", "metrics").replace("acute_impact;schemes", "metrics")
    text = "\n".join(line for line in text.splitlines() if ",RX3," not in line).replace(
        "EV-2,RTR,E06000002,2015-16,hwb,2014-07-01,board_meeting,2,,Board,no,no,disputed",
        "EV-2,RTR,E06000002,2015-16,hwb,2014-07-01,board_meeting,2,,Board,yes,no,confirmed\n"
        "EV-2,1-100,E06000002,2015-16,hwb,2014-07-01,board_meeting,2,,Board,yes,no,unconfirmed") + "\n"
    path = write(tmp_path, "e.csv", text)
    result = run(runner, "events", path)
    assert result.stdout == (
        "events: 3 rows read, 1 created, 2 updated, 0 unchanged, 1 participation not in the file kept\n"
        "line 2: kept the participation of provider RX3 in event EV-1, which the file does not give (an import "
        "never removes a participation)\n")
    ev1 = db.session.scalar(sa.select(EngagementEvent).where(EngagementEvent.ref == "EV-1"))
    assert ev1.topic_codes == ["metrics"]
    assert sorted(p.provider.code for p in ev1.participations) == ["RTR", "RX3"]
    ev2 = db.session.scalar(sa.select(EngagementEvent).where(EngagementEvent.ref == "EV-2"))
    assert ev2.withdrawn is True and ev2.withdrawn_at is not None
    assert {(p.provider.code, p.status) for p in ev2.participations} == {("RTR", "confirmed"),
                                                                        ("1-100", "unconfirmed")}
    assert count(EventTopic) == 1 and count(EngagementEvent) == 2
    result = run(runner, "events", path)
    assert result.stdout.splitlines()[0] == (
        "events: 3 rows read, 0 created, 0 updated, 3 unchanged, 1 participation not in the file kept")


def test_withdrawn_event_is_dated(runner: FlaskCliRunner, app_ctx: Flask, tmp_path: Path) -> None:
    load(runner, tmp_path, "hwbs", "providers", "plans")
    text = EVENTS.replace('notes",no,', 'notes",yes,')
    result = run(runner, "events", write(tmp_path, "e.csv", text))
    assert result.exit_code == 0, result.output
    events = db.session.scalars(sa.select(EngagementEvent))
    assert {e.ref: (e.withdrawn, e.withdrawn_at is not None) for e in events} == {
        "EV-1": (True, True), "EV-2": (False, False)}


def test_byte_order_mark_and_quoted_lines(runner: FlaskCliRunner, app_ctx: Flask, tmp_path: Path) -> None:
    text = HWBS.replace("Hartlepool", '"Hartle\npool"')
    result = run(runner, "hwbs", write(tmp_path, "bom.csv", "\ufeff" + text.replace("\n", "\r\n")))
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(HWB.name).where(HWB.code == "E06000001")) == "Hartle\r\npool"
    bad = "\ufeff" + text.replace("Middlesbrough,north", "Middlesbrough,nowhere")
    # the quoted name spans lines 2 and 3, so the Middlesbrough row is on line 4
    refused(run(runner, "hwbs", write(tmp_path, "bad.csv", bad)),
            f'{tmp_path / "bad.csv"}:4: region "nowhere" is not one of north, midlands_east, london, south')


GOOD_HWB = "E06000005,Redcar and Cleveland,north\n"
HWB_HEADER = "code,name,region\n"
PROVIDER_HEADER = "code,name,sector,footprint\n"
PLAN_HEADER = PLANS.splitlines()[0] + "\n"
EVENT_HEADER = EVENTS.splitlines()[0] + "\n"
BOARD_HEADER = BOARD.splitlines()[0] + "\n"
CONCERN_HEADER = CONCERNS.splitlines()[0] + "\n"
ASSESSMENT_HEADER = ASSESSMENTS.splitlines()[0] + "\n"
EV = "EV-9,RTR,E06000001,2015-16,provider,2014-06-02,workshop,3,schemes,S,no,no,unconfirmed\n"

MALFORMED = {
    "missing and unexpected columns": ("hwbs", "code,nme,region\n" + GOOD_HWB, [
        ':1: the header is not that of a hwbs file (missing name; unexpected "nme"); '
        "it must be exactly: code,name,region"]),
    "columns in the wrong order": ("hwbs", "name,code,region\n", [
        ":1: the header is not that of a hwbs file (the columns are in the wrong order)"]),
    "empty file": ("hwbs", "", [":1: the file is empty; its first line must be the header: code,name,region"]),
    "not UTF-8": ("hwbs", (HWB_HEADER + GOOD_HWB).encode() + "E06000002,Middlesbrough é,north\n".encode("latin-1"),
                  [':3: this line is not UTF-8 text; save the file as "CSV UTF-8"']),
    "UTF-16": ("hwbs", (HWB_HEADER + GOOD_HWB).encode("utf-16"), [":1: this line is not UTF-8 text"]),
    "bad region and bad code": ("hwbs", HWB_HEADER + GOOD_HWB + "E0600000X,Nowhere,mars\n", [
        ':3: code "E0600000X" is not an ONS GSS code', ':3: region "mars" is not one of north, midlands_east']),
    "duplicate code": ("hwbs", HWB_HEADER + GOOD_HWB + "E06000002,B,north\n" + GOOD_HWB, [
        ":4: code E06000005: already given on line 2; each may appear only once in the file"]),
    "too many values": ("hwbs", HWB_HEADER + GOOD_HWB + "E06000002,B,north,extra\n", [
        ":3: this row has 4 values but a hwbs row has 3 (code,name,region)"]),
    "unknown sector": ("providers", PROVIDER_HEADER + "RTR,Trust,acute,\nX1,Dentist,dentistry,\n", [
        ':3: sector "dentistry" is not one of acute, primary_care, community, mental_health, ambulance, '
        "independent_social_care, housing, voluntary"]),
    "unknown footprint board": ("providers", PROVIDER_HEADER + "RTR,Trust,acute,E06000001;E06999999\n", [
        ":2: footprint: E06999999 is not a known health and wellbeing board"]),
    "unknown plan board": ("plans", PLAN_HEADER + "E06999999,2015-16,1,1,1,1,1,\n", [
        ":2: hwb_code E06999999 is not a known health and wellbeing board"]),
    "money not whole pounds": ("plans", PLAN_HEADER + "E06000001,2015-16,12.50,abc,-1,1,1,\n", [
        ':2: minimum_pool_gbp "12.50" is not a whole number of pounds', ':2: total_pool_gbp "abc" is not a number',
        ":2: nhs_contribution_gbp -1 must be 0 or more"]),
    "total below minimum": ("plans", PLAN_HEADER + "E06000001,2015-16,10,9,1,1,1,\n", [
        ":2: total_pool_gbp 9 is less than minimum_pool_gbp 10"]),
    "bad year, percentage and date": ("plans", PLAN_HEADER + "E06000001,2016-2017,1,1,1,1,101,2015-02-30\n", [
        ':2: year "2016-2017" must be a financial year like 2015-16',
        ":2: claimed_emergency_reduction_pct 101 must be between -100",
        ':2: final_submission "2015-02-30" is not a real date (use YYYY-MM-DD)']),
    "date in the wrong form": ("board-members", BOARD_HEADER + "E06000001,Ann,chair,,yes,01/04/2013,\n", [
        ':2: start "01/04/2013" is not a date in the form YYYY-MM-DD']),
    "end before start, unknown organisation, yes/no": (
        "board-members", BOARD_HEADER + "E06000001,Ann,chair,ZZZ,maybe,2014-04-01,2014-03-31\n", [
            ":2: organisation_code ZZZ is not a known provider", ':2: voting "maybe" must be yes or no',
            ":2: end 2014-03-31 is before start 2014-04-01"]),
    "duplicate board member": ("board-members", BOARD_HEADER + BOARD.splitlines()[1] + "\n" + BOARD.splitlines()[1]
                               + "\n", [":3: hwb_code E06000001, member_name Ann Chair, seat chair, start 2013-04-01: "
                                        "already given on line 2"]),
    "no plan for the year": ("concerns", CONCERN_HEADER + "C-9,E09000001,2015-16,RTR,2015-01-02,data,low,no,open,T\n",
                             [":2: there is no 2015-16 plan for E09000001 (import the plans first)"]),
    "bad concern enumerations": ("concerns", CONCERN_HEADER + "C-9,E06000001,2015-16,RTR,2015-01-02,money,dire,no,"
                                 "closed,\n", [':2: category "money" is not one of', ':2: severity "dire" is not',
                                               ':2: status "closed" is not one of', ":2: text is empty"]),
    "bad assessment": ("impact-assessments", ASSESSMENT_HEADER + "E06000001,2015-16,RTR,-3.555,1.5,maybe,\n", [
        ":2: emergency_admissions_change_pct -3.555 has more than 2 decimal places",
        ':2: financial_impact_gbp "1.5" is not a whole number of pounds', ':2: agreement "maybe" is not one of']),
    "event depth, topics, status": ("events", EVENT_HEADER + EV.replace(",3,schemes,", ",7,schemes;gossip,")
                                    .replace("unconfirmed", "maybe"), [
        ':2: depth "7" must be a whole number from 1 to 5', ':2: topics: "gossip" is not one of schemes',
        ':2: status "maybe" is not one of unconfirmed, confirmed, disputed']),
    "event rows disagree": ("events", EVENT_HEADER + EV + EV.replace("RTR", "RX3").replace("2014-06-02", "2014-06-03")
                            .replace(",3,", ",4,"), [
        ':3: event EV-9: date "2014-06-03" differs from "2014-06-02" on line 2; every row of an event must give '
        "the same date", ':3: event EV-9: depth "4" differs from "3" on line 2']),
    "event rows name different boards": ("events", EVENT_HEADER + EV + EV.replace("RTR,E06000001", "RX3,E06000002"), [
        ':3: event EV-9: hwb_code "E06000002" differs from "E06000001" on line 2']),
    "provider twice in one event": ("events", EVENT_HEADER + EV + EV.replace(",no,no,", ",no,yes,"), [
        ":3: provider_code RTR is already given for event EV-9 on line 2; each provider may appear once per event"]),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_files_are_refused_whole(case: str, runner: FlaskCliRunner, app_ctx: Flask,
                                           tmp_path: Path) -> None:
    load(runner, tmp_path, "hwbs", "providers", "plans")
    kind, text, messages = MALFORMED[case]
    before = {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
              for table in db.metadata.sorted_tables}
    path = write(tmp_path, "bad.csv", text)
    result = run(runner, kind, path)
    refused(result, *(path + message for message in messages))
    assert "Nothing was imported" in result.stderr
    after = {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
             for table in db.metadata.sorted_tables}
    assert after == before


def test_every_bad_row_is_reported_and_good_rows_are_not_written(runner: FlaskCliRunner, app_ctx: Flask,
                                                                tmp_path: Path) -> None:
    text = HWB_HEADER + GOOD_HWB + "E06000002,,north\n\nE06000003,C,west\nE06000004,D,south\n"
    path = write(tmp_path, "h.csv", text)
    result = run(runner, "hwbs", path)
    assert result.stderr.splitlines() == [
        f"{path}:3: name is empty; it must be given",
        f'{path}:5: region "west" is not one of north, midlands_east, london, south',
        "Nothing was imported: 2 problem(s) found.",
    ]
    assert result.exit_code == 1 and count(HWB) == 0 and count(AuditEntry) == 0


def test_header_only_imports_nothing(runner: FlaskCliRunner, app_ctx: Flask, tmp_path: Path) -> None:
    result = run(runner, "hwbs", write(tmp_path, "h.csv", HWB_HEADER))
    assert result.stdout == "hwbs: 0 rows read, 0 created, 0 updated, 0 unchanged\n"


@pytest.mark.parametrize("kind", ORDER)
def test_missing_file(kind: str, runner: FlaskCliRunner, app_ctx: Flask, tmp_path: Path) -> None:
    path = str(tmp_path / "nowhere.csv")
    refused(run(runner, kind, path), f"{path}: there is no such file")
    refused(run(runner, kind, str(tmp_path)), f"{tmp_path}: this is not a file")


def test_unknown_kind_is_a_usage_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = run(runner, "ccgs", write(tmp_path, "c.csv", "code\n"))
    assert result.exit_code == 2 and "'ccgs' is not one of" in result.output


# -- Re-imports keep what people did in the tracker since the last import, and say so; --overwrite replaces it --

TRACKER_DAY = date(2015, 3, 2)


def overwrite(runner: FlaskCliRunner, kind: str, path: str) -> Result:
    """Invoke `flask import --overwrite KIND PATH`."""
    return runner.invoke(args=["import", "--overwrite", kind, path], catch_exceptions=False)


def people(hwb_code: str = "E06000001", provider_code: str = "RTR") -> SimpleNamespace:
    """A user of the board and one of the provider, made after the imports."""
    hwb = db.session.scalar(sa.select(HWB).where(HWB.code == hwb_code))
    provider = db.session.scalar(sa.select(Provider).where(Provider.code == provider_code))
    return SimpleNamespace(board=make_user("hwb", "officer@board.example.org", hwb=hwb),
                           provider=make_user("provider", "lead@trust.example.org", provider=provider))


def participation(ref: str, code: str) -> Participation:
    db.session.expire_all()
    return db.session.scalars(sa.select(Participation).join(Participation.event).join(Participation.provider)
                              .where(EngagementEvent.ref == ref, Provider.code == code)).one()


def event(ref: str) -> EngagementEvent:
    db.session.expire_all()
    return db.session.scalars(sa.select(EngagementEvent).where(EngagementEvent.ref == ref)).one()


def row_entries(action: str | None = None) -> list[AuditEntry]:
    """The audit entries of rows imports created or changed, oldest first."""
    actions = (action,) if action else ("import_row_created", "import_row_changed")
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action.in_(actions))
                                   .order_by(AuditEntry.id)))


def day(moment) -> str:  # noqa: ANN001 - a stored timestamp
    """The date a report gives for a moment: the day in London."""
    return london_today(moment).isoformat()


def test_a_reimport_keeps_a_dispute_made_in_the_tracker_and_says_so(runner: FlaskCliRunner, app_ctx: Flask,
                                                                    tmp_path: Path) -> None:
    load(runner, tmp_path, "hwbs", "providers", "plans", "events")
    who = people()
    set_participation_status(db.session, who.board, participation("EV-1", "RX3"), "disputed", "They sent apologies")
    db.session.commit()
    disputed_at = participation("EV-1", "RX3").status_changed_at
    entries = len(row_entries())
    path = str(tmp_path / "events.csv")
    result = run(runner, "events", path)  # the same file, which says RX3's participation is unconfirmed
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "events: 3 rows read, 0 created, 0 updated, 2 unchanged, 1 kept as changed in the tracker\n"
        f"line 3: kept the dispute recorded in the tracker on {day(disputed_at)} by officer@board.example.org "
        "(event EV-1, provider RX3; the file gives unconfirmed); use --overwrite to replace it\n")
    kept = participation("EV-1", "RX3")
    assert (kept.status, kept.status_note, kept.status_changed_by_id) == ("disputed", "They sent apologies",
                                                                           who.board.id)
    assert len(row_entries()) == entries  # nothing changed, so no row was audited
    run_entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "import")
                                   .order_by(AuditEntry.id.desc())).first()
    assert run_entry.after == {"path": path, "created": 0, "updated": 0, "unchanged": 2, "kept": 1}

    result = overwrite(runner, "events", path)
    assert result.exit_code == 0, result.output
    assert result.stdout == "events: 3 rows read, 0 created, 1 updated, 2 unchanged\n"
    replaced = participation("EV-1", "RX3")
    assert (replaced.status, replaced.status_note, replaced.status_changed_by_id) == ("unconfirmed", "", None)
    [entry] = row_entries()[entries:]
    assert (entry.action, entry.actor, entry.entity_type, entry.entity_id) == (
        "import_row_changed", "cli", "engagement_event", "EV-1")
    assert (entry.before, entry.after) == ({"provider_code": "RX3", "status": "disputed"},
                                           {"provider_code": "RX3", "status": "unconfirmed"})
    # The file's value is now the last imported: a plain re-import changes nothing and reports nothing.
    assert run(runner, "events", path).stdout == "events: 3 rows read, 0 created, 0 updated, 3 unchanged\n"


def test_a_file_that_changes_what_a_tracker_answer_answered_leaves_the_event_alone(runner: FlaskCliRunner,
                                                                                    app_ctx: Flask,
                                                                                    tmp_path: Path) -> None:
    load(runner, tmp_path, "hwbs", "providers", "plans", "events")
    who = people()
    set_participation_status(db.session, who.board, participation("EV-1", "RX3"), "confirmed")
    db.session.commit()
    at = participation("EV-1", "RX3").status_changed_at
    deeper = write(tmp_path, "deeper.csv", EVENTS.replace("workshop,3,", "workshop,4,"))
    result = run(runner, "events", deeper)
    assert result.stdout == (
        "events: 3 rows read, 0 created, 0 updated, 1 unchanged, 2 kept as changed in the tracker\n"
        + "".join(f"line {line}: kept event EV-1 as confirmed in the tracker on {day(at)} by officer@board.example.org "
                  "(provider RX3; the file changes its depth); use --overwrite to replace it\n" for line in (2, 3)))
    assert event("EV-1").depth == 3 and participation("EV-1", "RX3").status == "confirmed"
    result = overwrite(runner, "events", deeper)
    assert result.stdout == "events: 3 rows read, 0 created, 2 updated, 1 unchanged\n"
    assert event("EV-1").depth == 4 and participation("EV-1", "RX3").status == "unconfirmed"
    entries = row_entries("import_row_changed")
    assert sorted(((e.before, e.after) for e in entries), key=str) == sorted([
        ({"depth": 3, "provider_code": "RTR"}, {"depth": 4, "provider_code": "RTR"}),
        ({"depth": 3, "provider_code": "RX3", "status": "confirmed"},
         {"depth": 4, "provider_code": "RX3", "status": "unconfirmed"})], key=str)


def test_an_event_changed_or_withdrawn_in_the_tracker_is_kept_whole(runner: FlaskCliRunner, app_ctx: Flask,
                                                                     tmp_path: Path) -> None:
    load(runner, tmp_path, "hwbs", "providers", "plans", "events")
    who = people("E06000002")
    ev1, ev2 = event("EV-1"), event("EV-2")
    update_event(db.session, who.provider, ev1, EventInput(
        date=ev1.date, kind=ev1.kind, depth=ev1.depth, topics=tuple(ev1.topic_codes), summary="Workshop, minuted",
        participations=(ParticipantInput("RTR", True), ParticipantInput("RX3", False))), today=TRACKER_DAY)
    withdraw_event(db.session, who.board, ev2, "Not a board meeting after all")
    db.session.commit()
    edited, withdrawn = event("EV-1").changed_in_tracker_at, event("EV-2").changed_in_tracker_at
    path = str(tmp_path / "events.csv")
    result = run(runner, "events", path)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "events: 3 rows read, 0 created, 0 updated, 0 unchanged, 3 kept as changed in the tracker",
        *(f"line {line}: kept the changes to event EV-1 made in the tracker on {day(edited)} by "
          "lead@trust.example.org; use --overwrite to replace them" for line in (2, 3)),
        f"line 4: kept the withdrawal of event EV-2 made in the tracker on {day(withdrawn)} by "
        "officer@board.example.org; use --overwrite to replace it"]
    assert (event("EV-1").summary, event("EV-2").withdrawn) == ("Workshop, minuted", True)
    assert row_entries("import_row_changed") == []
    result = overwrite(runner, "events", path)
    assert result.stdout == "events: 3 rows read, 0 created, 3 updated, 0 unchanged\n"
    ev1, ev2 = event("EV-1"), event("EV-2")
    assert (ev1.summary, ev1.changed_in_tracker_at) == ("Workshop, with notes", None)
    assert (ev2.withdrawn, ev2.withdrawn_at, ev2.changed_in_tracker_at) == (False, None, None)
    assert run(runner, "events", path).stdout == "events: 3 rows read, 0 created, 0 updated, 3 unchanged\n"


def test_every_row_an_import_creates_or_changes_is_audited_with_before_and_after(runner: FlaskCliRunner,
                                                                                  app_ctx: Flask,
                                                                                  tmp_path: Path) -> None:
    load(runner, tmp_path, "hwbs", "providers", "plans", "board-members", "events", "concerns",
         "impact-assessments")
    created = row_entries("import_row_created")
    assert {(e.entity_type, e.entity_id) for e in created} >= {
        ("hwb", "E06000001"), ("provider", "RTR"), ("engagement_event", "EV-1"), ("concern", "C-1")}
    assert all(e.before is None and e.after and e.actor == "cli" and e.actor_id is None for e in created)
    rtr = next(e for e in created if e.entity_type == "engagement_event" and e.after["provider_code"] == "RTR"
               and e.entity_id == "EV-1")
    assert rtr.after == {"hwb_code": "E06000001", "year": "2015-16", "recorded_by": "provider",
                         "recorded_by_provider": "RTR", "date": "2014-06-02", "kind": "workshop", "depth": 3,
                         "topics": ["acute_impact", "schemes"], "summary": "Workshop, with notes", "withdrawn": False,
                         "provider_code": "RTR", "leadership": True, "status": "confirmed"}
    provider = next(e for e in created if e.entity_type == "provider" and e.entity_id == "RTR")
    assert provider.after == {"code": "RTR", "name": "South Tees Hospitals", "sector": "acute",
                              "footprint": ["E06000001", "E06000002"]}
    assessment = next(e for e in created if e.entity_type == "impact_assessment")
    assert assessment.after["emergency_admissions_change_pct"] == "-3.5"
    assert {e.entity_type for e in created} == {"hwb", "provider", "plan", "board_membership", "engagement_event",
                                                "concern", "impact_assessment"}
    assert len(created) == sum(ROWS.values())

    changes = {"hwbs": HWBS.replace("Hartlepool,north", "Hartlepool BC,north"),
               "providers": PROVIDERS.replace("mental_health,E06000001", "mental_health,E06000001;E06000002"),
               "events": EVENTS.replace(",Board,no,no,disputed", ",Board,no,yes,confirmed"),
               "concerns": CONCERNS.replace("Not invited", "Not invited to the workshop"),
               "impact-assessments": ASSESSMENTS.replace("0,0,agree,", "1,-5000,partly,Less")}
    for kind, text in changes.items():
        assert run(runner, kind, write(tmp_path, f"changed-{kind}.csv", text)).exit_code == 0
    changed = {(e.entity_type, e.entity_id): (e.before, e.after) for e in row_entries("import_row_changed")}
    new_version = db.session.scalar(sa.select(ImpactAssessment.id).where(ImpactAssessment.version == 2))
    assert changed == {
        ("hwb", "E06000001"): ({"code": "E06000001", "name": "Hartlepool"},
                               {"code": "E06000001", "name": "Hartlepool BC"}),
        ("provider", "RX3"): ({"code": "RX3", "footprint": ["E06000001"]},
                              {"code": "RX3", "footprint": ["E06000001", "E06000002"]}),
        ("engagement_event", "EV-2"): ({"provider_code": "RTR", "leadership": False, "status": "disputed"},
                                       {"provider_code": "RTR", "leadership": True, "status": "confirmed"}),
        ("concern", "C-2"): ({"ref": "C-2", "text": "Not invited"},
                             {"ref": "C-2", "text": "Not invited to the workshop"}),
        ("impact_assessment", str(new_version)): (
            {"hwb_code": "E06000002", "year": "2015-16", "provider_code": "RTR", "emergency_admissions_change_pct": "0",
             "financial_impact_gbp": 0, "agreement": "agree", "comments": ""},
            {"hwb_code": "E06000002", "year": "2015-16", "provider_code": "RTR", "emergency_admissions_change_pct": "1",
             "financial_impact_gbp": -5000, "agreement": "partly", "comments": "Less"})}
    # The same files again: nothing changes, and no row is audited.
    entries = len(row_entries())
    for kind in changes:
        result = run(runner, kind, str(tmp_path / f"changed-{kind}.csv"))
        assert " 0 created, 0 updated" in result.stdout, result.stdout
    assert len(row_entries()) == entries


def test_a_concern_answered_in_the_tracker_keeps_its_status(runner: FlaskCliRunner, app_ctx: Flask,
                                                            tmp_path: Path) -> None:
    load(runner, tmp_path, "hwbs", "providers", "plans", "concerns")
    who = people()
    c1 = db.session.scalar(sa.select(Concern).where(Concern.ref == "C-1"))
    take_action(db.session, who.board, c1, "acknowledge", "", today=TRACKER_DAY, respond_days=20)
    db.session.commit()
    at = db.session.scalars(sa.select(ConcernStep.at).where(ConcernStep.concern_id == c1.id)
                            .order_by(ConcernStep.id.desc())).first()
    text = CONCERNS.replace("A&E is not modelled", "A&E is not modelled at all")
    path = write(tmp_path, "c.csv", text)
    result = run(runner, "concerns", path)
    assert result.stdout == (
        "concerns: 2 rows read, 0 created, 0 updated, 1 unchanged, 1 kept as changed in the tracker\n"
        f"line 2: kept the status acknowledged of concern C-1 set in the tracker on {day(at)} by "
        "officer@board.example.org (the file gives open); use --overwrite to replace it\n")
    db.session.expire_all()
    c1 = db.session.scalar(sa.select(Concern).where(Concern.ref == "C-1"))
    assert (c1.status, c1.text) == ("acknowledged", "Demand on A&E is not modelled at all")  # the rest is the file's
    result = overwrite(runner, "concerns", path)
    assert result.stdout == "concerns: 2 rows read, 0 created, 1 updated, 1 unchanged\n"
    db.session.expire_all()
    c1 = db.session.scalar(sa.select(Concern).where(Concern.ref == "C-1"))
    assert c1.status == "open"
    assert [(s.actor_side, s.from_status, s.to_status) for s in c1.history][-1] == ("import", "acknowledged", "open")
    assert run(runner, "concerns", path).stdout == "concerns: 2 rows read, 0 created, 0 updated, 2 unchanged\n"


def test_a_concern_raised_in_the_tracker_is_kept_whole(runner: FlaskCliRunner, app_ctx: Flask,
                                                       tmp_path: Path) -> None:
    load(runner, tmp_path, "hwbs", "providers", "plans")
    who = people()
    plan = db.session.scalar(sa.select(Plan).join(HWB).where(HWB.code == "E06000001"))
    concern = raise_concern(db.session, who.provider, plan, ConcernInput("data", "low", "In confidence", True),
                            today=TRACKER_DAY, acknowledge_days=3, respond_days=20)
    db.session.commit()
    at = concern.history[0].at
    row = f"{concern.ref},E06000001,2015-16,RTR,{TRACKER_DAY},data,low,no,open,Not in confidence\n"
    result = run(runner, "concerns", write(tmp_path, "c.csv", CONCERN_HEADER + row))
    assert result.stdout == (
        "concerns: 1 rows read, 0 created, 0 updated, 0 unchanged, 1 kept as changed in the tracker\n"
        f"line 2: kept concern {concern.ref} as it was last changed in the tracker on {day(at)} by "
        "lead@trust.example.org; use --overwrite to replace it\n")
    db.session.expire_all()
    assert db.session.get(Concern, concern.id).confidential is True


def test_an_assessment_saved_in_the_tracker_stays_current(runner: FlaskCliRunner, app_ctx: Flask,
                                                          tmp_path: Path) -> None:
    load(runner, tmp_path, "hwbs", "providers", "plans", "impact-assessments")
    who = people()
    plan = db.session.scalar(sa.select(Plan).join(HWB).where(HWB.code == "E06000001"))
    saved = save_assessment(db.session, who.provider, plan, AssessmentInput("-5", "-4000000", "disagree", "Worse"))
    db.session.commit()
    path = str(tmp_path / "impact-assessments.csv")
    result = run(runner, "impact-assessments", path)
    assert result.stdout == (
        "impact-assessments: 2 rows read, 0 created, 0 updated, 1 unchanged, 1 kept as changed in the tracker\n"
        f"line 2: kept the assessment (version 2) saved in the tracker on {day(saved.created_at)} by "
        "lead@trust.example.org; use --overwrite to replace it\n")
    current = lambda: db.session.scalar(sa.select(ImpactAssessment).where(  # noqa: E731
        ImpactAssessment.plan_id == plan.id, ImpactAssessment.is_current.is_(True)))
    assert (current().version, current().agreement) == (2, "disagree")
    assert overwrite(runner, "impact-assessments", path).stdout == (
        "impact-assessments: 2 rows read, 0 created, 1 updated, 1 unchanged\n")
    db.session.expire_all()
    assert (current().version, current().agreement, current().created_by_id) == (3, "partly", None)
