"""Board-membership statistics on hand-made boards, answers worked out by hand, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import make_hwb, make_membership, make_provider
from tracker.domain import vocab
from tracker.domain.membership import board_membership_statistics
from tracker.web.extensions import db

AS_OF = date(2014, 11, 3)
DAY_BEFORE = AS_OF - timedelta(days=1)
LONG_AGO = date(2014, 1, 1)
ZERO = dict.fromkeys(vocab.SECTORS, 0)


@pytest.fixture
def boards(app_ctx) -> None:  # noqa: ANN001
    """north N1: two acute provider members (voting) and a chair. north N2: a community member, not voting, whose
    seat ends on AS_OF (active); a housing member whose seat ended the day before; someone starting tomorrow.
    london L1: a housing member starting on AS_OF; an acute member who left the day before. south S1: a member who
    left in October. midlands_east: no board at all."""
    n1, n2 = make_hwb(region="north"), make_hwb(region="north")
    l1, s1 = make_hwb(region="london"), make_hwb(region="south")
    acute, acute2 = make_provider("acute"), make_provider("acute")
    community, housing = make_provider("community"), make_provider("housing")
    make_membership(n1, LONG_AGO, provider=acute)
    make_membership(n1, LONG_AGO, provider=acute2)
    make_membership(n1, LONG_AGO, seat="chair")
    make_membership(n2, date(2014, 6, 1), AS_OF, provider=community, voting=False)
    make_membership(n2, LONG_AGO, DAY_BEFORE, provider=housing)
    make_membership(n2, AS_OF + timedelta(days=1), seat="elected_member")
    make_membership(l1, AS_OF, provider=housing)
    make_membership(l1, LONG_AGO, DAY_BEFORE, provider=acute)
    make_membership(s1, LONG_AGO, date(2014, 10, 1), seat="chair")
    db.session.commit()


def test_national(boards) -> None:  # noqa: ANN001
    """Active: N1 3 (2 provider, voting), N2 1 (provider, not voting), L1 1 (provider, voting), S1 0."""
    assert board_membership_statistics(db.session, AS_OF) == {
        "as_of": AS_OF,
        "region": None,
        "boards": 4,
        "boards_with_provider_member": 3,
        "boards_with_voting_provider_member": 2,
        "share_with_provider_member": 3 / 4,
        "share_with_voting_provider_member": 2 / 4,
        "by_sector": {**ZERO, "acute": 1, "community": 1, "housing": 1},  # N1's two acute members: one board
        "mean_board_size": (3 + 1 + 1 + 0) / 4,
        "by_region": [
            {"region": "north", "boards": 2, "boards_with_provider_member": 2},
            {"region": "midlands_east", "boards": 0, "boards_with_provider_member": 0},
            {"region": "london", "boards": 1, "boards_with_provider_member": 1},
            {"region": "south", "boards": 1, "boards_with_provider_member": 0},
        ],
    }


def test_one_region(boards) -> None:  # noqa: ANN001
    stats = board_membership_statistics(db.session, AS_OF, "north")
    assert stats == {
        "as_of": AS_OF, "region": "north", "boards": 2, "boards_with_provider_member": 2,
        "boards_with_voting_provider_member": 1, "share_with_provider_member": 1.0,
        "share_with_voting_provider_member": 0.5, "by_sector": {**ZERO, "acute": 1, "community": 1},
        "mean_board_size": (3 + 1) / 2,
        "by_region": [{"region": "north", "boards": 2, "boards_with_provider_member": 2}],
    }


def test_region_without_boards(boards) -> None:  # noqa: ANN001
    stats = board_membership_statistics(db.session, AS_OF, "midlands_east")
    assert (stats["boards"], stats["share_with_provider_member"], stats["share_with_voting_provider_member"],
            stats["mean_board_size"], stats["by_sector"]) == (0, None, None, None, ZERO)
    assert stats["by_region"] == [{"region": "midlands_east", "boards": 0, "boards_with_provider_member": 0}]


def test_the_day_after_and_the_day_before(boards) -> None:  # noqa: ANN001
    """The day after: N2's community seat has ended and the elected member has started; L1's housing stays."""
    after = board_membership_statistics(db.session, AS_OF + timedelta(days=1))
    assert (after["boards_with_provider_member"], after["by_sector"]["community"], after["mean_board_size"]) \
        == (2, 0, (3 + 1 + 1 + 0) / 4)
    # The day before: N2's housing (voting) and L1's acute are still on; L1's housing has not started.
    before = board_membership_statistics(db.session, DAY_BEFORE)
    assert (before["boards_with_provider_member"], before["boards_with_voting_provider_member"]) == (3, 3)
    assert before["by_sector"] == {**ZERO, "acute": 2, "community": 1, "housing": 1}
    assert before["mean_board_size"] == (3 + 2 + 1 + 0) / 4


def test_no_boards_at_all(app_ctx) -> None:  # noqa: ANN001
    stats = board_membership_statistics(db.session, AS_OF)
    assert (stats["boards"], stats["share_with_provider_member"], stats["mean_board_size"]) == (0, None, None)
    assert [r["boards"] for r in stats["by_region"]] == [0, 0, 0, 0]
