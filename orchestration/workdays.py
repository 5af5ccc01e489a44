"""Vietnam's working days, for the due date of a complaint case (orchestration/cases.py).

The statutory days off come from vocab/public_holidays.py (the `holidays` package, for any year; in vocab/ so the
weekly report can mark them too): the days off, the weekday that replaces one falling on a weekend, and the
government's swaps the package knows of (a Monday off for a Saturday worked). What it cannot know, the
government's decision for a year not yet in the package, comes from the configuration:

    working day = Monday–Friday that is not a statutory day off, or a weekend day the package knows is worked
                  — then minus [cases] holidays (extra days off), plus [cases] working_days (Saturdays worked)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from vocab.public_holidays import statutory


@dataclass(frozen=True)
class WorkCalendar:
    """Vietnam's working days with the office's own corrections: `extra_off` ([cases] holidays: the
    government's yearly decisions, a longer Tết, a bridged day) and `extra_worked` ([cases] working_days:
    a compensatory Saturday, or a computed day off the government moved). The office's lists win."""

    extra_off: frozenset[date] = frozenset()
    extra_worked: frozenset[date] = frozenset()

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
