"""Confirming or disputing the events a board recorded about the provider."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import sign_in_as
from tests.provider.conftest import audit_actions, event_form
from tracker.domain.engagement import EventInput, ParticipantInput, record_event
from tracker.models import AuditEntry, EngagementEvent, Participation
from tracker.web.extensions import db


def board_event(scene, codes=("RME", "RPART")) -> EngagementEvent:
    event = record_event(db.session, scene.hwb_user, scene.plan, EventInput(
        date=date(2014, 7, 3), kind="board_meeting", depth=2, topics=("schemes",), summary="Board meeting on the plan",
        participations=tuple(ParticipantInput(code) for code in codes)), today=date(2014, 10, 1))
    db.session.commit()
    return event


def mine(event: EngagementEvent, scene) -> Participation:
    return db.session.scalars(sa.select(Participation).where(Participation.event_id == event.id,
                                                            Participation.provider_id == scene.me.id)).one()


def test_confirming_an_event_the_board_recorded(client, scene) -> None:
    event = board_event(scene)
    sign_in_as(client, scene.user)
    home = client.get("/provider/").get_data(as_text=True)
    assert f"/provider/events/{event.ref}/answer" in home  # it waits for us on the home page
    page = client.get(f"/provider/events/{event.ref}/answer").get_data(as_text=True)
    assert "Board meeting on the plan" in page and "Confirm or dispute the event" in page
    response = client.post(f"/provider/events/{event.ref}/answer", data={"status": "confirmed", "note": "ignored"})
    assert response.status_code == 303 and response.headers["Location"] == "/provider/"
    participation = mine(event, scene)
    assert (participation.status, participation.status_note) == ("confirmed", "")
    assert participation.status_changed_by_id == scene.user.id
    assert audit_actions() == ["event_recorded", "participation_confirmed"]
    assert f"/provider/events/{event.ref}/answer" not in client.get("/provider/").get_data(as_text=True)
    # The partner's own answer is untouched: each provider answers for itself.
    partner = db.session.scalars(sa.select(Participation).where(Participation.provider_id == scene.partner.id)).one()
    assert partner.status == "unconfirmed"


def test_disputing_with_a_note(client, scene) -> None:
    event = board_event(scene)
    sign_in_as(client, scene.user)
    client.post(f"/provider/events/{event.ref}/answer", data={"status": "disputed",
                                                             "note": "We were not invited to this meeting"})
    participation = mine(event, scene)
    assert (participation.status, participation.status_note) == ("disputed", "We were not invited to this meeting")
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "participation_disputed")).one()
    assert entry.before == {"status": "unconfirmed", "note": ""}
    assert entry.after["note"] == "We were not invited to this meeting" and entry.after["event_ref"] == event.ref
    history = client.get(f"/provider/events/{event.ref}").get_data(as_text=True)
    assert "Disputed by me@rme.example.org" in history


@pytest.mark.parametrize("data, message", [
    ({}, "Select whether you confirm or dispute the event"),
    ({"status": "maybe"}, "Select whether you confirm or dispute the event"),
    ({"status": "disputed", "note": "x" * 2001}, "Note must be 2,000 characters or fewer"),
])
def test_an_invalid_answer_changes_nothing(client, scene, data, message) -> None:
    event = board_event(scene)
    sign_in_as(client, scene.user)
    response = client.post(f"/provider/events/{event.ref}/answer", data=data)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert mine(event, scene).status == "unconfirmed" and audit_actions() == ["event_recorded"]


def test_only_a_named_provider_answers_and_only_for_board_events(client, scene) -> None:
    event = board_event(scene, codes=("RPART",))
    sign_in_as(client, scene.user)  # serves the board, but is not named
    assert client.post(f"/provider/events/{event.ref}/answer", data={"status": "disputed"}).status_code == 404
    sign_in_as(client, scene.stranger_user)
    assert client.post(f"/provider/events/{event.ref}/answer", data={"status": "disputed"}).status_code == 404
    sign_in_as(client, scene.user)
    client.post(f"{scene.base}/events/new", data=event_form(others=[]))
    own = db.session.scalars(sa.select(EngagementEvent).where(EngagementEvent.recorded_by == "provider")).one()
    assert client.post(f"/provider/events/{own.ref}/answer", data={"status": "confirmed"}).status_code == 403
    assert audit_actions() == ["event_recorded", "event_recorded"]


def test_a_withdrawn_board_event_cannot_be_answered(client, scene) -> None:
    event = board_event(scene)
    event.withdrawn = True
    db.session.commit()
    sign_in_as(client, scene.user)
    assert client.post(f"/provider/events/{event.ref}/answer", data={"status": "confirmed"}).status_code == 303
    assert mine(event, scene).status == "unconfirmed"
