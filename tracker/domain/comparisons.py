"""The plan's claimed reduction in emergency admissions beside the national expectation and the acute
providers' own assessments, and the board's own figures beside the region's and the country's. Plain Python.

Disagreement (our reading; PRODUCT.md asks for it to be flagged, not how): an acute provider disagrees when
it says so (`disagree`), or when the reduction it expects in its own emergency admissions differs from the
plan's claim by DISAGREEMENT_POINTS percentage points or more. A provider's change is signed (-3.5 means a
3.5% reduction); the plan claims a reduction (3.5 means a 3.5% reduction).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tracker.domain import vocab
from tracker.domain.evidence.rules import ratio
from tracker.domain.formatting import format_number

NATIONAL_EXPECTATION_PCT = Decimal("3.5")
DISAGREEMENT_POINTS = Decimal("1.0")


@dataclass(frozen=True)
class AcuteView:
    """One acute provider's view of the plan's claimed reduction."""

    code: str
    name: str
    assessed: bool
    expected_reduction_pct: Decimal | None  # positive: a reduction
    agreement: str | None
    financial_impact_gbp: int | None
    gap_points: Decimal | None  # the plan's claim minus what the provider expects
    disagrees: bool
    reason: str


def acute_view(code: str, name: str, claim: Decimal, change_pct: Decimal | None, agreement: str | None,
               financial_impact_gbp: int | None) -> AcuteView:
    """Compare one acute provider's assessment (None when it gave none) with the plan's claim."""
    if change_pct is None:
        return AcuteView(code, name, False, None, None, None, None, False, "No impact assessment given")
    expected = -change_pct
    gap = claim - expected
    reasons = []
    if agreement == "disagree":
        reasons.append("says it disagrees with the plan's assessment")
    if abs(gap) >= DISAGREEMENT_POINTS:
        size = "smaller" if gap > 0 else "larger"
        reasons.append(f"expects a {size} reduction than the plan claims ({format_number(abs(gap))} points)")
    said = "; ".join(reasons)
    return AcuteView(code, name, True, expected, agreement, financial_impact_gbp, gap, bool(reasons),
                     said[:1].upper() + said[1:] if reasons else vocab.AGREEMENTS.get(agreement or "", ""))


def claim_meets_expectation(claim: Decimal) -> bool:
    """Nationally a reduction of at least 3.5% was expected unless a credible case was made."""
    return claim >= NATIONAL_EXPECTATION_PCT


@dataclass(frozen=True)
class Comparison:
    """One of the board's figures beside the share or mean of boards in its region and in England."""

    label: str
    board: str
    region: str
    england: str


def _share(value: float | None) -> str:
    return "none" if value is None else f"{round(value * 100)}% of boards"


def _mean(value: float | None) -> str:
    return "none" if value is None else f"{value:.1f} members on average"


def board_comparisons(own: dict[str, Any], region: dict[str, Any], england: dict[str, Any]) -> list[Comparison]:
    """The board's figures (tracker.domain.evidence.board_figures) against the statistics of its region and England."""
    rows = [
        Comparison("Members", str(own["size"]), _mean(region["mean_board_size"]), _mean(england["mean_board_size"])),
        Comparison("A provider member", _yes(own["provider_members"]), _share(region["share_with_provider_member"]),
                   _share(england["share_with_provider_member"])),
        Comparison("A voting provider member", _yes(own["voting_provider_members"]),
                   _share(region["share_with_voting_provider_member"]),
                   _share(england["share_with_voting_provider_member"])),
    ]
    for sector, label in vocab.SECTORS.items():
        rows.append(Comparison(f"A member from {_in_sentence(label)}", _yes(own["provider_members_by_sector"][sector]),
                               _share(ratio(region["by_sector"][sector], region["boards"])),
                               _share(ratio(england["by_sector"][sector], england["boards"]))))
    return rows


def _in_sentence(label: str) -> str:
    """A label inside a sentence: 'Acute hospital' as 'acute hospital', but 'GP and primary care' kept."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _yes(count: int) -> str:
    return f"Yes ({count})" if count else "No"
