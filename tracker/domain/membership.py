"""Board membership: keeping a board's seats up to date, and the membership statistics on a date.

Keeping it up to date: a member linked to a provider must represent a provider serving the board's area (its
footprint): the board statistics count provider members, and a provider from elsewhere would inflate them.
Nothing is deleted; a membership ends on a date. Writes are audited before and after.

Statistics: active on D means start <= D and (no end, or end >= D). A provider member is an active membership
whose organisation is a provider. Boards with no active membership count, with a size of 0. Shares and the
mean board size are None when no board is in scope; by_sector lists every sector; by_region lists every
region in scope (all four, or the one asked for) in the vocabulary's order, even one with no board. They take
two grouped queries.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import audit, vocab
from tracker.domain.errors import Rejected
from tracker.domain.evidence.queries import Database
from tracker.domain.evidence.rules import ratio
from tracker.domain.text import text_problem
from tracker.models import HWB, BoardMembership, Provider, User, provider_footprint

NAME_MAX = 200
EARLIEST = date(2012, 1, 1)  # boards were set up in shadow form from 2012


class MembershipRejected(Rejected):
    """The membership breaks a rule; `errors` maps each field to its message."""


@dataclass(frozen=True)
class MemberInput:
    """What the board asks to record about a seat."""

    member_name: str
    seat: str
    provider_code: str  # "" for none
    voting: str  # yes / no
    start: date | None
    end: date | None


def validate_member(member: MemberInput, footprint_codes: set[str], *, today: date) -> dict[str, str]:
    """Every problem with the membership, field -> message in the NHS.UK style."""
    errors: dict[str, str] = {}
    problem = text_problem(member.member_name, label="Member's name", maximum=NAME_MAX,
                           missing="Enter the member's name", multiline=False)
    if problem:
        errors["member_name"] = problem
    if member.seat not in vocab.SEATS:
        errors["seat"] = "Select the seat the member holds"
    if member.provider_code and member.provider_code not in footprint_codes:
        errors["provider"] = "Select a provider that serves the board's area, or none"
    elif member.seat == "provider" and not member.provider_code:
        errors["provider"] = "Select the provider organisation a member in a provider seat represents"
    if member.voting not in ("yes", "no"):
        errors["voting"] = "Select yes if the member votes"
    errors.update(validate_dates(member.start, member.end, today=today))
    return errors


def validate_dates(start: date | None, end: date | None, *, today: date) -> dict[str, str]:
    """The start is needed and plausible; the end, when given, is on or after the start."""
    errors: dict[str, str] = {}
    if start is None:
        errors["start"] = "Enter the start date"
    elif start < EARLIEST:
        errors["start"] = "Start date must be on or after 1 January 2012"
    elif start.year > today.year + 1:
        errors["start"] = "Start date must be within the next year"
    if end is not None and start is not None and end < start:
        errors["end"] = "End date must be the same as or after the start date"
    elif end is not None and end.year > today.year + 5:
        errors["end"] = "End date must be within the next 5 years"
    return errors


def footprint_codes(session: Session, hwb_id: int) -> dict[str, int]:
    """Provider ids by code, for the providers serving the board."""
    return dict(session.execute(
        sa.select(Provider.code, Provider.id).join(provider_footprint, provider_footprint.c.provider_id == Provider.id)
        .where(provider_footprint.c.hwb_id == hwb_id)).tuples().all())


def snapshot(membership: BoardMembership, provider_code: str | None) -> dict[str, Any]:
    """What the audit trail keeps of a membership."""
    return {"member_name": membership.member_name, "seat": membership.seat, "provider_code": provider_code,
            "voting": membership.voting, "start": membership.start.isoformat(),
            "end": membership.end.isoformat() if membership.end else None}


def add_member(session: Session, user: User, member: MemberInput, *, today: date) -> BoardMembership:
    """Add a seat to the user's board, audited; MembershipRejected when a rule is broken or it exists already."""
    codes = footprint_codes(session, user.hwb_id)
    errors = validate_member(member, set(codes), today=today)
    if not errors and session.scalar(sa.select(BoardMembership.id).where(
            BoardMembership.hwb_id == user.hwb_id, BoardMembership.member_name == member.member_name.strip(),
            BoardMembership.seat == member.seat, BoardMembership.start == member.start)) is not None:
        errors["member_name"] = "This member already holds this seat from this start date"
    if errors:
        raise MembershipRejected(errors)
    record = BoardMembership(hwb_id=user.hwb_id, member_name=member.member_name.strip(), seat=member.seat,
                             provider_id=codes.get(member.provider_code) if member.provider_code else None,
                             voting=member.voting == "yes", start=member.start, end=member.end)
    session.add(record)
    session.flush()
    audit.record(session, "board_member_added", "board_membership", record.id,
                 after=snapshot(record, member.provider_code or None), actor=user)
    return record


def change_member(session: Session, user: User, record: BoardMembership, *, provider_code: str, voting: str,
                  end: date | None, today: date) -> bool:
    """Change whether it votes, whom it represents and when it ends; audited before and after. True if changed."""
    codes = footprint_codes(session, user.hwb_id)
    errors: dict[str, str] = {}
    if provider_code and provider_code not in codes and provider_code != _code(record):
        errors["provider"] = "Select a provider that serves the board's area, or none"
    elif record.seat == "provider" and not provider_code:
        errors["provider"] = "Select the provider organisation a member in a provider seat represents"
    if voting not in ("yes", "no"):
        errors["voting"] = "Select yes if the member votes"
    errors.update({k: v for k, v in validate_dates(record.start, end, today=today).items() if k == "end"})
    if errors:
        raise MembershipRejected(errors)
    before = snapshot(record, _code(record))
    if provider_code != (_code(record) or ""):
        record.provider_id = codes[provider_code] if provider_code else None
    record.voting, record.end = voting == "yes", end
    session.flush()
    session.refresh(record, ["provider"])
    after = snapshot(record, _code(record))
    if after == before:
        return False
    action = "board_member_ended" if before["end"] is None and after["end"] is not None else "board_member_changed"
    audit.record(session, action, "board_membership", record.id, before=before, after=after, actor=user)
    return True


def _code(record: BoardMembership) -> str | None:
    return record.provider.code if record.provider is not None else None



@dataclass(frozen=True)
class Seats:
    """A board's memberships on a day: active, yet to start, and ended."""

    current: list[BoardMembership]
    future: list[BoardMembership]
    past: list[BoardMembership]


def seats_on(members: list[BoardMembership], day: date) -> Seats:
    """Sort memberships by PRODUCT.md's "active on D" (BoardMembership.active_on): current, future and past."""
    return Seats(current=[m for m in members if m.active_on(day)],
                 future=[m for m in members if m.start > day],
                 past=[m for m in members if m.end is not None and m.end < day])


def active_on(day: date) -> sa.ColumnElement[bool]:
    """A membership is active on `day`: start <= day and (no end, or end >= day)."""
    return sa.and_(BoardMembership.start <= day, sa.or_(BoardMembership.end.is_(None), BoardMembership.end >= day))


def board_membership_statistics(session: Database, as_of: date, region: str | None = None) -> dict[str, Any]:
    """The statistics of PRODUCT.md's board-membership API, exactly its fields."""
    in_region = HWB.region == region if region else sa.true()
    provider_member = sa.and_(BoardMembership.id.is_not(None), BoardMembership.provider_id.is_not(None))
    per_board = (
        sa.select(HWB.id, HWB.region, sa.func.count(BoardMembership.id),
                  sa.func.sum(sa.case((provider_member, 1), else_=0)),
                  sa.func.sum(sa.case((sa.and_(provider_member, BoardMembership.voting.is_(True)), 1), else_=0)))
        .outerjoin(BoardMembership, sa.and_(BoardMembership.hwb_id == HWB.id, active_on(as_of)))
        .where(in_region).group_by(HWB.id, HWB.region)
    )
    boards = session.execute(per_board).all()
    by_sector = dict.fromkeys(vocab.SECTORS, 0)
    sector_rows = (
        sa.select(Provider.sector, sa.func.count(sa.distinct(BoardMembership.hwb_id)))
        .join(BoardMembership, BoardMembership.provider_id == Provider.id)
        .join(HWB, HWB.id == BoardMembership.hwb_id)
        .where(in_region, active_on(as_of)).group_by(Provider.sector)
    )
    for sector, count in session.execute(sector_rows):
        by_sector[sector] = count
    total = len(boards)
    with_member = sum(1 for row in boards if row[3])
    with_voting = sum(1 for row in boards if row[4])
    regions = [region] if region else list(vocab.REGIONS)
    by_region = [{"region": r, "boards": sum(1 for row in boards if row[1] == r),
                  "boards_with_provider_member": sum(1 for row in boards if row[1] == r and row[3])}
                 for r in regions]
    return {
        "as_of": as_of,
        "region": region,
        "boards": total,
        "boards_with_provider_member": with_member,
        "boards_with_voting_provider_member": with_voting,
        "share_with_provider_member": ratio(with_member, total),
        "share_with_voting_provider_member": ratio(with_voting, total),
        "by_sector": by_sector,
        "mean_board_size": ratio(sum(row[2] for row in boards), total),
        "by_region": by_region,
    }


def board_figures(session: Database, hwb_id: int, as_of: date) -> dict[str, Any]:
    """One board's own figures on a date: size, provider members (voting or not) by sector."""
    rows = session.execute(
        sa.select(BoardMembership.voting, Provider.sector)
        .outerjoin(Provider, Provider.id == BoardMembership.provider_id)
        .where(BoardMembership.hwb_id == hwb_id, active_on(as_of))
    ).all()
    members = [(voting, sector) for voting, sector in rows]
    by_sector = dict.fromkeys(vocab.SECTORS, 0)
    for _voting, sector in members:
        if sector:
            by_sector[sector] += 1
    return {
        "size": len(members),
        "voting": sum(1 for voting, _ in members if voting),
        "provider_members": sum(1 for _, sector in members if sector),
        "voting_provider_members": sum(1 for voting, sector in members if sector and voting),
        "provider_members_by_sector": by_sector,
    }
