"""The board's concerns inbox: overdue first, never a confidential concern; acknowledge, respond, resolve."""
from __future__ import annotations

import re
from datetime import date

from tests.factories import sign_in_as
from tests.hwb.conftest import add_concern, audit_actions, text
from tracker.domain.concerns import allowed_actions
from tracker.models import AuditEntry, Concern
from tracker.web.extensions import db


def inbox_refs(page: str) -> list[str]:
    """The concern references in the order the inbox lists them."""
    return re.findall(r"/board/concerns/(CN-[A-Z0-9]+)", page)


def test_the_inbox_lists_overdue_concerns_first_and_never_a_confidential_one(client, scene) -> None:
    add_concern(scene.plan.id, scene.care_home, "CN-DONE", raised=date(2014, 9, 1), status="resolved")
    add_concern(scene.plan.id, scene.voluntary, "CN-ESCAL", raised=date(2014, 9, 2), status="escalated")
    db.session.commit()
    sign_in_as(client, scene.hwb_user)
    page = text(client.get("/board/concerns"))
    # CN-OVERDUE was raised on Monday 22 September: acknowledgement due Thursday 25th, so overdue on 1 October.
    assert list(dict.fromkeys(inbox_refs(page))) == ["CN-OVERDUE", "CN-LATER", "CN-ESCAL", "CN-DONE"]
    assert "CN-SECRET" not in page and "the trust&#39;s finances" not in page and "CN-OTHER" not in page
    assert "25 September 2014" in page and "Overdue" in page
    assert "3 October 2014" in page  # CN-LATER raised Tuesday 30 September: acknowledgement due Friday


def test_the_board_acknowledges_responds_and_marks_a_concern_resolved(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    url = f"/board/concerns/{scene.overdue.ref}"
    page = text(client.get(url))
    assert "We were not asked" in page and "Acknowledge" in page and "Mark as resolved" not in page
    response = client.post(url, data={"action": "acknowledge", "message": ""})
    assert response.status_code == 303 and db.session.get(Concern, scene.overdue.id).status == "acknowledged"
    assert "Concern acknowledged" in text(client.get(response.headers["Location"]))
    # A response needs a message; without one nothing changes and the field says so.
    page = text(client.post(url, data={"action": "respond", "message": "  "}))
    assert "Enter your message" in page and 'href="#message"' in page
    assert db.session.get(Concern, scene.overdue.id).status == "acknowledged"
    client.post(url, data={"action": "respond", "message": "You are invited to the workshop on 15 October"})
    assert db.session.get(Concern, scene.overdue.id).status == "responded"
    page = text(client.get(url))
    assert "Responded by the board" in page and "Mark as resolved" in page and 'value="acknowledge"' not in page
    client.post(url, data={"action": "resolve", "message": ""})
    concern = db.session.get(Concern, scene.overdue.id)
    assert concern.status == "resolved"
    assert [s.to_status for s in concern.history] == ["open", "acknowledged", "responded", "resolved"]
    assert [s.actor_side for s in concern.history[1:]] == ["hwb", "hwb", "hwb"]
    assert audit_actions()[-3:] == ["concern_acknowledge", "concern_respond", "concern_resolve"]
    entry = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.before["status"], entry.after["status"], entry.actor_id) == ("responded", "resolved",
                                                                               scene.hwb_user.id)
    assert "This concern is resolved. The provider can reopen it" in text(client.get(url))


def test_the_provider_can_reopen_a_concern_the_board_resolved() -> None:
    assert [a.name for a in allowed_actions("open", "hwb", False)] == ["acknowledge", "respond"]
    assert [a.name for a in allowed_actions("acknowledged", "hwb", False)] == ["respond"]
    assert [a.name for a in allowed_actions("responded", "hwb", False)] == ["resolve"]
    assert allowed_actions("resolved", "hwb", False) == [] and allowed_actions("escalated", "hwb", False) == []
    assert [a.name for a in allowed_actions("resolved", "provider", False)] == ["reopen"]


def test_an_action_the_board_cannot_take_changes_nothing(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    url = f"/board/concerns/{scene.overdue.ref}"
    for action in ("resolve", "escalate", "reopen", "teleport", ""):
        response = client.post(url, data={"action": action, "message": "x"})
        assert response.status_code == 200, action
    assert db.session.get(Concern, scene.overdue.id).status == "open"
    assert "concern_resolve" not in audit_actions()


def test_an_escalated_concern_is_for_the_assurers(client, scene) -> None:
    add_concern(scene.plan.id, scene.voluntary, "CN-ESCAL", raised=date(2014, 9, 2), status="escalated")
    db.session.commit()
    sign_in_as(client, scene.hwb_user)
    page = text(client.get("/board/concerns/CN-ESCAL"))
    assert "escalated this concern to assurers" in page and 'name="action"' not in page
    assert client.post("/board/concerns/CN-ESCAL", data={"action": "respond", "message": "x"}).status_code == 200
    assert db.session.scalar(db.select(Concern.status).where(Concern.ref == "CN-ESCAL")) == "escalated"


def test_confidential_and_other_boards_concerns_are_not_found(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    for ref in (scene.secret.ref, scene.other_concern.ref, "CN-NOSUCH"):
        assert client.get(f"/board/concerns/{ref}").status_code == 404
        assert client.post(f"/board/concerns/{ref}", data={"action": "acknowledge"}).status_code == 404
    assert db.session.get(Concern, scene.secret.id).status == "open"
    assert db.session.get(Concern, scene.other_concern.id).status == "open"
