"""Recording, changing and withdrawing events through the provider's forms."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import sign_in_as
from tests.provider.conftest import audit_actions, count, event_form
from tracker.models import AuditEntry, EngagementEvent, Participation
from tracker.web.extensions import db


def only_event() -> EngagementEvent:
    return db.session.scalars(sa.select(EngagementEvent)).one()


def test_the_form_explains_each_depth_and_offers_the_boards_other_providers(client, scene) -> None:
    sign_in_as(client, scene.user)
    html = client.get(f"{scene.base}/events/new").get_data(as_text=True)
    assert "We developed the plan together as partners" in html  # the IAP2 explanation of level 4
    assert 'name="date[day]"' in html and 'name="submission"' in html
    assert "RPART" in html and "RSTR" not in html  # only providers serving this board are offered
    assert 'enctype="multipart/form-data"' in html


def test_recording_an_event(client, scene) -> None:
    sign_in_as(client, scene.user)
    response = client.post(f"{scene.base}/events/new", data=event_form())
    event = only_event()
    assert response.status_code == 303 and response.headers["Location"] == f"/provider/events/{event.ref}"
    assert (event.plan_id, event.recorded_by, event.recorded_by_provider_id) == (scene.plan.id, "provider", scene.me.id)
    assert (event.date, event.kind, event.depth) == (date(2014, 6, 12), "workshop", 3)
    assert event.topic_codes == ["acute_impact", "schemes"]
    assert event.evidence_url == "https://example.org/minutes.pdf"
    taking_part = {p.provider_id: (p.leadership, p.status) for p in event.participations}
    # The partner's leadership is not stated until it says.
    assert taking_part == {scene.me.id: (True, "unconfirmed"), scene.partner.id: (None, "unconfirmed")}
    assert audit_actions() == ["event_recorded"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Event recorded" in page and "Workshop on the discharge schemes" in page
    assert "Recorded by me@rme.example.org" in page  # the history


@pytest.mark.parametrize("changes, field, message", [
    ({"date[year]": "2015", "date[month]": "1"}, "date", "Date of the event must be today or in the past"),
    ({"date[year]": "2013"}, "date", "Date of the event must be on or after 1 January 2014"),
    ({"date[day]": "", "date[month]": "", "date[year]": ""}, "date", "Enter the date of the event"),
    ({"date[day]": "31", "date[month]": "2"}, "date", "Date of the event must be a real date"),
    ({"date[day]": str(2**63)}, "date", "Date of the event must be a real date"),
    ({"date[month]": ""}, "date", "Date of the event must include a month"),
    ({"kind": None}, "kind", "Select what kind of event it was"),
    ({"kind": "party"}, "kind", "Select what kind of event it was"),
    ({"depth": None}, "depth", "Select how deeply the provider was involved"),
    ({"depth": "9"}, "depth", "Select how deeply the provider was involved"),
    ({"topics": None}, "topics", "Select at least one topic"),
    ({"topics": ["schemes", "gossip"]}, "topics", "Topics must be among"),
    ({"summary": "   "}, "summary", "Enter a summary of what happened"),
    ({"summary": "x" * 5001}, "summary", "Summary must be 5,000 characters or fewer"),
    ({"evidence_url": "javascript:alert(1)"}, "evidence_url", "Enter a link that starts with https://"),
    ({"leadership": None}, "leadership", "Select yes if your organisation"),
    ({"others": ["RSTR"]}, "others", "Select other providers from the list"),  # a provider not offered
])
def test_each_invalid_field_is_named_and_nothing_is_recorded(client, scene, changes, field, message) -> None:
    sign_in_as(client, scene.user)
    response = client.post(f"{scene.base}/events/new", data=event_form(**changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: " in html and "There is a problem" in html
    assert message in html
    target = f"#{field}-day" if field == "date" else f"#{field}"
    assert f'href="{target}"' in html  # the error summary links to the field
    assert count(EngagementEvent) == 0 and audit_actions() == []


def test_every_problem_is_shown_at_once_and_what_was_typed_is_kept(client, scene) -> None:
    sign_in_as(client, scene.user)
    data = event_form(**{"date[day]": "31", "date[month]": "2", "kind": None, "topics": None,
                         "summary": "Typed <summary> & kept"})
    html = client.post(f"{scene.base}/events/new", data=data).get_data(as_text=True)
    for message in ("Date of the event must be a real date", "Select what kind of event it was",
                    "Select at least one topic"):
        assert message in html
    assert "Typed &lt;summary&gt; &amp; kept" in html
    assert 'value="31"' in html and 'value="2014"' in html  # the date boxes keep what was typed
    assert f'value="{data["submission"]}"' in html  # the same submission token, so a resend is still one event
    assert count(EngagementEvent) == 0


def test_a_plan_outside_the_footprint_is_not_found_and_nothing_is_recorded(client, scene) -> None:
    sign_in_as(client, scene.user)
    assert client.get(f"{scene.other_base}/events/new").status_code == 404
    assert client.post(f"{scene.other_base}/events/new", data=event_form(others=[])).status_code == 404
    assert client.post("/provider/plans/E06000047/2016-17/events/new", data=event_form()).status_code == 404
    assert count(EngagementEvent) == 0


def test_tampered_hidden_fields_are_ignored(client, scene) -> None:
    """Ids sent with the form never choose the plan or the recorder: the address and the signed-in user do."""
    sign_in_as(client, scene.user)
    data = event_form(plan_id=str(scene.other_plan.id), provider_id=str(scene.stranger.id),
                      recorded_by_provider_id=str(scene.stranger.id), recorded_by="hwb", hwb_code="E09000002")
    assert client.post(f"{scene.base}/events/new", data=data).status_code == 303
    event = only_event()
    assert (event.plan_id, event.recorded_by, event.recorded_by_provider_id) == (scene.plan.id, "provider", scene.me.id)


@pytest.mark.parametrize("token", [None, "", "not-a-token", "A" * 32, "0" * 31])
def test_a_tampered_submission_token_is_refused(client, scene, token) -> None:
    sign_in_as(client, scene.user)
    response = client.post(f"{scene.base}/events/new", data=event_form(submission=token))
    assert response.status_code == 400
    assert count(EngagementEvent) == 0


def test_a_double_submit_records_one_event(client, scene) -> None:
    sign_in_as(client, scene.user)
    data = event_form()
    first = client.post(f"{scene.base}/events/new", data=data)
    second = client.post(f"{scene.base}/events/new", data=data)
    assert count(EngagementEvent) == 1 and audit_actions() == ["event_recorded"]
    assert second.status_code == 303 and second.headers["Location"] == first.headers["Location"]
    assert "already sent, so the event was recorded once" in client.get(second.headers["Location"]).get_data(
        as_text=True)
    # A new form (a new token) for another event records it; the same event again is a copy (see
    # tests/provider/test_forms_never_lost.py).
    assert client.post(f"{scene.base}/events/new", data=event_form(summary="Another workshop")).status_code == 303
    assert count(EngagementEvent) == 2


def test_another_users_token_does_not_replay_their_event(client, scene) -> None:
    data = event_form(others=[])
    sign_in_as(client, scene.user)
    client.post(f"{scene.base}/events/new", data=data)
    sign_in_as(client, scene.partner_user)
    response = client.post(f"{scene.base}/events/new", data={**data, "others": ["RME"]})
    assert response.status_code == 303
    assert count(EngagementEvent) == 2


def record(client, scene, **changes) -> EngagementEvent:
    sign_in_as(client, scene.user)
    assert client.post(f"{scene.base}/events/new", data=event_form(**changes)).status_code == 303
    return db.session.scalars(sa.select(EngagementEvent).order_by(EngagementEvent.id.desc())).first()


def test_changing_an_event_keeps_its_history_and_asks_again_for_what_changed(client, scene) -> None:
    event = record(client, scene)
    partner = next(p for p in event.participations if p.provider_id == scene.partner.id)
    partner.status = "confirmed"
    db.session.commit()
    assert 'value="Workshop on the discharge schemes"' not in client.get(f"/provider/events/{event.ref}/edit").get_data(
        as_text=True)  # a textarea keeps its text between tags
    # Rewording keeps the answer (tests/test_corroboration.py has the rule in full) ...
    response = client.post(f"/provider/events/{event.ref}/edit",
                           data=event_form(summary="Workshop: schemes agreed", submission=None))
    assert response.status_code == 303
    assert db.session.get(Participation, partner.id).status == "confirmed"
    # ... a deeper involvement than the one answered asks again.
    response = client.post(f"/provider/events/{event.ref}/edit",
                           data=event_form(depth="4", summary="Workshop: schemes agreed", submission=None))
    assert response.status_code == 303
    event = db.session.get(EngagementEvent, event.id)
    assert (event.depth, event.summary) == (4, "Workshop: schemes agreed")
    assert db.session.get(Participation, partner.id).status == "unconfirmed"
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "event_changed")).all()
    assert (entries[1].before["depth"], entries[1].after["depth"]) == (3, 4)
    assert audit_actions()[-1] == "participation_reset"
    page = client.get(f"/provider/events/{event.ref}").get_data(as_text=True)
    assert "The board will be asked to confirm again." in page
    assert "Changed by me@rme.example.org" in page and "<del>Workshop on the discharge schemes</del>" in page


def test_an_invalid_change_changes_nothing(client, scene) -> None:
    event = record(client, scene)
    html = client.post(f"/provider/events/{event.ref}/edit",
                       data=event_form(**{"date[year]": "2030", "summary": "Changed"})).get_data(as_text=True)
    assert "Date of the event must be today or in the past" in html and "Changed</textarea>" in html
    assert db.session.get(EngagementEvent, event.id).summary == "Workshop on the discharge schemes"
    assert audit_actions() == ["event_recorded"]


def test_only_the_recorder_may_change_or_withdraw(client, scene) -> None:
    event = record(client, scene)
    sign_in_as(client, scene.partner_user)  # named in the event, but did not record it
    assert client.get(f"/provider/events/{event.ref}").status_code == 200
    assert client.post(f"/provider/events/{event.ref}/edit", data=event_form()).status_code == 403
    assert client.post(f"/provider/events/{event.ref}/withdraw").status_code == 403
    sign_in_as(client, scene.stranger_user)
    assert client.get(f"/provider/events/{event.ref}").status_code == 404
    assert client.post(f"/provider/events/{event.ref}/withdraw").status_code == 404
    assert audit_actions() == ["event_recorded"] and not db.session.get(EngagementEvent, event.id).withdrawn


def test_withdrawing_an_event_keeps_it(client, scene) -> None:
    event = record(client, scene)
    assert "Withdraw the workshop on 12 June 2014?" in client.get(f"/provider/events/{event.ref}/withdraw").get_data(
        as_text=True)
    response = client.post(f"/provider/events/{event.ref}/withdraw", data={"reason": "Recorded twice"})
    assert response.status_code == 303
    event = db.session.get(EngagementEvent, event.id)
    assert event.withdrawn and event.withdrawn_at is not None
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "event_withdrawn")).one()
    assert entry.after == {"withdrawn": True, "reason": "Recorded twice"}
    page = client.get(f"/provider/events/{event.ref}").get_data(as_text=True)
    assert "Withdrawn" in page and "Change the event" not in page
    # Withdrawing again or changing a withdrawn event changes nothing.
    assert client.post(f"/provider/events/{event.ref}/withdraw").status_code == 303
    assert client.post(f"/provider/events/{event.ref}/edit", data=event_form()).status_code == 303
    assert audit_actions() == ["event_recorded", "event_withdrawn"]


def test_with_csrf_on_a_post_without_the_token_records_nothing(other_app, scene) -> None:
    app = other_app(WTF_CSRF_ENABLED=True, TODAY=date(2014, 10, 1))
    client = app.test_client()
    sign_in_as(client, scene.user)
    response = client.post(f"{scene.base}/events/new", data=event_form())
    assert response.status_code == 303  # the friendly expired-form answer
    assert count(EngagementEvent) == 0
