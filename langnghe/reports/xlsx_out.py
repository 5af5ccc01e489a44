"""Sheets → XLSX (openpyxl, write-only: about 1 s for 50,000 rows).

Each sheet: a title row, a subtitle row (period, area), a blank row, the header row (frozen), data.
Text from feeds never becomes a formula: strings starting with '=' are stored as text, and links are
HYPERLINK formulas only for http(s) addresses that fit Excel's 255-character limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from langnghe.reports.document import clean, safe_url


@dataclass
class Link:
    url: str
    text: str = ""


@dataclass
class Sheet:
    name: str                                  # ≤ 31 characters, no []:*?/\
    title: str
    columns: list[tuple[str, float]]           # (header, width in characters)
    rows: list[list[Any]] = field(default_factory=list)
    subtitle: str = ""
    note: str = ""                             # written under the table (e.g. why it is empty)
    formats: dict[int, str] = field(default_factory=dict)  # column index → number format


_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_HEAD_FILL = PatternFill("solid", fgColor="E7E6E6")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _cell(ws: Any, value: Any, fmt: str | None = None) -> Any:
    if isinstance(value, Link):
        url = safe_url(value.url)
        text = clean(value.text or value.url)
        if url and len(url) <= 255:
            c = WriteOnlyCell(ws, value='=HYPERLINK("{}","{}")'.format(url.replace('"', '""'),
                                                                      text[:250].replace('"', '""')))
            c.font = Font(color="0563C1", underline="single")
            return c
        value = text
    if isinstance(value, str):
        c = WriteOnlyCell(ws, value=clean(value)[:32767])
        c.data_type = "s"  # never a formula, whatever the text starts with
        return c
    c = WriteOnlyCell(ws, value=value)
    if fmt:
        c.number_format = fmt
    elif isinstance(value, datetime):
        c.number_format = "dd/mm/yyyy hh:mm"
    elif isinstance(value, date):
        c.number_format = "dd/mm/yyyy"
    return c


def write_xlsx(sheets: list[Sheet], path: str | Path) -> Path:
    wb = Workbook(write_only=True)
    for sh in sheets:
        ws = wb.create_sheet(title=sh.name[:31])
        for i, (_, width) in enumerate(sh.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A5"
        t = WriteOnlyCell(ws, value=clean(sh.title))
        t.font = _TITLE
        ws.append([t])
        ws.append([_cell(ws, sh.subtitle)] if sh.subtitle else [])
        ws.append([])
        head = []
        for name, _ in sh.columns:
            c = WriteOnlyCell(ws, value=name)
            c.font, c.fill, c.alignment = _BOLD, _HEAD_FILL, _WRAP
            head.append(c)
        ws.append(head)
        formats = sh.formats
        for row in sh.rows:
            ws.append([_cell(ws, v, formats.get(i)) for i, v in enumerate(row)])
        if sh.note:
            ws.append([])
            n = _cell(ws, sh.note)
            n.font = Font(italic=True)
            ws.append([n])
    path = Path(path)
    wb.save(str(path))
    return path
