"""Board-membership statistics on a date, nationally or for one region, in two grouped queries.

Active on D: start <= D and (no end, or end >= D). A provider member is an active membership whose
organisation is a provider. Boards with no active membership count, with a size of 0. Shares and the
mean board size are None when no board is in scope; by_sector lists every sector; by_region lists every
region in scope (all four, or the one asked for) in the vocabulary's order, even one with no board.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from tracker import vocab
from tracker.evidence.queries import Database
from tracker.evidence.rules import ratio
from tracker.models import HWB, BoardMembership, Provider


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
