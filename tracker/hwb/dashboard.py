"""The evidence dashboard: the board's plan against the criteria, its gaps first, in figures and charts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import render_template

from tracker.domain import evidence, plans
from tracker.hwb import charts, queries
from tracker.hwb.blueprint import bp
from tracker.hwb.helpers import board_plan, year_args, year_context
from tracker.models import Plan
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.evidence_date import evidence_date
from tracker.web.extensions import db
from tracker.web.helpers import me

# What the board can do about a failing criterion: (link text, endpoint, anchor).
ACTIONS = {
    "E1": ("Record an event with the sectors not yet heard", "hwb.new_event", ""),
    "E2": ("See the acute providers' assessments", "hwb.plan", "acute"),
    "E3": ("Record an event with the providers not yet heard", "hwb.new_event", ""),
    "E4": ("Confirm the events providers recorded", "hwb.events", ""),
    "E5": ("See the timeline", "hwb.dashboard", "timeline"),
    "E6": ("Answer the concerns", "hwb.concerns", ""),
    "E7": ("See the impact assessments", "hwb.plan", "acute"),
}
NAMES_SHOWN = 6


@dataclass(frozen=True)
class Gap:
    """One reason a criterion fails, the providers behind it, and what to do about it."""

    criterion: str
    reason: str
    providers: list[str]
    more: int  # providers behind it not named, to keep the list short
    action: tuple[str, str, str]


@dataclass
class Dashboard:
    """Everything the dashboard and the printable summary show, gathered in a fixed number of queries."""

    plan: Plan
    evidence: evidence.PlanEvidence
    providers: list[evidence.ProviderRow]
    explanations: list[evidence.Explanation]
    timeline: list[queries.Month]
    previous_plan: Plan | None = None  # the board's plan for the year before, when it has one
    previous: evidence.PlanEvidence | None = None  # and its evidence, from the same engine

    @property
    def gaps(self) -> list[Gap]:
        """What makes each criterion fail, in the engine's words, naming the providers behind it."""
        gaps = []
        for item in self.explanations:
            if item.passed:
                continue
            # E2's reasons already name each acute provider; elsewhere list who is behind the failure.
            names = [] if item.id == "E2" else [p.name for p in item.providers]
            for i, reason in enumerate(item.failing):
                shown = names[:NAMES_SHOWN] if i == 0 else []
                gaps.append(Gap(item.id, reason, shown, len(names) - len(shown) if i == 0 else 0, ACTIONS[item.id]))
        return gaps

    @property
    def passed(self) -> int:
        return sum(1 for c in self.evidence.criteria if c.passed)

    @property
    def previous_passed(self) -> int | None:
        return None if self.previous is None else sum(1 for c in self.previous.criteria if c.passed)

    @property
    def sectors_present(self) -> list[str]:
        return [s for s, n in self.evidence.facts.footprint.items() if n]


def gather(plan: Plan, as_of: date | None = None) -> Dashboard:
    """The plan's evidence from the engine (the API's own figures) beside the previous year's, its provider rows and
    its timeline: today's, or as at `as_of`."""
    both = plans.year_on_year(db.session, plan, today(), evidence.load_thresholds(db.session), as_of)
    figures = both.evidence
    rows = evidence.provider_rows(db.session, plan, figures)
    return Dashboard(plan, figures, rows, evidence.explain(figures, rows, plan.hwb.code),
                     queries.timeline(plan, figures.as_of), both.previous_plan, both.previous)


@bp.get("/")
@roles_required("hwb")
def dashboard() -> str:
    """The board's home: has every part of the provider landscape been heard, and what to do about the gaps."""
    plan = board_plan()
    when = evidence_date()
    d = gather(plan, when.day)
    return render_template(
        "hwb/dashboard.html", d=d, plan=plan, ev=d.evidence, prev=d.previous, args=year_args(plan),
        **year_context(plan), when=when, form=when.form if when.form.errors else None,
        coverage_chart=charts.coverage_chart(d.evidence.facts.footprint, d.evidence.figures.engaged_by_sector,
                                             d.evidence.figures.coverage_by_sector, d.evidence.thresholds.coverage_min),
        timeline_chart=charts.timeline_chart(d.timeline), awaiting=queries.awaiting_board(me(), plan, limit=5),
        awaiting_total=queries.awaiting_count(me(), plan))
