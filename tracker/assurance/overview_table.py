"""The overview's rows and columns: one definition for the page, the CSV and the Excel workbook.

Plain Python over rows already loaded (no Flask, no queries): filtering, sorting and the summary counts.
Every figure comes from the evidence engine's PlanEvidence; nothing is recomputed here.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from tracker.domain import vocab
from tracker.domain.evidence import PlanEvidence

RATING_ORDER = {r: i for i, r in enumerate(vocab.RATINGS)}
INTERVENTION = "Intervention"
ALL_MET = "All conditions met"
# The overview's filter of conditions: value -> (label, test of a row).
CONDITION_FILTERS: dict[str, tuple[str, Callable[[OverviewRow], bool]]] = {}


@dataclass
class OverviewRow:
    """One plan in scope with its evidence, latest review and board figures."""

    plan_id: int
    hwb_code: str
    hwb_name: str
    region: str
    year: str
    status: str
    evidence: PlanEvidence
    provider_members: int
    confidential_open: int
    decided_tranche: int | None  # the latest review's tranche
    reviewed: bool
    # When the overview compares two years: the same board's evidence in the other year (None: no plan that year).
    compared: PlanEvidence | None = None
    # The latest review's conditions: how many, and how many met (0 and 0 when it has none).
    conditions_total: int = 0
    conditions_met: int = 0

    @property
    def conditions_text(self) -> str:
        """'All conditions met', 'n of m outstanding', or '' when the latest review set no conditions."""
        if not self.conditions_total:
            return ""
        if self.conditions_met == self.conditions_total:
            return ALL_MET
        return f"{self.conditions_total - self.conditions_met} of {self.conditions_total} outstanding"

    @property
    def rating(self) -> str:
        return self.evidence.rating

    @property
    def concerns(self) -> tuple[int, int, int]:
        f = self.evidence.facts
        return f.concerns_open, f.concerns_overdue, f.concerns_escalated

    @property
    def sector_gaps(self) -> list[str]:
        """Sectors in the footprint with no engaged provider (what fails E1)."""
        return self.evidence.figures.unheard_sectors

    @property
    def tranche_text(self) -> str:
        """The decided tranche, 'Intervention' for a plan not approved, or '' before any review."""
        if not self.reviewed:
            return ""
        return str(self.decided_tranche) if self.decided_tranche is not None else INTERVENTION

    @property
    def coverage_change(self) -> float | None:
        """This year's coverage less the compared year's (None when either is none)."""
        if self.compared is None or self.compared.coverage is None or self.evidence.coverage is None:
            return None
        return self.evidence.coverage - self.compared.coverage

    @property
    def rating_change(self) -> int | None:
        """+1 rated higher than in the compared year, -1 lower, 0 the same (None: no plan in that year)."""
        if self.compared is None:
            return None
        before, now = RATING_ORDER[self.compared.rating], RATING_ORDER[self.rating]
        return (before > now) - (before < now)

    @property
    def suggested_tranche_text(self) -> str:
        tranche = self.evidence.suggested_tranche
        return str(tranche) if tranche is not None else INTERVENTION


@dataclass(frozen=True)
class Column:
    """A column of the overview: its key (for sorting), heading, raw value and kind (text, ratio or count)."""

    key: str
    heading: str
    value: Callable[[OverviewRow], Any]
    kind: str = "text"
    sort: Callable[[OverviewRow], Any] | None = None
    short: str | None = None  # the page's heading, when shorter than the export's
    group: str | None = None  # the page groups these columns under one heading

    @property
    def page_heading(self) -> str:
        return self.short or self.heading


COLUMNS = [
    Column("hwb_code", "Board code", lambda r: r.hwb_code),
    Column("hwb_name", "Board", lambda r: r.hwb_name),
    Column("region", "Region", lambda r: vocab.REGIONS[r.region]),
    Column("rating", "Rating", lambda r: vocab.RATINGS[r.rating], sort=lambda r: RATING_ORDER[r.rating]),
    Column("coverage", "Coverage", lambda r: r.evidence.coverage, "ratio"),
    Column("corroboration", "Corroboration", lambda r: r.evidence.corroboration, "ratio"),
    Column("open", "Open concerns", lambda r: r.concerns[0], "count", short="Open", group="Concerns"),
    Column("overdue", "Overdue concerns", lambda r: r.concerns[1], "count", short="Overdue", group="Concerns"),
    Column("escalated", "Escalated concerns", lambda r: r.concerns[2], "count", short="Escalated",
           group="Concerns"),
    Column("confidential", "Confidential concerns open", lambda r: r.confidential_open, "count",
           short="Confidential", group="Concerns"),
    Column("provider_members", "Provider members on the board", lambda r: r.provider_members, "count",
           short="Provider members"),
    Column("status", "Assurance status", lambda r: vocab.PLAN_STATUSES[r.status], short="Status"),
    Column("tranche", "Tranche", lambda r: r.tranche_text,
           sort=lambda r: (not r.reviewed, r.decided_tranche is None, r.decided_tranche or 0)),
    Column("suggested_tranche", "Suggested tranche", lambda r: r.suggested_tranche_text,
           sort=lambda r: (r.evidence.suggested_tranche is None, r.evidence.suggested_tranche or 0)),
    Column("conditions", "Conditions of the latest review", lambda r: r.conditions_text, short="Conditions",
           sort=lambda r: (not r.conditions_total, r.conditions_met - r.conditions_total)),
    Column("gaps", "Sectors not heard", lambda r: "; ".join(vocab.SECTORS[s] for s in r.sector_gaps),
           sort=lambda r: len(r.sector_gaps)),
]
# Added, on the page and in the exports, when the overview compares the year with another.
COMPARE_COLUMNS = [
    Column("compared_rating", "Rating in the compared year",
           lambda r: vocab.RATINGS[r.compared.rating] if r.compared else None,
           sort=lambda r: RATING_ORDER[r.compared.rating] if r.compared else None, short="Compared year"),
    Column("coverage_change", "Change in coverage since the compared year (percentage points)",
           lambda r: r.coverage_change, "change", short="Coverage change (points)"),
]
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS + COMPARE_COLUMNS}
DEFAULT_SORT = "hwb_name"


CONDITION_FILTERS.update({
    "outstanding": ("Conditions outstanding", lambda r: r.conditions_met < r.conditions_total),
    "all_met": (ALL_MET, lambda r: r.conditions_total > 0 and r.conditions_met == r.conditions_total),
    "any": ("Any conditions set", lambda r: r.conditions_total > 0),
})


def filter_rows(rows: Iterable[OverviewRow], region: str | None = None, rating: str | None = None,
                status: str | None = None, gap: str | None = None, conditions: str | None = None) -> list[OverviewRow]:
    """The rows that match every filter given."""
    keeps = CONDITION_FILTERS[conditions][1] if conditions in CONDITION_FILTERS else None
    return [r for r in rows
            if (not region or r.region == region) and (not rating or r.rating == rating)
            and (not status or r.status == status) and (not gap or gap in r.sector_gaps)
            and (keeps is None or keeps(r))]


def sort_rows(rows: list[OverviewRow], key: str, descending: bool = False) -> list[OverviewRow]:
    """Rows sorted by a column; missing values (no ratio) always go last; ties by board name."""
    column = COLUMNS_BY_KEY.get(key, COLUMNS_BY_KEY[DEFAULT_SORT])
    getter = column.sort or column.value
    present = [r for r in rows if getter(r) is not None]
    missing = [r for r in rows if getter(r) is None]
    present.sort(key=lambda r: r.hwb_name)
    present.sort(key=getter, reverse=descending)
    return present + sorted(missing, key=lambda r: r.hwb_name)


@dataclass(frozen=True)
class Summary:
    """Counts of plans by rating, by suggested and decided tranche, and by region and rating."""

    total: int
    by_rating: dict[str, int]
    by_tranche: list[tuple[str, int, int]]  # (tranche label, suggested, decided)
    not_reviewed: int
    by_region: dict[str, dict[str, int]]


def summarise(rows: list[OverviewRow]) -> Summary:
    """The summary of the rows shown."""
    by_rating = {r: sum(1 for row in rows if row.rating == r) for r in vocab.RATINGS}
    labels = ["1", "2", "3", INTERVENTION]
    by_tranche = [(label, sum(1 for row in rows if row.suggested_tranche_text == label),
                   sum(1 for row in rows if row.tranche_text == label)) for label in labels]
    by_region = {region: {r: sum(1 for row in rows if row.region == region and row.rating == r)
                          for r in vocab.RATINGS} for region in vocab.REGIONS}
    return Summary(len(rows), by_rating, by_tranche, sum(1 for row in rows if not row.reviewed), by_region)


@dataclass(frozen=True)
class Comparison:
    """How the boards with a plan in both years moved: rated higher, the same, lower, and with no plan to compare."""

    higher: int
    same: int
    lower: int
    not_compared: int


def compare(rows: list[OverviewRow]) -> Comparison:
    """The comparison of the rows shown."""
    changes = [row.rating_change for row in rows]
    return Comparison(changes.count(1), changes.count(0), changes.count(-1), changes.count(None))


def export_value(column: Column, row: OverviewRow) -> Any:
    """A cell for the CSV and the workbook: ratios unrounded (as the API gives them), others as shown."""
    return column.value(row)
