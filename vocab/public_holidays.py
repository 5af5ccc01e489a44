"""Vietnam's statutory days off for any year, from the `holidays` package.

Why here, in vocab/: the complaint cases' working days (orchestration/workdays.py) and the weekly report (reports/,
which marks holidays in its daily table and its week-on-week comparison, since volumes drop on those days) both need
them, and reports/ may not import orchestration/. Why a package rather than a list typed by hand: Tết Nguyên đán and
Giỗ Tổ Hùng Vương follow the lunar calendar, and a hand-typed list runs out every January without anyone noticing.
The package computes the statutory days off (Labour Code 2019 art. 112: Tết Dương lịch, five days of Tết, Giỗ Tổ,
30/4, 1/5, 2/9 and the day beside it, 24/11 since 2026), the weekday that replaces one falling on a weekend, and the
government's swaps it knows of (a Monday off for a Saturday worked).

`WorkCalendar` is the one place that answers "is this day a day off": the package's days plus the office's own
lists ([cases] holidays and working_days, the government's yearly decisions the package may not have yet). Case due
dates (orchestration/workdays.py) and the weekly report's marks (Bảng 6, the week-on-week note) both ask it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from vocab.config import Config, iso_days, section


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


OFFICE_DAY_OFF = "Ngày nghỉ theo lịch của cơ quan"  # the name of an office-listed day off the package does not name


@dataclass(frozen=True)
class WorkCalendar:
    """Vietnam's days off with the office's own corrections: `extra_off` ([cases] holidays: the government's yearly
    decisions, a longer Tết, a bridged day) adds to the package's, `extra_worked` ([cases] working_days: a
    compensatory Saturday, or a computed day off the government moved) takes away. The office's lists win."""

    extra_off: frozenset[date] = frozenset()
    extra_worked: frozenset[date] = frozenset()

    def day_off_name(self, day: date) -> str | None:
        """The Vietnamese name of the day off on `day` (the package's, or OFFICE_DAY_OFF for one only the office
        lists), None on a day that is not one: a plain weekend is not a holiday, and a listed working day never is."""
        if day in self.extra_worked:
            return None
        name = holiday_name(day)
        if name:
            return name
        return OFFICE_DAY_OFF if day in self.extra_off else None

    def is_working_day(self, day: date) -> bool:
        """The office's lists first (they record the government's decisions the package may not have yet),
        then the package: a weekend day only when it is a known swap, a weekday unless it is a day off."""
        if day in self.extra_worked:
            return True
        if day in self.extra_off:
            return False
        off, worked = statutory(day.year)
        return day in worked if day.weekday() >= 5 else day not in off

    def add_working_days(self, start: date, n: int) -> date:
        """The `n`-th working day after `start` (which does not count); `start` itself when n is 0."""
        day = start
        while n > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day


def office_calendar(cfg: Config) -> WorkCalendar:
    """The office's calendar from `[cases] holidays` and `working_days` (checked: a bad day is a ConfigError naming
    the setting): case due dates and the weekly report's days off both read it, so they cannot disagree."""
    raw = section(cfg, "cases")
    return WorkCalendar(iso_days(raw.get("holidays", []), "[cases] holidays"),
                        iso_days(raw.get("working_days", []), "[cases] working_days"))
