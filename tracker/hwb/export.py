"""The plan's engagement evidence to append to the submission: CSV files and a printable summary page.

Every figure comes from the evidence engine through dashboard.gather, as on the dashboard and in the API.
Confidential concerns never appear: the board cannot see them (access.concerns_visible).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from flask import Response, abort, render_template
from sqlalchemy.orm import selectinload

from tracker.domain import scope, vocab
from tracker.hwb import queries
from tracker.hwb.blueprint import bp
from tracker.hwb.dashboard import Dashboard, gather
from tracker.hwb.helpers import board_plan, year_args
from tracker.models import EngagementEvent, Participation, Plan, User
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.extensions import db
from tracker.web.helpers import me

HEADERS = {
    "events": ("event_ref", "provider_code", "hwb_code", "year", "recorded_by", "date", "kind", "depth", "topics",
               "summary", "withdrawn", "leadership", "status"),
    "providers": ("provider_code", "provider_name", "sector", "engaged", "depth", "months", "sustained",
                  "acute_impact_assessment"),
    "criteria": ("id", "criterion", "passed", "value", "threshold", "what_was_counted", "gaps"),
}


@bp.get("/export/<kind>.csv")
@roles_required("hwb")
def export(kind: str) -> Response:
    """One CSV file of the plan's evidence: its events (the import format), its providers or its criteria."""
    if kind not in HEADERS:
        abort(404)
    plan = board_plan()
    user = me()
    rows = _event_rows(user, plan) if kind == "events" else (
        _provider_rows(gather(plan)) if kind == "providers" else _criteria_rows(gather(plan)))
    filename = f"{plan.hwb.code}-{plan.year}-engagement-{kind}.csv"
    return Response(_csv(HEADERS[kind], rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "private, no-store"})


@bp.get("/export/summary")
@roles_required("hwb")
def summary() -> str:
    """A printable evidence summary (print stylesheet), to append to the plan submission."""
    plan = board_plan()
    user = me()
    d = gather(plan)
    items = queries.inbox(user, plan, today())
    return render_template("hwb/summary.html", d=d, plan=plan, ev=d.evidence, args=year_args(plan), today=today(),
                           concerns=[i for i in items if i.concern.status != "resolved"],
                           resolved=sum(1 for i in items if i.concern.status == "resolved"),
                           events=_events(user, plan))


def _csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """The whole file, with a byte-order mark so spreadsheet programs read UTF-8 (a plan's evidence is small)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(header)
    writer.writerows([_safe(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def _safe(cell: object) -> object:
    """Keep a spreadsheet from running a cell that starts like a formula (CSV injection)."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "@", "\t", "\r"):
        return "'" + cell
    return cell


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _events(user: User, plan: Plan) -> list[EngagementEvent]:
    """Every event on the plan, oldest first, with its providers, in fixed queries."""
    return list(db.session.scalars(
        scope.events_visible(user, plan)
        .options(selectinload(EngagementEvent.topics),
                 selectinload(EngagementEvent.participations).selectinload(Participation.provider))
        .order_by(EngagementEvent.date, EngagementEvent.id)))


def _event_rows(user: User, plan: Plan) -> Iterator[tuple[object, ...]]:
    """One row per participation, in PRODUCT.md's events import format."""
    for event in _events(user, plan):
        for p in sorted(event.participations, key=lambda p: p.provider.code):
            yield (event.ref, p.provider.code, plan.hwb.code, plan.year, event.recorded_by, event.date.isoformat(),
                   event.kind, event.depth, ";".join(event.topic_codes), event.summary, _yes(event.withdrawn),
                   _yes(p.leadership), p.status)


def _provider_rows(d: Dashboard) -> Iterator[tuple[object, ...]]:
    """Each footprint provider with its engagement, from the evidence engine's provider rows."""
    for r in d.providers:
        yield (r.code, r.name, r.sector, _yes(r.engaged), r.depth or "", r.months, _yes(r.sustained),
               "" if r.acute_assessment is None else _yes(r.acute_assessment))


def _criteria_rows(d: Dashboard) -> Iterator[tuple[object, ...]]:
    """E1–E7 with their value, threshold and reasons, then the rating, as the engine gives them."""
    by_id = d.evidence.criteria_by_id
    for item in d.explanations:
        c = by_id[item.id]
        yield (c.id, item.title, _yes(c.passed), "" if c.value is None else c.value,
               "" if c.threshold is None else c.threshold, item.counted, "; ".join(item.failing))
    yield ("rating", vocab.RATINGS[d.evidence.rating], "", "", "", "", "")
