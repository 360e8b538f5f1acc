"""The national and regional overview: every plan in scope, its figures, a summary and board statistics."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import render_template, request
from flask_login import current_user

from tracker.assurance import queries
from tracker.assurance.blueprint import bp
from tracker.assurance.forms import AsOfForm, FilterForm
from tracker.assurance.overview_table import (
    COLUMNS_BY_KEY,
    COMPARE_COLUMNS,
    DEFAULT_SORT,
    OverviewRow,
    compare,
    filter_rows,
    sort_rows,
    summarise,
)
from tracker.domain import membership, plans, vocab
from tracker.domain.reviews import conditions
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.extensions import db

# The columns of the page, in order (the CSV and the workbook carry every column of COLUMNS); comparing two years
# adds COMPARE_COLUMNS to both.
PAGE_COLUMNS = ["hwb_name", "region", "rating", "coverage", "corroboration", "open", "overdue", "escalated",
                "confidential", "provider_members", "status", "tranche", "conditions", "gaps"]


def chosen_years(filters: FilterForm) -> tuple[str | None, str | None]:
    """The year shown (?year=, when it has plans in scope; else the latest that has: None when none has) and the
    year compared with (?compare=, another year with plans, or None); the filters offer the years with plans."""
    years = plans.years_with_plans(db.session, current_user)
    year = filters.year.data if filters.year.data in years else (years[0] if years else None)
    other = filters.compare.data if filters.compare.data in years and filters.compare.data != year else None
    filters.year.choices = [(y, vocab.year_label(y)) for y in years]
    filters.compare.choices = [("", "No other year")] + [(y, vocab.year_label(y)) for y in years if y != year]
    filters.year.data, filters.compare.data = year, other or ""
    return year, other


def listed_rows() -> tuple[list[OverviewRow], list[OverviewRow], FilterForm, str, bool, str | None, str | None]:
    """All rows in scope, the rows shown (filtered and sorted), the filters, the sort key and direction, the year
    and the year compared with."""
    filters = FilterForm(formdata=request.args)
    year, other = chosen_years(filters)
    rows = queries.overview_rows(current_user, year, today(), other)
    progress = conditions.progress_of_latest(db.session, [row.plan_id for row in rows])
    for row in rows:
        if row.plan_id in progress:
            row.conditions_total, row.conditions_met = progress[row.plan_id].total, progress[row.plan_id].met
    sort = request.args.get("sort", DEFAULT_SORT)
    sort = sort if sort in COLUMNS_BY_KEY and (other or COLUMNS_BY_KEY[sort] not in COMPARE_COLUMNS) else DEFAULT_SORT
    descending = request.args.get("dir") == "desc"
    shown = sort_rows(filter_rows(rows, **filters.chosen()), sort, descending)
    return rows, shown, filters, sort, descending, year, other


def membership_date() -> tuple[AsOfForm, date]:
    """The date form of the board statistics and the date to use (today when none, or an invalid one, is given)."""
    form = AsOfForm(formdata=request.args)
    form.validate()
    return form, form.as_of.data if not form.as_of.errors and form.as_of.data else today()


def sort_link(key: str, sort: str, descending: bool) -> dict[str, Any]:
    """The query arguments for a column heading's link, and the heading's aria-sort."""
    args = {k: v for k, v in request.args.items() if k not in ("sort", "dir")}
    active = key == sort
    args.update(sort=key, dir="asc" if active and descending else ("desc" if active else "asc"))
    return {"args": args, "aria_sort": ("descending" if descending else "ascending") if active else "none"}


@bp.get("/")
@roles_required("assurer", "admin")
def overview() -> str:
    """Every plan in the assurer's scope with its rating, figures, status and tranche; filters and sorting."""
    rows, shown, filters, sort, descending, year, other = listed_rows()
    as_of_form, as_of = membership_date()
    region = current_user.region or filters.chosen().get("region")
    statistics = membership.board_membership_statistics(db.session, as_of, region)
    return render_template(
        "assurance/overview.html", rows=shown, total=len(rows), summary=summarise(shown), filters=filters,
        columns=[COLUMNS_BY_KEY[k] for k in PAGE_COLUMNS if not (k == "region" and current_user.region)]
        + (COMPARE_COLUMNS if other else []), compared=other, comparison=compare(shown) if other else None,
        sort_link=lambda key: sort_link(key, sort, descending), statistics=statistics, as_of=as_of,
        as_of_form=as_of_form, form=as_of_form if as_of_form.errors else None, year=year,
        export_args={k: v for k, v in request.args.items()}, today=today(),
    )
