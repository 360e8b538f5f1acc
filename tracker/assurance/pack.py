"""The evidence pack of one plan: its sections built once, then printed as a page or written as a PDF.

Both outputs render the same Pack, so the printable page and the PDF cannot disagree on a figure.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import Session

from tracker.assurance.queries import Dossier
from tracker.domain import vocab
from tracker.domain.clock import LONDON, london_today
from tracker.domain.evidence.rules import Criterion, suggested_tranche
from tracker.domain.formatting import format_date, format_gbp, format_number, format_ratio
from tracker.domain.reviews.rules import outcome_text
from tracker.models import EngagementEvent, EvidenceDocument, Plan

CONFIDENTIAL_MARK = "CONFIDENTIAL"
RATIO_CRITERIA = {"E1", "E2", "E3", "E4", "E5", "E7"}


@dataclass
class Table:
    """A table of text cells; `numeric` holds the indexes of right-aligned columns."""

    caption: str
    headings: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()
    widths: tuple[int, ...] | None = None  # relative widths for the PDF
    # A link per row (or None) for the cell in `link_column`: the page and the PDF both link it.
    links: list[str | None] | None = None
    link_column: int = 0


@dataclass
class Section:
    """A titled part of the pack: lines of text, then tables."""

    title: str
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class Pack:
    """The whole evidence pack."""

    title: str
    subtitle: str
    sections: list[Section]


def criterion_value(criterion: Criterion) -> str:
    """A criterion's value as shown: a percentage for ratios, a count for E6."""
    if criterion.id in RATIO_CRITERIA:
        return format_ratio(criterion.value)
    return "" if criterion.value is None else str(int(criterion.value))


def criterion_threshold(criterion: Criterion) -> str:
    """A criterion's threshold as shown."""
    if criterion.id in RATIO_CRITERIA:
        return f"at least {format_ratio(criterion.threshold)}"
    return "none" if not criterion.threshold else str(int(criterion.threshold))


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def tranche_text(rating: str) -> str:
    """The suggested outcome of a rating, as a sentence fragment."""
    return outcome_text(suggested_tranche(rating)).capitalize()


def summary_lines(d: Dossier) -> list[str]:
    """The key figures, the same wording on the page, the printable pack and the PDF."""
    ev, f = d.evidence, d.evidence.facts
    return [
        f"Rating on the evidence: {vocab.RATINGS[ev.rating]}",
        f"Suggested tranche: {tranche_text(ev.rating)}",
        f"Coverage: {format_ratio(ev.coverage)} ({f.engaged_total} of {ev.figures.footprint_total} footprint "
        "providers engaged)",
        f"Corroboration: {format_ratio(ev.corroboration)} ({f.corroborated} of {f.counted} counted participations "
        "confirmed)",
        f"Sustained providers: {ev.figures.sustained} of {f.engaged_total} engaged",
        f"Concerns (not confidential): {f.concerns_open} open, {f.concerns_overdue} overdue, "
        f"{f.concerns_escalated} escalated",
        f"Assurance status: {vocab.PLAN_STATUSES[d.plan.status]}",
    ]


def plan_documents(session: Session, plan: Plan, as_of: date | None = None) -> list[EvidenceDocument]:
    """The evidence documents attached to the plan's events (uploaded by the end of `as_of`, when given), by event
    date then upload; each with its event loaded."""
    query = (sa.select(EvidenceDocument).join(EvidenceDocument.event).where(EngagementEvent.plan_id == plan.id)
             .order_by(EngagementEvent.date, EvidenceDocument.uploaded_at, EvidenceDocument.id))
    if as_of is not None:
        end = datetime.combine(as_of + timedelta(days=1), time(), LONDON).astimezone(UTC)
        query = query.where(EvidenceDocument.uploaded_at < end)
    return list(session.scalars(query))


def document_url(document: EvidenceDocument) -> str:
    """Where a document of the pack is downloaded: the one route that checks the reader may see its event."""
    return url_for("provider.document", ref=document.event.ref, document_id=document.id, _external=True)


def size_text(size_bytes: int) -> str:
    """A file's size as the event pages show it: whole kilobytes, rounded up."""
    return f"{-(-size_bytes // 1024)} KB"


def documents_section(documents: Sequence[EvidenceDocument], link: Callable[[EvidenceDocument], str]) -> Section:
    """The evidence documents of the plan's events: what each is, its event, and where to download it."""
    return Section("Evidence documents", [] if documents else ["No document is attached to the plan's events."], [
        Table("Documents attached to the plan's events, by event date",
              ["Document", "Size", "Event", "Event date", "Recorded by", "Uploaded", "Withdrawn"],
              [[doc.filename, size_text(doc.size_bytes), f"{vocab.EVENT_KINDS[doc.event.kind]} ({doc.event.ref})",
                format_date(doc.event.date), vocab.RECORDED_BY[doc.event.recorded_by],
                format_date(london_today(doc.uploaded_at)), yes_no(doc.event.withdrawn)] for doc in documents],
              frozenset({1}), (5, 2, 4, 3, 3, 3, 2), links=[link(doc) for doc in documents])] if documents else [])


def build_pack(d: Dossier, documents: Sequence[EvidenceDocument] = (),
               link: Callable[[EvidenceDocument], str] | None = None) -> Pack:
    """Every section of the evidence pack for one plan; `documents` (plan_documents) are listed with a `link` to
    each."""
    plan, ev = d.plan, d.evidence
    explained = {e.id: e for e in d.explanations}
    sections = [
        Section("Evidence summary", summary_lines(d), [Table(
            "Coverage by sector", ["Sector", "Footprint providers", "Engaged", "Coverage"],
            [[vocab.SECTORS[s], str(ev.facts.footprint[s]), str(ev.figures.engaged_by_sector[s]),
              format_ratio(ev.figures.coverage_by_sector[s])] for s in vocab.SECTORS],
            frozenset({1, 2, 3}), (4, 2, 2, 2))]),
        Section("Criteria", [], [Table(
            "Criteria E1 to E7", ["Criterion", "Result", "Value", "Threshold", "What was counted", "Why it fails"],
            [[f"{c.id} {explained[c.id].title}", "Passed" if c.passed else "Failed", criterion_value(c),
              criterion_threshold(c), explained[c.id].counted, "; ".join(explained[c.id].failing)]
             for c in ev.criteria], frozenset({2}), (4, 2, 2, 3, 6, 6))]),
        Section("Footprint providers", [], [Table(
            "Providers serving the board's area", ["Code", "Provider", "Sector", "Engaged", "Depth", "Months",
                                                   "Sustained", "Impact assessment"],
            [[r.code, r.name, vocab.SECTORS[r.sector], yes_no(r.engaged), str(r.depth or ""), str(r.months),
              yes_no(r.sustained), yes_no(r.acute_assessment) if r.sector == "acute" else ""]
             for r in d.providers], frozenset({4, 5}), (2, 5, 4, 2, 2, 2, 2, 3))]),
        Section("Concerns", ["Confidential concerns are for assurers only, never the board; each is marked "
                             f"{CONFIDENTIAL_MARK}."], [Table(
            "Every concern on the plan", ["Ref", "Provider", "Raised", "Category", "Severity", "Status",
                                          "Confidential", "Concern"],
            [[c.ref, c.provider.name, format_date(c.raised), vocab.CONCERN_CATEGORIES[c.category],
              vocab.SEVERITIES[c.severity], vocab.CONCERN_STATUSES[c.status],
              CONFIDENTIAL_MARK if c.confidential else "", c.text] for c in d.concerns],
            widths=(2, 3, 3, 3, 2, 3, 3, 6))]),
        Section("Impact assessments", [
            f"The plan claims a {format_number(plan.claimed_emergency_reduction_pct)}% reduction in emergency "
            "admissions."], [Table(
                "Providers' current impact assessments beside the plan's claim",
                ["Provider", "Sector", "Change in emergency admissions", "Financial impact", "Agreement", "Comments"],
                [[a.provider.name, vocab.SECTORS[a.provider.sector],
                  f"{format_number(a.emergency_admissions_change_pct)}%",
                  format_gbp(a.financial_impact_gbp), vocab.AGREEMENTS[a.agreement], a.comments]
                 for a in d.assessments], frozenset({2, 3}), (4, 3, 3, 3, 2, 6))]),
        Section(f"Board membership on {format_date(d.today)}", [
            f"Members: {d.board['size']} ({d.board['voting']} voting)",
            f"Provider members: {d.board['provider_members']} ({d.board['voting_provider_members']} voting)"], [Table(
                "Seats on the board", ["Member", "Seat", "Organisation", "Voting", "Start", "End", "Active"],
                [[m.member_name, vocab.SEATS[m.seat], m.provider.name if m.provider else "", yes_no(m.voting),
                  format_date(m.start), format_date(m.end), yes_no(m.active_on(d.today))] for m in d.memberships],
                widths=(4, 4, 4, 2, 3, 3, 2))]),
        Section("Review history", [] if d.reviews else ["No review recorded yet."], [Table(
            "Assurance reviews, newest first", ["Date", "Reviewer", "Evidence rating", "Rating", "Decision",
                                                "Tranche", "Conditions", "Intervention", "Peer board",
                                                "Override reason"],
            [[format_date(r.created_at.date()), email or "", vocab.RATINGS[r.suggested_rating],
              vocab.RATINGS[r.rating], vocab.DECISIONS[r.decision], outcome_text(r.tranche).capitalize(),
              r.conditions, r.intervention, r.peer_hwb.name if r.peer_hwb else "", r.override_reason]
             for r, email in d.reviews], widths=(3, 4, 2, 2, 3, 2, 4, 4, 3, 4))] if d.reviews else []),
    ]
    sections.insert(3, documents_section(documents, link or (lambda doc: "")))
    dated = (f"Evidence as at {format_date(d.today)}: the figures as the tracker showed them at the end of that day, "
             "with the board as it stood then; the concerns, assessments and reviews listed are as they are now."
             if ev.as_of else f"Evidence as of {format_date(d.today)}.")
    return Pack(f"Evidence pack: {plan.hwb.name} ({plan.hwb.code})",
                f"Better Care Fund plan {vocab.year_label(plan.year)}, {vocab.REGIONS[plan.hwb.region]}. {dated}",
                sections)
