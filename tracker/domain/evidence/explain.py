"""Why a plan is rated as it is: each criterion in words, with the sectors and providers that make it fail.

One query (the plan's footprint providers); everything else comes from the PlanEvidence already computed,
so a page shows the same figures as the API.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlalchemy as sa

from tracker.domain import vocab
from tracker.domain.evidence.queries import Database, current_assessment_exists
from tracker.domain.evidence.rules import SECTORS
from tracker.models import EngagementSummary, Plan, Provider, provider_footprint

if TYPE_CHECKING:
    from tracker.domain.evidence import PlanEvidence

TITLES = {
    "E1": "Every sector is heard",
    "E2": "Acute partners involved",
    "E3": "Coverage",
    "E4": "Corroboration",
    "E5": "Sustained involvement",
    "E6": "Concerns answered",
    "E7": "Shared view of the impact",
}


@dataclass(frozen=True)
class ProviderRow:
    """A footprint provider with its engagement on the plan."""

    provider_id: int
    code: str
    name: str
    sector: str
    engaged: bool
    depth: int | None
    months: int
    sustained: bool
    acute_assessment: bool | None  # for acute providers: whether a current impact assessment exists
    participations: int = 0  # its counted participations on the plan


@dataclass
class Explanation:
    """One criterion explained: what was counted, and what makes it fail."""

    id: str
    title: str
    passed: bool
    counted: str
    failing: list[str] = field(default_factory=list)
    providers: list[ProviderRow] = field(default_factory=list)  # the records behind a failure
    sectors: list[str] = field(default_factory=list)  # sector codes behind a failure (E1)
    hwb_code: str | None = None  # the plan's board, so a page can link to its records


def provider_rows(session: Database, plan: Plan, evidence: PlanEvidence) -> list[ProviderRow]:
    """Every footprint provider of the plan, engaged or not, sector by sector then by name (one query): today's
    engagement from the summaries, or, for evidence as at a past date, what the evidence found then."""
    t = evidence.thresholds
    footprint = (sa.select(Provider.id, Provider.code, Provider.name, Provider.sector).select_from(Plan)
                 .where(Plan.id == plan.id).join(provider_footprint, provider_footprint.c.hwb_id == Plan.hwb_id)
                 .join(Provider, Provider.id == provider_footprint.c.provider_id))
    stood = evidence.stood
    if stood is not None:
        rows = [(*row, *((s.depth, s.months, s.participations) if (s := stood.standing.get(row[0])) else (None,) * 3),
                 row[0] in stood.assessed) for row in session.execute(footprint)]
    else:
        summary = EngagementSummary
        rows = session.execute(
            footprint.add_columns(summary.max_depth, summary.months, summary.counted, current_assessment_exists())
            .outerjoin(summary, sa.and_(summary.plan_id == Plan.id, summary.provider_id == Provider.id))).all()
    order = {s: i for i, s in enumerate(SECTORS)}
    return [ProviderRow(pid, code, name, sector, depth is not None, depth, months or 0,
                        bool(months and months >= t.sustained_months_min),
                        bool(assessed) if sector == "acute" else None, counted or 0)
            for pid, code, name, sector, depth, months, counted, assessed
            in sorted(rows, key=lambda r: (order[r[3]], r[2]))]


def explain(evidence: PlanEvidence, rows: list[ProviderRow], hwb_code: str | None = None) -> list[Explanation]:
    """Each of E1–E7 in words, naming the sectors and providers that make it fail."""
    figures, facts, t = evidence.figures, evidence.facts, evidence.thresholds
    by_id = evidence.criteria_by_id
    present = [s for s in SECTORS if facts.footprint[s]]
    unheard = figures.unheard_sectors
    not_engaged = [r for r in rows if not r.engaged]
    acute_short = [r for r in rows if r.sector == "acute"
                   and ((r.depth or 0) < t.acute_depth_min or not r.acute_assessment)]
    not_sustained = [r for r in rows if r.engaged and not r.sustained]
    items = {
        "E1": (f"{len(present) - len(unheard)} of {len(present)} sectors in the footprint have an engaged provider",
               [f"No {vocab.SECTORS[s].lower()} provider engaged" for s in unheard],
               [r for r in not_engaged if r.sector in unheard]),
        "E2": (f"{facts.acute_ok} of {facts.acute_total} acute providers involved at depth "
               f"{t.acute_depth_min} or more with an impact assessment"
               if facts.acute_total else "No acute provider in the footprint, so this passes",
               [_acute_reason(r, t.acute_depth_min) for r in acute_short], acute_short),
        "E3": (f"{facts.engaged_total} of {figures.footprint_total} footprint providers engaged",
               [f"{len(not_engaged)} footprint providers not engaged"] if not by_id["E3"].passed else [],
               not_engaged if not by_id["E3"].passed else []),
        "E4": (f"{facts.corroborated} of {facts.counted} counted participations confirmed by the other side",
               [] if by_id["E4"].passed else ["Too few participations confirmed"], []),
        "E5": (f"{figures.sustained} of {facts.engaged_total} engaged providers took part in "
               f"{t.sustained_months_min} or more different months",
               [] if by_id["E5"].passed else [f"{len(not_sustained)} engaged providers not sustained"],
               not_sustained if not by_id["E5"].passed else []),
        "E6": (f"{facts.concerns_overdue} overdue and {facts.concerns_escalated} escalated concerns "
               f"(of {facts.concerns_open} open, not counting confidential ones)",
               ([f"{facts.concerns_overdue} concerns overdue"] if facts.concerns_overdue else [])
               + ([f"{facts.concerns_escalated} concerns escalated"] if facts.concerns_escalated else []), []),
        "E7": (f"{facts.assessments_agreeing} of {facts.assessments} impact assessments agree or partly agree "
               "with the plan", [] if by_id["E7"].passed else
               ["No impact assessment given" if not facts.assessments else "Most providers disagree"], []),
    }
    return [Explanation(cid, TITLES[cid], by_id[cid].passed, counted, failing, providers,
                        list(unheard) if cid == "E1" else [], hwb_code)
            for cid, (counted, failing, providers) in items.items()]


def _acute_reason(row: ProviderRow, depth_min: int) -> str:
    """Why one acute provider falls short for E2."""
    reasons = []
    if not row.engaged:
        reasons.append("not engaged")
    elif (row.depth or 0) < depth_min:
        reasons.append(f"involved only at depth {row.depth} ({vocab.DEPTHS[row.depth][0].lower()})")
    if not row.acute_assessment:
        reasons.append("has no impact assessment")
    return f"Acute trust {row.name} ({row.code}) " + " and ".join(reasons)
