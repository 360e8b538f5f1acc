"""The write-side services behind the workspaces: concerns, confirmations, event changes, impact assessments."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_hwb, make_plan, make_provider, make_user
from tracker.domain.assessments import AssessmentInput, AssessmentRejected, save_assessment
from tracker.domain.concerns import (
    ConcernInput,
    ConcernRejected,
    allowed_actions,
    is_overdue,
    raise_concern,
    take_action,
)
from tracker.domain.engagement import (
    EventInput,
    EventRejected,
    ParticipantInput,
    record_event,
    set_participation_status,
    update_event,
    withdraw_event,
)
from tracker.models import AuditEntry, ImpactAssessment
from tracker.web.extensions import db

TODAY = date(2014, 10, 1)  # a Wednesday


@pytest.fixture
def scene(app_ctx):
    hwb = make_hwb()
    acute = make_provider("acute", footprint=[hwb])
    care = make_provider("independent_social_care", footprint=[hwb])
    plan = make_plan(hwb)
    users = {"provider": make_user("provider", provider=acute), "care_user": make_user("provider", provider=care),
             "hwb": make_user("hwb", hwb=hwb), "assurer": make_user("assurer")}
    db.session.commit()
    return {"plan": plan, "acute": acute, "care": care, **users}


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def event_input(**changes) -> EventInput:
    values = {"date": date(2014, 6, 1), "kind": "meeting", "depth": 3, "topics": ("schemes",),
              "summary": "Met to discuss schemes", "participations": (ParticipantInput("X"),)}
    values.update(changes)
    return EventInput(**values)


def test_concern_lifecycle_keeps_every_step(scene) -> None:
    concern = raise_concern(db.session, scene["provider"], scene["plan"],
                            ConcernInput("acute_demand", "high", "Admissions will rise", False),
                            today=TODAY, acknowledge_days=3, respond_days=20)
    assert (concern.acknowledge_due, concern.respond_due) == (date(2014, 10, 6), date(2014, 10, 29))
    take_action(db.session, scene["hwb"], concern, "acknowledge", "", today=TODAY, respond_days=20)
    with pytest.raises(ConcernRejected, match="Enter your message"):
        take_action(db.session, scene["hwb"], concern, "respond", "  ", today=TODAY, respond_days=20)
    take_action(db.session, scene["hwb"], concern, "respond", "We will fund a discharge team",
                today=TODAY, respond_days=20)
    take_action(db.session, scene["provider"], concern, "reopen", "Not enough", today=date(2014, 11, 3),
                respond_days=20)
    assert concern.status == "acknowledged" and concern.respond_due == date(2014, 12, 1)
    take_action(db.session, scene["provider"], concern, "escalate", "No answer", today=TODAY, respond_days=20)
    with pytest.raises(ConcernRejected):  # the board cannot act once assurers hold it
        take_action(db.session, scene["hwb"], concern, "respond", "late", today=TODAY, respond_days=20)
    take_action(db.session, scene["provider"], concern, "resolve", "", today=TODAY, respond_days=20)
    assert [s.to_status for s in concern.history] == ["open", "acknowledged", "responded", "acknowledged",
                                                      "escalated", "resolved"]
    assert all(s.actor_id for s in concern.history)
    assert actions() == ["concern_raised", "concern_acknowledge", "concern_respond", "concern_reopen",
                         "concern_escalate", "concern_resolve"]
    with pytest.raises(ConcernRejected):
        take_action(db.session, scene["provider"], concern, "escalate", "again", today=TODAY, respond_days=20)


def test_the_board_cannot_act_on_a_confidential_concern() -> None:
    assert allowed_actions("open", "hwb", confidential=True) == []
    assert [a.name for a in allowed_actions("open", "assurer", confidential=True)] == ["acknowledge", "respond"]
    assert allowed_actions("open", "assurer", confidential=False) == []


@pytest.mark.parametrize("status, today, overdue", [
    ("open", date(2014, 10, 6), False),   # due today is not overdue
    ("open", date(2014, 10, 7), True),
    ("acknowledged", date(2014, 10, 7), False),
    ("acknowledged", date(2014, 10, 30), True),
    ("responded", date(2015, 1, 1), False),
    ("escalated", date(2015, 1, 1), False),
    ("resolved", date(2015, 1, 1), False),
])
def test_overdue_depends_on_what_is_due_next(status, today, overdue) -> None:
    assert is_overdue(status, date(2014, 10, 6), date(2014, 10, 29), today) is overdue


def test_invalid_concern_changes_nothing(scene) -> None:
    with pytest.raises(ConcernRejected, match="Select what the concern is about"):
        raise_concern(db.session, scene["provider"], scene["plan"], ConcernInput("gossip", "high", "x", False),
                      today=TODAY, acknowledge_days=3, respond_days=20)
    assert actions() == []


def test_event_edit_keeps_providers_still_named_and_asks_again_about_what_changed(scene) -> None:
    acute, care = scene["acute"].code, scene["care"].code
    event = record_event(db.session, scene["provider"], scene["plan"], event_input(
        participations=(ParticipantInput(acute), ParticipantInput(care))), today=TODAY)
    set_participation_status(db.session, scene["hwb"], event.participations[1], "confirmed")
    update_event(db.session, scene["provider"], event, event_input(
        participations=(ParticipantInput(acute, True), ParticipantInput(care))), today=TODAY)
    by_provider = {p.provider_id: p for p in event.participations}
    assert by_provider[scene["care"].id].status == "confirmed"  # another's leadership is not what care answered
    assert by_provider[scene["acute"].id].leadership is True
    update_event(db.session, scene["provider"], event, event_input(
        depth=4, participations=(ParticipantInput(acute, True), ParticipantInput(care))), today=TODAY)
    assert event.depth == 4 and by_provider[scene["care"].id].status == "unconfirmed"  # asked again
    with pytest.raises(EventRejected) as rejected:
        update_event(db.session, scene["provider"], event, event_input(participations=(ParticipantInput(care),)),
                     today=TODAY)
    assert "participations" in rejected.value.errors
    withdraw_event(db.session, scene["provider"], event, "Recorded twice")
    assert event.withdrawn and event.withdrawn_at is not None
    with pytest.raises(EventRejected):
        update_event(db.session, scene["provider"], event, event_input(participations=(ParticipantInput(acute),)),
                     today=TODAY)
    assert actions() == ["event_recorded", "participation_confirmed", "event_changed", "event_changed",
                         "participation_reset", "event_withdrawn"]
    change = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "event_changed")).all()[-1]
    assert change.before["depth"] == 3 and change.after["depth"] == 4


def test_impact_assessment_versions(scene) -> None:
    values = AssessmentInput("-2.5", "-1,200,000", "partly", "Fewer admissions, less income")
    first = save_assessment(db.session, scene["provider"], scene["plan"], values)
    assert save_assessment(db.session, scene["provider"], scene["plan"], values) is first  # unchanged
    second = save_assessment(db.session, scene["provider"], scene["plan"],
                             AssessmentInput("-4", "-2000000", "disagree", ""))
    db.session.commit()
    rows = db.session.scalars(sa.select(ImpactAssessment).order_by(ImpactAssessment.version)).all()
    assert [(r.version, r.is_current, r.agreement) for r in rows] == [(1, False, "partly"), (2, True, "disagree")]
    assert second.financial_impact_gbp == -2_000_000
    with pytest.raises(AssessmentRejected) as rejected:
        save_assessment(db.session, scene["provider"], scene["plan"], AssessmentInput("lots", "1.5", "maybe", ""))
    assert set(rejected.value.errors) == {"emergency_admissions_change_pct", "financial_impact_gbp", "agreement"}
