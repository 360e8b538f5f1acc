"""Board membership: the current board, adding a member, changing or ending a membership, and the comparison."""
from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from tests.factories import make_hwb, sign_in_as
from tests.hwb.conftest import audit_actions, text
from tracker.domain import membership
from tracker.models import AuditEntry, BoardMembership
from tracker.web.extensions import db


def member_form(**changes: Any) -> dict[str, Any]:
    """A valid add-member form: the acute trust's chief executive, voting, from April 2013."""
    data: dict[str, Any] = {"member_name": "Dr Anna Shaw", "seat": "provider", "provider": "RACU", "voting": "yes",
                            "start[day]": "1", "start[month]": "4", "start[year]": "2013"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def members() -> list[BoardMembership]:
    return list(db.session.scalars(sa.select(BoardMembership).order_by(BoardMembership.id)))


def add_chair(scene: Any) -> BoardMembership:
    chair = BoardMembership(hwb_id=scene.hwb.id, member_name="Cllr Lucy Hovvels", seat="chair", voting=True,
                            start=date(2013, 4, 1))
    db.session.add(chair)
    db.session.commit()
    return chair


def test_the_board_adds_a_member_representing_a_provider(client, scene) -> None:
    add_chair(scene)
    sign_in_as(client, scene.hwb_user)
    page = text(client.get("/board/members/new"))
    assert "Durham Acute Hospitals NHS Trust (RACU)" in page and "London Housing" not in page
    response = client.post("/board/members/new", data=member_form())
    assert response.status_code == 303 and response.headers["Location"].endswith("/board/members")
    added = members()[-1]
    assert (added.hwb_id, added.member_name, added.seat, added.provider_id, added.voting, added.start, added.end) == (
        scene.hwb.id, "Dr Anna Shaw", "provider", scene.acute.id, True, date(2013, 4, 1), None)
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.actor_id, entry.before) == ("board_member_added", scene.hwb_user.id, None)
    assert entry.after["provider_code"] == "RACU"
    page = text(client.get(response.headers["Location"]))
    assert "Dr Anna Shaw added to the board" in page and "2 current members" in page


def test_the_boards_figures_are_the_engines_beside_the_region_and_england(client, scene) -> None:
    add_chair(scene)
    sign_in_as(client, scene.hwb_user)
    client.post("/board/members/new", data=member_form())
    own = membership.board_figures(db.session, scene.hwb.id, date(2014, 10, 1))
    assert (own["size"], own["provider_members"], own["voting_provider_members"]) == (2, 1, 1)
    england = membership.board_membership_statistics(db.session, date(2014, 10, 1))
    assert england["boards"] == 2 and england["share_with_provider_member"] == 0.5
    page = text(client.get("/board/members"))
    # Board IN (north) has a provider member; board OUT (london) has none: north 100%, England 50%.
    assert "100% of boards" in page and "50% of boards" in page and "1.0 members on average" in page
    assert "A member from acute hospital" in page and "Yes (1)" in page


def test_every_problem_is_shown_and_nothing_is_added(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    page = text(client.post("/board/members/new", data={"member_name": "", "seat": "", "voting": "",
                                                        "start[day]": "", "start[month]": "", "start[year]": ""}))
    for message in ("Enter the member&#39;s name", "Select the seat the member holds", "Select yes if the member votes",
                    "Enter the start date"):
        assert message in page, message
    page = text(client.post("/board/members/new", data=member_form(provider="RSTR")))
    assert "Select a provider that serves the board&#39;s area, or none" in page
    page = text(client.post("/board/members/new", data=member_form(provider="")))
    assert "Select the provider organisation a member in a provider seat represents" in page
    page = text(client.post("/board/members/new", data=member_form(**{"end[day]": "1", "end[month]": "1",
                                                                      "end[year]": "2013"})))
    assert "End date must be the same as or after the start date" in page
    assert members() == [] and "board_member_added" not in audit_actions()


def test_the_same_seat_from_the_same_day_is_not_added_twice(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    client.post("/board/members/new", data=member_form())
    page = text(client.post("/board/members/new", data=member_form()))
    assert "already holds this seat from this start date" in page and len(members()) == 1


def test_ending_a_membership_keeps_it_among_the_former_members(client, scene) -> None:
    chair = add_chair(scene)
    sign_in_as(client, scene.hwb_user)
    url = f"/board/members/{chair.id}"
    assert "Cllr Lucy Hovvels" in text(client.get(url))
    response = client.post(url, data={"provider": "", "voting": "yes", "end[day]": "30", "end[month]": "9",
                                      "end[year]": "2014"})
    assert response.status_code == 303
    assert db.session.get(BoardMembership, chair.id).end == date(2014, 9, 30)
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "board_member_ended"
    assert (entry.before["end"], entry.after["end"]) == (None, "2014-09-30")
    page = text(client.get("/board/members"))
    assert "0 current members" in page and "1 memberships ended" in page
    assert membership.board_figures(db.session, scene.hwb.id, date(2014, 10, 1))["size"] == 0
    assert membership.board_figures(db.session, scene.hwb.id, date(2014, 9, 30))["size"] == 1  # active on its end day


def test_marking_a_member_not_voting_and_linking_a_provider_is_audited(client, scene) -> None:
    chair = add_chair(scene)
    sign_in_as(client, scene.hwb_user)
    url = f"/board/members/{chair.id}"
    client.post(url, data={"provider": "RCOM", "voting": "no"})
    record = db.session.get(BoardMembership, chair.id)
    assert (record.voting, record.provider_id, record.end) == (False, scene.community.id, None)
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "board_member_changed"
    assert (entry.before["voting"], entry.after["voting"]) == (True, False)
    assert (entry.before["provider_code"], entry.after["provider_code"]) == (None, "RCOM")
    # The same again changes nothing and writes nothing.
    count = len(audit_actions())
    response = client.post(url, data={"provider": "RCOM", "voting": "no"})
    assert "Nothing was changed" in text(client.get(response.headers["Location"]))
    assert len(audit_actions()) == count
    page = text(client.post(url, data={"provider": "RSTR", "voting": "maybe"}))
    assert "serves the board&#39;s area" in page and "Select yes if the member votes" in page
    assert db.session.get(BoardMembership, chair.id).provider_id == scene.community.id


def test_another_boards_membership_is_not_found(client, scene) -> None:
    theirs = BoardMembership(hwb_id=scene.other_hwb.id, member_name="Cllr Other", seat="chair", voting=True,
                             start=date(2013, 4, 1))
    db.session.add(theirs)
    make_hwb("E06000001", region="north", name="Hartlepool")
    db.session.commit()
    sign_in_as(client, scene.hwb_user)
    assert client.get(f"/board/members/{theirs.id}").status_code == 404
    assert client.post(f"/board/members/{theirs.id}", data={"voting": "no", "provider": ""}).status_code == 404
    assert db.session.get(BoardMembership, theirs.id).voting is True
    assert "Cllr Other" not in text(client.get("/board/members"))
