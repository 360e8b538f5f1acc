"""Each provider answers for itself; leadership "not stated"; what was answered instead of asking again; depth in
each reader's words; an event's documents wherever the event is shown (board, assurer, evidence pack)."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from tests.factories import sign_in_as
from tests.provider.conftest import audit_actions, event_form
from tests.provider.test_answer import board_event, mine
from tracker.models import EngagementEvent, EvidenceDocument, Participation
from tracker.web.extensions import db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def my_event(client, scene, **changes) -> EngagementEvent:
    """An event RME records naming RPART (through the page, as a provider does)."""
    sign_in_as(client, scene.user)
    assert client.post(f"{scene.base}/events/new", data=event_form(**changes),
                       content_type="multipart/form-data").status_code == 303
    return db.session.scalars(sa.select(EngagementEvent).order_by(EngagementEvent.id.desc())).first()


def partner_part(event: EngagementEvent, scene) -> Participation:
    return next(p for p in event.participations if p.provider_id == scene.partner.id)


def test_a_provider_named_in_another_providers_event_states_its_own_leadership(client, scene) -> None:
    event = my_event(client, scene)
    page = client.get(f"/provider/events/{event.ref}").get_data(as_text=True)
    assert "Not stated" in page  # RPART's leadership: nobody said
    sign_in_as(client, scene.partner_user)
    home = client.get("/provider/").get_data(as_text=True)
    assert f"/provider/events/{event.ref}/answer" in home and "say whether your leadership took part" in home
    plan = client.get(scene.base).get_data(as_text=True)
    assert "Say whether your leadership took part" in plan
    form = client.get(f"/provider/events/{event.ref}/answer").get_data(as_text=True)
    assert "Say whether your leadership took part" in form and "Did this event happen" not in form
    response = client.post(f"/provider/events/{event.ref}/answer", data={"leadership": "yes", "status": "confirmed"})
    assert response.status_code == 303
    db.session.expire_all()
    part = partner_part(event, scene)
    assert (part.leadership, part.status) == (True, "unconfirmed")  # the board still confirms this event
    assert audit_actions()[-1] == "participation_leadership_stated"
    assert f"/provider/events/{event.ref}/answer" not in client.get("/provider/").get_data(as_text=True)
    # The recorder's edit keeps what the partner said about itself.
    sign_in_as(client, scene.user)
    client.post(f"/provider/events/{event.ref}/edit", data=event_form(summary="Changed wording"),
                content_type="multipart/form-data")
    db.session.expire_all()
    assert partner_part(event, scene).leadership is True


def test_leadership_must_be_chosen(client, scene) -> None:
    event = my_event(client, scene)
    sign_in_as(client, scene.partner_user)
    response = client.post(f"/provider/events/{event.ref}/answer", data={})
    assert response.status_code == 200 and "Select yes if your leadership took part" in response.get_data(as_text=True)
    assert partner_part(event, scene).leadership is None


def test_after_an_answer_the_page_says_what_happened(client, scene) -> None:
    event = board_event(scene)
    sign_in_as(client, scene.user)
    page = client.get(f"/provider/events/{event.ref}").get_data(as_text=True)
    assert "Tell them whether it happened this way" in page
    assert "The board asked for our views (consult)" in page  # depth 2, in the provider's words
    client.post(f"/provider/events/{event.ref}/answer", data={"status": "confirmed", "leadership": "no"})
    page = client.get(f"/provider/events/{event.ref}").get_data(as_text=True)
    assert "You confirmed this on 1 October 2014" in page and "Tell them whether" not in page
    assert mine(event, scene).leadership is False
    sign_in_as(client, scene.hwb_user)
    board = client.get(f"/board/events/{event.ref}").get_data(as_text=True)
    assert "We asked them for their views (consult)" in board and "The board asked for our views" not in board
    assert f"{scene.me.name} confirmed this on 1 October 2014" in board


def test_a_dispute_needs_a_note(client, scene) -> None:
    event = board_event(scene)
    sign_in_as(client, scene.user)
    response = client.post(f"/provider/events/{event.ref}/answer", data={"status": "disputed", "note": " "})
    assert response.status_code == 200 and "Enter why you dispute it" in response.get_data(as_text=True)
    assert mine(event, scene).status == "unconfirmed"


def test_the_board_answer_is_shown_to_both_sides(client, scene) -> None:
    event = my_event(client, scene)
    sign_in_as(client, scene.hwb_user)
    assert "Tell them whether it happened this way" in client.get(f"/board/events/{event.ref}").get_data(as_text=True)
    client.post(f"/board/events/{event.ref}/answer", data={"status": "confirmed"})
    board = client.get(f"/board/events/{event.ref}").get_data(as_text=True)
    assert "You confirmed this on 1 October 2014" in board and "Tell them whether" not in board
    sign_in_as(client, scene.user)
    page = client.get(f"/provider/events/{event.ref}").get_data(as_text=True)
    assert "The board confirmed this on 1 October 2014" in page


@pytest.fixture
def with_document(client, scene, app):
    form = event_form(others=[])
    form["evidence_file"] = (io.BytesIO(PDF), "board minutes.pdf")
    sign_in_as(client, scene.user)
    assert client.post(f"{scene.base}/events/new", data=form, content_type="multipart/form-data").status_code == 303
    document = db.session.scalars(sa.select(EvidenceDocument)).one()
    yield document.event.ref, document.id
    from tracker.provider import uploads
    uploads.discard(document.storage_key)


def test_the_document_is_listed_for_the_board_the_assurer_and_in_the_pack(client, scene, with_document) -> None:
    ref, doc_id = with_document
    link = f"/provider/events/{ref}/documents/{doc_id}"
    sign_in_as(client, scene.hwb_user)
    board = client.get(f"/board/events/{ref}").get_data(as_text=True)
    assert link in board and "board_minutes.pdf" in board and "1 KB" in board
    with client.get(link) as response:
        assert response.status_code == 200
    sign_in_as(client, scene.assurer)
    plan = client.get(f"/assurance/plans/{scene.hwb.code}/2015-16").get_data(as_text=True)
    assert link in plan and "board_minutes.pdf" in plan
    pack = client.get(f"/assurance/plans/{scene.hwb.code}/2015-16/pack").get_data(as_text=True)
    assert "Evidence documents" in pack and link in pack and "board_minutes.pdf" in pack
    # Evidence as at a day before the upload leaves it out.
    earlier = client.get(f"/assurance/plans/{scene.hwb.code}/2015-16/pack?as_of=2014-06-01").get_data(as_text=True)
    assert "board_minutes.pdf" not in earlier
    pdf = client.get(f"/assurance/plans/{scene.hwb.code}/2015-16/pack.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and link.encode() in pdf.data
