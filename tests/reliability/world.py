"""The world the page tests act in: the reliability world of harness.py (3 boards, 7 providers, a user each)
with a national assurer and an admin, and builders of fresh records for a form to act on.

The provider user is RA1's (serving board E06000101), the board user E06000101's. Every builder commits and
returns what a page's address needs. Call them inside an app context.
"""
from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from tests.reliability.harness import YEAR, password_hash
from tracker.domain import accounts
from tracker.domain.concerns import ConcernInput, raise_concern
from tracker.domain.engagement import EventInput, ParticipantInput, record_event
from tracker.models import (
    HWB,
    ApiToken,
    AuditEntry,
    BoardMembership,
    EngagementEvent,
    EvidenceDocument,
    ImpactAssessment,
    Plan,
    Provider,
    User,
)
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


def audit_snapshot() -> dict[int, tuple]:
    """Every audit entry as it stands, by id (to check later that none changed or went)."""
    return {e.id: (e.at, e.actor_id, e.actor, e.action, e.entity_type, e.entity_id, e.before, e.after)
            for e in db.session.scalars(sa.select(AuditEntry))}
