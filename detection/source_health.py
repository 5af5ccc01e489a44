"""Source health: a source gone quiet or failing raises an alarm staff see beside the alerts.

    store.alerts.source_daily_counts ──▶ check_source_volume: the last 24 h below
        mean − source_volume_sigma·σ of the source's own daily volume (over source_volume_days, days before its
        first sighting ignored; no verdict under source_volume_min_days days or source_volume_min_mean a day)
    store.alerts.source_failures ──▶ SourceState ──▶ check_source_failing: source_fail_count consecutive failed
        fetches
    each ──▶ SourceAlarm(active or not): detection.jobs raises an active one not yet open, clears an open one
             no longer active (source_alarms)

Pure, no SQL; the reasons are Vietnamese, with the figures that decided them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, Sequence

from detection.alert_types import AlertParams
from vocab.numbers import fmt_num
from vocab.timefmt import fmt_local


@dataclass(frozen=True)
class SourceAlarm:
    """One check's verdict; `details` is the JSON stored with a raised alarm."""

    source: str
    kind: str  # 'volume_drop' | 'failing'
    active: bool
    reason: str
    details: dict[str, Any]


@dataclass(frozen=True)
class SourceState:
    """A source's fetch record (`store.alerts.source_failures`): failures in a row, last success, last error."""

    consecutive_failures: int = 0
    last_success_at: datetime | None = None
    last_error_at: datetime | None = None
    last_error_kind: str | None = None
    last_error: str | None = None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> "SourceState":
        return cls(int(row.get("consecutive_failures") or 0), row.get("last_success_at"), row.get("last_error_at"),
                   row.get("last_error_kind"), row.get("last_error"))


def check_source_volume(source: str, history: Sequence[int], last_24h: int, p: AlertParams) -> SourceAlarm | None:
    """Compare the last 24 h with the source's own daily volume (blocks before its first sighting ignored).

    None when there is not enough history to judge; otherwise an alarm that is active or not.
    """
    import numpy as np  # here, not at the top: `langnghe serve` imports this module at start

    hist = list(history)
    while hist and hist[0] == 0:
        hist.pop(0)
    if len(hist) < p.source_volume_min_days:
        return None
    mean = float(np.mean(hist))
    if mean < p.source_volume_min_mean:
        return None
    std = max(float(np.std(hist)), 1.0)
    low = mean - p.source_volume_sigma * std
    active = last_24h < low
    reason = (
        f"Nguồn {source}: {last_24h} tin trong 24 giờ qua, dưới ngưỡng {fmt_num(max(low, 0), 1)} "
        f"(trung bình {fmt_num(mean, 1)} ± {fmt_num(std, 1)} tin/ngày trong {len(hist)} ngày; "
        f"ngưỡng = trung bình − {fmt_num(p.source_volume_sigma, 1)}σ). Kiểm tra nguồn có bị chặn, đổi địa chỉ "
        f"hoặc đổi định dạng không."
    )
    return SourceAlarm(source, "volume_drop", active, reason,
                       {"last_24h": last_24h, "mean": round(mean, 2), "std": round(std, 2), "low": round(low, 2),
                        "days": len(hist)})


def check_source_failing(source: str, state: SourceState, p: AlertParams) -> SourceAlarm:
    """Active from source_fail_count failed fetches in a row; the reason names the last error and success."""
    n = state.consecutive_failures
    active = n >= p.source_fail_count
    last_ok = state.last_success_at
    err = state.last_error_kind or "lỗi"
    msg = (state.last_error or "").strip()
    reason = (
        f"Nguồn {source} lỗi liên tiếp {n} lần (lỗi gần nhất: {err}{': ' + msg[:160] if msg else ''}"
        f"{', lúc ' + fmt_local(state.last_error_at) if state.last_error_at else ''}); "
        + (f"lần lấy tin thành công gần nhất: {fmt_local(last_ok)}." if last_ok else "chưa lấy được tin lần nào.")
    )
    return SourceAlarm(source, "failing", active, reason,
                       {"consecutive_failures": n, "last_success_at": str(last_ok) if last_ok else None,
                        "last_error_kind": state.last_error_kind})
