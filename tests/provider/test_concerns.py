"""Raising a concern (form, check your answers, confirmation panel) and following its lifecycle."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import sign_in_as
from tests.provider.conftest import audit_actions, count
from tracker.domain.concerns import take_action
from tracker.models import Concern
from tracker.web.extensions import db

CONCERN = {"category": "acute_demand", "severity": "high", "text": "Admissions will rise by 4%", "confidential": "no"}


def raise_one(client, scene, **changes) -> Concern:
    sign_in_as(client, scene.user)
    assert client.post(f"{scene.base}/concerns/new", data={**CONCERN, **changes}).status_code == 303
    response = client.post(f"{scene.base}/concerns/check")
    assert response.status_code == 303
    return db.session.scalars(sa.select(Concern).order_by(Concern.id.desc())).first()


def test_raising_a_concern_with_check_your_answers_and_a_confirmation(client, scene) -> None:
    sign_in_as(client, scene.user)
    assert "Raise a concern" in client.get(f"{scene.base}/concerns/new").get_data(as_text=True)
    response = client.post(f"{scene.base}/concerns/new", data={**CONCERN, "confidential": "yes"})
    assert response.status_code == 303 and response.headers["Location"] == f"{scene.base}/concerns/check"
    assert count(Concern) == 0  # nothing is sent before the answers are checked
    check = client.get(f"{scene.base}/concerns/check").get_data(as_text=True)
    assert "Check your concern before sending it" in check
    assert "Demand on acute services" in check and "Assurers only (confidential)" in check
    assert f'href="{scene.base}/concerns/new#severity"' in check  # Change links
    # Change: the form comes back with the answers given.
    again = client.get(f"{scene.base}/concerns/new").get_data(as_text=True)
    assert "Admissions will rise by 4%</textarea>" in again and 'value="yes" checked' in again
    response = client.post(f"{scene.base}/concerns/check")
    concern = db.session.scalars(sa.select(Concern)).one()
    assert response.headers["Location"] == f"/provider/concerns/{concern.ref}/raised"
    assert (concern.plan_id, concern.provider_id, concern.category, concern.severity, concern.confidential,
            concern.status) == (scene.plan.id, scene.me.id, "acute_demand", "high", True, "open")
    assert (concern.raised, concern.acknowledge_due, concern.respond_due) == (
        date(2014, 10, 1), date(2014, 10, 6), date(2014, 10, 29))
    assert audit_actions() == ["concern_raised"]
    panel = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "nhsuk-panel" in panel and "Concern sent" in panel and concern.ref in panel
    # The draft is gone: the check page sends you back to the form.
    assert client.get(f"{scene.base}/concerns/check").status_code == 303


def test_sending_the_check_page_twice_raises_one_concern(client, scene) -> None:
    sign_in_as(client, scene.user)
    client.post(f"{scene.base}/concerns/new", data=CONCERN)
    with client.session_transaction() as session:
        draft = dict(session["provider_concern_draft"])
    first = client.post(f"{scene.base}/concerns/check")
    with client.session_transaction() as session:  # the second click was sent with the first page's cookie
        session["provider_concern_draft"] = draft
    second = client.post(f"{scene.base}/concerns/check")
    assert count(Concern) == 1 and audit_actions() == ["concern_raised"]
    assert second.headers["Location"] == first.headers["Location"]


@pytest.mark.parametrize("changes, message", [
    ({"category": ""}, "Select what the concern is about"),
    ({"category": "gossip"}, "Select what the concern is about"),
    ({"severity": ""}, "Select how serious the concern is"),
    ({"text": "  "}, "Describe your concern"),
    ({"text": "x" * 10_001}, "Concern must be 10,000 characters or fewer"),
    ({"confidential": ""}, "Select who should see the concern"),
])
def test_an_invalid_concern_is_not_sent(client, scene, changes, message) -> None:
    sign_in_as(client, scene.user)
    response = client.post(f"{scene.base}/concerns/new", data={**CONCERN, "text": "Kept text", **changes})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html and "<title>Error: " in html
    if "text" not in changes:
        assert "Kept text</textarea>" in html
    assert count(Concern) == 0
    assert client.get(f"{scene.base}/concerns/check").status_code == 303


def test_a_plan_outside_the_footprint_cannot_get_a_concern(client, scene) -> None:
    sign_in_as(client, scene.user)
    assert client.post(f"{scene.other_base}/concerns/new", data=CONCERN).status_code == 404
    assert client.post(f"{scene.other_base}/concerns/check").status_code == 404
    assert count(Concern) == 0


def test_a_draft_for_one_plan_is_not_sent_to_another(client, scene) -> None:
    """The draft is tied to its plan: it cannot be replayed on a different plan's check page."""
    scene.me.footprint.append(scene.other_hwb)
    db.session.commit()
    sign_in_as(client, scene.user)
    client.post(f"{scene.base}/concerns/new", data=CONCERN)
    assert client.post(f"{scene.other_base}/concerns/check").status_code == 303
    assert count(Concern) == 0


def test_following_the_lifecycle_on_one_page(client, scene, app) -> None:
    concern = raise_one(client, scene)
    take_action(db.session, scene.hwb_user, concern, "acknowledge", "", today=date(2014, 10, 2), respond_days=20)
    take_action(db.session, scene.hwb_user, concern, "respond", "We will fund a discharge team",
                today=date(2014, 10, 9), respond_days=20)
    db.session.commit()
    page = client.get(f"/provider/concerns/{concern.ref}").get_data(as_text=True)
    assert "We will fund a discharge team" in page and "The board: responded" in page
    assert "Escalate to assurers" in page and "Mark as resolved" in page
    # A reply needs a message, and keeps the status.
    html = client.post(f"/provider/concerns/{concern.ref}", data={"action": "reply", "message": " "}).get_data(
        as_text=True)
    assert "Enter your message" in html and 'href="#message"' in html
    client.post(f"/provider/concerns/{concern.ref}", data={"action": "reply", "message": "How many staff?"})
    assert db.session.get(Concern, concern.id).status == "responded"
    client.post(f"/provider/concerns/{concern.ref}", data={"action": "reopen", "message": "Not enough"})
    assert db.session.get(Concern, concern.id).status == "acknowledged"
    html = client.post(f"/provider/concerns/{concern.ref}", data={"action": "escalate", "message": ""}).get_data(
        as_text=True)
    assert "Enter your reason" in html
    client.post(f"/provider/concerns/{concern.ref}", data={"action": "escalate", "message": "No answer in time"})
    assert db.session.get(Concern, concern.id).status == "escalated"
    response = client.post(f"/provider/concerns/{concern.ref}", data={"action": "resolve"})
    assert response.status_code == 303
    concern = db.session.get(Concern, concern.id)
    assert concern.status == "resolved"
    assert [s.to_status for s in concern.history] == ["open", "acknowledged", "responded", "responded", "acknowledged",
                                                      "escalated", "resolved"]
    assert audit_actions() == ["concern_raised", "concern_acknowledge", "concern_respond", "concern_reply",
                               "concern_reopen", "concern_escalate", "concern_resolve"]
    page = client.get(f"/provider/concerns/{concern.ref}").get_data(as_text=True)
    assert "This concern is resolved" in page and "Reopen: the response does not settle it" in page
    assert "Escalate to assurers" not in page  # escalation comes before resolution; reopening first


@pytest.mark.parametrize("action", ["acknowledge", "respond", "teleport", ""])
def test_an_action_the_provider_cannot_take_changes_nothing(client, scene, action) -> None:
    concern = raise_one(client, scene)
    response = client.post(f"/provider/concerns/{concern.ref}", data={"action": action, "message": "x"})
    assert response.status_code == 200
    assert db.session.get(Concern, concern.id).status == "open" and audit_actions() == ["concern_raised"]


def test_another_providers_concern_is_not_found(client, scene) -> None:
    concern = raise_one(client, scene)
    sign_in_as(client, scene.partner_user)  # serves the same board
    assert client.get(f"/provider/concerns/{concern.ref}").status_code == 404
    assert client.post(f"/provider/concerns/{concern.ref}", data={"action": "resolve"}).status_code == 404
    assert client.get(f"/provider/concerns/{concern.ref}/raised").status_code == 404
    assert db.session.get(Concern, concern.id).status == "open"
