"""Vietnam's working days from the `holidays` package plus the office's corrections."""

from __future__ import annotations

from datetime import date

from orchestration.workdays import WorkCalendar


def test_a_saturday_the_government_swapped_is_worked_and_its_monday_is_off():
    cal = WorkCalendar()
    # 2026: Mon 31/8 off (bridging to 2/9) in exchange for Sat 22/8, known to the package
    assert cal.is_working_day(date(2026, 8, 22)) and not cal.is_working_day(date(2026, 8, 31))
    assert cal.add_working_days(date(2026, 8, 21), 5) == date(2026, 8, 27)


def test_the_offices_lists_win_over_the_computed_calendar():
    tet = date(2027, 2, 8)                       # Mon, mùng 3 Tết
    assert not WorkCalendar().is_working_day(tet)
    assert WorkCalendar(extra_worked=frozenset({tet})).is_working_day(tet)
    assert not WorkCalendar(extra_off=frozenset({date(2027, 3, 1)})).is_working_day(date(2027, 3, 1))
    assert WorkCalendar().add_working_days(date(2027, 3, 1), 0) == date(2027, 3, 1)


def test_tet_is_computed_for_years_no_list_covers():
    # Tết Mậu Thân: mùng 1 is Wed 26/1/2028, the eve Tue 25/1, mùng 2 and 3 Thu 27 and Fri 28/1
    cal = WorkCalendar()
    assert not any(cal.is_working_day(date(2028, 1, d)) for d in (25, 26, 27, 28))
