"""Round 28 (ux31): Bảng 3 of the weekly report (Báo cáo → «Tổng hợp tuần») wrote a story's sentiment as «21 tiêu cực;
3 trung tính» in a 1.7 column, 44 pt inside its margins at 12 pt: Word and the PDF broke it «21 tiêu / cực; 3 / trung /
tính». One count a line, in a column that holds «999 trung tính», in the DOCX and in the print view (the HTML the
preview, its print and the PDF share)."""

from __future__ import annotations

import re

from reports.html_out import render_html
from tests.reports.conftest import NOW, WEEK, settings
from tests.reports.test_filing_walk import _column_text_pt, _table_after, _weekly_docx
from tests.reports.test_ux29 import _font

LONGEST = "999 trung tính"  # the longest line a story's sentiment cell holds under a thousand items
LABELS = ("tiêu cực", "trung tính", "tích cực", "chưa rõ")
A4_TEXT_PT = 165 / 25.4 * 72  # html_out: .sheet { max-width: 165mm }
HTML_PADDING_PT = 2 * 3  # html_out: table.data td { padding: 1pt 3pt }


def _need(text: str, size: float) -> float:
    font, scale = _font(size)
    return font.getlength(text) * scale


def test_bang3s_sentiment_is_one_count_a_line_in_a_column_that_holds_it(seeded, tmp_path):
    d = _weekly_docx(seeded, tmp_path)
    tbl = _table_after(d, "Bảng 3.")
    room, size = _column_text_pt(tbl, "Sắc thái")
    assert _need(LONGEST, size) <= room, (LONGEST, _need(LONGEST, size), room)
    table = next(t for t in d.tables if t._tbl is tbl)
    k = [c.text for c in table.rows[0].cells].index("Sắc thái")
    cells = [r.cells[k].text for r in table.rows[1:]]
    assert len(cells) > 3 and any("\n" in c for c in cells), cells  # the seeded week has mixed stories
    for cell in cells:
        for line in cell.split("\n"):
            assert re.fullmatch(r"[\d.]+ (" + "|".join(LABELS) + ")", line), cell
            assert _need(line, size) <= room, (line, room)


def test_bang3s_sentiment_on_one_line_each_in_the_print_view(seeded):
    from reports.generate import build_weekly_report

    db, _ = seeded
    built, _ = build_weekly_report(db, settings(charts=False), WEEK, now=NOW, proposals="")
    html = render_html(built.doc, size=14)
    start = html.index("Bảng 3.")
    table = html[start:html.index("</table>", start)]
    widths = [float(w) for w in re.findall(r'<col style="width:([\d.]+)%">', table)]
    heads = re.findall(r"<th>(.*?)</th>", table)
    k = heads.index("Sắc thái")
    size = float(re.search(r'font-size:([\d.]+)pt', table).group(1))
    room = A4_TEXT_PT * widths[k] / 100 - HTML_PADDING_PT
    assert _need(LONGEST, size) <= room, (_need(LONGEST, size), room)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row)[k] for row in re.findall(r"<tr>(.*?)</tr>", table)[1:]]
    assert cells and any("<br>" in c for c in cells) and not [c for c in cells if ";" in c], cells
