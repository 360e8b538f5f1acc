"""The world the page tests act in: the reliability world of harness.py (3 boards, 7 providers, a user each)
with a national assurer and an admin, and builders of fresh records for a form to act on.

The provider user is RA1's (serving board E06000101), the board user E06000101's. Every builder commits and
returns what a page's address needs. Call them inside an app context.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from tests.reliability.harness import YEAR, password_hash
from tracker.domain import accounts
from tracker.domain.concerns import ConcernInput, raise_concern
from tracker.domain.engagement import EventInput, ParticipantInput, record_event
from tracker.models import (
    HWB,
    ApiToken,
    AssuranceReview,
    AuditEntry,
    BoardMembership,
    EngagementEvent,
    EvidenceDocument,
    ImpactAssessment,
    ImportJob,
    Notification,
    PasswordReset,
    Plan,
    Provider,
    ReviewCondition,
    User,
    UserSession,
)
from tracker.models._types import utcnow
from tracker.web.extensions import db

BOARD, OTHER_BOARD = "E06000101", "E06000102"  # RA1 and RC1 serve the first only, RA2 the second only
EMAILS = {"provider": "provider-ra1@example.org", "partner": "provider-rc1@example.org",
          "stranger": "provider-ra2@example.org", "hwb": "hwb-e06000101@example.org",
          "other_hwb": "hwb-e06000102@example.org", "assurer": "assurer@example.org", "admin": "admin@example.org"}
TODAY = date(2014, 10, 1)


def seed_page_world() -> None:
    """The reliability world (harness.seed_rows) plus a national assurer and an admin; commits."""
    from tests.reliability.harness import seed_rows

    seed_rows()
    db.session.add_all([User(email=EMAILS["assurer"], password_hash=password_hash(), role="assurer"),
                        User(email=EMAILS["admin"], password_hash=password_hash(), role="admin")])
    db.session.commit()


def user(role: str) -> User:
    """The world's user for a role (provider, partner, stranger, hwb, other_hwb, assurer, admin)."""
    return db.session.scalar(sa.select(User).where(User.email == EMAILS[role]))


def plan(board: str = BOARD) -> Plan:
    return db.session.scalar(sa.select(Plan).join(HWB).where(HWB.code == board, Plan.year == YEAR))


def event(recorded_by: str = "provider", board: str = BOARD, names: tuple[str, ...] = ("RA1", "RC1"),
          summary: str = "Workshop on the discharge schemes") -> str:
    """A new event on the board's plan recorded by RA1 ("provider"), RA2 ("stranger"), RC1 ("partner") or the
    board ("hwb")."""
    author = user({"hwb": "hwb" if board == BOARD else "other_hwb"}.get(recorded_by, recorded_by))
    record = record_event(db.session, author, plan(board), EventInput(
        date=date(2014, 6, 12), kind="workshop", depth=3, topics=("schemes",), summary=summary,
        participations=tuple(ParticipantInput(code, code == "RA1") for code in names)), today=TODAY)
    db.session.commit()
    return record.ref


def concern(status: str = "open", *, confidential: bool = False, author: str = "provider",
            board: str = BOARD) -> str:
    """A new concern on the board's plan by RA1 ("provider") or RA2 ("stranger"), moved to `status`."""
    record = raise_concern(db.session, user(author), plan(board), ConcernInput(
        category="excluded", severity="high", text="We were not asked about the discharge scheme",
        confidential=confidential), today=TODAY, acknowledge_days=3, respond_days=20)
    record.status = status
    db.session.commit()
    return record.ref


def membership(board_user: str = "hwb", *, seat: str = "provider", provider: str | None = "RA1") -> int:
    """A new, current membership of the board user's board."""
    hwb_id = user(board_user).hwb_id
    provider_id = db.session.scalar(sa.select(Provider.id).where(Provider.code == provider)) if provider else None
    count = db.session.scalar(sa.select(sa.func.count()).select_from(BoardMembership)) or 0
    record = BoardMembership(hwb_id=hwb_id, member_name=f"Member {count + 1}", seat=seat, provider_id=provider_id,
                             voting=True, start=date(2013, 4, 1))
    db.session.add(record)
    db.session.commit()
    return record.id


def token(role: str) -> int:
    """A new API token of the role's user; its id."""
    accounts.create_token(db.session, user(role), "fuzzed")
    db.session.commit()
    return db.session.scalar(sa.select(sa.func.max(ApiToken.id)))


def document() -> dict[str, object]:
    """A new event of RA1's with an evidence document recorded against it (its file is not on disk)."""
    ref = event("provider")
    record = db.session.scalar(sa.select(EngagementEvent).where(EngagementEvent.ref == ref))
    doc = EvidenceDocument(event_id=record.id, filename="minutes.pdf", content_type="application/pdf",
                           size_bytes=10, sha256="0" * 64, storage_key=secrets.token_hex(16),
                           uploaded_by_id=user("provider").id)
    db.session.add(doc)
    db.session.commit()
    return {"ref": ref, "id": doc.id}


def strong_plan(board: str = "E06000103") -> None:
    """Make the board's plan rate strong (every criterion passes), so that a weaker plan has a peer to match:
    its two providers (RA3, acute, and RS1) take part in a confirmed event a month for three months, at depth 4,
    and the acute trust agrees with the plan."""
    author = db.session.scalar(sa.select(User).where(User.email == f"hwb-{board.lower()}@example.org"))
    for month in (4, 5, 6):
        record = record_event(db.session, author, plan(board), EventInput(
            date=date(2014, month, 3), kind="workshop", depth=4, topics=("schemes", "acute_impact"),
            summary="Joint design of the schemes", participations=(ParticipantInput("RA3", True),
                                                                   ParticipantInput("RS1", True))), today=TODAY)
        for participation in record.participations:
            participation.status = "confirmed"
    acute = db.session.scalar(sa.select(Provider).where(Provider.code == "RA3"))
    db.session.add(ImpactAssessment(plan_id=plan(board).id, provider_id=acute.id, agreement="agree",
                                    emergency_admissions_change_pct=Decimal("-3.5"), financial_impact_gbp=-1_000_000))
    db.session.commit()


def new_user() -> int:
    """A new provider user (for the admin's pages to act on); its id."""
    count = db.session.scalar(sa.select(sa.func.count()).select_from(User)) or 0
    record = User(email=f"someone{count + 1}@example.org", password_hash="!", role="provider",
                  provider_id=user("partner").provider_id)
    db.session.add(record)
    db.session.commit()
    return record.id


def condition(board: str = BOARD, *, status: str = "open") -> dict[str, object]:
    """A new review of the board's plan approving it subject to two conditions (made as the assurer's review
    page would, without its figures); the first condition's id, moved to `status` ("open" or "met")."""
    review = AssuranceReview(plan_id=plan(board).id, reviewer_id=user("assurer").id, criteria_snapshot={},
                             thresholds={}, suggested_rating="adequate", rating="adequate",
                             decision="approved_subject_to_conditions", tranche=2)
    review.condition_items = [ReviewCondition(position=1, text="Show the acute trust's sign-off"),
                              ReviewCondition(position=2, text="Name a lead for the schemes")]
    db.session.add(review)
    db.session.flush()
    first = review.condition_items[0]
    if status == "met":
        first.status, first.met_on = "met", TODAY
    db.session.commit()
    return {"id": first.id}


def user_session(role: str = "provider") -> int:
    """A new signed-in session (another browser) of the role's user; its id."""
    record = UserSession(user_id=user(role).id, sid_hash=secrets.token_hex(32), user_agent="Firefox <b>on</b> Linux",
                         address="10.0.0.9")
    db.session.add(record)
    db.session.commit()
    return record.id


def notification(role: str = "provider") -> int:
    """A new, unread notification of the role's user (already sent by e-mail), linking to their account; its id."""
    record = Notification(user_id=user(role).id, kind="concern_raised", subject="A concern was raised",
                          body_text="A concern was raised", body_html="<p>A concern was raised</p>",
                          link="/account/", status="sent", sent_at=utcnow())
    db.session.add(record)
    db.session.commit()
    return record.id


def reset_token(role: str = "provider", *, used: bool = False) -> str:
    """A new password reset link's token for the role's user (as the e-mail carries it)."""
    token, moment = secrets.token_urlsafe(32), utcnow()
    db.session.add(PasswordReset(user_id=user(role).id, token_hash=hashlib.sha256(token.encode()).hexdigest(),
                                 created_at=moment, expires_at=moment + timedelta(hours=1),
                                 used_at=moment if used else None))
    db.session.commit()
    return token


def audit_entry() -> int:
    """The id of the newest audit entry, after a new event of RA1's (so there is one with before and after)."""
    event("provider")
    return db.session.scalar(sa.select(sa.func.max(AuditEntry.id)))


def audit_snapshot() -> dict[int, tuple]:
    """Every audit entry as it stands, by id (to check later that none changed or went)."""
    return {e.id: (e.at, e.actor_id, e.actor, e.action, e.entity_type, e.entity_id, e.before, e.after)
            for e in db.session.scalars(sa.select(AuditEntry))}


def provider(*, closed: bool = False) -> int:
    """A new provider (a local code) serving the first board, closed a month before TODAY if `closed`; its id."""
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Provider)) or 0
    hwb = db.session.scalar(sa.select(HWB).where(HWB.code == BOARD))
    record = Provider(code=f"VCS{count + 1:05d}", name=f"Voluntary group {count + 1}", sector="voluntary",
                      footprint=[hwb], closed_on=TODAY - timedelta(days=30) if closed else None)
    db.session.add(record)
    db.session.commit()
    return record.id


HWBS_CSV = b"code,name,region\nE06000199,Imported board,south\n"


def import_job(status: str = "previewed") -> int:
    """A new import job of a boards file uploaded by the admin, as the worker leaves it: queued, previewed (one row
    to add), failed (one error) or done; its id."""
    done = status in ("previewed", "done")
    record = ImportJob(kind="hwbs", filename="boards <b>2014</b>.csv", content=HWBS_CSV, overwrite=False,
                       status=status, rows_total=1, rows_done=1 if status != "queued" else 0,
                       counts={"created": 1, "updated": 0, "unchanged": 0, "removed": 0, "kept": 0, "absent": 0}
                       if done else None, errors=["line 2: region <b>south</b> is not a region"]
                       if status == "failed" else None, error_count=int(status == "failed"),
                       confirmed_at=utcnow() if status == "done" else None, created_by_id=user("admin").id)
    db.session.add(record)
    db.session.commit()
    return record.id
