"""Exports read back: the CSV and the workbook hold the overview's figures, the PDF the evidence pack's."""
from __future__ import annotations

import csv
import html as html_lib
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.assurance.builders import rated_plan
from tests.assurance.test_overview import table_rows
from tests.factories import make_assessment, make_concern, make_membership, sign_in_as
from tracker.models import AssuranceReview, Plan
from tracker.web.extensions import db


@pytest.fixture
def plans(app_ctx) -> dict[str, Plan]:
    weak = rated_plan("weak", "north", {"acute": 2, "community": 2}, code="E06000501", name="Weakfield")
    acute = [p for p in weak.hwb.providers if p.sector == "acute"][0]
    make_assessment(weak, acute, "disagree", change="4.5", money=1_250_000, comments="Demand will rise")
    make_concern(weak, acute, "escalated", ref="PUBLIC1", text="No answer to our letter")
    make_concern(weak, acute, "open", confidential=True, ref="SECRET1", text="Private worry")
    make_membership(weak.hwb, date(2014, 1, 6), provider=acute, name="Trust chair")
    strong = rated_plan("strong", "north", code="E06000502", name="Strongham")
    london = rated_plan("adequate", "london", code="E09000501", name="Londonia")
    db.session.add(AssuranceReview(plan_id=weak.id, criteria_snapshot={}, thresholds={}, suggested_rating="weak",
                                   rating="weak", decision="not_approved", tranche=None,
                                   intervention="Peer support from Strongham", override_reason="Tranche 3 too soon"))
    weak.status = "not_approved"
    db.session.commit()
    return {"weak": weak, "strong": strong, "london": london}


def pct(value: float | None) -> str:
    return "none" if value is None else f"{round(value * 100)}%"


def test_csv_holds_the_page_figures(client, assurer, plans) -> None:
    sign_in_as(client, assurer)
    page = table_rows(client.get("/assurance/").get_data(as_text=True))
    response = client.get("/assurance/export.csv")
    assert response.mimetype == "text/csv" and response.headers["Cache-Control"] == "no-store"
    assert response.is_streamed
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = {r["Board code"]: r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    assert set(rows) == set(page)
    for code, row in rows.items():
        shown = page[code]
        assert row["Rating"] == shown["rating"]
        assert pct(float(row["Coverage"]) if row["Coverage"] else None) == shown["coverage"]
        assert pct(float(row["Corroboration"]) if row["Corroboration"] else None) == shown["corroboration"]
        assert (row["Open concerns"], row["Overdue concerns"], row["Escalated concerns"]) == (
            shown["open"], shown["overdue"], shown["escalated"])
        assert row["Provider members on the board"] == shown["provider_members"]
        assert row["Assurance status"] == shown["status"]
    assert rows["E06000501"]["Tranche"] == "Intervention" and rows["E06000501"]["Suggested tranche"] == "3"
    assert rows["E06000501"]["Sectors not heard"] == "Acute hospital"


def test_csv_keeps_the_filters(client, assurer, plans) -> None:
    sign_in_as(client, assurer)
    text = client.get("/assurance/export.csv?rating=strong").get_data(as_text=True)
    assert [r["Board code"] for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))] == ["E06000502"]


def test_workbook_holds_the_page_figures(client, assurer, plans) -> None:
    sign_in_as(client, assurer)
    html = client.get("/assurance/").get_data(as_text=True)
    page = table_rows(html)
    response = client.get("/assurance/export.xlsx")
    assert response.headers["Content-Disposition"].startswith("attachment; filename=bcf-plans-national-")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Plans", "Summary", "Board membership"]
    sheet = book["Plans"]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == set(page)
    for code, row in rows.items():
        assert row["Rating"] == page[code]["rating"]
        assert pct(row["Coverage"]) == page[code]["coverage"]
        assert pct(row["Corroboration"]) == page[code]["corroboration"]
        assert str(row["Escalated concerns"]) == page[code]["escalated"]
    assert sheet["E2"].number_format == "0%"
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r and r[0]}
    counts = dict(re.findall(r'assurance-count--(\w+)"><span class="assurance-count__number">(\d+)', html))
    assert {k.lower(): str(summary[k]) for k in ("Strong", "Adequate", "Weak", "Insufficient")} == counts
    membership = {r[0]: r[1] for r in book["Board membership"].iter_rows(values_only=True) if r and r[0]}
    assert membership["Boards"] == 3 and membership["Boards with provider member"] == 1


def test_a_regional_assurer_exports_only_its_region(client, london_assurer, plans) -> None:
    sign_in_as(client, london_assurer)
    text = client.get("/assurance/export.csv").get_data(as_text=True)
    assert [r["Board code"] for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))] == ["E09000501"]
    book = load_workbook(io.BytesIO(client.get("/assurance/export.xlsx").data))
    assert [r[0] for r in book["Plans"].iter_rows(min_row=2, values_only=True)] == ["E09000501"]
    assert {r[0]: r[1] for r in book["Board membership"].iter_rows(values_only=True) if r and r[0]}["Boards"] == 1
    assert client.get("/assurance/plans/E06000501/2015-16/pack.pdf").status_code == 404


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_pdf_holds_the_same_figures_as_the_printable_pack(client, assurer, plans) -> None:
    sign_in_as(client, assurer)
    page = client.get("/assurance/plans/E06000501/2015-16/pack").get_data(as_text=True)
    response = client.get("/assurance/plans/E06000501/2015-16/pack.pdf")
    assert response.mimetype == "application/pdf" and response.headers["Cache-Control"] == "no-store"
    text = squash(pdf_text(response.data))
    lines = [html_lib.unescape(line) for block in re.findall(r'data-testid="pack-lines">(.*?)</ul>', page, re.S)
             for line in re.findall(r"<li>(.*?)</li>", block)]
    assert "Coverage: 50% (2 of 4 footprint providers engaged)" in lines
    for line in lines:
        assert squash(line) in text, line
    for expected in ("Rating on the evidence: Weak", "Suggested tranche: Tranche 3", "E1 Every sector is heard",
                     "Failed", "SECRET1", "CONFIDENTIAL", "Private worry", "PUBLIC1", "Demand will rise",
                     "£1,250,000", "Trust chair", "Not approved", "Peer support from Strongham",
                     "Tranche 3 too soon"):
        assert expected in text, expected
    # The PDF is the pack of the plan page: its figures agree with what the review page shows.
    plan_page = client.get("/assurance/plans/E06000501/2015-16").get_data(as_text=True)
    coverage = re.search(r'data-figure="coverage">([^<]+)<', plan_page).group(1)
    assert f"Coverage: {coverage}" in text


def test_printable_pack_marks_confidential_concerns(client, assurer, plans) -> None:
    sign_in_as(client, assurer)
    page = client.get("/assurance/plans/E06000501/2015-16/pack").get_data(as_text=True)
    secret_row = page[page.index("SECRET1"):]
    assert "nhsuk-tag--purple\">Confidential" in secret_row[:800]
    assert "Evidence pack: Weakfield (E06000501)" in page
