"""Who receives what, for each kind of PRODUCT.md's "Notifications", read from a real SMTP server; and who does not:
out of scope, the board for a confidential concern, a kind turned off, whoever took the step."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_hwb, make_plan, make_provider, make_user
from tests.notifications.conftest import body
from tracker.domain import notifications
from tracker.domain.concerns import ConcernInput, raise_concern, take_action
from tracker.domain.engagement.rules import EventInput, ParticipantInput
from tracker.domain.engagement.service import record_event
from tracker.domain.notifications.inbox import set_modes
from tracker.models import AssuranceReview, Notification
from tracker.web.extensions import db

TODAY = date(2014, 11, 3)


@pytest.fixture
def world(app_ctx):
    """A northern board with a plan, an acute trust serving it (two users) and one serving only London,
    users of both boards, a national, a northern and a London assurer, and an admin."""
    north, london = make_hwb("E06000001", region="north", name="Hartlepool"), make_hwb("E09000001", region="london")
    trust = make_provider("acute", footprint=[north], code="RTRUST")
    elsewhere = make_provider("community", footprint=[london], code="RELSE")
    plan = make_plan(north)
    people = {
        "trust": make_user("provider", "trust@example.org", provider=trust),
        "trust2": make_user("provider", "trust2@example.org", provider=trust),
        "elsewhere": make_user("provider", "elsewhere@example.org", provider=elsewhere),
        "board": make_user("hwb", "board@example.org", hwb=north),
        "other_board": make_user("hwb", "london-board@example.org", hwb=london),
        "national": make_user("assurer", "national@example.org"),
        "northern": make_user("assurer", "northern@example.org", region="north"),
        "london": make_user("assurer", "london@example.org", region="london"),
        "admin": make_user("admin", "admin@example.org"),
        "inactive": make_user("hwb", "gone@example.org", hwb=north, active=False),
    }
    db.session.commit()
    return {"plan": plan, "trust": trust, "people": people}


def send(runner) -> str:
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def received(smtp) -> dict[str, list[str]]:
    """Subjects by address."""
    found: dict[str, list[str]] = {}
    for message in smtp.messages:
        found.setdefault(message["To"], []).append(message["Subject"].strip())  # a long one is folded
    return found


def _concern(world, confidential=False):
    return raise_concern(db.session, world["people"]["trust"], world["plan"],
                         ConcernInput("excluded", "high", "The secret text of the concern", confidential),
                         today=TODAY, acknowledge_days=3, respond_days=20)


def test_an_open_concern_goes_to_the_board_only_without_its_text(world, smtp, runner) -> None:
    ref = _concern(world).ref
    db.session.commit()
    send(runner)
    assert received(smtp) == {"board@example.org": ["A provider raised a concern: Hartlepool's plan for 2015 to 2016"]}
    message = smtp.messages[0]
    assert "The secret text" not in str(message)
    assert "Acknowledge it by 6 November 2014" in body(message)
    assert f"http://localhost:5000/board/concerns/{ref}" in body(message)
    assert f'href="http://localhost:5000/board/concerns/{ref}"' in body(message, "html")


def test_a_confidential_concern_goes_to_assurers_in_scope_and_never_the_board(world, smtp, runner) -> None:
    ref = _concern(world, confidential=True).ref
    board_ids = [world["people"][k].id for k in ("board", "other_board")]
    db.session.commit()
    send(runner)
    got = received(smtp)
    assert set(got) == {"national@example.org", "northern@example.org"}
    assert [m["Subject"].strip() for m in smtp.messages] == [
        "A concern was raised in confidence: Hartlepool's plan for 2015 to 2016"] * 2
    assert f"/assurance/concerns/{ref}" in body(smtp.messages[0])
    # Not even its existence reaches the board: no row for any board user.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)
                             .where(Notification.user_id.in_(board_ids))) == 0


def test_concern_steps_reach_the_providers_users_but_not_the_one_who_acted(world, smtp, runner) -> None:
    people = world["people"]
    concern = _concern(world)
    take_action(db.session, people["board"], concern, "acknowledge", "", today=TODAY, respond_days=20)
    take_action(db.session, people["board"], concern, "respond", "Here is our answer", today=TODAY, respond_days=20)
    take_action(db.session, people["trust"], concern, "reopen", "Not settled", today=TODAY, respond_days=20)
    take_action(db.session, people["trust"], concern, "escalate", "Still not settled", today=TODAY, respond_days=20)
    ref = concern.ref
    db.session.commit()
    send(runner)
    got = received(smtp)
    assert got["trust@example.org"] == [f"Your concern {ref} was acknowledged", f"Your concern {ref} was answered"]
    assert got["trust2@example.org"] == [f"Your concern {ref} was acknowledged", f"Your concern {ref} was answered",
                                         f"Your concern {ref} was reopened"]
    assert got["national@example.org"] == [f"Concern escalated to assurers: {ref}"]
    assert got["northern@example.org"] == [f"Concern escalated to assurers: {ref}"]
    assert "london@example.org" not in got and "elsewhere@example.org" not in got
    assert "Here is our answer" not in "".join(str(m) for m in smtp.messages)


def test_events_go_to_the_other_side(world, smtp, runner) -> None:
    people = world["people"]
    event = EventInput(date=date(2014, 10, 1), kind="meeting", depth=3, topics=("schemes",), summary="Workshop",
                       participations=(ParticipantInput("RTRUST"),))
    by_board = record_event(db.session, people["board"], world["plan"], event, today=TODAY)
    record_event(db.session, people["trust"], world["plan"], event, today=TODAY)
    ref = by_board.ref
    db.session.commit()
    send(runner)
    got = received(smtp)
    assert got["trust@example.org"] == got["trust2@example.org"] == [
        "Confirm or dispute an event: Hartlepool's plan for 2015 to 2016"]
    assert got["board@example.org"] == ["A provider recorded an event: Hartlepool's plan for 2015 to 2016"]
    assert set(got) == {"trust@example.org", "trust2@example.org", "board@example.org"}
    assert f"/provider/events/{ref}" in body(smtp.to("trust@example.org")[0])


def test_a_review_goes_to_the_board_and_footprint_providers(world, smtp, runner) -> None:
    plan = world["plan"]
    review = AssuranceReview(plan_id=plan.id, reviewer_id=world["people"]["national"].id, criteria_snapshot={},
                             thresholds={}, condition_views={}, suggested_rating="weak", rating="weak",
                             decision="approved_subject_to_conditions", tranche=3, intervention="",
                             override_reason="")
    db.session.add(review)
    db.session.flush()
    notifications.review_recorded(db.session, review)
    notifications.condition_set(db.session, plan, 1, "Show how acute providers were involved")
    notifications.condition_answered(db.session, plan, 1, "Show how acute providers were involved")
    notifications.condition_met(db.session, plan, 1, "Show how acute providers were involved")
    db.session.commit()
    send(runner)
    got = received(smtp)
    name = "Hartlepool's plan for 2015 to 2016"
    assert got["board@example.org"] == [f"Plan reviewed: {name}", f"Condition of approval set: {name}",
                                        f"Condition of approval met: {name}"]
    assert got["trust@example.org"] == got["trust2@example.org"] == [f"Plan reviewed: {name}"]
    assert got["national@example.org"] == got["northern@example.org"] == [f"A board answered a condition: {name}"]
    assert "elsewhere@example.org" not in got and "london@example.org" not in got
    assert "gone@example.org" not in got and "admin@example.org" not in got
    assert "approved subject to conditions" in body(smtp.to("trust@example.org")[0])


def test_a_kind_turned_off_is_not_sent_but_a_duty_cannot_be(world, smtp, runner) -> None:
    people = world["people"]
    set_modes(db.session, people["trust"], {"concern_update": "off"})
    with pytest.raises(notifications.inbox.PreferencesRejected):
        set_modes(db.session, people["board"], {"concern_raised": "off"})
    concern = _concern(world)
    take_action(db.session, people["board"], concern, "acknowledge", "", today=TODAY, respond_days=20)
    ref = concern.ref
    db.session.commit()
    send(runner)
    got = received(smtp)
    assert "trust@example.org" not in got
    assert got["trust2@example.org"] == [f"Your concern {ref} was acknowledged"]
    assert got["board@example.org"] == ["A provider raised a concern: Hartlepool's plan for 2015 to 2016"]


def test_a_change_that_rolls_back_queues_nothing(world, smtp, runner) -> None:
    _concern(world)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 1
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0
    send(runner)
    assert smtp.messages == []


def test_the_in_tracker_list_and_unread_count(world, client) -> None:
    from tests.factories import sign_in_as

    _concern(world)
    db.session.commit()
    sign_in_as(client, world["people"]["board"])
    page = client.get("/notifications/").get_data(as_text=True)
    assert "A provider raised a concern" in page and "Notifications (1 unread)" in page
    row = db.session.scalar(sa.select(Notification))
    response = client.get(f"/notifications/{row.id}")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/board/concerns/{row.record_ref}")
    assert "Notifications (1 unread)" not in client.get("/notifications/").get_data(as_text=True)
    sign_in_as(client, world["people"]["trust"])
    assert client.get(f"/notifications/{row.id}").status_code == 404
