"""The evidence pack as a PDF, written with fpdf2 (pure Python from PyPI, no system libraries)."""
from __future__ import annotations

from fpdf import FPDF
from fpdf.fonts import FontFace

from tracker.assurance.pack import Pack

# The PDF's core fonts cover Latin-1 only: put the few typographic characters the app writes into it.
_PLAIN = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                        "\u2026": "...", "\u2265": ">=", "\u2264": "<=", "\u00a0": " "})
HEADING = FontFace(emphasis="BOLD", fill_color=(232, 237, 238))


def latin1(text: str) -> str:
    """Text the core fonts can show; anything else becomes '?'."""
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


def render_pdf(pack: Pack) -> bytes:
    """The pack on A4 landscape pages: a title, then each section's lines and tables."""
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(latin1(pack.title))
    pdf.set_author("Better Care Fund engagement tracker")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, latin1(pack.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, latin1(pack.subtitle), new_x="LMARGIN", new_y="NEXT")
    for section in pack.sections:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 7, latin1(section.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)
        for line in section.lines:
            pdf.multi_cell(0, 5, latin1(line), new_x="LMARGIN", new_y="NEXT")
        for table in section.tables:
            pdf.ln(1)
            pdf.set_font("Helvetica", "I", 9)
            pdf.multi_cell(0, 5, latin1(table.caption), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 8)
            if not table.rows:
                pdf.multi_cell(0, 5, "None.", new_x="LMARGIN", new_y="NEXT")
                continue
            align = tuple("RIGHT" if i in table.numeric else "LEFT" for i in range(len(table.headings)))
            with pdf.table(col_widths=table.widths, text_align=align, headings_style=HEADING,
                           line_height=4.5, padding=1) as grid:
                links = [None, *(table.links or [None] * len(table.rows))]
                for cells, href in zip([table.headings, *table.rows], links, strict=True):
                    row = grid.row()
                    for index, cell in enumerate(cells):
                        row.cell(latin1(cell), link=href if href and index == table.link_column else None)
    return bytes(pdf.output())
