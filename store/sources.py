"""Source state and health: what each fetch did, when to try next, and what staff see as health.

`record_outcome` is written in the same transaction as the items of that fetch, so the saved
ETag/Last-Modified never runs ahead of the items it vouches for; `record_outcomes` does the same for the
sources the collector writes together in one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from store.baseline import DAY, held_days
from store.db import one

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa


@dataclass(frozen=True)
class SourceState:
    source: str
    etag: str | None = None
    last_modified: str | None = None
    consecutive_failures: int = 0
    next_due_at: datetime | None = None
    last_success_at: datetime | None = None


@dataclass(frozen=True)
class Outcome:
    """One fetch of one source, as the runner saw it."""

    source: str
    started_at: datetime
    finished_at: datetime
    outcome: str  # 'ok' | 'not_modified' | 'error'
    next_due_at: datetime
    http_status: int | None = None
    entries_seen: int = 0
    items_new: int = 0
    skipped: dict[str, int] | None = None
    etag: str | None = None
    last_modified: str | None = None
    error_kind: str | None = None
    error: str | None = None
    decode_replaced: int = 0  # invalid byte sequences replaced by U+FFFD (collectors/encoding.py)
    items_repaired: int = 0  # stored items whose garbled text this fetch repaired (store/items.py)


def get_states(cur: "duckdb.DuckDBPyConnection") -> dict[str, SourceState]:
    rows = cur.execute(
        "SELECT source, etag, last_modified, consecutive_failures, next_due_at, last_success_at FROM source_state"
    ).fetchall()
    return {r[0]: SourceState(*r) for r in rows}


# One outcome's rows, written by record_outcome (one source) and record_outcomes (a group) alike.
_FETCH_LOG = """INSERT INTO fetch_log (source, started_at, finished_at, outcome, http_status, entries_seen,
                       items_new, skipped, error_kind, error, decode_replaced, items_repaired)"""
_ERROR_STATE = """INSERT INTO source_state (source, last_attempt_at, last_error_at, last_error_kind, last_error,
                          last_http_status, consecutive_failures, next_due_at)"""
_ERROR_UPSERT = """ON CONFLICT (source) DO UPDATE SET
    last_attempt_at = excluded.last_attempt_at,
    last_error_at = excluded.last_error_at,
    last_error_kind = excluded.last_error_kind,
    last_error = excluded.last_error,
    last_http_status = excluded.last_http_status,
    consecutive_failures = source_state.consecutive_failures + 1,
    next_due_at = excluded.next_due_at"""
_SUCCESS_STATE = """INSERT INTO source_state (source, etag, last_modified, last_attempt_at, last_success_at,
                          last_http_status, consecutive_failures, next_due_at,
                          last_entries_seen, last_items_new, last_skipped,
                          last_decode_replaced, last_items_repaired)"""
# A 304 keeps the validators it was asked with; any other answer's replace them, none included (a feed cut at
# [limits] max_entries sends none on purpose: kept, they made the server answer 304 and the cut tail was never read).
_SUCCESS_UPSERT = """ON CONFLICT (source) DO UPDATE SET
    etag = CASE WHEN excluded.last_http_status = 304 THEN coalesce(excluded.etag, source_state.etag)
                ELSE excluded.etag END,
    last_modified = CASE WHEN excluded.last_http_status = 304
                         THEN coalesce(excluded.last_modified, source_state.last_modified)
                         ELSE excluded.last_modified END,
    last_attempt_at = excluded.last_attempt_at,
    last_success_at = excluded.last_success_at,
    last_http_status = excluded.last_http_status,
    consecutive_failures = 0,
    next_due_at = excluded.next_due_at,
    last_entries_seen = excluded.last_entries_seen,
    last_items_new = excluded.last_items_new,
    last_skipped = excluded.last_skipped,
    last_decode_replaced = excluded.last_decode_replaced,
    last_items_repaired = excluded.last_items_repaired"""


def record_outcome(cur: "duckdb.DuckDBPyConnection", o: Outcome) -> None:
    skipped_total = sum((o.skipped or {}).values())
    skipped_json = json.dumps(o.skipped or {}, ensure_ascii=False)
    cur.execute(
        f"{_FETCH_LOG} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [o.source, o.started_at, o.finished_at, o.outcome, o.http_status, o.entries_seen, o.items_new,
         skipped_total, o.error_kind, o.error, o.decode_replaced, o.items_repaired],
    )
    if o.outcome == "error":
        cur.execute(
            f"{_ERROR_STATE} VALUES (?, ?, ?, ?, ?, ?, 1, ?) {_ERROR_UPSERT}",
            [o.source, o.finished_at, o.finished_at, o.error_kind, o.error, o.http_status, o.next_due_at],
        )
    else:
        cur.execute(
            f"{_SUCCESS_STATE} VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?) {_SUCCESS_UPSERT}",
            [o.source, o.etag, o.last_modified, o.finished_at, o.finished_at, o.http_status, o.next_due_at,
             o.entries_seen, o.items_new, skipped_json, o.decode_replaced, o.items_repaired],
        )


@cache
def _outcomes_schema() -> pa.Schema:
    """Built on first use: pyarrow (~0.2 s of CPU with numpy) loads only in a process that writes these rows."""
    import pyarrow as pa

    return pa.schema(
        [
            ("ord", pa.int32()),
            ("source", pa.string()),
            ("started_at", pa.timestamp("us")),
            ("finished_at", pa.timestamp("us")),
            ("outcome", pa.string()),
            ("next_due_at", pa.timestamp("us")),
            ("http_status", pa.int32()),
            ("entries_seen", pa.int32()),
            ("items_new", pa.int32()),
            ("skipped_total", pa.int32()),
            ("skipped_json", pa.string()),
            ("etag", pa.string()),
            ("last_modified", pa.string()),
            ("error_kind", pa.string()),
            ("error", pa.string()),
            ("decode_replaced", pa.int32()),
            ("items_repaired", pa.int32()),
        ]
    )


def record_outcomes(cur: "duckdb.DuckDBPyConnection", outcomes: Sequence[Outcome]) -> None:
    """`record_outcome` for many sources in at most three statements, whatever their number.

    A DuckDB statement costs milliseconds of CPU however few rows it touches, so a pass of 500 sources
    written one outcome at a time spent seconds on fetch_log/source_state alone. With a source named
    twice the rows could not be merged in one upsert: those go one by one, in order.
    """
    if not outcomes:
        return
    if len(outcomes) == 1 or len({o.source for o in outcomes}) < len(outcomes):
        for o in outcomes:
            record_outcome(cur, o)
        return
    cur.register("_outcomes", _outcome_table(outcomes))
    try:
        _write_outcomes(cur, outcomes)
    finally:
        cur.unregister("_outcomes")


def _outcome_table(outcomes: Sequence[Outcome]) -> pa.Table:
    """The outcomes as one Arrow table (in order, `ord`), so each statement below reads them all at once."""
    import pyarrow as pa

    return pa.Table.from_pylist(
        [
            {
                "ord": i, "source": o.source, "started_at": o.started_at, "finished_at": o.finished_at,
                "outcome": o.outcome, "next_due_at": o.next_due_at, "http_status": o.http_status,
                "entries_seen": o.entries_seen, "items_new": o.items_new,
                "skipped_total": sum((o.skipped or {}).values()),
                "skipped_json": json.dumps(o.skipped or {}, ensure_ascii=False),
                "etag": o.etag, "last_modified": o.last_modified, "error_kind": o.error_kind, "error": o.error,
                "decode_replaced": o.decode_replaced, "items_repaired": o.items_repaired,
            }
            for i, o in enumerate(outcomes)
        ],
        schema=_outcomes_schema(),
    )


def _write_outcomes(cur: "duckdb.DuckDBPyConnection", outcomes: Sequence[Outcome]) -> None:
    """The fetch_log rows, then the failed and the successful sources' state, from the registered `_outcomes`."""
    cur.execute(
        f"""
        {_FETCH_LOG}
        SELECT source, started_at, finished_at, outcome, http_status, entries_seen, items_new,
               skipped_total, error_kind, error, decode_replaced, items_repaired
        FROM _outcomes ORDER BY ord
        """
    )
    if any(o.outcome == "error" for o in outcomes):
        cur.execute(
            f"""
            {_ERROR_STATE}
            SELECT source, finished_at, finished_at, error_kind, error, http_status, 1, next_due_at
            FROM _outcomes WHERE outcome = 'error'
            {_ERROR_UPSERT}
            """
        )
    if any(o.outcome != "error" for o in outcomes):
        cur.execute(
            f"""
            {_SUCCESS_STATE}
            SELECT source, etag, last_modified, finished_at, finished_at, http_status, 0, next_due_at,
                   entries_seen, items_new, skipped_json, decode_replaced, items_repaired
            FROM _outcomes WHERE outcome <> 'error'
            {_SUCCESS_UPSERT}
            """
        )


# source_state columns as health rows name them (the row keys are the same words)
_STATE_COLS = ("source", "last_attempt_at", "last_success_at", "last_error_at", "last_error_kind", "last_error",
               "last_http_status", "consecutive_failures", "next_due_at", "last_entries_seen", "last_items_new",
               "last_skipped", "last_decode_replaced", "last_items_repaired")


def health(cur: "duckdb.DuckDBPyConnection", sources: Iterable[Any], now: datetime) -> list[dict[str, Any]]:
    """One row per configured source: status, last success/error, failures, items published in the last 24 h
    and per day (7-day mean) — by publication time, not fetch time: a first run that fetches a feed's whole
    archive must not look like a burst of news —
    and how many of its items were stored with a title or text cut to [storage] max_*_chars.

    `sources` are SourceConfig objects, so a configured source that never ran shows as 'chưa chạy'.
    """
    states = {r[0]: r for r in cur.execute(f"SELECT {', '.join(_STATE_COLS)} FROM source_state").fetchall()}
    volume, per_day = _week(cur, now)
    usual = _usual(cur, now, per_day)
    from store.items import cut_counts

    cuts = cut_counts(cur)
    out = []
    for src in sources:
        row = _health_row(src, states.get(src.name), volume.get(src.name, (0, 0)), cuts.get(src.name, {}))
        row["first_seen_at"], row["usual_per_day"] = usual.get(src.name, (None, None))
        row["status"] = _status(row)
        out.append(row)
    return out


USUAL_DAYS = 7  # the days before the last 24 h a source's usual level averages over (`store.baseline`)


def _week(cur: "duckdb.DuckDBPyConnection", now: datetime) -> tuple[dict[str, tuple[int, int]],
                                                                    dict[str, dict[int, int]]]:
    """One scan of the 8 days before `now`, per source (each figure scanned the week on its own until round 27):
    the items published in the 24 h and in the 7 days before `now` (items_24h, items_per_day_7d), and those of
    each whole day d (0 the latest) of the USUAL_DAYS before the last 24 h (`_usual`)."""
    end = now - DAY
    volume: dict[str, tuple[int, int]] = {}
    per_day: dict[str, dict[int, int]] = {}
    for src, d, today, week, before in cur.execute(
        """
        SELECT l.source, CAST(floor((epoch(?::TIMESTAMP) - epoch(i.published_at)) / 86400) AS INTEGER),
               count(*) FILTER (WHERE i.published_at >= ?), count(*) FILTER (WHERE i.published_at >= ?),
               count(*) FILTER (WHERE i.published_at < ?)
        FROM item_links l JOIN items i ON i.id = l.item_id
        WHERE i.published_at >= ? AND i.published_at <= ?
        GROUP BY 1, 2
        """,
        [end, end, now - 7 * DAY, end, min(end - USUAL_DAYS * DAY, now - 7 * DAY), now],
    ).fetchall():
        t, w = volume.get(src, (0, 0))
        volume[src] = (t + today, w + week)
        if before:
            per_day.setdefault(src, {})[d] = before
    return volume, per_day


def _usual(cur: "duckdb.DuckDBPyConnection", now: datetime,
           per_day: dict[str, dict[int, int]]) -> dict[str, tuple[datetime, float | None]]:
    """Per source: when it was first seen, and its usual items per day — the mean, by publication time, over the
    whole days between then and the last 24 h (at most USUAL_DAYS; `per_day` from `_week`): None while there is
    none, so that a first collection's backlog is not taken for the usual level (round 26: «-100%» on a new
    office's first day)."""
    end = now - DAY
    firsts = dict(cur.execute("SELECT source, min(seen_at) FROM item_links GROUP BY source").fetchall())
    out: dict[str, tuple[datetime, float | None]] = {}
    for src, first in firsts.items():
        held = held_days(first, end, USUAL_DAYS)
        days = per_day.get(src, {})
        out[src] = (first, round(sum(days.get(d, 0) for d in range(held)) / held, 2) if held else None)
    return out


def _health_row(src: Any, st: tuple[Any, ...] | None, counts: tuple[int, int],
                cut: dict[str, int]) -> dict[str, Any]:
    """A source's health row without its status: the configured fields, then its saved state (the
    defaults of a source that never ran), volume and cut counts."""
    today, week = counts
    row: dict[str, Any] = {
        "source": src.name,
        "outlet": src.outlet,
        "kind": src.kind,
        "source_type": src.source_type,
        "enabled": src.enabled,
        "last_attempt_at": None,
        "last_success_at": None,
        "last_error_at": None,
        "last_error_kind": None,
        "last_error": None,
        "last_http_status": None,
        "consecutive_failures": 0,
        "next_due_at": None,
        "last_entries_seen": None,
        "last_items_new": None,
        "last_skipped": {},
        "last_decode_replaced": 0,
        "last_items_repaired": 0,
        "items_24h": today,
        "items_per_day_7d": round(week / 7.0, 2),
        "items_cut": cut,  # {"title": n, "text": n}: stored cut to the length caps
    }
    if st is not None:
        row.update(dict(zip(_STATE_COLS, st)))
        row["last_skipped"] = json.loads(st[11]) if st[11] else {}
    return row


def _status(row: dict[str, Any]) -> str:
    if not row["enabled"]:
        return "paused"
    if row["last_attempt_at"] is None:
        return "never_run"
    if row["consecutive_failures"] >= 3:
        return "failing"
    if row["consecutive_failures"] > 0:
        return "error"
    return "ok"


# The server's latest fetch and latest success are each source's, in source_state, at their latest: fetch_log is the
# history (Nguồn tin's recent fetches and errors), written in the same transaction with the same times
# (`record_outcome(s)`), and its max equals source_state's. Until round 31 these two read fetch_log, a second record
# of the same facts (2.4 million rows after a year of 68 sources every 15 minutes: the last success read there in
# 7.9 ms, from source_state in 0.3 ms; round 31's probe), and a fetch_log ever trimmed would have said «never
# collected» (tests/store/test_record_outcomes.py).
def last_collection_at(cur: "duckdb.DuckDBPyConnection") -> datetime | None:
    """The last fetch that finished, failed or not: whether the server still tries (the stopped-server rule)."""
    row = one(cur.execute("SELECT max(last_attempt_at) FROM source_state"))
    return row[0] if row else None


def last_success_at(cur: "duckdb.DuckDBPyConnection") -> datetime | None:
    """The last fetch that succeeded (items, or an answer that nothing changed): when the server last collected.
    `last_collection_at` counts failed tries too, so a server whose every source failed read as fresh (round 29)."""
    row = one(cur.execute("SELECT max(last_success_at) FROM source_state"))
    return row[0] if row else None


def recent_fetches(cur: "duckdb.DuckDBPyConnection", limit: int = 100) -> "Any":
    return cur.execute(
        "SELECT * FROM fetch_log ORDER BY started_at DESC, id DESC LIMIT ?", [limit]
    ).df()


def failing_with(cur: "duckdb.DuckDBPyConnection", error_kind: str) -> set[str]:
    """Sources whose latest poll failed with this error kind (e.g. token_expired)."""
    rows = cur.execute("SELECT source FROM source_state WHERE last_error_kind = ? AND "
                       "(last_success_at IS NULL OR last_error_at > last_success_at)", [error_kind]).fetchall()
    return {r[0] for r in rows}
