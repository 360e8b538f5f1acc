"""A walk through every kind of change, through the pages, the API and the commands, watching the audit trail.

Each step is made as its user makes it (signed in through the sign-in page; the API with a token made on the
tokens page; the commands as an operator runs them) and names the audit entry it must leave: the action, who,
and which record. Meanwhile every commit is watched: one that changes a record must add an audit entry in the
same transaction (`unaudited` lists those that did not), and no entry may change once written (`rewritten`).
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, has_request_context, request
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy.orm import Session

from tests.conftest import make_test_app
from tests.reliability import audit_walk_organisations, audit_walk_people, world
from tests.reliability.harness import PASSWORD, YEAR
from tests.reliability.pages import post_form
from tracker.models import AuditEntry, Concern, Participation, User
from tracker.web.extensions import db

# What the audit trail need not cover: figures derived from the records, the bookkeeping that makes retries
# safe, and fields that note use rather than change (None: every field of the class). A form kept while its person
# signs in again holds what they typed, not a change (the change, once sent, is audited); a notification's reading
# and delivery (tries, claims, sending, the digest it went in) are the sender's bookkeeping and its person's reading,
# not a change of a record (the change that queued it is audited in the same transaction); a session's last use.
UNAUDITED: dict[str, set[str] | None] = {
    "IdempotentRequest": None, "EngagementSummary": None, "FootprintTally": None, "KeptForm": None,
    "ApiToken": {"last_used_at"}, "User": {"last_sign_in_at"}, "UserSession": {"last_seen_at"},
    "Notification": {"read_at", "status", "tries", "next_try_at", "last_error", "sent_at", "claimed_by", "claimed_at",
                     "digest_id"}}
REF = re.compile(r"(?:EV|CN)-[0-9A-F]+")
PLAN = f"/provider/plans/{world.BOARD}/{YEAR}"


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Expected:
    """An audit entry a step must have left."""

    action: str
    actor: str  # an e-mail, "cli" or "anonymous"
    entity_type: str
    entity_id: str | None  # None: whichever record
    since: datetime
    until: datetime


@dataclass
class Trail:
    """What the walk did and what the audit trail holds afterwards."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    expected: list[Expected] = field(default_factory=list)
    unaudited: list[str] = field(default_factory=list)
    rewritten: list[str] = field(default_factory=list)
    user_ids: dict[str, int] = field(default_factory=dict)


def _as_dict(entry: AuditEntry) -> dict[str, Any]:
    return {c.key: getattr(entry, c.key) for c in sa.inspect(AuditEntry).column_attrs}


def changed_in_flush(session: Session) -> set[str]:
    """"Class" for each record added or deleted, "Class.field" for each field changed, in this flush."""
    names = {type(o).__name__ for o in (*session.new, *session.deleted)}
    for obj in session.dirty:
        state = sa.inspect(obj)
        names |= {f"{type(obj).__name__}.{a.key}" for a in state.attrs if a.history.has_changes()}
    return names


def needs_audit(name: str) -> bool:
    cls, _, attribute = name.partition(".")
    exempt = UNAUDITED.get(cls, set())
    return not (exempt is None or attribute in exempt)


class CommitWatch:
    """Watches every session's commits while `on`: each that changes records must add an AuditEntry."""

    def __init__(self) -> None:
        self.on, self.unaudited = False, []

    @contextmanager
    def installed(self) -> Iterator[CommitWatch]:
        events = (("after_flush", self._flushed), ("after_commit", self._committed),
                  ("after_rollback", self._rolled_back))
        for name, handler in events:
            sa.event.listen(Session, name, handler)
        try:
            yield self
        finally:
            for name, handler in events:
                sa.event.remove(Session, name, handler)

    def _flushed(self, session: Session, context: Any) -> None:  # noqa: ARG002 - the event's signature
        if self.on:
            session.info.setdefault("changed", set()).update(changed_in_flush(session))

    def _committed(self, session: Session) -> None:
        changed = session.info.pop("changed", set())
        if self.on and "AuditEntry" not in changed and any(needs_audit(n) for n in changed):
            where = f"{request.method} {request.path}" if has_request_context() else "a command"
            self.unaudited.append(f"{where} changed {sorted(n for n in changed if needs_audit(n))} unaudited")

    def _rolled_back(self, session: Session) -> None:
        session.info.pop("changed", None)


class Walk:
    """The walk; `run()` returns the Trail."""

    def __init__(self, app: Flask, tmp: Path) -> None:
        self.app, self.tmp = app, tmp
        self.trail, self.watch = Trail(), CommitWatch()
        self.browsers: dict[str, FlaskClient] = {}
        self.seen: dict[int, tuple] = {}
        self.demo_entries: list[dict[str, Any]] = []

    # -- helpers -------------------------------------------------------------------------------------------------
    def db(self, work: Any) -> Any:
        with self.app.app_context():
            try:
                return work()
            finally:
                db.session.remove()

    def expect(self, action: str, actor: str, entity_type: str, entity_id: object, since: datetime) -> None:
        entity = None if entity_id is None else str(entity_id)
        self.trail.expected.append(Expected(action, actor, entity_type, entity, since, now()))

    @contextmanager
    def step(self) -> Iterator[datetime]:
        """A watched step; afterwards, no entry written before it may have changed."""
        self.watch.on = True
        try:
            yield now()
        finally:
            self.watch.on = False
        rows = self.db(world.audit_snapshot)
        self.trail.rewritten += [f"entry {i} changed or went: {old} -> {rows.get(i)}" for i, old in self.seen.items()
                                 if rows.get(i) != old]
        self.seen = rows

    def browser(self, role: str) -> FlaskClient:
        """A browser signed in as the role's user through the sign-in page (leaving a sign_in entry)."""
        if role not in self.browsers:
            self.browsers[role] = self.sign_in(world.EMAILS[role])
        return self.browsers[role]

    def sign_in(self, email: str, password: str = PASSWORD) -> FlaskClient:
        client = self.app.test_client()
        with self.step() as since:
            response = client.post("/sign-in", data={"email": email, "password": password})
        if password == PASSWORD:
            assert response.status_code == 302, response.status_code
            self.expect("sign_in", email, "user", self.trail.user_ids[email], since)
        else:
            user_id = self.trail.user_ids.get(email, "")
            self.expect("sign_in_failed", email if user_id else "anonymous", "user", user_id, since)
        return client

    def post(self, role: str, path: str, data: dict[str, Any], **kwargs: Any) -> Any:
        with self.step():
            response = self.browser(role).post(path, data=data, **kwargs)
        assert response.status_code in (200, 302, 303), (path, response.status_code, response.get_data(True)[-800:])
        return response

    def change(self, role: str, path: str, data: dict[str, Any], *expected: tuple[str, str, object],
               **kwargs: Any) -> Any:
        """Post a form as the role's user; it must redirect (success) and leave each (action, type, id) entry."""
        self.browser(role)
        since = now()
        response = self.post(role, path, data, **kwargs)
        assert response.status_code in (302, 303), (path, response.status_code, response.get_data(True)[-1500:])
        location = response.headers["Location"]
        for action, entity_type, entity_id in expected:
            entity_id = entity_id(location) if callable(entity_id) else entity_id
            self.expect(action, world.EMAILS[role], entity_type, entity_id, since)
        return response

    def command(self, app: Flask, args: list[str], *expected: tuple[str, str, object], stdin: str = "") -> str:
        since = now()
        with self.step():
            result = app.test_cli_runner().invoke(args=args, input=stdin)
        assert result.exit_code == 0, result.output
        for action, entity_type, entity_id in expected:
            self.expect(action, "cli", entity_type, entity_id, since)
        return result.output

    def user_id(self, email: str) -> int:
        return self.db(lambda: db.session.scalar(sa.select(User.id).where(User.email == email)))

    def last_id(self, table: str) -> int:
        return self.db(lambda: db.session.scalar(sa.text(f"SELECT max(id) FROM {table}")))  # noqa: S608

    def participation(self, ref: str, code: str) -> int:
        return self.db(lambda: db.session.scalar(
            sa.select(Participation.id).join(Participation.event).join(Participation.provider)
            .where(sa.text("engagement_event.ref = :ref AND provider.code = :code")).params(ref=ref, code=code)))

    # -- the walk ------------------------------------------------------------------------------------------------
    def run(self) -> Trail:
        def seed() -> None:
            world.seed_page_world()
            world.strong_plan()
            self.trail.user_ids.update(db.session.execute(sa.select(User.email, User.id)).tuples().all())

        self.db(seed)
        with self.watch.installed():
            self.accounts()
            audit_walk_people.own_account(self)
            audit_walk_people.password_reset_by_email(self)
            self.provider_events()
            self.board_events()
            self.concerns()
            audit_walk_people.notifications(self)
            self.membership_assessment_review()
            self.next_plans()
            audit_walk_people.admin_people(self, self.user_id("new.person@example.org"))
            audit_walk_organisations.organisations(self)
            audit_walk_organisations.imports(self)
            self.commands()
        self.trail.unaudited = self.watch.unaudited
        self.trail.entries = self.db(lambda: [
            _as_dict(e) for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))])
        self.trail.entries += self.demo_entries
        return self.trail

    def accounts(self) -> None:
        """Sign-ins, failed ones, users made and changed by the admin, and API tokens made and revoked."""
        self.sign_in(world.EMAILS["provider"], "not the password at all")
        self.sign_in("nobody@example.org", "not the password at all")
        self.browser("admin")
        since = now()
        self.change("admin", "/admin/users/new", {
            "email": "new.person@example.org", "name": "New Person", "role": "provider", "provider_code": "RC1",
            "password": "a long passphrase of 2014"})
        user_id = self.user_id("new.person@example.org")
        self.expect("user_created", world.EMAILS["admin"], "user", user_id, since)
        edit = f"/admin/users/{user_id}"
        self.change("admin", edit, {"role": "hwb", "hwb_code": world.BOARD, "active": "yes"},
                    ("role_changed", "user", user_id))
        self.change("admin", edit, {"role": "hwb", "hwb_code": world.BOARD, "active": "no"},
                    ("user_deactivated", "user", user_id))
        self.change("admin", edit, {"role": "hwb", "hwb_code": world.BOARD, "active": "yes"},
                    ("user_reactivated", "user", user_id))
        self.change("admin", f"{edit}/password", {"password": "another long passphrase"},
                    ("password_reset", "user", user_id))
        self.browser("provider")
        since = now()
        page = self.post("provider", "/account/tokens", {"name": "Nightly export"}).get_data(as_text=True)
        self.token = re.search(r"bcf_[A-Za-z0-9_\-]+", page).group(0)
        self.expect("token_created", world.EMAILS["provider"], "api_token", self.last_id("api_token"), since)
        self.post("provider", "/account/tokens", {"name": "Spare"})
        spare = self.last_id("api_token")
        self.change("provider", f"/account/tokens/{spare}/revoke", {}, ("token_revoked", "api_token", spare))

    def provider_events(self) -> None:
        """A provider records an event with a document, changes it, withdraws another, answers the board's."""
        event = {"date[day]": "12", "date[month]": "6", "date[year]": "2014", "kind": "workshop", "depth": "3",
                 "topics": ["schemes"], "leadership": "yes", "others": ["RC1"], "summary": "Workshop on discharge",
                 "evidence_url": ""}
        ref = lambda location: REF.search(location).group(0)  # noqa: E731 - the event the page sent us to
        recorded = self.change("provider", f"{PLAN}/events/new", {
            **event, "submission": "a" * 32, "evidence_file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "minutes.pdf")},
            ("event_recorded", "engagement_event", ref), ("evidence_uploaded", "evidence_document", ref),
            content_type="multipart/form-data")
        self.ref = ref(recorded.headers["Location"])
        # The board confirms it; a deeper involvement than the one confirmed then asks the board again.
        self.change("hwb", f"/board/events/{self.ref}/answer", {"status": "confirmed"},
                    ("participation_confirmed", "participation", self.participation(self.ref, "RA1")))
        self.change("provider", f"/provider/events/{self.ref}/edit", {**event, "depth": "4"},
                    ("event_changed", "engagement_event", self.ref),
                    ("participation_reset", "participation", self.participation(self.ref, "RA1")),
                    ("participation_reset", "participation", self.participation(self.ref, "RC1")),
                    content_type="multipart/form-data")
        other = ref(self.change("provider", f"{PLAN}/events/new", {**event, "submission": "b" * 32},
                                content_type="multipart/form-data").headers["Location"])
        self.change("provider", f"/provider/events/{other}/withdraw", {"reason": "Recorded twice"},
                    ("event_withdrawn", "engagement_event", other))
        board_event = self.db(lambda: world.event("hwb"))
        self.change("provider", f"/provider/events/{board_event}/answer", {"status": "confirmed", "leadership": "no"},
                    ("participation_confirmed", "participation", self.participation(board_event, "RA1")),
                    ("participation_leadership_stated", "participation", self.participation(board_event, "RA1")))
        since = now()
        with self.step():
            answer = self.app.test_client().post(
                f"/api/v1/plans/{world.BOARD}/{YEAR}/events", headers={"Authorization": f"Bearer {self.token}"},
                json={"date": "2014-07-01", "kind": "meeting", "depth": 2, "topics": ["metrics"],
                      "summary": "Data group", "participations": [{"provider_code": "RA1", "leadership": False}]})
        assert answer.status_code == 201, answer.get_data(as_text=True)
        self.api_ref = answer.get_json()["event_ref"]
        self.expect("event_recorded", world.EMAILS["provider"], "engagement_event", self.api_ref, since)

    def board_events(self) -> None:
        """The board records an event and disputes the one the provider recorded through the API."""
        self.change("hwb", "/board/events/new", {
            "date[day]": "2", "date[month]": "9", "date[year]": "2014", "kind": "board_meeting", "depth": "2",
            "topics": ["schemes"], "took_part": ["RA1", "RC1"], "summary": "Board meeting", "evidence_url": "",
            "submission": "c" * 32}, ("event_recorded", "engagement_event", lambda loc: REF.search(loc).group(0)))
        self.change("hwb", f"/board/events/{self.api_ref}/answer", {"status": "disputed", "note": "Not minuted"},
                    ("participation_disputed", "participation", self.participation(self.api_ref, "RA1")))

    def concerns(self) -> None:
        """A concern raised, acknowledged, answered, replied to, reopened, escalated and resolved."""
        self.post("provider", f"{PLAN}/concerns/new", {"category": "data", "severity": "low", "confidential": "no",
                                                       "text": "The data plan leaves us out"})
        raised = self.change("provider", f"{PLAN}/concerns/check", {},
                             ("concern_raised", "concern", lambda loc: REF.search(loc).group(0)))
        ref = REF.search(raised.headers["Location"]).group(0)
        for role, action, message in (("hwb", "acknowledge", ""), ("hwb", "respond", "We will meet you"),
                                      ("provider", "reply", "Thank you"), ("provider", "reopen", "Not settled"),
                                      ("provider", "escalate", "No answer"), ("assurer", "respond", "We asked them"),
                                      ("provider", "resolve", "")):
            path = {"hwb": "/board/concerns/", "assurer": "/assurance/concerns/"}.get(role, "/provider/concerns/") + ref
            self.change(role, path, {"action": action, "message": message}, (f"concern_{action}", "concern", ref))
        assert self.db(lambda: db.session.scalar(sa.select(Concern.status).where(Concern.ref == ref))) == "resolved"

    def membership_assessment_review(self) -> None:
        """The board's membership kept, the provider's assessment, and an assurer's review with a peer match."""
        self.browser("hwb")
        since = now()
        self.change("hwb", "/board/members/new", {
            "member_name": "Cllr A. Smith", "seat": "provider", "provider": "RA1", "voting": "yes",
            "start[day]": "1", "start[month]": "4", "start[year]": "2014"})
        member = self.last_id("board_membership")
        self.expect("board_member_added", world.EMAILS["hwb"], "board_membership", member, since)
        self.change("hwb", f"/board/members/{member}", {"provider": "RA1", "voting": "no"},
                    ("board_member_changed", "board_membership", member))
        self.change("hwb", f"/board/members/{member}", {"provider": "RA1", "voting": "no", "end[day]": "31",
                                                         "end[month]": "3", "end[year]": "2015"},
                    ("board_member_ended", "board_membership", member))
        since = now()
        self.change("provider", f"{PLAN}/assessment", {"emergency_admissions_change_pct": "-2.5",
                                                       "financial_impact_gbp": "-150000", "agreement": "partly"})
        self.expect("impact_assessment_saved", world.EMAILS["provider"], "impact_assessment",
                    self.last_id("impact_assessment"), since)
        self.browser("assurer")
        review = f"/assurance/plans/{world.BOARD}/{YEAR}/review"
        form = post_form(self.browser("assurer").get(review).get_data(as_text=True))
        assert "E06000103" in form.fields["peer"].options, form.fields["peer"].options
        choices = {name: "met" for name in form.fields if name.startswith("condition_")}
        since = now()
        self.change("assurer", review, {**choices, "evidence_rating": form.fields["evidence_rating"].value,
                                        "rating": form.fields["evidence_rating"].value, "decision": "not_approved",
                                        "tranche": "none", "intervention": "Pair with a strong board",
                                        "override_reason": "As the evidence says", "peer": "E06000103"})
        self.expect("assurance.review", world.EMAILS["assurer"], "assurance_review", self.last_id("assurance_review"),
                    since)
        self.expect("assurance.peer_match", world.EMAILS["assurer"], "plan", self.db(lambda: world.plan().id), since)
        audit_walk_people.review_conditions(self, {**choices, "evidence_rating": form.fields["evidence_rating"].value,
                                                   "rating": form.fields["evidence_rating"].value})

    def next_plans(self) -> None:
        """Next year's plans started: the board's own by its user, another board's by the admin."""
        figures = {"minimum_pool_gbp": "10000000", "total_pool_gbp": "12500000", "nhs_contribution_gbp": "9000000",
                   "council_contribution_gbp": "3500000", "claimed_emergency_reduction_pct": "4"}
        for role, path in (("hwb", "/board/plans/next"), ("admin", f"/admin/boards/{world.OTHER_BOARD}/next-plan")):
            self.browser(role)
            since = now()
            self.change(role, path, {**figures, "year": "2016-17"})
            self.expect("plan_started", world.EMAILS[role], "plan", self.last_id("plan"), since)

    def commands(self) -> None:
        """The operator's commands: an import, the evidence summaries rebuilt, a user and a token made at the
        command line, the demo data."""
        path = self.tmp / "hwbs.csv"
        path.write_text("code,name,region\nE06000199,Imported board,south\n", encoding="utf-8")
        self.command(self.app, ["import", "hwbs", str(path)], ("import", "hwbs", ""),
                     ("import_row_created", "hwb", "E06000199"))
        path.write_text("code,name,region\nE06000199,Imported board renamed,south\n", encoding="utf-8")
        self.command(self.app, ["import", "hwbs", str(path)], ("import", "hwbs", ""),
                     ("import_row_changed", "hwb", "E06000199"))
        self.command(self.app, ["evidence", "rebuild"], ("summaries_rebuilt", "database", ""))
        # The notifications the walk queued sent (as .eml files): delivery is bookkeeping, watched all the same.
        self.command(self.app, ["notifications", "send"])
        since = now()
        self.command(self.app, ["create-user", "ops@example.org", "--role", "assurer"],
                     stdin="an operator passphrase 2014\n")
        self.expect("user_created", "cli", "user", self.user_id("ops@example.org"), since)
        since = now()
        self.command(self.app, ["create-token", "ops@example.org"])
        self.expect("token_created", "cli", "api_token", self.last_id("api_token"), since)
        # The demonstration data loads only into an empty database: a new one of its own.
        demo = make_test_app(f"sqlite:///{self.tmp / 'demo.sqlite'}", self.tmp)
        with demo.app_context():
            upgrade()
            try:
                self.command(demo, ["seed-demo"], ("seed-demo", "database", ""))
                self.demo_entries = [_as_dict(e) for e in db.session.scalars(sa.select(AuditEntry))]
            finally:
                db.session.remove()
                db.engine.dispose()
