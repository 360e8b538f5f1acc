"""Corroboration that cannot be gamed: changing what the other side answered asks them again, audited; wording does
not (tracker/domain/engagement/corroboration.py, update_event). On SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from tests.factories import make_hwb, make_plan, make_provider, make_user, sign_in_as
from tracker.domain.engagement import (
    EventInput,
    ParticipantInput,
    record_event,
    set_participation_status,
    update_event,
    withdraw_event,
)
from tracker.domain.engagement.corroboration import asked_again_message, confirmed_changes, facts
from tracker.models import AuditEntry, EngagementEvent, Participation
from tracker.web.extensions import db

TODAY = date(2014, 10, 1)


@pytest.fixture
def world(app, app_ctx) -> SimpleNamespace:  # noqa: ANN001 - fixtures
    """A board and its plan; providers A (records events), B and C serving it; a user for each and the board."""
    hwb = make_hwb("E06000047", name="County Durham")
    plan = make_plan(hwb)
    a, b, c = (make_provider(sector, footprint=[hwb], code=code)
               for sector, code in (("acute", "RAA"), ("community", "RBB"), ("housing", "RCC")))
    world = SimpleNamespace(hwb=hwb, plan=plan, a=a, b=b, c=c,
                            a_user=make_user("provider", "a@raa.example.org", provider=a),
                            b_user=make_user("provider", "b@rbb.example.org", provider=b),
                            board=make_user("hwb", "officer@durham.example.org", hwb=hwb))
    db.session.commit()
    return world


def event_input(*participants: tuple[str, bool], **changes: object) -> EventInput:
    """A valid event naming (provider code, leadership) participants."""
    values = {"date": date(2014, 6, 12), "kind": "workshop", "depth": 3, "topics": ("schemes",),
              "summary": "Workshop on discharge", "evidence_url": "https://example.org/minutes.pdf",
              "participations": tuple(ParticipantInput(code, leadership) for code, leadership in participants)}
    values.update(changes)
    return EventInput(**values)


def answers(event: EngagementEvent) -> dict[str, tuple[str, str]]:
    """Provider code -> (status, note), as stored now."""
    db.session.expire_all()
    query = sa.select(Participation).where(Participation.event_id == event.id)
    return {p.provider.code: (p.status, p.status_note) for p in db.session.scalars(query)}


def resets() -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "participation_reset")
                                   .order_by(AuditEntry.id)))


def provider_event_confirmed_by_board(world: SimpleNamespace) -> EngagementEvent:
    """An event provider A recorded naming A and B, both confirmed by the board."""
    event = record_event(db.session, world.a_user, world.plan, event_input(("RAA", True), ("RBB", False)),
                         today=TODAY)
    for participation in event.participations:
        set_participation_status(db.session, world.board, participation, "confirmed")
    db.session.commit()
    return event


def board_event_answered(world: SimpleNamespace) -> EngagementEvent:
    """An event the board recorded naming A (confirmed, with its leadership) and B (disputed)."""
    event = record_event(db.session, world.board, world.plan, event_input(("RAA", True), ("RBB", False)),
                         today=TODAY)
    own = {p.provider_id: p for p in event.participations}
    set_participation_status(db.session, world.a_user, own[world.a.id], "confirmed")
    set_participation_status(db.session, world.b_user, own[world.b.id], "disputed", "We were not there")
    db.session.commit()
    return event


def test_the_rule_compares_only_what_was_answered() -> None:
    before = {"plan_id": 1, "recorded_by": "hwb", "recorded_by_provider_id": None, "date": date(2014, 6, 12),
              "kind": "workshop", "depth": 3, "leadership": False}
    assert confirmed_changes(before, dict(before)) == []
    assert confirmed_changes(before, {**before, "depth": 4}) == ["depth"]
    assert confirmed_changes(before, {**before, "date": date(2014, 6, 13), "kind": "meeting",
                                      "leadership": True}) == ["date", "kind", "leadership"]
    assert confirmed_changes(before, {**before, "plan_id": 2}) == ["plan"]
    assert confirmed_changes(None, before) == ["participant"]
    # Only the keys both sides give: an event's facts without a participation's leadership.
    assert confirmed_changes({k: v for k, v in before.items() if k != "leadership"}, {**before, "leadership": True}) \
        == []


def test_the_recorder_is_told_who_will_be_asked_again() -> None:
    assert asked_again_message("provider", 0) == ""
    assert asked_again_message("provider", 2) == "The board will be asked to confirm again."
    assert asked_again_message("hwb", 1) == "1 provider will be asked to confirm again."
    assert asked_again_message("hwb", 3) == "3 providers will be asked to confirm again."


def test_raising_the_depth_of_a_confirmed_event_asks_again_audited(world: SimpleNamespace) -> None:
    event = provider_event_confirmed_by_board(world)
    reset = update_event(db.session, world.a_user, event, event_input(("RAA", True), ("RBB", False), depth=4),
                         today=TODAY)
    db.session.commit()
    assert sorted(p.provider.code for p in reset) == ["RAA", "RBB"]
    assert answers(event) == {"RAA": ("unconfirmed", ""), "RBB": ("unconfirmed", "")}
    participation = db.session.scalars(sa.select(Participation).where(Participation.provider_id == world.a.id)).one()
    assert participation.status_changed_by_id == world.a_user.id and participation.status_changed_at is not None
    entries = resets()
    assert [(e.actor, e.entity_type, e.before, e.after) for e in entries] == [
        ("a@raa.example.org", "participation", {"status": "confirmed", "note": ""},
         {"status": "unconfirmed", "note": "", "event_ref": event.ref, "reasons": ["depth"]})] * 2
    assert db.session.get(EngagementEvent, event.id).changed_in_tracker_at is not None


@pytest.mark.parametrize("changes", [
    {"summary": "Workshop on discharge: the schemes were agreed"},
    {"evidence_url": "https://example.org/minutes-v2.pdf"},
    {"evidence_url": None},
    {"topics": ("schemes", "acute_impact")},
], ids=["summary", "link", "link removed", "topics"])
def test_wording_and_links_keep_the_answers(world: SimpleNamespace, changes: dict) -> None:
    event = provider_event_confirmed_by_board(world)
    reset = update_event(db.session, world.a_user, event, event_input(("RAA", True), ("RBB", False), **changes),
                         today=TODAY)
    db.session.commit()
    assert reset == [] and resets() == []
    assert answers(event) == {"RAA": ("confirmed", ""), "RBB": ("confirmed", "")}
    assert db.session.get(EngagementEvent, event.id).changed_in_tracker_at is not None  # still a tracker edit


@pytest.mark.parametrize("changes, reason", [
    ({"date": date(2014, 6, 13)}, "date"), ({"kind": "meeting"}, "kind"), ({"depth": 2}, "depth"),
])
def test_each_fact_of_the_event_asks_every_answer_again(world: SimpleNamespace, changes: dict, reason: str) -> None:
    event = board_event_answered(world)
    reset = update_event(db.session, world.board, event, event_input(("RAA", True), ("RBB", False), **changes),
                         today=TODAY)
    db.session.commit()
    assert len(reset) == 2 and answers(event) == {"RAA": ("unconfirmed", ""), "RBB": ("unconfirmed", "")}
    assert {e.before["status"] for e in resets()} == {"confirmed", "disputed"}
    assert {tuple(e.after["reasons"]) for e in resets()} == {(reason,)}
    assert next(e for e in resets() if e.before["status"] == "disputed").before["note"] == "We were not there"


def test_changing_a_participants_leadership_asks_that_participant_only(world: SimpleNamespace) -> None:
    event = board_event_answered(world)
    reset = update_event(db.session, world.board, event, event_input(("RAA", False), ("RBB", False)), today=TODAY)
    db.session.commit()
    assert [p.provider.code for p in reset] == ["RAA"]
    assert answers(event) == {"RAA": ("unconfirmed", ""), "RBB": ("disputed", "We were not there")}
    assert [e.after["reasons"] for e in resets()] == [["leadership"]]


def test_adding_a_participant_asks_it_and_keeps_the_others(world: SimpleNamespace) -> None:
    event = board_event_answered(world)
    reset = update_event(db.session, world.board, event,
                         event_input(("RAA", True), ("RBB", False), ("RCC", True)), today=TODAY)
    db.session.commit()
    assert reset == [] and resets() == []
    assert answers(event) == {"RAA": ("confirmed", ""), "RBB": ("disputed", "We were not there"),
                              "RCC": ("unconfirmed", "")}


def test_an_unanswered_participation_has_nothing_to_reset(world: SimpleNamespace) -> None:
    event = record_event(db.session, world.board, world.plan, event_input(("RAA", True)), today=TODAY)
    db.session.commit()
    assert update_event(db.session, world.board, event, event_input(("RAA", True), depth=5), today=TODAY) == []
    assert resets() == []


def test_facts_of_a_record_and_of_a_stored_row_agree(world: SimpleNamespace) -> None:
    event = provider_event_confirmed_by_board(world)
    row = db.session.execute(sa.select(EngagementEvent.__table__).where(EngagementEvent.id == event.id)).one()
    assert facts(event) == facts(row) == facts(dict(row._mapping))
    assert facts(event, True)["leadership"] is True


def test_withdrawing_marks_the_event_as_changed_in_the_tracker(world: SimpleNamespace) -> None:
    event = provider_event_confirmed_by_board(world)
    withdraw_event(db.session, world.a_user, event, "Recorded twice")
    db.session.commit()
    event = db.session.get(EngagementEvent, event.id)
    assert event.changed_in_tracker_at == event.withdrawn_at
    assert answers(event) == {"RAA": ("confirmed", ""), "RBB": ("confirmed", "")}  # withdrawing asks nobody again


def edit_form(**changes: object) -> dict[str, object]:
    """Provider A's edit form for the event of provider_event_confirmed_by_board."""
    data = {"date[day]": "12", "date[month]": "6", "date[year]": "2014", "kind": "workshop", "depth": "3",
            "topics": ["schemes"], "leadership": "yes", "others": ["RBB"], "summary": "Workshop on discharge",
            "evidence_url": "https://example.org/minutes.pdf"}
    data.update(changes)
    return data


def test_the_page_says_the_board_will_be_asked_again_and_the_board_sees_it_waiting(app, world: SimpleNamespace,
                                                                                   client) -> None:  # noqa: ANN001
    app.config["TODAY"] = TODAY
    try:
        event = provider_event_confirmed_by_board(world)
        sign_in_as(client, world.board)
        assert "Nothing is waiting for your answer" in client.get("/board/events").get_data(as_text=True)
        sign_in_as(client, world.a_user)
        response = client.post(f"/provider/events/{event.ref}/edit", data=edit_form(summary="Reworded"),
                               follow_redirects=True)
        page = response.get_data(as_text=True)
        assert "Changes saved." in page and "asked to confirm again" not in page
        response = client.post(f"/provider/events/{event.ref}/edit", data=edit_form(depth="4"),
                               follow_redirects=True)
        page = response.get_data(as_text=True)
        assert "Changes saved. The board will be asked to confirm again." in page
        assert "Asked to confirm again" in page  # the event's history
        assert answers(event) == {"RAA": ("unconfirmed", ""), "RBB": ("unconfirmed", "")}
        sign_in_as(client, world.board)
        board_page = client.get("/board/events").get_data(as_text=True)
        assert "1 event to answer" in board_page and f"/board/events/{event.ref}/answer" in board_page
    finally:
        app.config.pop("TODAY", None)
