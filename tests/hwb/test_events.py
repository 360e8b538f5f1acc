"""Recording a board-convened event, answering events providers recorded, withdrawing the board's own."""
from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import sqlalchemy as sa

from tests.factories import sign_in_as
from tests.hwb.conftest import audit_actions, text
from tracker.models import AuditEntry, EngagementEvent, Participation
from tracker.web.extensions import db


def event_form(**changes: Any) -> dict[str, Any]:
    """A valid record-event form with a fresh one-time submission token."""
    data: dict[str, Any] = {
        "date[day]": "15", "date[month]": "9", "date[year]": "2014", "kind": "workshop", "depth": "3",
        "topics": ["schemes", "acute_impact"], "took_part": ["RAC2", "1-CARE"], "leadership": ["RAC2"],
        "invited": ["VOL1"], "summary": "Workshop on discharge to assess", "evidence_url": "https://example.org/notes",
        "submission": secrets.token_hex(16),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def new_events() -> list[EngagementEvent]:
    return list(db.session.scalars(sa.select(EngagementEvent).where(EngagementEvent.summary.like("Workshop%"))))


def test_the_board_records_an_event_and_the_named_providers_are_asked_to_confirm(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    form = text(client.get("/board/events/new"))
    assert "Sunrise Care Homes (1-CARE)" in form and "London Housing" not in form  # only the footprint is offered
    response = client.post("/board/events/new", data=event_form())
    assert response.status_code == 303
    [event] = new_events()
    assert response.headers["Location"].endswith(f"/board/events/{event.ref}")
    assert (event.recorded_by, event.recorded_by_provider_id, event.plan_id) == ("hwb", None, scene.plan.id)
    assert (event.date, event.kind, event.depth, event.topic_codes) == (date(2014, 9, 15), "workshop", 3,
                                                                        ["acute_impact", "schemes"])
    assert "Invited but did not take part: Age UK Durham (VOL1)." in event.summary
    parts = {p.provider.code: (p.leadership, p.status) for p in event.participations}
    assert parts == {"RAC2": (True, "unconfirmed"), "1-CARE": (None, "unconfirmed")}  # not ticked: not stated
    assert audit_actions()[-1] == "event_recorded"
    page = text(client.get(response.headers["Location"]))
    assert "Event recorded" in page and "Sunrise Care Homes" in page
    # The named providers now see it waiting for their answer.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participation)
                             .where(Participation.event_id == event.id, Participation.status == "unconfirmed")) == 2


def test_the_same_submission_sent_twice_records_once(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    data = event_form()
    first = client.post("/board/events/new", data=data)
    again = client.post("/board/events/new", data=data)
    assert len(new_events()) == 1
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]


def test_every_problem_is_shown_on_its_field_and_nothing_is_recorded(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    response = client.post("/board/events/new", data=event_form(**{
        "date[year]": "2015", "kind": None, "depth": None, "topics": None, "took_part": None, "leadership": None,
        "summary": "", "evidence_url": "ftp://nope"}))
    html = text(response)
    assert response.status_code == 200 and "<title>Error: " in html
    for message in ("Date of the event must be today or in the past", "Select what kind of event it was",
                    "Select how deeply the provider was involved", "Select at least one topic",
                    "Name at least one provider that took part", "Enter a summary of what happened",
                    "Enter a link that starts with https:// or http://"):
        assert message in html
    assert 'href="#took_part"' in html and 'href="#date-day"' in html  # the summary links to each field
    assert 'value="2015"' in html  # what was typed is kept
    assert new_events() == []


def test_only_providers_serving_the_board_can_be_named(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    html = text(client.post("/board/events/new", data=event_form(took_part=["RSTR"], leadership=None)))
    assert "Select providers from the list" in html
    html = text(client.post("/board/events/new", data=event_form(leadership=["RACU"])))
    assert "Select leadership only for providers that took part" in html
    html = text(client.post("/board/events/new", data=event_form(invited=["RAC2"])))
    assert "cannot also be listed as not taking part" in html
    assert new_events() == []


def test_a_submission_without_its_token_is_refused(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    assert client.post("/board/events/new", data=event_form(submission="x")).status_code == 400


def test_the_board_confirms_an_event_a_provider_recorded(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    events = text(client.get("/board/events"))
    assert "/board/events/EV-PROV1/answer" in events
    assert "Meeting on 1 July 2014" not in events  # another board's event
    assert "Durham Community Care" in text(client.get("/board/events/EV-PROV1/answer"))
    response = client.post("/board/events/EV-PROV1/answer", data={"status": "confirmed", "note": "ignored"})
    assert response.status_code == 303
    participation = db.session.scalar(sa.select(Participation).join(Participation.event)
                                      .where(EngagementEvent.ref == "EV-PROV1"))
    assert (participation.status, participation.status_note) == ("confirmed", "")
    assert participation.status_changed_by_id == scene.hwb_user.id
    assert audit_actions()[-1] == "participation_confirmed"
    assert "You confirmed the event of 5 August 2014" in text(client.get(response.headers["Location"]))
    assert "Nothing is waiting for your answer" in text(client.get("/board/events"))


def test_the_board_disputes_an_event_with_a_note(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    response = client.post("/board/events/EV-PROV1/answer", data={"status": "disputed", "note": "We did not meet"})
    assert response.status_code == 303
    participation = db.session.scalar(sa.select(Participation).join(Participation.event)
                                      .where(EngagementEvent.ref == "EV-PROV1"))
    assert (participation.status, participation.status_note) == ("disputed", "We did not meet")
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.before["status"], entry.after["note"]) == ("participation_disputed", "unconfirmed",
                                                                           "We did not meet")


def test_an_answer_must_be_chosen(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    html = text(client.post("/board/events/EV-PROV1/answer", data={}))
    assert "Select whether you confirm or dispute the event" in html
    assert "participation_" not in " ".join(audit_actions())


def test_the_board_cannot_answer_its_own_event_nor_withdraw_a_providers(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    assert client.post("/board/events/EV-BOARD1/answer", data={"status": "confirmed"}).status_code == 403
    assert client.post("/board/events/EV-PROV1/withdraw", data={}).status_code == 403


def test_the_board_withdraws_its_own_event(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    response = client.post("/board/events/EV-BOARD1/withdraw", data={"reason": "Recorded twice"})
    assert response.status_code == 303
    event = db.session.scalar(sa.select(EngagementEvent).where(EngagementEvent.ref == "EV-BOARD1"))
    db.session.refresh(event)
    assert event.withdrawn and event.withdrawn_at is not None
    assert audit_actions()[-1] == "event_withdrawn"
    assert "no longer counts as evidence" in text(client.get(response.headers["Location"]))


def test_another_boards_events_are_not_found(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    for path in ("/board/events/EV-OTHER", "/board/events/EV-OTHER/answer", "/board/events/EV-NOSUCH"):
        assert client.get(path).status_code == 404
    assert client.post("/board/events/EV-OTHER/answer", data={"status": "disputed"}).status_code == 404
    assert client.post("/board/events/EV-OTHER/withdraw", data={}).status_code == 404
    other = db.session.scalar(sa.select(Participation).join(Participation.event)
                              .where(EngagementEvent.ref == "EV-OTHER"))
    assert other.status == "unconfirmed"
