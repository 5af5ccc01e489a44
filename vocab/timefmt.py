"""Vietnam time, one copy: times are naive UTC everywhere in code and data, shown in UTC+7.

Asia/Ho_Chi_Minh has had no daylight saving time since 1975, so a fixed offset is exact.
"""

from __future__ import annotations

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


def fmt_local(dt: datetime) -> str:
    """Naive UTC → 'HH:MM dd/mm' in Vietnam time."""
    t = to_local(dt)
    return f"{t:%H:%M} {t:%d/%m}"
