"""Retention: purge raw payloads and old items as configured, and log what was purged.

    raw payloads (item_raw)      older than retention.raw_payload_days (by fetched_at)
    items                        older than retention.items_days — both published and fetched before
                                 the cutoff (an archive imported today is not purged on arrival) —
                                 with every row of any table that has an `item_id` column
                                 (links, raw, full text, tags, collaborator reports, grouped
                                 story items…); the stories they touched are recounted, and a
                                 story left with no items is dropped (alerts keep their item lists)
    outbox (notifications)       rows done — sent, dropped, failed, partial — last touched (sent, last try)
                                 before retention.notify_days; pending and sending rows are never
                                 purged, however old
    notify_log                   send-log rows logged before retention.notify_days
    fetch_log                    one row per fetch (Nguồn tin's recent errors), started before
                                 retention.fetch_log_days, except the newest rows its readers show (fix33)
    retention_log                one row per kind of data purged: run_at, what, cutoff, rows, dry_run; a run
                                 a stop ended adds a "stopped" row (rows: the old items left for the next run)

The scheduler's job and `langnghe retention` purge items `retention.chunk_items` at a time, each chunk a
transaction that deletes its items whole and adds its counts to the run's log rows (`purge_items`,
`log_purged`): a stop between two chunks leaves nothing half deleted. `purge` does it all in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Sequence

from store.db import one
from store import search, stories
from vocab.labels import PURGES  # noqa: F401 (what a run purges, and each one's setting: kept in vocab so that
# `langnghe retention --help` names them without importing DuckDB)

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
    fetch_log_days: int | None = None,
    dry_run: bool = False,
) -> list[Purged]:
    """Purge (or, with dry_run, only count) and log, all in one transaction: call inside `Database.write()`.
    `notify_days` None keeps the notifications' outbox and send log, `fetch_log_days` None the fetch log. The
    scheduler's job and `langnghe retention` purge items in chunks instead, each its own transaction
    (orchestration.retention.run_retention)."""
    out: list[Purged] = []
    if notify_days is not None:
        out += purge_notify(cur, now - timedelta(days=notify_days), dry_run)
    if fetch_log_days is not None:
        out.append(purge_fetch_log(cur, now - timedelta(days=fetch_log_days), dry_run))
    out.append(purge_raw(cur, now - timedelta(days=raw_payload_days), dry_run))
    out += purge_items(cur, now, now - timedelta(days=items_days), dry_run=dry_run)
    for p in out:
        _log_row(cur, now, p, dry_run)
    return out


def purge_raw(cur: "duckdb.DuckDBPyConnection", cutoff: datetime, dry_run: bool = False) -> Purged:
    """Raw payloads fetched before `cutoff` (one statement: a payload is one row of one table)."""
    n_raw = one(cur.execute("SELECT count(*) FROM item_raw WHERE fetched_at < ?", [cutoff]))[0]
    if not dry_run and n_raw:
        cur.execute("DELETE FROM item_raw WHERE fetched_at < ?", [cutoff])
    return Purged("raw_payloads", cutoff, int(n_raw))


def _old_items(limit: int | None) -> str:
    return ("SELECT id FROM items WHERE published_at < ? AND fetched_at < ?"
            + ("" if limit is None else f" ORDER BY fetched_at, id LIMIT {int(limit)}"))


def count_old_items(cur: "duckdb.DuckDBPyConnection", cutoff: datetime) -> int:
    """Items both published and fetched before `cutoff`: what a stopped run left for the next one."""
    return int(one(cur.execute(f"SELECT count(*) FROM ({_old_items(None)})", [cutoff, cutoff]))[0])


def purge_items(cur: "duckdb.DuckDBPyConnection", now: datetime, cutoff: datetime, *, limit: int | None = None,
                dry_run: bool = False) -> list[Purged]:
    """Items both published and fetched before `cutoff` (at most `limit`, oldest fetched first), each whole in this
    transaction: its search postings, its row in every table with an `item_id` column, the item, the history of a
    case it took along; the stories it was grouped in recounted (`now`), a story left empty dropped. Why a limit:
    a first purge of a year of items was one transaction that a stop of serve could not end (round 20); in chunks
    each commits whole, so a stop between two leaves no item half deleted. The "items" row is always returned."""
    out: list[Purged] = []
    cur.execute(f"CREATE OR REPLACE TEMP TABLE _purge_ids AS {_old_items(limit)}", [cutoff, cutoff])
    n_items = one(cur.execute("SELECT count(*) FROM _purge_ids"))[0]
    tables = _item_tables(cur) if n_items else []
    touched: list[str] = []
    if "story_items" in tables:
        touched = [r[0] for r in cur.execute(
            "SELECT DISTINCT story_id FROM story_items WHERE item_id IN (SELECT id FROM _purge_ids)").fetchall()]
    if n_items:
        # the postings are keyed by doc number, not item_id: drop them while item_search still maps them
        n_post = search.forget(cur, "SELECT id FROM _purge_ids", dry_run=dry_run)
        if n_post:
            out.append(Purged("item_rows:search_postings", cutoff, n_post))
        for table in tables:
            q = f'FROM "{table}" WHERE item_id IN (SELECT id FROM _purge_ids)'
            n = one(cur.execute(f"SELECT count(*) {q}"))[0]
            if n:
                if not dry_run:
                    cur.execute(f"DELETE {q}")
                out.append(Purged(f"item_rows:{table}", cutoff, int(n)))
        if not dry_run:
            cur.execute("DELETE FROM items WHERE id IN (SELECT id FROM _purge_ids)")
            # a purged item took its case with it (cases.item_id); its history goes too
            cur.execute("DELETE FROM case_events WHERE case_id NOT IN (SELECT id FROM cases)")
    out.append(Purged("items", cutoff, int(n_items)))
    if touched:
        if dry_run:  # how many stories would be left with no items
            n_empty = _stories_emptied(cur)
        else:
            n_empty = stories.refresh_after_purge(cur, touched, now)
        out.append(Purged("stories", cutoff, n_empty))
    cur.execute("DROP TABLE IF EXISTS _purge_ids")
    return out


# the retention_log row of a run that a stop ended before every old item was purged: `rows` is how many were left
STOPPED = "stopped"


def log_purged(cur: "duckdb.DuckDBPyConnection", run_at: datetime, purged: Sequence[Purged], dry_run: bool) -> None:
    """Add `purged` to the run's rows in retention_log (one row per run and kind of data: a run in chunks adds each
    chunk's rows to the same row, in the chunk's own transaction, so the log says what was purged even when a stop
    or a crash ended the run)."""
    for p in purged:
        hit = cur.execute(
            "UPDATE retention_log SET rows = rows + ? WHERE run_at = ? AND what = ? AND dry_run = ? RETURNING id",
            [p.rows, run_at, p.what, dry_run]).fetchall()
        if not hit:
            _log_row(cur, run_at, p, dry_run)


def _log_row(cur: "duckdb.DuckDBPyConnection", run_at: datetime, p: Purged, dry_run: bool) -> None:
    cur.execute("INSERT INTO retention_log (run_at, what, cutoff, rows, dry_run) VALUES (?, ?, ?, ?, ?)",
                [run_at, p.what, p.cutoff, p.rows, dry_run])


_NOTIFY_PURGES = (  # (what, table, which rows): an outbox row still waiting (pending, sending) is never purged
    ("notify_outbox", "outbox",
     "status IN ('sent', 'dropped', 'failed', 'partial') "
     "AND greatest(created_at, coalesce(sent_at, next_attempt_at)) < ?"),
    ("notify_log", "notify_log", "logged_at < ?"),
)


def purge_notify(cur: "duckdb.DuckDBPyConnection", cutoff: datetime, dry_run: bool) -> list[Purged]:
    """Old outbox and send-log rows: without this a broken subscription's ~100 logged tries a day
    piled up for ever."""
    out = []
    for what, table, where in _NOTIFY_PURGES:
        n = int(one(cur.execute(f"SELECT count(*) FROM {table} WHERE {where}", [cutoff]))[0])
        if n and not dry_run:
            cur.execute(f"DELETE FROM {table} WHERE {where}", [cutoff])
        out.append(Purged(what, cutoff, n))
    return out


# fetch_log is the history of fetches, one row each (2.4 million a year at 68 sources every 15 minutes; until fix33
# never purged). What reads it: Nguồn tin's «lỗi gần đây» (store.dashboard.recent_errors: the newest errors, 30 on the
# page) and store.sources.recent_fetches (the newest 100). A source's last try, last success, failures in a row and
# health line, `langnghe status` and the stopped-server line read source_state since round 31 (its commit 0ede9f22),
# written in the same transaction, so they do not change when the log is trimmed. Rows older than the cutoff go, but
# never the newest rows those readers show, however old (a server stopped for months, then started: its retention
# run at start left the page's recent errors as they were).
FETCH_LOG_KEEP_LATEST = 100
FETCH_LOG_KEEP_ERRORS = 50
_FETCH_LOG_OLD = (
    "started_at < ? "
    f"AND id NOT IN (SELECT id FROM fetch_log ORDER BY started_at DESC, id DESC LIMIT {FETCH_LOG_KEEP_LATEST}) "
    f"AND id NOT IN (SELECT id FROM fetch_log WHERE outcome = 'error' ORDER BY started_at DESC, id DESC "
    f"LIMIT {FETCH_LOG_KEEP_ERRORS})")


def purge_fetch_log(cur: "duckdb.DuckDBPyConnection", cutoff: datetime, dry_run: bool = False) -> Purged:
    """Fetch-log rows of fetches started before `cutoff`, but the newest ones its readers show (one statement)."""
    n = int(one(cur.execute(f"SELECT count(*) FROM fetch_log WHERE {_FETCH_LOG_OLD}", [cutoff]))[0])
    if n and not dry_run:
        cur.execute(f"DELETE FROM fetch_log WHERE {_FETCH_LOG_OLD}", [cutoff])
    return Purged("fetch_log", cutoff, n)


def _stories_emptied(cur: "duckdb.DuckDBPyConnection") -> int:
    return int(one(cur.execute(
        """SELECT count(*) FROM (SELECT story_id FROM story_items GROUP BY story_id
                                 HAVING bool_and(item_id IN (SELECT id FROM _purge_ids)))"""
    ))[0])


def recent_log(cur: "duckdb.DuckDBPyConnection", limit: int = 50) -> list[dict[str, Any]]:
    rows = cur.execute(
        "SELECT run_at, what, cutoff, rows, dry_run FROM retention_log ORDER BY run_at DESC, id DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [dict(zip(("run_at", "what", "cutoff", "rows", "dry_run"), r)) for r in rows]


def last_run_at(cur: "duckdb.DuckDBPyConnection") -> datetime | None:
    """The last run that finished (a run a stop ended is not one: the daily job runs again at the next start)."""
    row = one(cur.execute(
        f"SELECT max(run_at) FROM retention_log WHERE NOT dry_run AND run_at NOT IN "
        f"(SELECT run_at FROM retention_log WHERE what = '{STOPPED}')"))
    return row[0] if row else None
