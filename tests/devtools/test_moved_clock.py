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


@pytest.mark.parametrize("when", ["2026-12-06 23:59+07:00", "2026-12-06T16:59:00+00:00", "2026-12-06 23:59Z"])
def test_a_time_with_a_zone_is_the_usage_error_not_a_traceback(when, monkeypatch, capsys):
    """Round 22 review: a zone made an aware datetime that went on into naive arithmetic (a TypeError, which
    main did not catch: only ValueError). Now the same Vietnamese usage error as any unreadable time."""
    import devtools.moved_clock as mc

    with pytest.raises(ValueError):
        moved_utc(when, REAL)
    monkeypatch.setattr(mc.subprocess, "call", lambda *a, **k: pytest.fail("pytest was started"))
    assert mc.main([when, "tests/x.py"]) == 2
    assert "không đọc được thời điểm" in capsys.readouterr().err


def test_vietnam_time_is_vocab_timefmts():
    from devtools import moved_clock
    from vocab import timefmt

    assert moved_clock.VN is timefmt.VN_OFFSET
