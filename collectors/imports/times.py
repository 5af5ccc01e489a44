"""A cell's time as naive UTC: the many ways exports write a date, read one way.

    value ─parse_time─▶ datetime cell (an offset: converted; none: local, [imports] utc_offset_hours)
        │               Excel date number 20,000–80,000 (1900 system; Serial1904: from 01/01/1904)
        │               epoch seconds or milliseconds (≥ 2001-09-09); a digit string of either
        │               text: collectors.html_list.parse_vn_date (ISO 8601, dd/mm/yyyy HH:MM, …)
        ▼
    None when it is no time; us_order_date says whether text was month-first (05/13/2026), which is
    left undated and counted, never swapped (05/06/2026 cannot be told apart)
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from collectors import _social
from collectors.html_list import DMY, full_year, parse_vn_date
from collectors.imports.table import cell_str


def parse_time(v: Any, *, utc_offset_hours: float = 7.0) -> datetime | None:
    """A cell or field → naive UTC. Local time unless the value carries an offset."""
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        if v.tzinfo is not None:
            return v.astimezone(timezone.utc).replace(tzinfo=None)
        return v - timedelta(hours=utc_offset_hours)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if _EXCEL_SERIALS[0] <= v < _EXCEL_SERIALS[1]:  # a date cell saved as a number (column left "General")
            epoch = EXCEL_EPOCH_1904 if isinstance(v, Serial1904) else _EXCEL_EPOCH
            return epoch + timedelta(days=float(v)) - timedelta(hours=utc_offset_hours)
        if v < _EPOCH_MIN:  # a year, a count, a phone number: not a time (it read as 1970)
            return None
        secs = float(v) / 1000.0 if v > 10**11 else float(v)
        return _social.parse_iso(secs)
    s = str(v).strip()
    if re.fullmatch(r"\d{9,13}", s):
        return parse_time(int(s), utc_offset_hours=utc_offset_hours)
    if re.fullmatch(r"\d{5}(?:[.,]\d+)?", s):
        return parse_time(float(s.replace(",", ".")), utc_offset_hours=utc_offset_hours)
    return parse_vn_date(s, utc_offset_hours=utc_offset_hours)


_EXCEL_EPOCH = datetime(1899, 12, 30)   # day 0 of Excel's (1900) date numbers
EXCEL_EPOCH_1904 = datetime(1904, 1, 1)  # day 0 of a 1904-system workbook (openpyxl.utils.datetime.CALENDAR_MAC_1904)
_EXCEL_SERIALS = (20_000, 80_000)       # 1954-10-03 … 2119-01-10 as Excel date numbers
_EPOCH_MIN = 10**9                      # 2001-09-09 as epoch seconds: smaller numbers are not epoch times


def us_order_date(s: str) -> bool:
    """A date that is impossible day-first but valid month-first (05/13/2026): an export in US order.
    It is left undated and counted (NOTES["us_date"]), never swapped: 05/06/2026 cannot be told apart."""
    m = DMY.search(s)
    if not m:
        return False
    first, second, year = (int(g) for g in m.groups())
    try:
        datetime(full_year(year), first, second)
    except ValueError:
        return False
    return second > 12


class Serial1904(float):
    """A number cell of a workbook saved with the 1904 date system (Mac Excel): as an Excel date number it
    counts days from 01/01/1904, not from 30/12/1899. As a number it is the cell's value."""

    def __str__(self) -> str:
        return cell_str(int(self) if self.is_integer() else float(self))


def mark_1904(v: Any) -> Any:
    """A number of a 1904-system workbook marked so parse_time counts it from 01/01/1904; other values as they are."""
    return Serial1904(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
