"""The impact assessment, the CSV export and the provider's home page."""
from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import sign_in_as
from tests.provider.conftest import audit_actions, count, event_form
from tracker.domain.concerns import ConcernInput, raise_concern
from tracker.domain.engagement import EventInput, ParticipantInput, record_event
from tracker.models import EngagementEvent, ImpactAssessment, Participation
from tracker.provider.queries import Engagement, own_engagement
from tracker.web.extensions import db

ASSESSMENT = {"emergency_admissions_change_pct": "-2.5", "financial_impact_gbp": "-£250,000",
              "agreement": "partly", "comments": "The discharge scheme is too small"}


def test_giving_and_updating_an_impact_assessment_keeps_every_version(client, scene) -> None:
    sign_in_as(client, scene.user)
    page = client.get(f"{scene.base}/assessment").get_data(as_text=True)
    assert "The plan claims a 3.5% reduction in emergency admissions" in page
    assert client.post(f"{scene.base}/assessment", data=ASSESSMENT).status_code == 303
    assert client.post(f"{scene.base}/assessment", data={**ASSESSMENT, "agreement": "disagree"}).status_code == 303
    versions = db.session.scalars(sa.select(ImpactAssessment).order_by(ImpactAssessment.version)).all()
    assert [(v.version, v.is_current, v.agreement) for v in versions] == [(1, False, "partly"), (2, True, "disagree")]
    assert (versions[1].emergency_admissions_change_pct, versions[1].financial_impact_gbp) == (Decimal("-2.5"), -250000)
    assert audit_actions() == ["impact_assessment_saved", "impact_assessment_saved"]
    # The form shows the current version; sending it unchanged makes no new version.
    page = client.get(f"{scene.base}/assessment").get_data(as_text=True)
    assert 'value="-2.50"' in page and "This will replace version 2" in page and "Partly agree" in page
    response = client.post(f"{scene.base}/assessment", data={**ASSESSMENT, "agreement": "disagree"})
    assert "no new version" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert count(ImpactAssessment) == 2


@pytest.mark.parametrize("changes, message", [
    ({"emergency_admissions_change_pct": "a lot"}, "Expected change in emergency admissions must be a number"),
    ({"emergency_admissions_change_pct": "-101"}, "Expected change in emergency admissions must be a number"),
    ({"financial_impact_gbp": "1.5"}, "Financial impact must be a whole number of pounds"),
    ({"financial_impact_gbp": ""}, "Financial impact must be a whole number of pounds"),
    ({"agreement": ""}, "Select whether you agree with the plan"),
    ({"comments": "x" * 10_001}, "Comments must be 10,000 characters or fewer"),
])
def test_an_invalid_assessment_is_not_saved_and_keeps_what_was_typed(client, scene, changes, message) -> None:
    sign_in_as(client, scene.user)
    html = client.post(f"{scene.base}/assessment", data={**ASSESSMENT, **changes}).get_data(as_text=True)
    assert message in html and "<title>Error: " in html
    if "financial_impact_gbp" not in changes:
        assert 'value="-£250,000"' in html
    assert count(ImpactAssessment) == 0 and audit_actions() == []


def test_an_assessment_of_a_plan_outside_the_footprint_is_not_found(client, scene) -> None:
    sign_in_as(client, scene.user)
    assert client.post(f"{scene.other_base}/assessment", data=ASSESSMENT).status_code == 404
    assert count(ImpactAssessment) == 0


def board_event(scene, when: date, codes=("RME",), depth: int = 2) -> EngagementEvent:
    event = record_event(db.session, scene.hwb_user, scene.plan, EventInput(
        date=when, kind="board_meeting", depth=depth, topics=("schemes",), summary="Board meeting",
        participations=tuple(ParticipantInput(c) for c in codes)), today=date(2014, 10, 1))
    db.session.commit()
    return event


def test_own_engagement_counts_only_counted_participations(scene) -> None:
    board_event(scene, date(2014, 6, 1), depth=2)
    board_event(scene, date(2014, 6, 20), depth=3)
    board_event(scene, date(2014, 8, 5), depth=1)
    withdrawn = board_event(scene, date(2014, 9, 1), depth=5)
    withdrawn.withdrawn = True
    disputed = board_event(scene, date(2014, 7, 1), depth=4)
    disputed.participations[0].status = "disputed"
    board_event(scene, date(2014, 7, 2), codes=("RPART",), depth=5)  # not ours
    db.session.commit()
    assert own_engagement(scene.me.id, [scene.plan.id, scene.other_plan.id]) == {
        scene.plan.id: Engagement(events=3, highest_depth=3, months=2)}
    assert own_engagement(scene.me.id, []) == {}


def test_the_home_page_shows_each_board_with_its_figures_concerns_and_what_waits(client, scene) -> None:
    board_event(scene, date(2014, 6, 1), depth=3)
    board_event(scene, date(2014, 8, 5), depth=2)
    raise_concern(db.session, scene.user, scene.plan, ConcernInput("excluded", "high", "Not invited", False),
                  today=date(2014, 10, 1), acknowledge_days=3, respond_days=20)
    raise_concern(db.session, scene.stranger_user, scene.other_plan,
                  ConcernInput("data", "low", "Someone else's", False), today=date(2014, 10, 1),
                  acknowledge_days=3, respond_days=20)
    db.session.commit()
    sign_in_as(client, scene.user)
    html = client.get("/provider/").get_data(as_text=True)
    assert "County Durham" in html and "Barking and Dagenham" not in html
    assert "Submitted" in html  # the plan's status
    assert "3 Involve" in html and "Your events" in html
    assert "Due from the board: acknowledgement due 6 October 2014" in html and "Excluded from planning" in html
    assert "next answer due 6 October 2014" in html
    assert "Someone else" not in html and "Data</a>" not in html
    assert html.count("/answer") == 2  # two board events wait for an answer


def test_the_plan_page_lists_what_names_the_provider(client, scene) -> None:
    board_event(scene, date(2014, 6, 1), codes=("RPART",))
    sign_in_as(client, scene.user)
    client.post(f"{scene.base}/events/new", data=event_form(others=[], summary="Ours"))
    html = client.get(scene.base).get_data(as_text=True)
    assert "Events that name you (1)" in html and "Record an event" in html
    assert client.get(scene.other_base).status_code == 404


def read_csv(response) -> list[dict[str, str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_exporting_the_providers_own_record(client, scene) -> None:
    sign_in_as(client, scene.user)
    client.post(f"{scene.base}/events/new", data=event_form(summary="Ours, with the partner"))
    theirs = board_event(scene, date(2014, 6, 1), codes=("RPART",))  # does not name us: not exported
    client.post(f"{scene.base}/concerns/new", data={"category": "data", "severity": "low", "text": "Data, please",
                                                   "confidential": "yes"})
    client.post(f"{scene.base}/concerns/check")
    client.post(f"{scene.base}/assessment", data=ASSESSMENT)
    sign_in_as(client, scene.partner_user)
    client.post(f"{scene.base}/assessment", data={**ASSESSMENT, "agreement": "agree"})  # not ours
    sign_in_as(client, scene.user)

    response = client.get(f"{scene.base}/export/events.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="E06000047-2015-16-RME-events.csv"'
    rows = read_csv(response)
    event = db.session.scalars(sa.select(EngagementEvent).where(EngagementEvent.ref != theirs.ref)).one()
    assert list(rows[0]) == ["event_ref", "provider_code", "hwb_code", "year", "recorded_by", "date", "kind", "depth",
                             "topics", "summary", "withdrawn", "leadership", "status"]
    assert rows == [
        {"event_ref": event.ref, "provider_code": code, "hwb_code": "E06000047", "year": "2015-16",
         "recorded_by": "provider", "date": "2014-06-12", "kind": "workshop", "depth": "3",
         "topics": "acute_impact;schemes", "summary": "Ours, with the partner", "withdrawn": "no",
         "leadership": leadership, "status": "unconfirmed"} for code, leadership in (("RME", "yes"), ("RPART", "no"))]

    concerns = read_csv(client.get(f"{scene.base}/export/concerns.csv"))
    assert [(c["provider_code"], c["category"], c["confidential"], c["status"], c["text"]) for c in concerns] == [
        ("RME", "data", "yes", "open", "Data, please")]
    assessments = read_csv(client.get(f"{scene.base}/export/impact-assessments.csv"))
    assert assessments == [{"hwb_code": "E06000047", "year": "2015-16", "provider_code": "RME",
                            "emergency_admissions_change_pct": "-2.50", "financial_impact_gbp": "-250000",
                            "agreement": "partly", "comments": "The discharge scheme is too small"}]
    assert client.get(f"{scene.base}/export/users.csv").status_code == 404
    assert client.get(f"{scene.other_base}/export/events.csv").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participation)) == 3
