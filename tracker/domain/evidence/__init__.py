"""The evidence engine: PRODUCT.md's figures, criteria, rating and board statistics. No Flask here.

    plan_evidence(session, plan_id, today, thresholds, as_of=None) -> PlanEvidence
    plans_evidence(session, plan_ids | None, today, thresholds, as_of=None) -> {plan_id: PlanEvidence}
    load_thresholds(session) -> Thresholds
    provider_rows(session, plan, evidence) and explain(evidence, rows, hwb_code) -> why it is rated so

`session` is a SQLAlchemy Session or Connection (callers pass db.session); `today` and `as_of` are always
parameters, never the clock. Pages, exports, reviews and the API all take their figures from here:
rules.py (pure criteria, rating, tranche), queries.py (SQL aggregates into PlanFacts), as_of.py (the same facts as
at a past date, from the records and their history), explain.py (each criterion in words). Today's figures read
the summaries; a date before today reads the history, and both go through the same rules. Board-membership
statistics are in tracker.domain.membership, the summaries the figures read in tracker.domain.summaries.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.domain.evidence.as_of import AsOf, gather_as_of
from tracker.domain.evidence.explain import Explanation, ProviderRow, explain, provider_rows
from tracker.domain.evidence.queries import Database, gather_facts, load_thresholds
from tracker.domain.evidence.rules import SECTORS, Criterion, Figures, PlanFacts, Thresholds, suggested_tranche

__all__ = ["AsOf", "Criterion", "Explanation", "PlanEvidence", "PlanFacts", "ProviderRow", "Thresholds", "explain",
           "load_thresholds", "plan_evidence", "plans_evidence", "provider_rows"]


@dataclass
class PlanEvidence:
    """The figures of one plan, computed once, with the criteria and the rating they give."""

    facts: PlanFacts
    thresholds: Thresholds
    stood: AsOf | None = None  # as at a past date: the date, and what the per-provider rows show then
    figures: Figures = field(init=False)
    criteria: list[Criterion] = field(init=False)
    rating: str = field(init=False)

    def __post_init__(self) -> None:
        self.figures = Figures(self.facts, self.thresholds)
        self.criteria = self.figures.criteria()
        self.rating = self.figures.rating(self.criteria)

    @property
    def as_of(self) -> date | None:
        """The past date these figures stand at, or None for today's."""
        return self.stood.day if self.stood is not None else None

    @property
    def coverage(self) -> float | None:
        return self.figures.coverage

    @property
    def corroboration(self) -> float | None:
        return self.figures.corroboration

    @property
    def suggested_tranche(self) -> int | None:
        return suggested_tranche(self.rating)

    @property
    def criteria_by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    def to_api(self) -> dict[str, Any]:
        """The evidence API's answer, exactly PRODUCT.md's fields."""
        f = self.facts
        return {
            "footprint": {s: f.footprint[s] for s in SECTORS},  # every sector listed, in the vocabulary's order
            "engaged": self.figures.engaged_by_sector,
            "coverage": self.figures.coverage,
            "coverage_by_sector": self.figures.coverage_by_sector,
            "corroboration": self.figures.corroboration,
            "depth": self.figures.depth_distribution,
            "sustained": self.figures.sustained,
            "concerns": {"open": f.concerns_open, "overdue": f.concerns_overdue, "escalated": f.concerns_escalated},
            "criteria": [c.to_api() for c in self.criteria],
            "rating": self.rating,
            "suggested_tranche": self.suggested_tranche,
        }


def plans_evidence(session: Database, plan_ids: Iterable[int] | None, today: date, thresholds: Thresholds,
                   as_of: date | None = None) -> dict[int, PlanEvidence]:
    """Evidence for many plans (all when plan_ids is None) in a fixed number of queries: today's from the summaries,
    or as at `as_of` when it is before today (as_of.py; today or later is today)."""
    if as_of is not None and as_of < today:
        return {plan_id: PlanEvidence(stood.facts, thresholds, stood)
                for plan_id, stood in gather_as_of(session, plan_ids, as_of, thresholds).items()}
    return {plan_id: PlanEvidence(facts, thresholds)
            for plan_id, facts in gather_facts(session, plan_ids, today, thresholds).items()}


def plan_evidence(session: Database, plan_id: int, today: date, thresholds: Thresholds,
                  as_of: date | None = None) -> PlanEvidence:
    """Evidence for one plan, today's or as at `as_of` (LookupError when there is no such plan)."""
    found = plans_evidence(session, [plan_id], today, thresholds, as_of)
    if plan_id not in found:
        raise LookupError(f"no plan with id {plan_id}")
    return found[plan_id]
