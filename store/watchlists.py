"""Watchlists (Theo dõi từ khóa): the SQL behind detection/watch.py and the Theo dõi page.

A watchlist is a named query in the search syntax, optionally narrowed by place, topic and source
type (store/migrations/080_watchlists.sql). New items are matched once, in the ingest path; each match
is a `watch_hits` row, and `alert_id` records which alert reported it, so a hit is reported once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Sequence

import pandas as pd

from store.dashboard import _effective_sql

if TYPE_CHECKING:
    import duckdb

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
    res = cur.execute(f"SELECT {', '.join(_COLS)} FROM watchlists {where} ORDER BY lower(name), id", list(params))
    return [dict(zip(_COLS, r)) for r in res.fetchall()]


def list_watchlists(cur: "duckdb.DuckDBPyConnection") -> list[dict[str, Any]]:
    return _rows(cur)


def active_watchlists(cur: "duckdb.DuckDBPyConnection") -> list[dict[str, Any]]:
    return _rows(cur, "WHERE active")


def get(cur: "duckdb.DuckDBPyConnection", watchlist_id: int) -> dict[str, Any] | None:
    rows = _rows(cur, "WHERE id = ?", [int(watchlist_id)])
    return rows[0] if rows else None


def name_taken(cur: "duckdb.DuckDBPyConnection", name: str, except_id: int | None = None) -> bool:
    row = cur.execute("SELECT count(*) FROM watchlists WHERE lower(name) = lower(?) AND id IS DISTINCT FROM ?",
                      [name, except_id]).fetchone()
    return bool(row[0])


def create(cur: "duckdb.DuckDBPyConnection", wl: dict[str, Any], by: str, now: datetime, active: bool = True) -> int:
    """Insert a watchlist (fields of EDITABLE); returns its id."""
    row = cur.execute(
        f"INSERT INTO watchlists ({', '.join(EDITABLE)}, active, created_by, created_at, updated_by, updated_at) "
        f"VALUES ({', '.join('?' * len(EDITABLE))}, ?, ?, ?, ?, ?) RETURNING id",
        [*(wl[k] for k in EDITABLE), active, by, now, by, now],
    ).fetchone()
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
    text (or ""), effective topics and places. `tagged_since` bounds the tags read (new items were
    tagged moments ago; an older tag is simply not seen)."""
    joins, sel = _effective_sql(cur, bounded=True)
    return cur.execute(f"""
        SELECT i.id, i.published_at, i.source_type, i.outlet, i.title, i.summary,
               coalesce(f.text, '') AS fulltext, {sel}
        FROM items i {joins}
        LEFT JOIN item_fulltext f ON f.item_id = i.id AND f.status = 'ok'
        WHERE i.id IN (SELECT unnest(?::VARCHAR[]))
    """, [tagged_since, list(ids)]).df()


def add_hits(cur: "duckdb.DuckDBPyConnection", hits: Sequence[Hit], now: datetime) -> int:
    """Store hits; one already stored (an item handed in twice) is kept as it was. Returns rows added."""
    if not hits:
        return 0
    before = cur.execute("SELECT count(*) FROM watch_hits").fetchone()[0]
    cur.executemany(
        "INSERT INTO watch_hits VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT DO NOTHING",
        [[h.watchlist_id, h.item_id, h.published_at, now, list(h.words)] for h in hits],
    )
    return int(cur.execute("SELECT count(*) FROM watch_hits").fetchone()[0] - before)


def unreported(cur: "duckdb.DuckDBPyConnection", watchlist_id: int, since: datetime) -> pd.DataFrame:
    """Hits of a watchlist not reported by an alert yet, published at or after `since`, oldest first."""
    return cur.execute(
        "SELECT item_id, published_at, words FROM watch_hits WHERE watchlist_id = ? AND alert_id IS NULL "
        "AND published_at >= ? ORDER BY published_at, item_id",
        [int(watchlist_id), since],
    ).df()


def open_alert(cur: "duckdb.DuckDBPyConnection", watchlist_id: int, open_states: Sequence[str]) -> str | None:
    """The watchlist's newest alert still open (hits arriving meanwhile are reported by it)."""
    row = cur.execute(
        "SELECT alert_id FROM alerts WHERE kind = 'watchlist' AND story_id = ? AND status IN "
        "(SELECT unnest(?::VARCHAR[])) ORDER BY seq DESC LIMIT 1",
        [watch_key(watchlist_id), list(open_states)],
    ).fetchone()
    return row[0] if row else None


def watch_key(watchlist_id: int) -> str:
    """What a watchlist alert stores in alerts.story_id (so the review pages can link the two)."""
    return f"W{int(watchlist_id)}"


def mark_reported(cur: "duckdb.DuckDBPyConnection", watchlist_id: int, item_ids: Sequence[str], alert_id: str) -> None:
    cur.execute(
        "UPDATE watch_hits SET alert_id = ? WHERE watchlist_id = ? AND item_id IN (SELECT unnest(?::VARCHAR[]))",
        [alert_id, int(watchlist_id), list(item_ids)],
    )


# --- the Theo dõi page ------------------------------------------------------------------------

def hit_counts(cur: "duckdb.DuckDBPyConnection", since: datetime, bucket: str = "day") -> pd.DataFrame:
    """Hits per watchlist and `bucket` (day|hour) of publication since `since`: name, t, n."""
    if bucket not in ("day", "hour"):
        raise ValueError(bucket)
    return cur.execute(f"""
        SELECT w.name, date_trunc('{bucket}', h.published_at) AS t, count(*) AS n
        FROM watch_hits h JOIN watchlists w ON w.id = h.watchlist_id
        WHERE h.published_at >= ?
        GROUP BY ALL ORDER BY t, w.name
    """, [since]).df()


def hit_totals(cur: "duckdb.DuckDBPyConnection", since: datetime) -> dict[int, int]:
    return dict(cur.execute("SELECT watchlist_id, count(*) FROM watch_hits WHERE published_at >= ? GROUP BY ALL",
                            [since]).fetchall())


def recent_hits(cur: "duckdb.DuckDBPyConnection", watchlist_id: int, limit: int = 100) -> pd.DataFrame:
    """A watchlist's newest hits with the items' titles: item_id, published_at, outlet, title, url, words,
    alert_id."""
    return cur.execute("""
        SELECT h.item_id, h.published_at, i.outlet, i.title, i.url, h.words, h.alert_id
        FROM watch_hits h JOIN items i ON i.id = h.item_id
        WHERE h.watchlist_id = ?
        ORDER BY h.published_at DESC, h.item_id LIMIT ?
    """, [int(watchlist_id), int(limit)]).df()

