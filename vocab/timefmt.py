"""Vietnam time, one copy: times are naive UTC everywhere in code and data, shown in UTC+7.

Asia/Ho_Chi_Minh has had no daylight saving time since 1975, so a fixed offset is exact.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

TZ_NAME = "Asia/Ho_Chi_Minh"
VN_OFFSET = timedelta(hours=7)
VN_OFFSET_HOURS = 7
VN_TZ = timezone(VN_OFFSET, "ICT")


def to_local(dt: datetime) -> datetime:
    """Naive UTC → naive Vietnam time."""
    return dt + VN_OFFSET


def to_utc(local: datetime) -> datetime:
    """Naive Vietnam time → naive UTC."""
    return local - VN_OFFSET


def vn_time_struct(seconds: float) -> "time.struct_time":
    """A logging.Formatter's `converter` (given the record's time) for Vietnam time: console lines said «16:54» on
    a server kept in UTC while the dashboard said 23:54 (round 21 walk)."""
    import time

    return time.gmtime(seconds + VN_OFFSET.total_seconds())


def fmt_local(dt: datetime) -> str:
    """Naive UTC → 'HH:MM dd/mm' in Vietnam time."""
    t = to_local(dt)
    return f"{t:%H:%M} {t:%d/%m}"


def is_end_of_day(s: str | None) -> bool:
    """'24:00' (any form `hhmm` reads): `hhmm` gives (0, 0), which is right for a span of quiet hours but, for a
    point in time on a given day (the weekly report's schedule), is the day's start, not its end."""
    return hhmm(s) == (0, 0) and bool(re.match(r"\s*24", s or ""))


def hhmm(s: str | None) -> tuple[int, int] | None:
    """'HH:MM' (also '7:30', '22h00', '24:00' for midnight) → (hour, minute); None for anything else.
    The one reader of a time of day typed by staff (quiet hours, digest time, report schedule). Never
    raises: quiet hours and the digest time are read inside raise_alert's transaction, and one
    subscription's '24:00' or '22:60' made every alert fail to be raised."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*[:hHgG]\s*(\d{2})\s*", s or "")
    if not m:
        return None
    h, mi = int(m.group(1)), int(m.group(2))
    if (h, mi) == (24, 0):
        h = 0
    return (h, mi) if h < 24 and mi < 60 else None
