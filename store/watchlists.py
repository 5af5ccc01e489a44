"""Watchlists (Theo dõi từ khóa): the SQL behind detection/watch.py and the Theo dõi page.

A watchlist is a named query in the search syntax, optionally narrowed by place, topic and source
type (store/migrations/080_watchlists.sql). New items are matched once, in the ingest path; each match
is a `watch_hits` row, and `alert_id` records which alert reported it, so a hit is reported once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Sequence

from store.db import one
from store.sqlparts import TAG_SLACK, effective_sql, shown_title_sql

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

_COLS = ("id", "name", "query", "places", "topics", "source_types", "min_items", "window_minutes", "severity",
         "active", "created_by", "created_at", "updated_by", "updated_at")
EDITABLE = ("name", "query", "places", "topics", "source_types", "min_items", "window_minutes", "severity")


@dataclass(frozen=True)
class Hit:
    """One new item matching one watchlist, with the item's syllables that matched."""

    watchlist_id: int
    item_id: str
    published_at: datetime
    words: tuple[str, ...]


def _rows(cur: "duckdb.DuckDBPyConnection", where: str = "", params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    res = cur.execute(f"SELECT {', '.join(_COLS)} FROM watchlists {where} ORDER BY name COLLATE vi, id", list(params))
    return [dict(zip(_COLS, r)) for r in res.fetchall()]


def list_watchlists(cur: "duckdb.DuckDBPyConnection") -> list[dict[str, Any]]:
    return _rows(cur)


def active_watchlists(cur: "duckdb.DuckDBPyConnection") -> list[dict[str, Any]]:
    return _rows(cur, "WHERE active")


def get(cur: "duckdb.DuckDBPyConnection", watchlist_id: int) -> dict[str, Any] | None:
    rows = _rows(cur, "WHERE id = ?", [int(watchlist_id)])
    return rows[0] if rows else None


def name_taken(cur: "duckdb.DuckDBPyConnection", name: str, except_id: int | None = None) -> bool:
    row = one(cur.execute("SELECT count(*) FROM watchlists WHERE lower(name) = lower(?) AND id IS DISTINCT FROM ?",
                          [name, except_id]))
    return bool(row[0])


def create(cur: "duckdb.DuckDBPyConnection", wl: dict[str, Any], by: str, now: datetime, active: bool = True) -> int:
    """Insert a watchlist (fields of EDITABLE); returns its id."""
    row = one(cur.execute(
        f"INSERT INTO watchlists ({', '.join(EDITABLE)}, active, created_by, created_at, updated_by, updated_at) "
        f"VALUES ({', '.join('?' * len(EDITABLE))}, ?, ?, ?, ?, ?) RETURNING id",
        [*(wl[k] for k in EDITABLE), active, by, now, by, now],
    ))
    return int(row[0])


def update(cur: "duckdb.DuckDBPyConnection", watchlist_id: int, changes: dict[str, Any], by: str,
           now: datetime) -> None:
    """Change some fields (of EDITABLE, or `active`)."""
    cols = [k for k in changes if k in (*EDITABLE, "active")]
    cur.execute(
        f"UPDATE watchlists SET {', '.join(f'{k} = ?' for k in cols)}, updated_by = ?, updated_at = ? WHERE id = ?",
        [*(changes[k] for k in cols), by, now, int(watchlist_id)],
    )


# --- matching (detection/watch.py) ------------------------------------------------------------

def item_docs(cur: "duckdb.DuckDBPyConnection", ids: Sequence[str],
              tagged_since: datetime = datetime(1970, 1, 1)) -> pd.DataFrame:
    """What matching reads for new items: id, published_at, source_type, outlet, title, summary, full
    text (or ""), the restored title (NULL when it had diacritics), the place names read with marks where the
    text has none (`place_reads`, the model's reading: a staff correction of places changes no text), effective topics
    and places. `tagged_since` bounds the tags read (new items were
    tagged moments ago; an older tag is simply not seen)."""
    joins, sel = effective_sql(cur, bounded=True)
    return cur.execute(f"""
        SELECT i.id, i.published_at, i.source_type, i.outlet, i.title, i.summary,
               coalesce(f.text, '') AS fulltext, t.title_restored, t.place_reads, {sel}
        FROM items i {joins}
        LEFT JOIN item_fulltext f ON f.item_id = i.id AND f.status = 'ok'
        WHERE i.id IN (SELECT unnest(?::VARCHAR[]))
    """, [tagged_since, list(ids)]).df()


def add_hits(cur: "duckdb.DuckDBPyConnection", hits: Sequence[Hit], now: datetime) -> int:
    """Store hits; one already stored (an item handed in twice) is kept as it was. Returns rows added."""
    if not hits:
        return 0
    hits = list({(h.watchlist_id, h.item_id): h for h in hits}.values())  # an id handed in twice
    before = one(cur.execute("SELECT count(*) FROM watch_hits"))[0]
    cur.execute(  # one statement (executemany is a round trip per row)
        "INSERT INTO watch_hits SELECT unnest(?::INTEGER[]), unnest(?::VARCHAR[]), unnest(?::TIMESTAMP[]), ?, "
        "unnest(?::VARCHAR[][]), NULL ON CONFLICT DO NOTHING",
        [[h.watchlist_id for h in hits], [h.item_id for h in hits], [h.published_at for h in hits], now,
         [list(h.words) for h in hits]],
    )
    return int(one(cur.execute("SELECT count(*) FROM watch_hits"))[0] - before)


def unreported(cur: "duckdb.DuckDBPyConnection", watchlist_ids: Sequence[int], since: datetime) -> pd.DataFrame:
    """Hits of these watchlists not reported by an alert yet, published at or after `since`, oldest
    first: watchlist_id, item_id, published_at, words."""
    return cur.execute(
        "SELECT watchlist_id, item_id, published_at, words FROM watch_hits WHERE alert_id IS NULL "
        "AND watchlist_id IN (SELECT unnest(?::INTEGER[])) AND published_at >= ? "
        "ORDER BY watchlist_id, published_at, item_id",
        [[int(w) for w in watchlist_ids], since],
    ).df()


def open_alerts(cur: "duckdb.DuckDBPyConnection", watchlist_ids: Sequence[int],
                open_states: Sequence[str]) -> dict[int, str]:
    """watchlist id → its newest alert still open (hits arriving meanwhile are reported by it)."""
    keys = {watch_key(w): int(w) for w in watchlist_ids}
    rows = cur.execute(
        "SELECT story_id, arg_max(alert_id, seq) FROM alerts WHERE kind = 'watchlist' "
        "AND story_id IN (SELECT unnest(?::VARCHAR[])) AND status IN (SELECT unnest(?::VARCHAR[])) GROUP BY story_id",
        [list(keys), list(open_states)],
    ).fetchall()
    return {keys[k]: a for k, a in rows}


def alert_item_ids(cur: "duckdb.DuckDBPyConnection", alert_id: str) -> list[str]:
    """The items of every hit reported by this alert, oldest first (the alert's item list follows them)."""
    rows = cur.execute("SELECT item_id FROM watch_hits WHERE alert_id = ? GROUP BY item_id "
                       "ORDER BY min(published_at), item_id", [alert_id]).fetchall()
    return [r[0] for r in rows]


def watch_key(watchlist_id: int) -> str:
    """What a watchlist alert stores in alerts.story_id (so the review pages can link the two)."""
    return f"W{int(watchlist_id)}"


def mark_reported(cur: "duckdb.DuckDBPyConnection", marks: Sequence[tuple[int, str, str]]) -> None:
    """Record which alert reported each hit: (watchlist_id, item_id, alert_id) rows, in one statement."""
    if not marks:
        return
    cur.execute(
        """UPDATE watch_hits SET alert_id = m.alert_id
           FROM (SELECT unnest(?::INTEGER[]) AS wid, unnest(?::VARCHAR[]) AS iid, unnest(?::VARCHAR[]) AS alert_id) m
           WHERE watch_hits.watchlist_id = m.wid AND watch_hits.item_id = m.iid""",
        [[int(m[0]) for m in marks], [m[1] for m in marks], [m[2] for m in marks]],
    )


# --- the Theo dõi page ------------------------------------------------------------------------

def hit_counts(cur: "duckdb.DuckDBPyConnection", since: datetime, bucket: str = "day",
               offset_hours: int = 0) -> pd.DataFrame:
    """Hits per watchlist and `bucket` (day|hour) of the item's publication since `since`: watchlist_id,
    name, t, n (local buckets with `offset_hours`). Only items still stored: the ones Tin bài can list."""
    if bucket not in ("day", "hour"):
        raise ValueError(bucket)
    return cur.execute(f"""
        SELECT h.watchlist_id, w.name, date_trunc('{bucket}', i.published_at + INTERVAL ({int(offset_hours)}) HOUR) AS t,
               count(*) AS n
        FROM watch_hits h JOIN watchlists w ON w.id = h.watchlist_id JOIN items i ON i.id = h.item_id
        WHERE i.published_at >= ?
        GROUP BY ALL ORDER BY t, w.name
    """, [since]).df()


def hit_totals(cur: "duckdb.DuckDBPyConnection", since: datetime) -> dict[int, int]:
    return dict(cur.execute("SELECT watchlist_id, count(*) FROM watch_hits WHERE published_at >= ? GROUP BY ALL",
                            [since]).fetchall())


def recent_hits(cur: "duckdb.DuckDBPyConnection", watchlist_id: int, limit: int = 100) -> pd.DataFrame:
    """A watchlist's newest hits with the items' titles: item_id, published_at, outlet, title, url, words,
    alert_id. The title is the restored one for an item written without diacritics, as in every item list;
    the tags are read from the oldest shown hit's day on (TAG_SLACK), so item_tags is pruned, not scanned."""
    return cur.execute(f"""
        WITH h AS (
            SELECT h.item_id, h.published_at, h.words, h.alert_id, i.outlet, i.url, i.title, i.published_at AS p
            FROM watch_hits h JOIN items i ON i.id = h.item_id
            WHERE h.watchlist_id = ?
            ORDER BY h.published_at DESC, h.item_id LIMIT ?
        )
        SELECT h.item_id, h.published_at, h.outlet, {shown_title_sql("h.title", "t.title_restored")} AS title, h.url,
               h.words, h.alert_id
        FROM h LEFT JOIN item_tags t ON t.item_id = h.item_id AND t.tagged_at >= (SELECT min(p) FROM h) - ?
        ORDER BY h.published_at DESC, h.item_id
    """, [int(watchlist_id), int(limit), TAG_SLACK]).df()

