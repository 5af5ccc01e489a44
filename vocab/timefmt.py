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


def file_stamp(at: datetime) -> str:
    """Naive UTC → «YYYYmmdd-HHMMSS» in Vietnam time: the one stamp in the names of files and folders Lắng Nghe
    makes — the copies kept beside a database (`….truoc-nang-cap-…`, `….truoc-khoi-phuc-…`, store/db.py),
    `langnghe backup`'s file in a folder (`langnghe-….duckdb`) and a report's archive folder (reports/generate.py).
    Until round 31 each of the three formatted it itself, from its own clock argument (one of them given Vietnam
    time already, the others UTC): one rule, so a change to one cannot leave the others behind. The caller passes
    its own clock's reading, so a test's fixed clock names the file. Vietnam time, never the machine's zone (round
    30: on a server kept in UTC a copy taken at 08:30 was named 0130, and with daylight saving time the names,
    which `store.db` sorts to keep the newest copies, went back an hour)."""
    return f"{to_local(at):%Y%m%d-%H%M%S}"


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
