"""devtools/moved_clock.py picks the Vietnam minute it names (the script itself runs pytest by hand, not here)."""

from __future__ import annotations

from datetime import datetime

import pytest

from devtools.moved_clock import moved_utc

REAL = datetime(2026, 12, 6, 19, 8)  # 02:08 on Monday 7 December in Vietnam


@pytest.mark.parametrize("when,utc", [
    ("sunday", datetime(2026, 12, 6, 16, 59)),     # Sunday 23:59 in Vietnam, the one just gone
    ("friday", datetime(2026, 12, 4, 8, 59)),      # Friday 15:59
    ("midnight", datetime(2026, 12, 6, 16, 59)),   # the last 23:59
    ("2027-01-03 23:59:30", datetime(2027, 1, 3, 16, 59, 30)),
])
def test_a_preset_is_its_most_recent_vietnam_minute_in_utc(when, utc):
    assert moved_utc(when, REAL) == utc


def test_a_preset_at_its_own_minute_is_that_minute():
    assert moved_utc("friday", datetime(2026, 12, 4, 8, 59)) == datetime(2026, 12, 4, 8, 59)
    with pytest.raises(ValueError):
        moved_utc("thứ hai", REAL)
