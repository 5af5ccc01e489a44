"""Complaint cases' SQL (page Phản ánh): open, move through the lifecycle (vocab/cases.py), reply, count.

Every change writes a case_events row in the same statement group as the change, so the audit trail is
never behind the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Sequence

from store.db import dicts, one
from vocab.cases import ALLOWED, HANDLED_STATES, OPEN_STATES, STATE_LABELS

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa


class CaseError(ValueError):
    """A change the lifecycle does not allow; the message is Vietnamese, for staff."""


@dataclass(frozen=True)
class NewCase:
    item_id: str
    channel: str
    source: str
    opened_at: datetime
    due_at: datetime
    reply_ref: str | None = None
    place: str = ""


_COLS = ("c.id, c.item_id, c.channel, c.source, c.status, c.assignee, c.opened_at, c.due_at, c.answered_at, "
         "c.closed_at, c.reply_text, c.reply_via, c.reply_status, c.reply_ref, c.place")


def _event(cur: "duckdb.DuckDBPyConnection", case_id: int, at: datetime, username: str, action: str,
           from_state: str | None = None, to_state: str | None = None, note: str | None = None) -> None:
    cur.execute("INSERT INTO case_events (case_id, logged_at, username, action, from_state, to_state, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", [case_id, at, username, action, from_state, to_state, note])


def open_cases(cur: "duckdb.DuckDBPyConnection", cases: Sequence[NewCase], username: str = "hệ thống") -> list[int]:
    """Open a case per new item (an item already with a case is left alone, as is an item's second case in
    `cases`); returns the new ids, in the order of `cases`. Two statements through Arrow, whatever the number: one
    INSERT and one event a case took 11 ms of CPU a case (5.8 s for an import of 500 complaints; round 24)."""
    import pyarrow as pa

    first: dict[str, NewCase] = {}
    for c in cases:
        first.setdefault(c.item_id, c)
    if not first:
        return []
    todo = list(first.values())
    cur.register("_new_cases", pa.table({
        "pos": pa.array(range(len(todo)), pa.int32()),
        "item_id": pa.array([c.item_id for c in todo], pa.string()),
        "channel": pa.array([c.channel for c in todo], pa.string()),
        "source": pa.array([c.source for c in todo], pa.string()),
        "opened_at": pa.array([c.opened_at for c in todo], pa.timestamp("us")),
        "due_at": pa.array([c.due_at for c in todo], pa.timestamp("us")),
        "reply_ref": pa.array([c.reply_ref for c in todo], pa.string()),
        "place": pa.array([c.place for c in todo], pa.string()),
    }))
    try:
        made = dict(cur.execute(
            "INSERT INTO cases (item_id, channel, source, opened_at, due_at, reply_ref, place) "
            "SELECT item_id, channel, source, opened_at, due_at, reply_ref, place FROM "
            "(SELECT * FROM _new_cases ORDER BY pos) ON CONFLICT DO NOTHING RETURNING item_id, id").fetchall())
        if made:
            cur.execute("INSERT INTO case_events (case_id, logged_at, username, action, from_state, to_state) "
                        "SELECT c.id, n.opened_at, ?, 'opened', NULL, 'new' FROM _new_cases n "
                        "JOIN cases c ON c.item_id = n.item_id WHERE c.id IN (SELECT unnest(?::INTEGER[])) "
                        "ORDER BY n.pos", [username, list(made.values())])
    finally:
        cur.unregister("_new_cases")
    return [int(made[c.item_id]) for c in todo if c.item_id in made]


def get_case(cur: "duckdb.DuckDBPyConnection", case_id: int) -> dict[str, Any] | None:
    """One case with its item, and the story the item was grouped into: its title and its latest alert (the
    page names them; a story id is a 40-character hash nobody can use)."""
    cur.execute(f"""SELECT {_COLS}, i.title, i.summary AS text, i.url, i.published_at, i.outlet,
                           (SELECT story_id FROM story_items s WHERE s.item_id = c.item_id LIMIT 1) AS story_id
                    FROM cases c JOIN items i ON i.id = c.item_id WHERE c.id = ?""", [case_id])
    rows = dicts(cur)
    if not rows:
        return None
    out = rows[0]
    out["story_title"] = out["story_alert"] = None
    if out.get("story_id"):
        row = one(cur.execute("""SELECT (SELECT title FROM stories WHERE story_id = ?),
                                        (SELECT arg_max(alert_id, seq) FROM alerts WHERE story_id = ?)""",
                              [out["story_id"], out["story_id"]]))
        out["story_title"], out["story_alert"] = row
    return out


def _queue_where(statuses: Sequence[str] | None, channels: Sequence[str] | None,
                 assignee: str | None) -> tuple[list[str], list[Any]]:
    where, params = ["1=1"], []
    if statuses:
        where.append("c.status IN (SELECT unnest(?))")
        params.append(list(statuses))
    if channels:
        where.append("c.channel IN (SELECT unnest(?))")
        params.append(list(channels))
    if assignee:
        where.append("c.assignee = ?")
        params.append(assignee)
    return where, params


def count_cases(cur: "duckdb.DuckDBPyConnection", *, statuses: Sequence[str] | None = None,
                channels: Sequence[str] | None = None, assignee: str | None = None) -> int:
    """How many cases `list_cases` would list without its limit."""
    where, params = _queue_where(statuses, channels, assignee)
    return int(one(cur.execute(f"SELECT count(*) FROM cases c WHERE {' AND '.join(where)}", params))[0])


def list_cases(cur: "duckdb.DuckDBPyConnection", *, statuses: Sequence[str] | None = None,
               channels: Sequence[str] | None = None, assignee: str | None = None, now: datetime,
               limit: int = 500) -> list[dict[str, Any]]:
    """The queue: overdue open cases first, then by due date; closed ones last, newest first."""
    where, params = _queue_where(statuses, channels, assignee)
    cur.execute(f"""SELECT {_COLS}, i.title, i.summary AS text,
                           (c.status IN (SELECT unnest(?)) AND c.due_at < ?) AS overdue
                    FROM cases c JOIN items i ON i.id = c.item_id
                    WHERE {' AND '.join(where)}
                    ORDER BY overdue DESC, (c.status IN (SELECT unnest(?))) DESC, c.due_at, c.id DESC
                    LIMIT ?""", [list(OPEN_STATES), now, *params, list(OPEN_STATES), limit])
    return dicts(cur)


def case_events(cur: "duckdb.DuckDBPyConnection", case_id: int) -> list[dict[str, Any]]:
    cur.execute("SELECT logged_at AS at, username, action, from_state, to_state, note FROM case_events "
                "WHERE case_id = ? ORDER BY logged_at, id", [case_id])
    return dicts(cur)


def _status(cur: "duckdb.DuckDBPyConnection", case_id: int) -> str:
    row = one(cur.execute("SELECT status FROM cases WHERE id = ?", [case_id]))
    if row is None:
        raise CaseError(f"Không có phản ánh số {case_id}.")
    return str(row[0])


def transition(cur: "duckdb.DuckDBPyConnection", case_id: int, to: str, username: str, at: datetime,
               note: str | None = None) -> None:
    frm = _status(cur, case_id)
    if to not in ALLOWED.get(frm, ()):
        raise CaseError(f"Không thể chuyển phản ánh từ «{STATE_LABELS.get(frm, frm)}» sang "
                        f"«{STATE_LABELS.get(to, to)}».")
    stamp = {"answered": ", answered_at = coalesce(answered_at, ?)", "closed": ", closed_at = ?"}.get(to, "")
    params: list[Any] = [to] + ([at] if stamp else []) + [case_id]
    cur.execute(f"UPDATE cases SET status = ?{stamp} WHERE id = ?", params)
    if frm == "closed":
        cur.execute("UPDATE cases SET closed_at = NULL WHERE id = ?", [case_id])
    _event(cur, case_id, at, username, "status", frm, to, note)


def assign(cur: "duckdb.DuckDBPyConnection", case_id: int, assignee: str, username: str, at: datetime,
           note: str | None = None) -> None:
    frm = _status(cur, case_id)
    if frm in HANDLED_STATES:
        raise CaseError("Phản ánh đã trả lời hoặc đã đóng; mở lại trước khi giao.")
    cur.execute("UPDATE cases SET assignee = ?, status = CASE WHEN status = 'new' THEN 'assigned' ELSE status END "
                "WHERE id = ?", [assignee, case_id])
    _event(cur, case_id, at, username, "assign", frm, _status(cur, case_id), f"giao cho {assignee}"
           + (f": {note}" if note else ""))


def set_due(cur: "duckdb.DuckDBPyConnection", case_id: int, due_at: datetime, username: str, at: datetime) -> None:
    _status(cur, case_id)
    cur.execute("UPDATE cases SET due_at = ? WHERE id = ?", [due_at, case_id])
    _event(cur, case_id, at, username, "due", note=f"hạn mới {due_at:%Y-%m-%d %H:%M} UTC")


def add_note(cur: "duckdb.DuckDBPyConnection", case_id: int, username: str, note: str, at: datetime) -> None:
    _status(cur, case_id)
    _event(cur, case_id, at, username, "note", note=note)


def claim_reply(cur: "duckdb.DuckDBPyConnection", case_id: int, username: str, at: datetime,
                stale_before: datetime) -> bool:
    """Take the case for one reply before it is sent: True for the one submit that takes it, False when the case is
    answered or closed, or another reply holds it (claimed at or after `stale_before`), or there is no such case. The
    check and the write are one conditional UPDATE, so two submits of the same moment cannot both pass it (they both
    passed a read, then both sent: round 29's sweep, fix29). record_reply or release_reply lets it go."""
    handled = ", ".join(f"'{s}'" for s in HANDLED_STATES)
    row = one(cur.execute(f"""UPDATE cases SET reply_claimed_at = ?, reply_claimed_by = ?
                              WHERE id = ? AND status NOT IN ({handled})
                                AND (reply_claimed_at IS NULL OR reply_claimed_at < ?)""",
                          [at, username, case_id, stale_before]))
    return bool(row and row[0])


def reply_claim(cur: "duckdb.DuckDBPyConnection", case_id: int) -> tuple[str, datetime] | None:
    """(who, since when) of the reply being sent for the case, or None."""
    row = one(cur.execute("SELECT reply_claimed_by, reply_claimed_at FROM cases WHERE id = ? "
                          "AND reply_claimed_at IS NOT NULL", [case_id]))
    return (str(row[0]), row[1]) if row else None


def release_reply(cur: "duckdb.DuckDBPyConnection", case_id: int) -> None:
    """Let a claim go without recording a reply (the send raised something unexpected)."""
    cur.execute("UPDATE cases SET reply_claimed_at = NULL, reply_claimed_by = NULL WHERE id = ?", [case_id])


def record_reply(cur: "duckdb.DuckDBPyConnection", case_id: int, text: str, via: str, status: str,
                 username: str, at: datetime) -> None:
    """Keep the reply and how it went, and let the reply's claim go; a reply that was sent (or recorded as sent by
    hand) answers the case."""
    frm = _status(cur, case_id)
    cur.execute("UPDATE cases SET reply_text = ?, reply_via = ?, reply_status = ?, reply_claimed_at = NULL, "
                "reply_claimed_by = NULL WHERE id = ?", [text, via, status, case_id])
    _event(cur, case_id, at, username, "reply", frm, frm, f"{via}: {status}")
    if status in ("sent", "manual") and frm in ("new", "assigned", "in_progress"):
        transition(cur, case_id, "answered", username, at)


def case_for_item(cur: "duckdb.DuckDBPyConnection", item_id: str) -> int | None:
    row = one(cur.execute("SELECT id FROM cases WHERE item_id = ?", [item_id]))
    return int(row[0]) if row else None


def cases_for_items(cur: "duckdb.DuckDBPyConnection", item_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Cases of these items (an alert's complaints)."""
    if not item_ids:
        return []
    cur.execute(f"SELECT {_COLS}, i.title FROM cases c JOIN items i ON i.id = c.item_id "
                "WHERE c.item_id IN (SELECT unnest(?)) ORDER BY c.opened_at", [list(item_ids)])
    return dicts(cur)


def figures(cur: "duckdb.DuckDBPyConnection", start: datetime, end: datetime, now: datetime,
            by: str = "channel") -> list[dict[str, Any]]:
    """Per channel (or per place): received in [start, end), handled, handled on time, overdue now, and
    the median hours to answer. `by` is 'channel' or 'place'."""
    col = {"channel": "c.channel", "place": "c.place"}[by]
    cur.execute(f"""
        SELECT {col} AS key,
               count(*) AS received,
               count(*) FILTER (WHERE c.status IN ('answered', 'closed')) AS handled,
               count(*) FILTER (WHERE c.answered_at IS NOT NULL AND c.answered_at <= c.due_at) AS on_time,
               count(*) FILTER (WHERE c.status IN (SELECT unnest(?)) AND c.due_at < ?) AS overdue,
               median(epoch(c.answered_at - c.opened_at) / 3600.0) AS median_hours
        FROM cases c WHERE c.opened_at >= ? AND c.opened_at < ?
        GROUP BY 1 ORDER BY received DESC, key""", [list(OPEN_STATES), now, start, end])
    return dicts(cur)


@dataclass(frozen=True)
class CaseCandidate:
    item_id: str
    collector: str
    source: str
    flags: tuple[str, ...]
    guid: str | None
    fetched_at: datetime
    place: str


def case_candidates(cur: "duckdb.DuckDBPyConnection", item_ids: Sequence[str]) -> list[CaseCandidate]:
    """New items that may open a case: from the office's own channels, or marked as complaints."""
    if not item_ids:
        return []
    rows = cur.execute(
        """SELECT i.id, i.collector, i.source, coalesce(i.flags, []), i.guid, i.fetched_at,
                  coalesce(t.places[1], '')
           FROM items i LEFT JOIN item_tags t ON t.item_id = i.id
           WHERE i.id IN (SELECT unnest(?))
             AND (list_contains(coalesce(i.flags, []), 'own_channel') OR list_contains(coalesce(i.flags, []), 'complaint'))""",
        [list(item_ids)]).fetchall()
    return [CaseCandidate(r[0], r[1], r[2], tuple(r[3]), r[4], r[5], r[6]) for r in rows]


def item_flags(cur: "duckdb.DuckDBPyConnection", item_id: str) -> tuple[str, ...]:
    row = one(cur.execute("SELECT coalesce(flags, []) FROM items WHERE id = ?", [item_id]))
    return tuple(row[0]) if row else ()
