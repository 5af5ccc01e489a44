"""Vietnam's working days, for the due date of a complaint case (orchestration/cases.py).

The calendar itself is vocab.public_holidays.WorkCalendar (the one place that answers "is this day a day off",
which the weekly report asks too); this module names it for the cases code.

The statutory days off come from vocab/public_holidays.py (the `holidays` package, for any year; in vocab/ so the
weekly report can mark them too): the days off, the weekday that replaces one falling on a weekend, and the
government's swaps the package knows of (a Monday off for a Saturday worked). What it cannot know, the
government's decision for a year not yet in the package, comes from the configuration:

    working day = Monday–Friday that is not a statutory day off, or a weekend day the package knows is worked
                  — then minus [cases] holidays (extra days off), plus [cases] working_days (Saturdays worked)
"""

from __future__ import annotations

from vocab.public_holidays import WorkCalendar

__all__ = ["WorkCalendar"]
