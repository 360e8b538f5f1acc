"""The provider's home, a plan's page and the CSV export of the provider's own record."""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date

from flask import Response, abort, render_template, request, stream_with_context
from sqlalchemy.orm import selectinload

from tracker.domain import evidence, plans, scope
from tracker.domain.assessments import current_assessment
from tracker.domain.engagement import answers
from tracker.models import Concern, EngagementEvent, ImpactAssessment, Participation, Plan, User
from tracker.provider import queries
from tracker.provider.blueprint import bp
from tracker.web import access
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.evidence_date import evidence_date
from tracker.web.extensions import db
from tracker.web.helpers import me

EXPORTS = {
    "events": ("event_ref", "provider_code", "hwb_code", "year", "recorded_by", "date", "kind", "depth", "topics",
               "summary", "withdrawn", "leadership", "status"),
    "concerns": ("ref", "hwb_code", "year", "provider_code", "raised", "category", "severity", "confidential",
                 "status", "text"),
    "impact-assessments": ("hwb_code", "year", "provider_code", "emergency_admissions_change_pct",
                           "financial_impact_gbp", "agreement", "comments"),
}


@bp.get("/")
@roles_required("provider")
def home() -> str:
    """The boards the provider serves with their plans for a year (?year=, by default the latest year with plans):
    each plan's status, its own engagement and concerns; and what waits for it, whatever the year."""
    user = me()
    years = plans.years_with_plans(db.session, user)
    year = request.args.get("year") if request.args.get("year") in years else (years[0] if years else None)
    boards = queries.footprint_boards(user, year)
    engagement = queries.own_engagement(user.provider_id, [plan.id for _, plan in boards if plan is not None])
    concerns = queries.open_concerns(user)
    concerns_by_plan: dict[int, list[Concern]] = defaultdict(list)
    for concern in concerns:
        concerns_by_plan[concern.plan_id].append(concern)
    day = today()
    dues = {c.id: queries.concern_due(c, day) for c in concerns}
    next_due: dict[int, date] = {}
    for concern in concerns:
        due = dues[concern.id]["due"] if dues[concern.id]["side"] == "hwb" else None  # the board's answers only
        if due is not None and (concern.plan_id not in next_due or due < next_due[concern.plan_id]):
            next_due[concern.plan_id] = due
    return render_template("provider/home.html", provider=user.provider, boards=boards, engagement=engagement,
                           year=year, years=years,
                           concerns=concerns, concerns_by_plan=concerns_by_plan, dues=dues, next_due=next_due,
                           waiting=queries.awaiting_answer(user), empty=queries.Engagement())


@bp.get("/plans/<hwb_code>/<year>")
@roles_required("provider")
def plan(hwb_code: str, year: str) -> str:
    """One plan from the provider's side: its figures (today's or as at ?as_of=), the events naming it, its
    concerns and assessment."""
    user = me()
    record = access.plan_or_404(user, hwb_code, year)
    events = queries.plan_events(user, record)
    concerns = queries.plan_concerns(user, record)
    day = today()
    when = evidence_date()
    figures = evidence.plan_evidence(db.session, record.id, day, evidence.load_thresholds(db.session), when.day)
    if when.day is None:
        engagement = queries.own_engagement(user.provider_id, [record.id]).get(record.id, queries.Engagement())
    else:  # the engine's own row for this provider, as it stood then
        mine = next((r for r in evidence.provider_rows(db.session, record, figures)
                     if r.provider_id == user.provider_id), None)
        engagement = queries.Engagement(mine.participations, mine.depth, mine.months) if mine else queries.Engagement()
    return render_template(
        "provider/plan.html", plan=record, provider=user.provider, events=events, ev=figures, when=when,
        form=when.form if when.form.errors else None, engagement=engagement,
        concerns=concerns, dues={c.id: queries.concern_due(c, day) for c in concerns},
        assessment=current_assessment(db.session, record.id, user.provider_id),
        own_status={p.event_id: p for e in events for p in e.participations if p.provider_id == user.provider_id},
        waits_for=answers.waits_for)


@bp.get("/plans/<hwb_code>/<year>/export/<kind>.csv")
@roles_required("provider")
def export(hwb_code: str, year: str, kind: str) -> Response:
    """The provider's own record for a plan, as a CSV file in the import format of PRODUCT.md."""
    if kind not in EXPORTS:
        abort(404)
    user = me()
    record = access.plan_or_404(user, hwb_code, year)
    rows = {"events": _event_rows, "concerns": _concern_rows, "impact-assessments": _assessment_rows}[kind]
    filename = f"{record.hwb.code}-{record.year}-{user.provider.code}-{kind}.csv"
    return Response(stream_with_context(_csv(EXPORTS[kind], rows(user, record))), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "private, no-store"})


def _csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Write the rows one at a time, with a byte-order mark so spreadsheet programs read UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _event_rows(user: User, plan: Plan) -> Iterator[tuple[object, ...]]:
    """One row per participation of every event naming the provider (or recorded by it) on the plan."""
    events = db.session.scalars(
        scope.events_visible(user, plan)
        .options(selectinload(EngagementEvent.topics),
                 selectinload(EngagementEvent.participations).selectinload(Participation.provider))
        .order_by(EngagementEvent.date, EngagementEvent.id)).all()
    for event in events:
        for p in sorted(event.participations, key=lambda p: p.provider.code):
            yield (event.ref, p.provider.code, plan.hwb.code, plan.year, event.recorded_by, event.date.isoformat(),
                   event.kind, event.depth, ";".join(event.topic_codes), event.summary, _yes(event.withdrawn),
                   _yes(p.leadership), p.status)


def _concern_rows(user: User, plan: Plan) -> Iterator[tuple[object, ...]]:
    """The provider's concerns on the plan."""
    for c in db.session.scalars(scope.concerns_visible(user).where(Concern.plan_id == plan.id)
                                .order_by(Concern.raised, Concern.id)):
        yield (c.ref, plan.hwb.code, plan.year, user.provider.code, c.raised.isoformat(), c.category, c.severity,
               _yes(c.confidential), c.status, c.text)


def _assessment_rows(user: User, plan: Plan) -> Iterator[tuple[object, ...]]:
    """The provider's current assessment of the plan (earlier versions are on the assessment page)."""
    for a in db.session.scalars(scope.assessments_visible(user).where(ImpactAssessment.plan_id == plan.id)):
        yield (plan.hwb.code, plan.year, user.provider.code, str(a.emergency_admissions_change_pct),
               a.financial_impact_gbp, a.agreement, a.comments)

