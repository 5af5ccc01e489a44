"""The alert lifecycle every layer speaks of: states, allowed transitions, priorities, their labels.

    new ─────────┬─▶ acknowledged ─┬─▶ assigned ─┬─▶ resolved ──┐
                 │                 │             └─▶ dismissed ─┤ (dismiss needs a reason)
                 └─────────────────┴──────────────────────────────▶ reopened ─▶ acknowledged | assigned | resolved | dismissed

`store/alerts.py` enforces it when it writes; detection raises alerts in state `new`; the dashboard
and reports show the labels.
"""

from __future__ import annotations

STATES = ("new", "acknowledged", "assigned", "resolved", "dismissed", "reopened", "merged")
OPEN_STATES = ("new", "acknowledged", "assigned", "reopened")
CLOSED_STATES = ("resolved", "dismissed")
STATE_LABELS = {
    "new": "Mới",
    "acknowledged": "Đã tiếp nhận",
    "assigned": "Đã giao xử lý",
    "resolved": "Đã xử lý xong",
    "dismissed": "Bỏ qua",
    "reopened": "Mở lại",
    "merged": "Đã gộp",
}
ALLOWED: dict[str, tuple[str, ...]] = {
    "new": ("acknowledged", "assigned", "resolved", "dismissed"),
    "acknowledged": ("assigned", "resolved", "dismissed"),
    "assigned": ("acknowledged", "resolved", "dismissed"),
    "resolved": ("reopened",),
    "dismissed": ("reopened",),
    "reopened": ("acknowledged", "assigned", "resolved", "dismissed"),
    "merged": (),
}
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_LABELS = {"low": "Thấp", "normal": "Bình thường", "high": "Cao", "urgent": "Khẩn"}
SEVERITIES = ("high", "medium", "low")
SEVERITY_LABELS = {"high": "Cao", "medium": "Trung bình", "low": "Thấp"}
