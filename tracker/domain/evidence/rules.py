"""The criteria, rating and tranche of PRODUCT.md as pure functions over a plan's counted facts.

No database and no Flask here: queries.py gathers PlanFacts with SQL aggregates, and these rules turn
them into figures. The same functions serve one plan, the national list and a review's snapshot.

Readings of PRODUCT.md chosen here:
- E1 with an empty footprint: no sector is present, so "every present sector is heard" holds vacuously and E1
  passes (value None); the rating is insufficient anyway, because an empty footprint is always insufficient.
- E2 passes when the footprint has no acute provider (value None); otherwise value = the share of acute
  footprint providers at depth >= acute_depth_min with a current impact assessment, held to 1.0.
- E3, E4, E5, E7: value = the ratio (None when its denominator is zero, which fails), threshold = the minimum.
- E6: value = overdue + escalated non-confidential concerns, held to 0.
- The thresholds always come in as a Thresholds argument, so a saved review recomputes with its own.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from tracker.domain import vocab

SECTORS = tuple(vocab.SECTORS)


@dataclass(frozen=True)
class Thresholds:
    """The criteria thresholds in force (from the settings record, or the defaults of PRODUCT.md)."""

    coverage_min: float = 0.80
    corroboration_min: float = 0.70
    sustained_share_min: float = 0.50
    sustained_months_min: int = 3
    shared_view_min: float = 0.50
    acute_depth_min: int = 3
    rating_adequate_max_fails: int = 2
    rating_weak_coverage_min: float = 0.50

    def as_dict(self) -> dict[str, float | int]:
        """The thresholds as a plain dict, for a review's snapshot."""
        return asdict(self)


@dataclass(frozen=True)
class EngagedProvider:
    """A footprint provider with at least one counted participation on the plan."""

    provider_id: int
    sector: str
    depth: int  # the highest depth among its counted participations
    months: int  # distinct calendar months of its counted participations


@dataclass(frozen=True)
class AcuteProvider:
    """An acute provider in the plan's footprint, and whether it has a current impact assessment."""

    provider_id: int
    has_assessment: bool


@dataclass
class PlanFacts:
    """What the SQL aggregates count for one plan; everything the figures are made from.

    Counts that depend on a threshold (sustained, acute_ok) are counted with the thresholds in force.
    """

    plan_id: int
    footprint: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTORS, 0))
    engaged_by_sector: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTORS, 0))
    depths: dict[str, int] = field(default_factory=lambda: {str(level): 0 for level in vocab.DEPTHS})
    sustained: int = 0  # engaged footprint providers with counted participations in enough distinct months
    acute_total: int = 0  # acute providers in the footprint
    acute_ok: int = 0  # of which at the required depth with a current impact assessment
    counted: int = 0  # counted participations on the plan (any provider)
    corroborated: int = 0
    assessments: int = 0  # current impact assessments on the plan
    assessments_agreeing: int = 0  # of which agree or partly
    concerns_open: int = 0  # non-confidential concerns not resolved
    concerns_overdue: int = 0
    concerns_escalated: int = 0

    @property
    def engaged_total(self) -> int:
        return sum(self.engaged_by_sector.values())

    @classmethod
    def from_providers(cls, plan_id: int, footprint: dict[str, int], engaged: list[EngagedProvider],
                       acute: list[AcuteProvider], thresholds: Thresholds, **counts: int) -> PlanFacts:
        """Facts from provider-level rows (as the per-provider view and the tests describe a plan)."""
        facts = cls(plan_id, **counts)
        facts.footprint.update(footprint)
        depth = {p.provider_id: p.depth for p in engaged}
        for provider in engaged:
            facts.engaged_by_sector[provider.sector] += 1
            facts.depths[str(provider.depth)] += 1
            facts.sustained += provider.months >= thresholds.sustained_months_min
        facts.acute_total = len(acute)
        facts.acute_ok = sum(1 for a in acute if a.has_assessment
                             and depth.get(a.provider_id, 0) >= thresholds.acute_depth_min)
        return facts


@dataclass(frozen=True)
class Criterion:
    """One criterion's result: the value measured, the threshold it is held to, and whether it passed."""

    id: str
    passed: bool
    value: float | None
    threshold: float | None

    def to_api(self) -> dict[str, object]:
        return {"id": self.id, "passed": self.passed, "value": self.value, "threshold": self.threshold}


def ratio(numerator: int, denominator: int) -> float | None:
    """A ratio, or None when there is nothing to divide by."""
    return numerator / denominator if denominator else None


def at_least(value: float | None, threshold: float) -> bool:
    """A ratio criterion passes when the value reaches the threshold; a missing value fails."""
    return value is not None and value >= threshold


@dataclass
class Figures:
    """The figures of one plan, derived from its facts and the thresholds."""

    facts: PlanFacts
    thresholds: Thresholds

    @property
    def footprint_total(self) -> int:
        return sum(self.facts.footprint.values())

    @property
    def engaged_by_sector(self) -> dict[str, int]:
        return dict(self.facts.engaged_by_sector)

    @property
    def coverage(self) -> float | None:
        return ratio(self.facts.engaged_total, self.footprint_total)

    @property
    def coverage_by_sector(self) -> dict[str, float | None]:
        engaged = self.engaged_by_sector
        return {s: ratio(engaged[s], self.facts.footprint[s]) for s in SECTORS}

    @property
    def corroboration(self) -> float | None:
        return ratio(self.facts.corroborated, self.facts.counted)

    @property
    def depth_distribution(self) -> dict[str, int]:
        return dict(self.facts.depths)

    @property
    def sustained(self) -> int:
        return self.facts.sustained

    @property
    def unheard_sectors(self) -> list[str]:
        """Sectors present in the footprint with no engaged provider (what makes E1 fail)."""
        engaged = self.engaged_by_sector
        return [s for s in SECTORS if self.facts.footprint[s] and not engaged[s]]

    def criteria(self) -> list[Criterion]:
        """E1–E7 with value, threshold and result, as PRODUCT.md defines them."""
        t, f = self.thresholds, self.facts
        present = [s for s in SECTORS if f.footprint[s]]
        e1_value = ratio(len(present) - len(self.unheard_sectors), len(present))
        e6_value = f.concerns_overdue + f.concerns_escalated
        return [
            Criterion("E1", not self.unheard_sectors, e1_value, 1.0),
            Criterion("E2", f.acute_ok == f.acute_total, ratio(f.acute_ok, f.acute_total), 1.0),
            Criterion("E3", at_least(self.coverage, t.coverage_min), self.coverage, t.coverage_min),
            Criterion("E4", at_least(self.corroboration, t.corroboration_min), self.corroboration,
                      t.corroboration_min),
            Criterion("E5", at_least(ratio(f.sustained, f.engaged_total), t.sustained_share_min),
                      ratio(f.sustained, f.engaged_total), t.sustained_share_min),
            Criterion("E6", e6_value == 0, float(e6_value), 0.0),
            Criterion("E7", at_least(ratio(f.assessments_agreeing, f.assessments), t.shared_view_min),
                      ratio(f.assessments_agreeing, f.assessments), t.shared_view_min),
        ]

    def rating(self, criteria: list[Criterion] | None = None) -> str:
        """strong, adequate, weak or insufficient: the first that applies."""
        return rate(criteria or self.criteria(), self.coverage, self.footprint_total, self.thresholds)


def rate(criteria: list[Criterion], coverage: float | None, footprint_total: int, thresholds: Thresholds) -> str:
    """PRODUCT.md's rating. An empty footprint is insufficient whatever else holds."""
    passed = {c.id: c.passed for c in criteria}
    if footprint_total == 0:
        return "insufficient"
    if all(passed.values()):
        return "strong"
    fails_e3_e7 = sum(1 for cid in ("E3", "E4", "E5", "E6", "E7") if not passed[cid])
    if passed["E1"] and passed["E2"] and fails_e3_e7 <= thresholds.rating_adequate_max_fails:
        return "adequate"
    if coverage is not None and coverage >= thresholds.rating_weak_coverage_min:
        return "weak"
    return "insufficient"


TRANCHES = {"strong": 1, "adequate": 2, "weak": 3, "insufficient": None}


def suggested_tranche(rating: str) -> int | None:
    """strong → 1, adequate → 2, weak → 3; insufficient → None, meaning intervention."""
    return TRANCHES[rating]
