"""The "usual level" a count is compared with, honestly: only days the office was collecting throughout.

A new office's first collection reads each feed's backlog (items published days before it), so a mean over the
last N days by publication time is built from one read of an archive, not from N days of watching: Tổng quan read
«↓ -100% so với TB 3,1 tin» on the first day (round 26). The usual level therefore counts only the whole days
between the first item stored (the office's, or a source's) and the start of the period compared; with none,
there is no usual level (None), and the pages say so in words with the date collection began.
"""

from __future__ import annotations

from datetime import datetime, timedelta

DAY = timedelta(days=1)


def held_days(first_seen: datetime | None, start: datetime, most: int) -> int:
    """Whole days in [first_seen, start), at most `most`: the days a baseline ending at `start` may average over.
    0 when nothing was ever stored or collection began less than a day before `start`."""
    if first_seen is None or first_seen > start:
        return 0
    return max(0, min(most, int((start - first_seen) / DAY)))
