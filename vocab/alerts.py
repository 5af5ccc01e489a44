"""The alert lifecycle every layer speaks of: states, allowed transitions, priorities, their labels.

    new ─────────┬─▶ acknowledged ─┬─▶ assigned ─┬─▶ resolved ──┐
                 │                 │             └─▶ dismissed ─┤ (dismiss needs a reason)
                 └─────────────────┴──────────────────────────────▶ reopened ─▶ acknowledged | assigned | resolved | dismissed

`store/alerts.py` enforces it when it writes; detection raises alerts in state `new`; the dashboard
and reports show the labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

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
# The review queue's order (detection/queue.py sorts a frame by it, store/alerts.py's QUEUE_ORDER_SQL reads
# in it, so a cut list keeps the head of the queue): open before closed (new and reopened ahead of those
# already in hand), merged last; then severity, priority, newest.
STATUS_RANK = {"new": 0, "reopened": 1, "acknowledged": 2, "assigned": 3, "resolved": 4, "dismissed": 5, "merged": 6}
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
SEVERITY_LABELS = {"high": "Cao", "medium": "Trung bình", "low": "Thấp"}


@dataclass(frozen=True)
class NewAlert:
    """What detection raises (and what `store.alerts.raise_alert` writes): one alert in state `new`.

    `severity` is one of SEVERITIES; `priority` defaults to high for a high severity, else normal.
    `details` holds the numbers the reason was worded from, so a reader can recompute it."""

    title: str
    severity: str
    reason: str
    kind: str = "story"
    story_id: str | None = None
    topics: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    item_ids: tuple[str, ...] = ()
    n_items: int = 0
    n_outlets: int = 0
    score: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)
    previous_alert_id: str | None = None
    priority: str | None = None

    @classmethod
    def of(cls, title: str, severity: str, reason: str, *, topics: Iterable[str] = (), places: Iterable[str] = (),
           item_ids: Iterable[str] = (), **rest: Any) -> "NewAlert":
        """Build one from any iterables (lists from DuckDB, tuples from code)."""
        return cls(title=title, severity=severity, reason=reason, topics=tuple(topics), places=tuple(places),
                   item_ids=tuple(item_ids), **rest)

    @property
    def effective_priority(self) -> str:
        return self.priority or ("high" if self.severity == "high" else "normal")


_ASSIGNED_CLAUSE = re.compile(r"(Giao cho: )([^;\s]+)(; )?")


def state_label(code: Any) -> str:
    """An alert state in words, "" for none: an event that changes no state (a re-rating, a note) has NULL
    states, which pandas reads as NaN, truthy and not a str, so `x or ""` printed «nan» (round 21)."""
    return STATE_LABELS.get(code, code) if isinstance(code, str) and code else ""


def state_change(from_state: Any, to_state: Any) -> str:
    """"Mới → Đã tiếp nhận" for an event that moves the alert, "→ Mới" when it is created, "" otherwise."""
    was, now = state_label(from_state), state_label(to_state)
    if not now or now == was:
        return ""
    return f"{was} → {now}".lstrip()


def names_in_note(note: Any, names: dict[str, str], *, drop_unknown: bool = False) -> str:
    """An alert event's note with the assignee by display name: store.alerts.assign writes "Giao cho: nv.an; …"
    with the login name, which staff should see only on Quản trị. `names` maps login → display name.
    `drop_unknown`: a login no account has (synthetic or imported events: «Giao cho: demo») loses its clause
    instead of showing the login; the action «Giao xử lý» already says what was done."""
    if not isinstance(note, str):
        return ""

    def clause(m: re.Match[str]) -> str:
        login = m.group(2)
        if drop_unknown and login not in names:
            return ""
        return m.group(1) + names.get(login, login) + (m.group(3) or "")

    return _ASSIGNED_CLAUSE.sub(clause, note)
