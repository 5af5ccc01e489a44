"""Vietnam's statutory days off for any year, from the `holidays` package.

Why here, in vocab/: the complaint cases' working days (orchestration/workdays.py) and the weekly report (reports/,
which marks holidays in its daily table and its week-on-week comparison, since volumes drop on those days) both need
them, and reports/ may not import orchestration/. Why a package rather than a list typed by hand: Tết Nguyên đán and
Giỗ Tổ Hùng Vương follow the lunar calendar, and a hand-typed list runs out every January without anyone noticing.
The package computes the statutory days off (Labour Code 2019 art. 112: Tết Dương lịch, five days of Tết, Giỗ Tổ,
30/4, 1/5, 2/9 and the day beside it, 24/11 since 2026), the weekday that replaces one falling on a weekend, and the
government's swaps it knows of (a Monday off for a Saturday worked).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=32)
def _calendar(year: int) -> Any:
    """The package's calendar of `year` and the years either side (a swap is filed under the year of its day off:
    2014-12-27 worked for 2015-01-02), with Vietnamese names."""
    import holidays  # here, not at the top: 0.1 s to import, and only cases and the weekly report need it

    return holidays.country_holidays("VN", years=(year - 1, year, year + 1), language="vi")


@lru_cache(maxsize=32)
def statutory(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, weekend days worked) in Vietnam in `year`."""
    vn = _calendar(year)
    return (frozenset(d for d in vn if d.year == year),
            frozenset(d for d in vn.weekend_workdays if d.year == year))


def holiday_name(day: date) -> str | None:
    """The Vietnamese name of the statutory day off on `day` ("Tết Dương lịch", "Quốc khánh"), None on other days."""
    name = _calendar(day.year).get(day)
    return str(name) if name else None
