"""Retention: purge raw payloads and old items as configured, and log what was purged.

    raw payloads (item_raw)      older than retention.raw_payload_days (by fetched_at)
    items                        older than retention.items_days — both published and fetched before
                                 the cutoff (an archive imported today is not purged on arrival) —
                                 with every row of any table that has an `item_id` column
                                 (links, raw, full text, tags, collaborator reports, grouped
                                 story items…); the stories they touched are recounted, and a
                                 story left with no items is dropped (alerts keep their item lists)
    outbox (notifications)       rows done — sent, dropped, failed — last touched (sent, last try)
                                 before retention.notify_days; pending and sending rows are never
                                 purged, however old
    notify_log                   send-log rows logged before retention.notify_days
    retention_log                one row per kind of data purged: run_at, what, cutoff, rows, dry_run
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from store import search, stories

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class Purged:
    what: str
    cutoff: datetime
    rows: int


def _item_tables(cur: "duckdb.DuckDBPyConnection") -> list[str]:
    rows = cur.execute(
        """
        SELECT DISTINCT table_name FROM information_schema.columns
        WHERE column_name = 'item_id' AND table_schema = current_schema()
          AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')
        ORDER BY table_name
        """
    ).fetchall()
    return [r[0] for r in rows]


def purge(
    cur: "duckdb.DuckDBPyConnection",
    now: datetime,
    *,
    raw_payload_days: int,
    items_days: int,
    notify_days: int | None = None,
    dry_run: bool = False,
) -> list[Purged]:
    """Purge (or, with dry_run, only count) and log. Call inside `Database.write()`. `notify_days` None
    keeps the notifications' outbox and send log."""
    out: list[Purged] = []
    if notify_days is not None:
        out += _purge_notify(cur, now - timedelta(days=notify_days), dry_run)
    raw_cut = now - timedelta(days=raw_payload_days)
    n_raw = cur.execute("SELECT count(*) FROM item_raw WHERE fetched_at < ?", [raw_cut]).fetchone()[0]
    if not dry_run and n_raw:
        cur.execute("DELETE FROM item_raw WHERE fetched_at < ?", [raw_cut])
    out.append(Purged("raw_payloads", raw_cut, int(n_raw)))

    item_cut = now - timedelta(days=items_days)
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _purge_ids AS SELECT id FROM items WHERE published_at < ? AND fetched_at < ?",
        [item_cut, item_cut],
    )
    n_items = cur.execute("SELECT count(*) FROM _purge_ids").fetchone()[0]
    tables = _item_tables(cur) if n_items else []
    touched: list[str] = []
    if "story_items" in tables:
        touched = [r[0] for r in cur.execute(
            "SELECT DISTINCT story_id FROM story_items WHERE item_id IN (SELECT id FROM _purge_ids)").fetchall()]
    if n_items:
        # the postings are keyed by doc number, not item_id: drop them while item_search still maps them
        n_post = search.forget(cur, "SELECT id FROM _purge_ids", dry_run=dry_run)
        if n_post:
            out.append(Purged("item_rows:search_postings", item_cut, n_post))
        for table in tables:
            q = f'FROM "{table}" WHERE item_id IN (SELECT id FROM _purge_ids)'
            n = cur.execute(f"SELECT count(*) {q}").fetchone()[0]
            if n:
                if not dry_run:
                    cur.execute(f"DELETE {q}")
                out.append(Purged(f"item_rows:{table}", item_cut, int(n)))
        if not dry_run:
            cur.execute("DELETE FROM items WHERE id IN (SELECT id FROM _purge_ids)")
            # a purged item took its case with it (cases.item_id); its history goes too
            cur.execute("DELETE FROM case_events WHERE case_id NOT IN (SELECT id FROM cases)")
    out.append(Purged("items", item_cut, int(n_items)))
    if touched:
        if dry_run:  # how many stories would be left with no items
            n_empty = _stories_emptied(cur)
        else:
            n_empty = stories.refresh_after_purge(cur, touched, now)
        out.append(Purged("stories", item_cut, n_empty))
    cur.execute("DROP TABLE IF EXISTS _purge_ids")
    for p in out:
        cur.execute(
            "INSERT INTO retention_log (run_at, what, cutoff, rows, dry_run) VALUES (?, ?, ?, ?, ?)",
            [now, p.what, p.cutoff, p.rows, dry_run],
        )
    return out


_NOTIFY_PURGES = (  # (what, table, which rows): an outbox row still waiting (pending, sending) is never purged
    ("notify_outbox", "outbox",
     "status IN ('sent', 'dropped', 'failed') AND greatest(created_at, coalesce(sent_at, next_attempt_at)) < ?"),
    ("notify_log", "notify_log", "logged_at < ?"),
)


def _purge_notify(cur: "duckdb.DuckDBPyConnection", cutoff: datetime, dry_run: bool) -> list[Purged]:
    """Old outbox and send-log rows: without this a broken subscription's ~100 logged tries a day
    piled up for ever."""
    out = []
    for what, table, where in _NOTIFY_PURGES:
        n = int(cur.execute(f"SELECT count(*) FROM {table} WHERE {where}", [cutoff]).fetchone()[0])
        if n and not dry_run:
            cur.execute(f"DELETE FROM {table} WHERE {where}", [cutoff])
        out.append(Purged(what, cutoff, n))
    return out


def _stories_emptied(cur: "duckdb.DuckDBPyConnection") -> int:
    return int(cur.execute(
        """SELECT count(*) FROM (SELECT story_id FROM story_items GROUP BY story_id
                                 HAVING bool_and(item_id IN (SELECT id FROM _purge_ids)))"""
    ).fetchone()[0])


def recent_log(cur: "duckdb.DuckDBPyConnection", limit: int = 50) -> list[dict[str, Any]]:
    rows = cur.execute(
        "SELECT run_at, what, cutoff, rows, dry_run FROM retention_log ORDER BY run_at DESC, id DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [dict(zip(("run_at", "what", "cutoff", "rows", "dry_run"), r)) for r in rows]


def last_run_at(cur: "duckdb.DuckDBPyConnection") -> datetime | None:
    row = cur.execute("SELECT max(run_at) FROM retention_log WHERE NOT dry_run").fetchone()
    return row[0] if row else None
