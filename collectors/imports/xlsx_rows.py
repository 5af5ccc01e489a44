"""XLSX (.xlsx, .xlsm) files read as a Table: one sheet, streamed row by row by openpyxl (read-only).

    stream ─zipcheck.check_zip─▶ sizes and parts judged first (nothing unzipped yet)
        ▼
    openpyxl's reader (read-only, data-only; shared strings by xlsx_strings) ─▶ the named sheet (or the first), read through
        │ xlsx_slim.SlimRows, each row the (column, value) pairs of its cells; a 1904-system workbook's numbers
        │ marked times.Serial1904
        ▼
    header row ─caps.check_columns, unique_columns─▶ Table(columns, _xlsx_rows, position from the declared row count, notes)
        each row: {column: value} of its cells, empty rows skipped, cells right of the header counted
        (notes["extra_fields"]),
        caps.check_cells; more than XLSX_MAX_ROWS ─▶ ImportLimitError; a damaged cell ─▶ ImportFormatError
        after the last row: formula cells without a cached value counted (notes["formula_no_value"])
"""

from __future__ import annotations

import re
from collections import Counter
from contextlib import contextmanager
from typing import Any, BinaryIO, Iterator

from collectors.imports.caps import XLSX_MAX_ROWS, check_cells, check_columns
from collectors.imports.errors import ImportFormatError, ImportLimitError, unreadable_xlsx
from collectors.imports.table import Table, unique_columns
from collectors.imports.times import EXCEL_EPOCH_1904, mark_1904
from collectors.imports.xlsx_slim import slim_rows_of
from collectors.imports.xlsx_strings import load_workbook_lean
from collectors.imports.zipcheck import check_zip
from collectors.textutil import tidy
from vocab.config import ImportsConfig
from vocab.numbers import fmt_num


@contextmanager
def xlsx_table(stream: BinaryIO, limits: ImportsConfig, sheet: str | None) -> Iterator[Table]:
    """An XLSX stream's sheet (`sheet`, else the first) as a Table; the zip is judged before openpyxl opens it."""
    wb = open_workbook(stream, limits)
    try:
        with sheet_table(wb, limits, sheet) as table:
            yield table
    finally:
        wb.close()


def open_workbook(stream: BinaryIO, limits: ImportsConfig) -> Any:
    """The workbook of an XLSX stream, read-only, its zip judged first (sizes, parts: bombs refused before anything is
    unzipped); the caller closes it. Read more than once (`sheet_table`) by collectors.imports.OpenedFile."""
    check_zip(stream, limits)
    try:
        return load_workbook_lean(stream)
    except Exception as exc:
        raise unreadable_xlsx(type(exc).__name__) from None


@contextmanager
def sheet_table(wb: Any, limits: ImportsConfig, sheet: str | None) -> Iterator[Table]:
    """One pass over a sheet (`sheet`, else the first) of an open workbook as a Table; another call, another pass."""
    if sheet and sheet not in wb.sheetnames:
        raise ImportFormatError(f"Không có trang tính «{sheet}»; các trang: {', '.join(wb.sheetnames)}.")
    ws = wb[sheet] if sheet else wb.worksheets[0]
    if not hasattr(ws, _DECLARED):  # the first pass: openpyxl's reader wrapped once, the declared size kept
        slim_rows_of(ws)
        setattr(ws, _DECLARED, ws.max_row if isinstance(ws.max_row, int) else None)
        ws.reset_dimensions()  # no padding to a declared A1:XFD1048576
    declared = getattr(ws, _DECLARED)
    it = ws.iter_rows(values_only=True)  # each row as (column, value) pairs (xlsx_slim._cells_of)
    if wb.epoch == EXCEL_EPOCH_1904:
        it = (tuple((c, mark_1904(v)) for c, v in cells) for cells in it)
    cells = next(_xlsx_values(it, {"n": 0}), None)
    if not cells:
        raise ImportFormatError("Trang tính trống: không có dòng tên cột.")
    header: list[Any] = [None] * max(c for c, _ in cells)
    check_columns(header)  # openpyxl reads columns up to ZZZ (18,278), past Excel's XFD
    for c, v in cells:
        header[c - 1] = v
    columns = unique_columns([tidy(str(h)) if h is not None else "" for h in header])
    state = {"n": 1}
    notes: Counter[str] = Counter()

    def position() -> float | None:
        return min(1.0, state["n"] / declared) if declared else None

    yield Table(columns, _xlsx_rows(it, columns, limits, state, notes, ws), position, notes)


_DECLARED = "_langnghe_declared_rows"  # set on a worksheet by its first pass (sheet_table): the rows it declared


def _xlsx_rows(it: Iterator[tuple[tuple[int, Any], ...]], columns: list[str], limits: ImportsConfig,
               state: dict[str, int], notes: Counter[str], ws: Any = None) -> Iterator[dict[str, Any]]:
    """Each row as {column: value} of the cells it holds (a row costs its cells, not its width: like a CSV row, a
    column it does not fill is absent)."""
    width = len(columns)
    for cells in _xlsx_values(it, state):
        state["n"] += 1
        if state["n"] > XLSX_MAX_ROWS:
            raise ImportLimitError(f"Trang tính có hơn {fmt_num(XLSX_MAX_ROWS)} dòng (giới hạn của Excel); "
                                   "tệp không hợp lệ.")
        if all(v is None or v == "" for _, v in cells):
            continue
        row = {columns[c - 1]: v for c, v in cells if c <= width}
        if any(c > width and v is not None and str(v).strip() for c, v in cells):  # cells right of the header
            notes["extra_fields"] += 1
        check_cells(row, limits.max_cell_chars, f"dòng {fmt_num(state['n'])}")
        yield row
    if ws is not None:  # all rows read: now say which cells read as empty only because nothing computed them
        if uncomputed := _uncomputed_formulas(ws):
            notes["formula_no_value"] += uncomputed


def _xlsx_values(it: Iterator[tuple[Any, ...]], state: dict[str, int]) -> Iterator[tuple[Any, ...]]:
    """openpyxl's rows; a damaged cell (text in a number cell, a bad date, broken XML) raised a bare
    ValueError/KeyError/XML error mid-file and ended the command in a traceback: said in Vietnamese now."""
    while True:
        try:
            values = next(it)
        except StopIteration:
            return
        except (ValueError, KeyError, IndexError, TypeError, SyntaxError) as exc:  # ParseError is a SyntaxError
            raise ImportFormatError(f"Trang tính hỏng ở dòng {fmt_num(state['n'] + 1)}: có ô không đọc được "
                                    f"({type(exc).__name__}). Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại "
                                    "rồi nhập lại.") from None
        yield values


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _uncomputed_formulas(ws: Any) -> int:
    """Formula cells without a cached value. Excel and LibreOffice store each formula's result; other tools
    (openpyxl, scripts) often write only the formula, and a values-only read sees an empty cell. A second,
    streamed pass over the sheet's XML (openpyxl's read-only part), run only when the XML has a formula."""
    from openpyxl.xml.functions import iterparse

    with ws._get_source() as src:  # one pass of plain byte search: most exports have no formula at all
        tail = b""
        while chunk := src.read(1 << 20):
            if _FORMULA_TAG.search(tail + chunk):
                break
            tail = chunk[-16:]
        else:
            return 0
    n = 0
    with ws._get_source() as src:
        rows = None
        for event, el in iterparse(src, events=("start", "end")):
            if event == "start":
                if el.tag == f"{_SHEET_NS}sheetData":
                    rows = el
                continue
            if el.tag == f"{_SHEET_NS}c":
                if el.find(f"{_SHEET_NS}f") is not None and not (el.findtext(f"{_SHEET_NS}v") or "").strip():
                    n += 1
            elif el.tag == f"{_SHEET_NS}row" and rows is not None:
                rows.remove(el)  # memory stays one row
    return n
