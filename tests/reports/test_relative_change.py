"""reports.settings.relative_change: the one figure behind «tăng 20,0%», «+20,0%» and the workbook's Tăng/giảm."""

from __future__ import annotations

from reports.settings import change, change_short, relative_change
from reports.weekly import _change_cell
from reports.xlsx_out import Change


def test_relative_change_and_its_new_and_unchanged_cases():
    assert relative_change(120, 100) == 0.2 and relative_change(90, 100) == -0.1
    assert relative_change(0, 0) == 0.0 and relative_change(41, 41) == 0.0
    assert relative_change(5, 0) is None  # only the previous period had none: «mới»


def test_the_words_the_column_and_the_workbook_say_the_same_change():
    cases = {(120, 100): ("tăng 20,0%", "+20,0%", Change(0.2)), (90, 100): ("giảm 10,0%", "−10,0%", Change(-0.1)),
             (0, 0): ("không đổi", "0%", Change(0.0)), (7, 7): ("không đổi", "0%", Change(0.0)),
             (5, 0): ("mới xuất hiện", "mới", "mới"), (0, 4): ("giảm 100,0%", "−100,0%", Change(-1.0))}
    for (now, prev), said in cases.items():
        assert (change(now, prev), change_short(now, prev), _change_cell(now, prev)) == said, (now, prev)
