"""Evidence as at a date, case by case: the two cases the issue names, and one for each part of PRODUCT.md's
definition that a random history reaches only now and then (re-imports over a tracker change, a reopened concern's
due date, imported assessments' dates, a concern kept without steps)."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests import factories as make
from tracker.domain.assessments import AssessmentInput, save_assessment
from tracker.domain.clock import london_today
from tracker.domain.concerns import ConcernInput, raise_concern, take_action
from tracker.domain.engagement import (
    EventInput,
    ParticipantInput,
    record_event,
    set_participation_status,
    update_event,
    withdraw_event,
)
from tracker.domain.evidence import PlanEvidence, load_thresholds, plan_evidence
from tracker.domain.working_days import add_working_days
from tracker.imports.base import Settings
from tracker.imports.runner import ImportRefused, run_import
from tracker.models import EngagementEvent, ImpactAssessment
from tracker.web.extensions import db

EVENTS_HEADER = ("event_ref,provider_code,hwb_code,year,recorded_by,date,kind,depth,topics,summary,withdrawn,"
                 "leadership,status\n")
ASSESSMENTS_HEADER = ("hwb_code,year,provider_code,emergency_admissions_change_pct,financial_impact_gbp,agreement,"
                      "comments")


@pytest.fixture
def board(app_ctx) -> SimpleNamespace:
    """A board's plan served by an acute trust and a community provider, with a user for each side."""
    hwb = make.make_hwb("E06000001")
    acute = make.make_provider("acute", [hwb], code="RAC")
    community = make.make_provider("community", [hwb], code="RCO")
    world = SimpleNamespace(hwb=hwb, acute=acute, community=community, plan=make.make_plan(hwb),
                            board=make.make_user("hwb", hwb=hwb), acute_user=make.make_user("provider", provider=acute),
                            community_user=make.make_user("provider", provider=community),
                            assurer=make.make_user("assurer"))
    db.session.commit()
    return world


def as_at(world: SimpleNamespace, day: date | None) -> PlanEvidence:
    """The plan's evidence as at the end of `day` (None: today's, from the summaries)."""
    return plan_evidence(db.session, world.plan.id, london_today(), load_thresholds(db.session), day)


def record(world: SimpleNamespace, day: date, when: date, *providers: object) -> EngagementEvent:
    """The board records, on `day`, an event of `when` naming the providers."""
    event = record_event(db.session, world.board, world.plan, EventInput(
        when, "meeting", 3, ("schemes",), "Met", tuple(ParticipantInput(p.code) for p in providers)), today=day)
    db.session.commit()
    return event


def run(kind: str, tmp_path: Path, text: str) -> None:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    run_import(db.session, kind, str(path), Settings(overwrite=True))
    db.session.commit()


def test_an_event_recorded_today_with_a_2014_date_does_not_count_as_at_any_earlier_day(board) -> None:
    today = london_today()
    record(board, today, date(2014, 6, 12), board.acute)
    for day in (date(2014, 6, 12), date(2014, 6, 13), date(2014, 12, 31), today - timedelta(days=1)):
        figures = as_at(board, day)
        assert figures.as_of == day
        assert (figures.facts.counted, figures.facts.engaged_total, figures.coverage) == (0, 0, 0.0)
    for figures in (as_at(board, None), as_at(board, today)):  # today's: the summaries
        assert figures.as_of is None and (figures.facts.counted, figures.coverage) == (1, 0.5)


def test_a_confirmation_made_today_does_not_count_as_at_yesterday(board) -> None:
    today = london_today()
    event = record(board, today - timedelta(days=30), date(2014, 6, 12), board.acute)
    set_participation_status(db.session, board.acute_user, event.participations[0], "confirmed", today=today)
    db.session.commit()
    yesterday = as_at(board, today - timedelta(days=1))
    assert (yesterday.facts.counted, yesterday.facts.corroborated, yesterday.corroboration) == (1, 0, 0.0)
    assert (as_at(board, None).facts.corroborated, as_at(board, None).corroboration) == (1, 1.0)


def test_disputes_withdrawals_and_providers_named_later_count_from_their_day(board) -> None:
    start = date(2014, 9, 1)
    event = record(board, start, date(2014, 8, 1), board.acute)
    update_event(db.session, board.board, event, EventInput(
        date(2014, 8, 1), "meeting", 3, ("schemes",), "Met",
        (ParticipantInput("RAC"), ParticipantInput("RCO"))), today=start + timedelta(days=2))
    db.session.commit()
    set_participation_status(db.session, board.acute_user, event.participations[0], "disputed",
                             today=start + timedelta(days=4))
    withdraw_event(db.session, board.board, event, "Wrong board", today=start + timedelta(days=6))
    db.session.commit()
    counted = [as_at(board, start + timedelta(days=n)).facts.counted for n in range(-1, 8)]
    assert counted == [0, 1, 1, 2, 2, 1, 1, 0, 0]


def test_an_imported_event_counts_from_its_own_date_and_a_re_import_holds_from_then_on(board, tmp_path) -> None:
    row = "EV-IMP,RAC,E06000001,2015-16,hwb,2014-06-02,workshop,3,schemes,Workshop,no,no,{}\n"
    run("events", tmp_path, EVENTS_HEADER + row.format("unconfirmed"))  # loaded today, dated 2 June 2014
    assert as_at(board, date(2014, 6, 1)).facts.counted == 0
    assert as_at(board, date(2014, 6, 2)).facts.counted == 1
    # The tracker confirms it on 1 September; a later import says it was disputed: the file holds from its date.
    event = db.session.scalar(db.select(EngagementEvent).where(EngagementEvent.ref == "EV-IMP"))
    set_participation_status(db.session, board.acute_user, event.participations[0], "confirmed",
                             today=date(2014, 9, 1))
    db.session.commit()
    assert as_at(board, date(2014, 9, 1)).facts.corroborated == 1
    run("events", tmp_path, EVENTS_HEADER + row.format("disputed"))
    for day in (date(2014, 6, 2), date(2014, 9, 1), date(2014, 12, 1)):
        assert as_at(board, day).facts.counted == 0
    assert as_at(board, None).facts.counted == 0


def test_a_concern_is_judged_against_the_due_date_in_force_on_the_day(board) -> None:
    raised = date(2014, 9, 1)  # a Monday
    concern = raise_concern(db.session, board.community_user, board.plan, ConcernInput(
        "excluded", "high", "Not asked", False), today=raised, acknowledge_days=3, respond_days=20)
    take_action(db.session, board.board, concern, "acknowledge", "", today=raised + timedelta(days=1), respond_days=20)
    first_due = add_working_days(raised, 20)
    late = first_due + timedelta(days=1)
    take_action(db.session, board.board, concern, "respond", "Done", today=late + timedelta(days=2), respond_days=20)
    take_action(db.session, board.community_user, concern, "reopen", "Not done", today=late + timedelta(days=4),
                respond_days=20)
    db.session.commit()
    assert concern.respond_due > late  # the reopening moved the response date on
    before = as_at(board, raised - timedelta(days=1)).facts
    owed = as_at(board, late).facts  # acknowledged, its first response date passed
    answered = as_at(board, late + timedelta(days=2)).facts
    reopened = as_at(board, late + timedelta(days=4)).facts
    assert (before.concerns_open, owed.concerns_open, owed.concerns_overdue) == (0, 1, 1)
    assert (answered.concerns_open, answered.concerns_overdue) == (1, 0)
    assert (reopened.concerns_open, reopened.concerns_overdue) == (1, 0)


def test_a_concern_without_steps_stands_as_it_is_from_its_raised_date(board) -> None:
    make.make_concern(board.plan, board.acute, "open", raised=date(2014, 9, 1))  # no steps: loaded as it is
    db.session.commit()
    assert as_at(board, date(2014, 8, 31)).facts.concerns_open == 0
    assert as_at(board, date(2014, 9, 1)).facts.concerns_open == 1
    assert as_at(board, date(2014, 9, 10)).facts.concerns_overdue == 1


def test_impact_assessments_count_in_the_version_current_on_the_day(board, tmp_path) -> None:
    save_assessment(db.session, board.acute_user, board.plan, AssessmentInput("-2", "-1000", "agree", ""),
                    today=date(2014, 9, 1))
    save_assessment(db.session, board.acute_user, board.plan, AssessmentInput("-2", "-1000", "disagree", ""),
                    today=date(2014, 9, 5))
    db.session.commit()
    agreeing = [(f.assessments, f.assessments_agreeing) for f in
                (as_at(board, date(2014, 8, 31)).facts, as_at(board, date(2014, 9, 4)).facts,
                 as_at(board, date(2014, 9, 5)).facts)]
    assert agreeing == [(0, 0), (1, 1), (1, 0)]
    # An import with an `assessed` date: the new version holds from that date.
    run("impact-assessments", tmp_path, f"{ASSESSMENTS_HEADER},assessed\n"
                                        "E06000001,2015-16,RAC,-1,-500,partly,,2014-09-03\n")
    assert (as_at(board, date(2014, 9, 3)).facts.assessments_agreeing,
            as_at(board, date(2014, 9, 10)).facts.assessments_agreeing) == (1, 1)


def test_an_imported_assessment_without_a_date_holds_from_the_day_of_the_import(board, tmp_path) -> None:
    run("impact-assessments", tmp_path, f"{ASSESSMENTS_HEADER}\nE06000001,2015-16,RCO,-1,-500,agree,\n")
    stored = db.session.scalar(db.select(ImpactAssessment))
    assert stored.assessed_on == london_today()
    assert as_at(board, london_today() - timedelta(days=1)).facts.assessments == 0


def test_an_assessed_date_in_the_future_is_refused(board, tmp_path) -> None:
    tomorrow = (london_today() + timedelta(days=1)).isoformat()
    with pytest.raises(ImportRefused) as refused:
        run("impact-assessments", tmp_path,
            f"{ASSESSMENTS_HEADER},assessed\nE06000001,2015-16,RCO,-1,-500,agree,,{tomorrow}\n")
    assert refused.value.messages == [
        f"{tmp_path / 'impact-assessments.csv'}:2: assessed {tomorrow} is in the future; it must be today or earlier"]
