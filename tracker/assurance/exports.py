"""Exports: the overview as CSV and as an Excel workbook, and one plan's evidence pack as a page and a PDF."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from flask import Response, redirect, render_template, request, send_file, stream_with_context, url_for
from flask_login import current_user
from openpyxl import Workbook
from openpyxl.styles import Font

from tracker.assurance import queries
from tracker.assurance.blueprint import bp
from tracker.assurance.overview import listed_rows, membership_date
from tracker.assurance.overview_table import (
    COLUMNS,
    COMPARE_COLUMNS,
    Column,
    OverviewRow,
    Summary,
    export_value,
    summarise,
)
from tracker.assurance.pack import build_pack, document_url, plan_documents
from tracker.assurance.pdf import render_pdf
from tracker.domain import membership, vocab
from tracker.web.access import plan_or_404, roles_required
from tracker.web.clock import today
from tracker.web.evidence_date import evidence_date
from tracker.web.extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def private(response: Response) -> Response:
    """Downloads hold confidential concerns and unpublished ratings: never kept by a shared cache or the browser."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _filename(extension: str, year: str | None, other: str | None) -> str:
    scope = current_user.region or "national"
    years = f"-{year}" if year else ""
    years += f"-compared-with-{other}" if other else ""
    return f"bcf-plans-{scope}{years}-{today().isoformat()}.{extension}"


def _columns(other: str | None) -> list[Column]:
    """Every column, and the comparison's when the overview compares two years."""
    return COLUMNS + (COMPARE_COLUMNS if other else [])


def _csv_lines(rows: list[OverviewRow], columns: list[Column]) -> Iterator[str]:
    """The header, then one line per plan, each written as soon as it is ready."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"  # a byte-order mark, so Excel reads the file as UTF-8
    for values in [[c.heading for c in columns], *([export_value(c, row) for c in columns] for row in rows)]:
        writer.writerow(["" if v is None else v for v in values])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


@bp.get("/export.csv")
@roles_required("assurer", "admin")
def export_csv() -> Response:
    """The overview (with the filters and sort of the page) as CSV; ratios unrounded, as the API gives them."""
    _rows, shown, *_, year, other = listed_rows()
    response = Response(stream_with_context(_csv_lines(shown, _columns(other))), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename("csv", year, other)}"'
    return private(response)


def _summary_sheet(book: Workbook, summary: Summary) -> None:
    sheet = book.create_sheet("Summary")
    sheet.append(["Rating", "Plans"])
    for rating, count in summary.by_rating.items():
        sheet.append([vocab.RATINGS[rating], count])
    sheet.append([])
    sheet.append(["Tranche", "Suggested by the evidence", "Decided"])
    for label, suggested, decided in summary.by_tranche:
        sheet.append([label, suggested, decided])
    sheet.append(["Not yet reviewed", None, summary.not_reviewed])


def _membership_sheet(book: Workbook) -> None:
    _form, as_of = membership_date()
    stats = membership.board_membership_statistics(db.session, as_of, current_user.region)
    sheet = book.create_sheet("Board membership")
    sheet.append(["Board membership on", as_of])
    sheet.cell(row=1, column=2).number_format = "d mmmm yyyy"
    for key in ("boards", "boards_with_provider_member", "boards_with_voting_provider_member",
                "share_with_provider_member", "share_with_voting_provider_member", "mean_board_size"):
        sheet.append([key.replace("_", " ").capitalize(), stats[key]])
        if key.startswith("share"):
            sheet.cell(row=sheet.max_row, column=2).number_format = "0%"
    sheet.append([])
    sheet.append(["Sector", "Boards with a provider member from the sector"])
    for sector, count in stats["by_sector"].items():
        sheet.append([vocab.SECTORS[sector], count])
    sheet.append([])
    sheet.append(["Region", "Boards", "Boards with a provider member"])
    for row in stats["by_region"]:
        sheet.append([vocab.REGIONS[row["region"]], row["boards"], row["boards_with_provider_member"]])


@bp.get("/export.xlsx")
@roles_required("assurer", "admin")
def export_xlsx() -> Response:
    """The overview as an Excel workbook: the plans, a summary, and the board-membership statistics."""
    _rows, shown, *_, year, other = listed_rows()
    columns = _columns(other)
    book = Workbook()
    sheet = book.active
    sheet.title = "Plans"
    sheet.append([c.heading for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in shown:
        sheet.append([export_value(c, row) for c in columns])
        for index, column in enumerate(columns, start=1):
            if column.kind in ("ratio", "change"):
                sheet.cell(row=sheet.max_row, column=index).number_format = "0%" if column.kind == "ratio" \
                    else "+0%;-0%;0%"
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    _summary_sheet(book, summarise(shown))
    _membership_sheet(book)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return private(send_file(data, mimetype=XLSX, as_attachment=True, download_name=_filename("xlsx", year, other)))


@bp.get("/plans/<hwb_code>/<year>/pack")
@roles_required("assurer", "admin")
def pack(hwb_code: str, year: str) -> str:
    """The printable evidence pack of one plan, today's or as at ?as_of=."""
    record = plan_or_404(current_user, hwb_code, year)
    when = evidence_date()
    dossier = queries.dossier(current_user, record, today(), with_concerns=True, as_of=when.day)
    return render_template("assurance/pack.html", plan=record, when=when,
                           pack=build_pack(dossier, plan_documents(db.session, record, when.day), document_url),
                           form=when.form if when.form.errors else None)


@bp.get("/plans/<hwb_code>/<year>/pack.pdf")
@roles_required("assurer", "admin")
def pack_pdf(hwb_code: str, year: str) -> Response:
    """The evidence pack of one plan as a PDF download, today's or as at ?as_of= (a wrong date: the printable
    pack, which says what is wrong with it)."""
    record = plan_or_404(current_user, hwb_code, year)
    when = evidence_date()
    if when.form.errors:
        # The query's own fields, but never in place of the address's board and year.
        return redirect(url_for("assurance.pack", **{**request.args.to_dict(), "hwb_code": hwb_code, "year": year}),
                        303)
    content = render_pdf(build_pack(queries.dossier(current_user, record, today(), with_concerns=True, as_of=when.day),
                                    plan_documents(db.session, record, when.day), document_url))
    dated = f"-as-at-{when.day.isoformat()}" if when.day else ""
    return private(send_file(io.BytesIO(content), mimetype="application/pdf", as_attachment=True,
                             download_name=f"evidence-pack-{record.hwb.code}-{record.year}{dated}.pdf"))
