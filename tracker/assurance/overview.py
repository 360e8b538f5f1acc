"""The national and regional overview: every plan in scope, its figures, a summary and board statistics."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import render_template, request
from flask_login import current_user

from tracker.domain import membership, plans
from tracker.web.access import roles_required
from tracker.assurance import bp, queries
from tracker.assurance.forms import AsOfForm, FilterForm
from tracker.assurance.overview_table import (
    COLUMNS_BY_KEY, DEFAULT_SORT, OverviewRow, filter_rows, sort_rows, summarise,
)
from tracker.web.clock import today
from tracker.web.extensions import db

# The columns of the page, in order (the CSV and the workbook carry every column of COLUMNS).
PAGE_COLUMNS = ["hwb_name", "region", "rating", "coverage", "corroboration", "open", "overdue", "escalated",
                "confidential", "provider_members", "status", "tranche", "gaps"]


def chosen_year() -> str | None:
    """The plan year asked for when it is one with plans in scope, else the latest such year (None: no plans)."""
    years = plans.years_with_plans(db.session, current_user)
    year = request.args.get("year", "")
    return year if year in years else (years[0] if years else None)


def listed_rows() -> tuple[list[OverviewRow], list[OverviewRow], FilterForm, str, bool]:
    """All rows in scope, the rows shown (filtered and sorted), the filters, the sort key and direction."""
    filters = FilterForm(formdata=request.args)
    rows = queries.overview_rows(current_user, chosen_year(), today())
    sort = request.args.get("sort", DEFAULT_SORT)
    sort = sort if sort in COLUMNS_BY_KEY else DEFAULT_SORT
    descending = request.args.get("dir") == "desc"
    return rows, sort_rows(filter_rows(rows, **filters.chosen()), sort, descending), filters, sort, descending


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
    rows, shown, filters, sort, descending = listed_rows()
    as_of_form, as_of = membership_date()
    region = current_user.region or filters.chosen().get("region")
    statistics = membership.board_membership_statistics(db.session, as_of, region)
    return render_template(
        "assurance/overview.html", rows=shown, total=len(rows), summary=summarise(shown), filters=filters,
        columns=[COLUMNS_BY_KEY[k] for k in PAGE_COLUMNS if not (k == "region" and current_user.region)],
        sort_link=lambda key: sort_link(key, sort, descending), statistics=statistics, as_of=as_of,
        as_of_form=as_of_form, form=as_of_form if as_of_form.errors else None, year=chosen_year(),
        export_args={k: v for k, v in request.args.items()}, today=today(),
    )
