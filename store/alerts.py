"""Alerts, their lifecycle with an audit trail, and source-health alarms (migration 021).

    detection ──raise_alert──▶ alerts (status 'new') + alert_events('raise')
    staff ──transition / assign / set_priority / add_note / merge──▶ alerts + one alert_events row each
    detection ──regrade_alert──▶ alerts (severity, reason) + alert_events('severity') as the story grows

    new ─────────┬─▶ acknowledged ─┬─▶ assigned ─┬─▶ resolved ──┐
                 │                 │             └─▶ dismissed ─┤ (dismiss needs a reason)
                 └─────────────────┴──────────────────────────────▶ reopened ─▶ acknowledged | assigned | resolved | dismissed

Every change records who, when, from-state, to-state and a note. Times are naive UTC.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, Sequence

from store.db import one, registered_ids, utcnow
from store.sqlparts import QUEUE_ORDER_SQL, rank_sql, shown_title_sql

if TYPE_CHECKING:
    import duckdb

from store import notify as store_notify
from vocab.alerts import (  # noqa: F401 - the lifecycle is vocabulary; store enforces it
    ALLOWED, NewAlert, CLOSED_STATES, OPEN_STATES, PRIORITIES, PRIORITY_LABELS, PRIORITY_RANK, SEVERITY_RANK,
    STATE_LABELS, STATES, STATUS_RANK,
)

_ALERT_COLS = ["alert_id", "seq", "kind", "story_id", "raised_at", "title", "topics", "places", "item_ids",
               "n_items", "n_outlets", "severity", "score", "reason", "details", "status", "priority", "assignee",
               "close_reason", "previous_alert_id", "merged_into", "updated_at"]


# ------------------------------------------------------------------------------------------ raise
def raise_alert(cur: "duckdb.DuckDBPyConnection", alert: NewAlert, at: datetime) -> str:
    """Insert a new alert (status 'new') and its 'raise' event; returns the alert id. An alert on a story
    is named by the story's display title (store.stories.DISPLAY_TITLE), which it follows afterwards."""
    seq = int(one(cur.execute("SELECT nextval('alert_seq')"))[0])
    alert_id = f"A{seq:06d}"
    cur.execute(
        """
        INSERT INTO alerts (alert_id, seq, kind, story_id, raised_at, title, topics, places, item_ids, n_items,
                            n_outlets, severity, score, reason, details, status, priority, previous_alert_id,
                            updated_at)
        VALUES (?, ?, ?, ?, ?, coalesce((SELECT title FROM stories WHERE story_id = ?), ?),
                ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?)
        """,
        [alert_id, seq, alert.kind, alert.story_id, at, alert.story_id, alert.title, list(alert.topics), list(alert.places),
         list(alert.item_ids), int(alert.n_items), int(alert.n_outlets), alert.severity, float(alert.score),
         alert.reason, json.dumps(alert.details, ensure_ascii=False, default=str), alert.effective_priority,
         alert.previous_alert_id, at],
    )
    _event(cur, alert_id, at, "system", "raise", None, "new", alert.reason)
    store_notify.enqueue_for_alert(cur, alert_id, alert, at)  # same transaction: never one without the other
    return alert_id


def latest_story_alerts(cur: "duckdb.DuckDBPyConnection", story_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """story_id → its most recent alert that was not merged into another (any other status)."""
    if not story_ids:
        return {}
    with registered_ids(cur, story_ids):
        rows = cur.execute(
            """
            SELECT a.story_id, arg_max(a.alert_id, a.seq), arg_max(a.status, a.seq), arg_max(a.n_items, a.seq),
                   arg_max(a.raised_at, a.seq), arg_max(a.close_reason, a.seq), arg_max(a.updated_at, a.seq),
                   arg_max(a.n_outlets, a.seq)
            FROM alerts a JOIN _sids USING (story_id)
            WHERE a.kind = 'story' AND a.status <> 'merged'
            GROUP BY a.story_id
            """
        ).fetchall()
    keys = ["story_id", "alert_id", "status", "n_items", "raised_at", "close_reason", "updated_at", "n_outlets"]
    return {r[0]: dict(zip(keys, r)) for r in rows}


def update_alert_items(cur: "duckdb.DuckDBPyConnection", alert_id: str, item_ids: Sequence[str], at: datetime) -> None:
    """An open alert follows its story: later items of the story join it (not a lifecycle event)."""
    cur.execute("UPDATE alerts SET item_ids = ?, n_items = ?, updated_at = ? WHERE alert_id = ?",
                [list(item_ids), len(item_ids), at, alert_id])


# ------------------------------------------------------------------------------------------ read
def regrade_alert(cur: "duckdb.DuckDBPyConnection", alert_id: str, severity: str, reason: str,
                  details: dict[str, Any], at: datetime, note: str) -> None:
    """Detection re-graded an open alert as its story grew: new severity, reason and figures, and (when
    there is a note, i.e. the level rose) a 'severity' event in the alert's history (the note says from → to and why; the event's states stay
    empty, they are lifecycle states)."""
    if not cur.execute("SELECT 1 FROM alerts WHERE alert_id = ?", [alert_id]).fetchall():
        raise KeyError(alert_id)
    cur.execute("UPDATE alerts SET severity = ?, reason = ?, details = ?, updated_at = ? WHERE alert_id = ?",
                [severity, reason, json.dumps(details, ensure_ascii=False, default=str), at, alert_id])
    if note:
        _event(cur, alert_id, at, "system", "severity", None, None, note)


_ORDERS = {
    "newest": "raised_at DESC, seq DESC",
    # the most severe first, newest first within a level: a few read from hundreds open keep the high ones
    "severity": f"{rank_sql('severity', SEVERITY_RANK)}, raised_at DESC, seq DESC",
    "queue": QUEUE_ORDER_SQL,
}


def list_alerts(cur: "duckdb.DuckDBPyConnection", statuses: Sequence[str] | None = None, limit: int = 200,
                order: str = "newest") -> Any:
    """Alerts newest first (or most severe first: order="severity"; in the review queue's order:
    order="queue"), optionally only those in `statuses`, as a DataFrame. The order is applied before the
    LIMIT, so a cut keeps the head of that order."""
    where, params = "", []
    if statuses:
        where = f"WHERE status IN ({', '.join('?' for _ in statuses)})"
        params = list(statuses)
    return cur.execute(
        f"SELECT {', '.join(_ALERT_COLS)} FROM alerts {where} ORDER BY {_ORDERS[order]} LIMIT ?",
        [*params, int(limit)],
    ).df()


def get_alert(cur: "duckdb.DuckDBPyConnection", alert_id: str) -> dict[str, Any]:
    """One alert as a dict (details parsed from JSON). Raises KeyError if there is none."""
    rows = cur.execute(f"SELECT {', '.join(_ALERT_COLS)} FROM alerts WHERE alert_id = ?", [alert_id]).fetchall()
    if not rows:  # fetchall: a half-read result would block the cursor's next statement
        raise KeyError(alert_id)
    row = rows[0]
    out = dict(zip(_ALERT_COLS, row))
    try:
        out["details"] = json.loads(out["details"]) if out["details"] else {}
    except ValueError:
        out["details"] = {}
    return out


# An alert's item ids joined with what is left of each: the story's copy and the item (either may be gone).
# `alert_items` lists the ids with something left, `alert_items_gone` counts those with nothing.
_ALERT_ID_ROWS = """
    FROM (SELECT unnest(item_ids) AS item_id FROM alerts WHERE alert_id = ?) ids
    LEFT JOIN story_items s ON s.item_id = ids.item_id
    LEFT JOIN items i ON i.id = ids.item_id
"""


def alert_items(cur: "duckdb.DuckDBPyConnection", alert_id: str) -> Any:
    """The items the alert holds, oldest first: time, outlet, type, title, sentiment, places, link. An id
    that is gone from both the items and the stories (retention deleted it) has nothing to show and is left
    out; `alert_items_gone` counts those, so the page can say so instead of drawing blank rows."""
    return cur.execute(
        f"""
        SELECT ids.item_id, coalesce(s.published_at, i.published_at) AS published_at,
               coalesce(s.outlet, i.outlet) AS outlet, coalesce(s.source_type, i.source_type) AS source_type,
               {shown_title_sql('coalesce(s.title, i.title)', 's.title_restored')} AS title, s.sentiment, s.topics, s.places,
               s.in_area, i.url
        {_ALERT_ID_ROWS}
        WHERE s.item_id IS NOT NULL OR i.id IS NOT NULL
        ORDER BY published_at, ids.item_id
        """,
        [alert_id],
    ).df()


def alert_items_gone(cur: "duckdb.DuckDBPyConnection", alert_id: str) -> int:
    """How many of the alert's item ids are in neither the items nor the stories any more (deleted by
    retention): the alert keeps their ids as its record of what raised it."""
    row = one(cur.execute(
        f"""
        SELECT count(DISTINCT ids.item_id)
        {_ALERT_ID_ROWS}
        WHERE s.item_id IS NULL AND i.id IS NULL
        """,
        [alert_id],
    ))
    return int(row[0]) if row else 0


def alert_timeline(cur: "duckdb.DuckDBPyConnection", alert_id: str, offset_hours: int = 0) -> Any:
    """hour, n: the alert's items that still exist, per hour of their `items.published_at` (local hours
    with `offset_hours`). Not `alert_items`' rows: those keep the story's copy of an item that retention
    deleted, which Tin bài (filtering `items`) cannot list, so a click on the hour would open fewer."""
    return cur.execute(
        f"""
        SELECT date_trunc('hour', i.published_at + INTERVAL ({int(offset_hours)}) HOUR) AS hour, count(*) AS n
        FROM items i
        WHERE i.id IN (SELECT unnest(item_ids) FROM alerts WHERE alert_id = ?)
        GROUP BY hour ORDER BY hour
        """,
        [alert_id],
    ).df()


def _audit_where(since: datetime | None, include_system: bool) -> tuple[str, list[Any]]:
    where, params = ["TRUE"], []
    if since is not None:
        where.append('"at" >= ?')
        params.append(since)
    if not include_system:
        where.append("username <> 'system'")
    return " AND ".join(where), params


def audit_log(cur: "duckdb.DuckDBPyConnection", since: datetime | None = None, limit: int = 500,
              include_system: bool = True) -> Any:
    """Every alert event (or only staff's), newest first: alert_id, at, username, action, from_state, to_state,
    note."""
    where, params = _audit_where(since, include_system)
    return cur.execute(
        f"""SELECT alert_id, "at", username, action, from_state, to_state, note FROM alert_events WHERE {where}
            ORDER BY "at" DESC, id DESC LIMIT ?""",
        [*params, int(limit)],
    ).df()


def count_events(cur: "duckdb.DuckDBPyConnection", since: datetime | None = None, include_system: bool = True) -> int:
    """How many alert events `audit_log` would list without its limit."""
    where, params = _audit_where(since, include_system)
    return int(one(cur.execute(f"SELECT count(*) FROM alert_events WHERE {where}", params))[0])


# ------------------------------------------------------------------------------------------ lifecycle
def _event(cur: "duckdb.DuckDBPyConnection", alert_id: str, at: datetime, username: str, action: str,
           from_state: str | None, to_state: str | None, note: str | None) -> None:
    cur.execute(
        "INSERT INTO alert_events (alert_id, \"at\", username, action, from_state, to_state, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [alert_id, at, username, action, from_state, to_state, note],
    )


def _status(cur: "duckdb.DuckDBPyConnection", alert_id: str) -> str:
    row = one(cur.execute("SELECT status FROM alerts WHERE alert_id = ?", [alert_id]))
    if row is None:
        raise ValueError(f"Không tìm thấy cảnh báo {alert_id}.")
    return str(row[0])


def _user(username: str | None) -> str:
    if not username or not str(username).strip():
        raise ValueError("Cần ghi rõ người thực hiện thao tác.")
    return str(username).strip()


def transition(
    cur: "duckdb.DuckDBPyConnection",
    alert_id: str,
    to_state: str,
    username: str,
    note: str | None = None,
    reason: str | None = None,
    *,
    at: datetime | None = None,
) -> None:
    """Move an alert to `to_state` if the lifecycle allows it; dismissing needs a reason.

    Raises ValueError with a Vietnamese message when the alert is unknown, the move is not allowed,
    or a dismissal has no reason.
    """
    user = _user(username)
    at = at or utcnow()
    current = _status(cur, alert_id)
    if to_state not in STATES or to_state == "merged":
        raise ValueError(f"Trạng thái không hợp lệ: {to_state!r}.")
    if to_state not in ALLOWED.get(current, ()):
        allowed = ", ".join(f"«{STATE_LABELS[s]}»" for s in ALLOWED.get(current, ())) or "không có"
        raise ValueError(
            f"Không thể chuyển cảnh báo {alert_id} từ «{STATE_LABELS.get(current, current)}» sang "
            f"«{STATE_LABELS[to_state]}». Được phép: {allowed}."
        )
    reason = (reason or "").strip() or None
    if to_state == "dismissed" and not reason:
        raise ValueError("Cần nêu lý do khi bỏ qua cảnh báo.")
    if to_state in CLOSED_STATES:
        cur.execute("UPDATE alerts SET status = ?, close_reason = ?, updated_at = ? WHERE alert_id = ?",
                    [to_state, reason, at, alert_id])
    elif to_state == "reopened":
        cur.execute("UPDATE alerts SET status = ?, close_reason = NULL, updated_at = ? WHERE alert_id = ?",
                    [to_state, at, alert_id])
    else:
        cur.execute("UPDATE alerts SET status = ?, updated_at = ? WHERE alert_id = ?", [to_state, at, alert_id])
    text = "; ".join(x for x in (f"Lý do: {reason}" if reason else None, note) if x) or None
    _event(cur, alert_id, at, user, "transition", current, to_state, text)


def assign(cur: "duckdb.DuckDBPyConnection", alert_id: str, assignee: str, username: str, note: str | None = None,
           *, at: datetime | None = None) -> None:
    """Give the alert to `assignee` (status becomes 'assigned'; re-assigning keeps it)."""
    user = _user(username)
    if not assignee or not str(assignee).strip():
        raise ValueError("Cần chọn người được giao xử lý.")
    at = at or utcnow()
    current = _status(cur, alert_id)
    if current != "assigned" and "assigned" not in ALLOWED.get(current, ()):
        raise ValueError(
            f"Không thể giao cảnh báo {alert_id} đang ở trạng thái «{STATE_LABELS.get(current, current)}»; "
            "hãy mở lại trước."
        )
    cur.execute("UPDATE alerts SET status = 'assigned', assignee = ?, updated_at = ? WHERE alert_id = ?",
                [assignee, at, alert_id])
    text = "; ".join(x for x in (f"Giao cho: {assignee}", note) if x)
    _event(cur, alert_id, at, user, "assign", current, "assigned", text)


def set_priority(cur: "duckdb.DuckDBPyConnection", alert_id: str, priority: str, username: str,
                 *, at: datetime | None = None) -> None:
    user = _user(username)
    if priority not in PRIORITIES:
        raise ValueError(f"Mức ưu tiên không hợp lệ: {priority!r} (chọn: {', '.join(PRIORITIES)}).")
    at = at or utcnow()
    current = _status(cur, alert_id)
    old = one(cur.execute("SELECT priority FROM alerts WHERE alert_id = ?", [alert_id]))[0]
    cur.execute("UPDATE alerts SET priority = ?, updated_at = ? WHERE alert_id = ?", [priority, at, alert_id])
    _event(cur, alert_id, at, user, "priority", current, current,
           f"Mức ưu tiên: {PRIORITY_LABELS.get(old, old)} → {PRIORITY_LABELS[priority]}")


def add_note(cur: "duckdb.DuckDBPyConnection", alert_id: str, username: str, note: str,
             *, at: datetime | None = None) -> None:
    user = _user(username)
    if not note or not note.strip():
        raise ValueError("Ghi chú đang trống.")
    at = at or utcnow()
    current = _status(cur, alert_id)
    cur.execute("UPDATE alerts SET updated_at = ? WHERE alert_id = ?", [at, alert_id])
    _event(cur, alert_id, at, user, "note", current, current, note.strip())


def merge(cur: "duckdb.DuckDBPyConnection", keep_id: str, merge_id: str, username: str, note: str | None = None,
          *, at: datetime | None = None) -> None:
    """Fold alert `merge_id` into `keep_id`: items join the kept alert (and story); the other becomes 'merged'."""
    user = _user(username)
    if keep_id == merge_id:
        raise ValueError("Không thể gộp một cảnh báo vào chính nó.")
    at = at or utcnow()
    keep_state, merge_state = _status(cur, keep_id), _status(cur, merge_id)
    if "merged" in (keep_state, merge_state):
        raise ValueError("Cảnh báo đã được gộp trước đó, không thể gộp tiếp.")
    keep = get_alert(cur, keep_id)
    other = get_alert(cur, merge_id)
    items = list(dict.fromkeys([*(keep["item_ids"] or []), *(other["item_ids"] or [])]))
    cur.execute(
        "UPDATE alerts SET item_ids = ?, n_items = ?, updated_at = ? WHERE alert_id = ?",
        [items, len(items), at, keep_id],
    )
    cur.execute("UPDATE alerts SET status = 'merged', merged_into = ?, updated_at = ? WHERE alert_id = ?",
                [keep_id, at, merge_id])
    if keep.get("story_id") and other.get("story_id") and keep["story_id"] != other["story_id"]:
        from store import stories as store_stories

        store_stories.merge_stories(cur, keep["story_id"], other["story_id"], at)
        cur.execute("UPDATE alerts SET story_id = ? WHERE story_id = ?", [keep["story_id"], other["story_id"]])
    text = "; ".join(x for x in (f"Gộp {merge_id} vào {keep_id}", note) if x)
    _event(cur, keep_id, at, user, "merge", keep_state, keep_state, text)
    _event(cur, merge_id, at, user, "merge", merge_state, "merged", text)


# ------------------------------------------------------------------------------------------ source health
def source_daily_counts(cur: "duckdb.DuckDBPyConnection", start: datetime, days: int) -> dict[str, list[int]]:
    """source → item sightings per 24-hour block starting at `start` (item_links.seen_at), `days` blocks."""
    rows = cur.execute(
        """
        SELECT source, CAST(floor(epoch(seen_at - ?) / 86400) AS INTEGER) AS d, count(*)
        FROM item_links WHERE seen_at >= ? AND seen_at < ? + to_days(?)
        GROUP BY ALL
        """,
        [start, start, start, int(days)],
    ).fetchall()
    out: dict[str, list[int]] = {}
    for src, d, n in rows:
        if 0 <= d < days:
            out.setdefault(src, [0] * days)[d] = int(n)
    return out


def source_failures(cur: "duckdb.DuckDBPyConnection") -> dict[str, dict[str, Any]]:
    """source → consecutive_failures, last_success_at, last_error_at, last_error_kind, last_error."""
    rows = cur.execute(
        "SELECT source, consecutive_failures, last_success_at, last_error_at, last_error_kind, last_error FROM source_state"
    ).fetchall()
    keys = ["consecutive_failures", "last_success_at", "last_error_at", "last_error_kind", "last_error"]
    return {r[0]: dict(zip(keys, r[1:])) for r in rows}


def open_source_alarms(cur: "duckdb.DuckDBPyConnection") -> dict[tuple[str, str], int]:
    """(source, kind) → id of the alarm still open."""
    return {(r[0], r[1]): int(r[2]) for r in cur.execute(
        "SELECT source, kind, max(id) FROM source_alarms WHERE cleared_at IS NULL GROUP BY ALL"
    ).fetchall()}


def raise_source_alarm(cur: "duckdb.DuckDBPyConnection", source: str, kind: str, at: datetime, reason: str,
                       details: dict[str, Any] | None = None) -> int:
    row = one(cur.execute(
        "INSERT INTO source_alarms (source, kind, raised_at, reason, details) VALUES (?, ?, ?, ?, ?) RETURNING id",
        [source, kind, at, reason, json.dumps(details or {}, ensure_ascii=False, default=str)],
    ))
    return int(row[0])


def clear_source_alarm(cur: "duckdb.DuckDBPyConnection", alarm_id: int, at: datetime) -> None:
    cur.execute("UPDATE source_alarms SET cleared_at = ? WHERE id = ? AND cleared_at IS NULL", [at, alarm_id])


def source_alarms(cur: "duckdb.DuckDBPyConnection") -> Any:
    """Every source alarm, open ones first, newest first: source, kind, raised_at, cleared_at, reason, details."""
    return cur.execute(
        """SELECT id, source, kind, raised_at, cleared_at, cleared_at IS NULL AS open, reason, details
           FROM source_alarms ORDER BY cleared_at IS NULL DESC, raised_at DESC, id DESC"""
    ).df()


# ------------------------------------------------------------------------------------------ detect state
def get_mark(cur: "duckdb.DuckDBPyConnection", key: str) -> datetime | None:
    row = one(cur.execute("SELECT mark_at FROM detect_state WHERE key = ?", [key]))
    return row[0] if row else None


def set_mark(cur: "duckdb.DuckDBPyConnection", key: str, at: datetime) -> None:
    cur.execute("INSERT INTO detect_state VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET mark_at = excluded.mark_at", [key, at])
