"""A person's data: an admin exports everything held about them (JSON, CSV), and anonymises the account of a person
who has left — after which no page, export or API answer shows their old name or e-mail, and the evidence figures
are unchanged. Both are audited; the audit trail itself is never changed."""
from __future__ import annotations

import csv
import io
import json

import pytest
import sqlalchemy as sa

from tests.factories import make_hwb, make_plan, make_provider, make_user, sign_in_as
from tracker.domain import accounts
from tracker.domain.anonymise import digest
from tracker.models import ApiToken, AuditEntry, User
from tracker.web.extensions import db

OLD_EMAIL, OLD_NAME = "jane.leaver@trust.example", "Jane Leaver"
EVENT = {"date": "2014-06-12", "kind": "meeting", "depth": 3, "topics": ["schemes"], "summary": "Plan workshop",
         "participations": [{"provider_code": "RJL"}]}
CONCERN = {"category": "excluded", "severity": "high", "text": "We were not asked about the schemes"}


@pytest.fixture
def world(app_ctx):
    """A provider user (who will leave) that records an event and raises a concern through the API; a colleague,
    the board, an assurer and an admin; each with an API token."""
    board = make_hwb("E06000011", region="north")
    provider = make_provider(footprint=[board], code="RJL")
    make_plan(board)
    admin = make_user("admin", "admin@example.org")
    leaver = accounts.create_user(db.session, OLD_EMAIL, "a long enough password 1", accounts.Scope("provider", "RJL"),
                                  name=OLD_NAME, actor=admin)
    people = {"admin": admin, "leaver": leaver, "colleague": make_user("provider", provider=provider),
              "hwb": make_user("hwb", hwb=board), "assurer": make_user("assurer")}
    tokens = {role: accounts.create_token(db.session, user, f"{role} token") for role, user in people.items()}
    db.session.commit()
    return {"people": people, "tokens": tokens, "board": board.code}


def _api(client, world, role: str, method: str, path: str, **kwargs):
    sign_in_as(client, None)
    return client.open(f"/api/v1{path}", method=method, headers={"Authorization": f"Bearer {world['tokens'][role]}"},
                       **kwargs)


def _recorded(client, world) -> tuple[str, str]:
    plan = f"/plans/{world['board']}/2015-16"
    event = _api(client, world, "leaver", "POST", f"{plan}/events", json=EVENT)
    concern = _api(client, world, "leaver", "POST", f"{plan}/concerns", json=CONCERN)
    assert event.status_code == 201 and concern.status_code == 201, (event.get_json(), concern.get_json())
    return event.get_json()["event_ref"], concern.get_json()["ref"]


def _download(client, admin: User, user_id: int, kind: str):
    sign_in_as(client, admin)
    response = client.get(f"/admin/users/{user_id}/subject-access.{kind}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store" and "attachment" in \
        response.headers["Content-Disposition"]
    return response


def test_subject_access_export_as_json_holds_everything_but_secrets(client, world) -> None:
    event_ref, concern_ref = _recorded(client, world)
    leaver = world["people"]["leaver"]
    response = _download(client, world["people"]["admin"], leaver.id, "json")
    held = response.get_json()
    assert held["account"][0]["email"] == OLD_EMAIL and held["account"][0]["provider_code"] == "RJL"
    assert [t["name"] for t in held["api_tokens"]] == ["leaver token"]
    assert [e["ref"] for e in held["events_recorded"]] == [event_ref]
    assert [s["concern_ref"] for s in held["concern_steps"]] == [concern_ref]
    actions = {e["action"] for e in held["audit_entries"]}
    assert {"user_created", "token_created", "event_recorded", "concern_raised"} <= actions
    body = response.get_data(as_text=True)
    token_hash = db.session.scalar(sa.select(ApiToken.token_hash).where(ApiToken.user_id == leaver.id))
    assert "password" not in body and "argon2" not in body and token_hash not in body
    assert world["tokens"]["leaver"] not in body
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "subject_access_exported"))
    assert entry.entity_id == str(leaver.id) and entry.actor_id == world["people"]["admin"].id
    assert entry.after["format"] == "json" and entry.after["counts"]["events_recorded"] == 1


def test_subject_access_export_as_one_csv(client, world) -> None:
    event_ref, _concern_ref = _recorded(client, world)
    leaver = world["people"]["leaver"]
    text = _download(client, world["people"]["admin"], leaver.id, "csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["record_type", "item", "field", "value"]
    assert ["account", "1", "email", OLD_EMAIL] in rows
    assert ["events_recorded", "1", "ref", event_ref] in rows
    assert {r[0] for r in rows[1:]} >= {"account", "api_tokens", "events_recorded", "concern_steps", "audit_entries"}


def test_only_admins_export_and_anonymise(client, world) -> None:
    leaver = world["people"]["leaver"]
    for role in ("assurer", "hwb", "colleague"):
        sign_in_as(client, world["people"][role])
        assert client.get(f"/admin/users/{leaver.id}/subject-access.json").status_code == 403
        assert client.post(f"/admin/users/{leaver.id}/anonymise").status_code == 403
    sign_in_as(client, world["people"]["admin"])
    assert client.get("/admin/users/999999/subject-access.csv").status_code == 404


def _pages(client, world, leaver_id: int, event_ref: str, concern_ref: str) -> str:
    """Every page, export and API answer that could show the person, joined."""
    people, shown = world["people"], []
    plan = f"/plans/{world['board']}/2015-16"
    sign_in_as(client, people["admin"])
    for path in ("/admin/users", f"/admin/users/{leaver_id}", f"/assurance/concerns/{concern_ref}",
                 "/admin/audit", "/admin/audit?actor=former", "/admin/audit.csv",
                 f"/assurance/plans/{world['board']}/2015-16", f"/admin/users/{leaver_id}/subject-access.json",
                 f"/admin/users/{leaver_id}/subject-access.csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        shown.append(response.get_data(as_text=True))
    for entry_id in db.session.scalars(sa.select(AuditEntry.id)):
        shown.append(client.get(f"/admin/audit/{entry_id}").get_data(as_text=True))
    sign_in_as(client, people["colleague"])
    shown.append(client.get(f"/provider/events/{event_ref}").get_data(as_text=True))
    sign_in_as(client, people["hwb"])
    shown.append(client.get(f"/board/events/{event_ref}").get_data(as_text=True))
    shown.append(client.get(f"/board/concerns/{concern_ref}").get_data(as_text=True))
    for role in ("assurer", "colleague", "hwb"):
        for path in (f"{plan}/events", f"{plan}/concerns"):
            shown.append(json.dumps(_api(client, world, role, "GET", path).get_json()))
    return "\n".join(shown)


def test_anonymising_a_leaver_hides_them_everywhere_and_keeps_the_figures(client, world) -> None:
    event_ref, concern_ref = _recorded(client, world)
    leaver = world["people"]["leaver"]
    leaver_id, version = leaver.id, leaver.session_version
    sign_in_as(client, None)
    client.post("/sign-in", data={"email": OLD_EMAIL, "password": "wrong password here"})  # a label kept as text
    evidence = f"/plans/{world['board']}/2015-16/evidence"
    before = _api(client, world, "assurer", "GET", evidence).get_json()
    assert OLD_EMAIL in _pages(client, world, leaver_id, event_ref, concern_ref)

    sign_in_as(client, world["people"]["admin"])
    page = client.get(f"/admin/users/{leaver_id}/anonymise")
    assert page.status_code == 200 and f"former-user-{leaver_id}@anonymised.invalid" in page.get_data(as_text=True)
    response = client.post(f"/admin/users/{leaver_id}/anonymise")
    assert response.status_code == 303

    db.session.expire_all()
    leaver = db.session.get(User, leaver_id)
    assert (leaver.name, leaver.email) == (f"Former user {leaver_id}", f"former-user-{leaver_id}@anonymised.invalid")
    assert not leaver.active and leaver.session_version > version
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken).where(
        ApiToken.user_id == leaver_id, ApiToken.revoked_at.is_(None))) == 0
    assert _api(client, world, "leaver", "GET", evidence).status_code == 401
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user_anonymised"))
    assert OLD_EMAIL not in json.dumps([entry.before, entry.after, entry.actor])
    assert entry.before["email_sha256"] == digest(OLD_EMAIL)

    assert _api(client, world, "assurer", "GET", evidence).get_json() == before
    shown = _pages(client, world, leaver_id, event_ref, concern_ref)
    assert OLD_EMAIL not in shown and OLD_NAME not in shown
    assert f"former-user-{leaver_id}@anonymised.invalid" in shown

    sign_in_as(client, world["people"]["admin"])
    again = client.post(f"/admin/users/{leaver_id}/anonymise")
    assert again.status_code == 400 and "already anonymised" in again.get_data(as_text=True)


def test_an_admin_cannot_anonymise_their_own_account(client, world) -> None:
    admin = world["people"]["admin"]
    sign_in_as(client, admin)
    response = client.post(f"/admin/users/{admin.id}/anonymise")
    assert response.status_code == 400 and "your own account" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).email == "admin@example.org"
