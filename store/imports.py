"""Import runs: one log row per file imported (what was read, what was new, why rows were skipped).

A run is written in chunks: `start_import` creates the row (status 'running'), `import_progress` updates
it inside each chunk's transaction (so it always matches what was committed), `finish_import` records
how it ended: 'done', 'interrupted' (Ctrl-C) or 'error' (with the message). A run whose process was killed never
got that far: `end_abandoned` marks its row interrupted when the next import or `serve` starts (fix34).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, Collection, Mapping

from store.db import one

if TYPE_CHECKING:
    import duckdb


def log_import(
    cur: "duckdb.DuckDBPyConnection",
    *,
    now: datetime,
    file_name: str,
    file_sha1: str,
    source: str,
    mapping: Mapping[str, str],
    rows_read: int,
    items_new: int,
    skipped: Mapping[str, int],
) -> None:
    cur.execute(
        """
        INSERT INTO import_log (run_at, file_name, file_sha1, source, mapping, rows_read, items_new, skipped)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [now, file_name, file_sha1, source, json.dumps(dict(mapping), ensure_ascii=False), rows_read, items_new,
         json.dumps(dict(skipped), ensure_ascii=False)],
    )


def start_import(cur: "duckdb.DuckDBPyConnection", *, now: datetime, file_name: str, file_sha1: str,
                 source: str, mapping: Mapping[str, str]) -> int:
    """The log row of a run about to write; its id for the updates."""
    return int(one(cur.execute(
        """
        INSERT INTO import_log (run_at, file_name, file_sha1, source, mapping, rows_read, items_new, skipped, status)
        VALUES (?, ?, ?, ?, ?, 0, 0, '{}', 'running') RETURNING id
        """,
        [now, file_name, file_sha1, source, json.dumps(dict(mapping), ensure_ascii=False)],
    ))[0])


def import_progress(cur: "duckdb.DuckDBPyConnection", log_id: int, *, rows_read: int, items_new: int,
                    skipped: Mapping[str, int]) -> None:
    """Totals so far; call in the transaction that commits the chunk they count."""
    cur.execute("UPDATE import_log SET rows_read = ?, items_new = ?, skipped = ? WHERE id = ?",
                [rows_read, items_new, json.dumps(dict(skipped), ensure_ascii=False), log_id])


def finish_import(cur: "duckdb.DuckDBPyConnection", log_id: int, *, status: str, now: datetime,
                  error: str | None = None) -> None:
    if status not in ("done", "interrupted", "error"):
        raise ValueError(status)
    cur.execute("UPDATE import_log SET status = ?, error = ?, finished_at = ? WHERE id = ?",
                [status, error, now, log_id])


def end_abandoned(cur: "duckdb.DuckDBPyConnection", *, keep: Collection[int], error: str) -> int:
    """Mark 'interrupted', with `error`, every 'running' row but those in `keep` (the runs this process is writing);
    how many. Only the process that holds the database for writing calls it, and only that process can write an
    import into it: a 'running' row it is not writing is one whose process died (SIGKILL, a power cut).
    finished_at stays empty: when it died is not known."""
    ids = [r[0] for r in cur.execute("SELECT id FROM import_log WHERE status = 'running'").fetchall()
           if r[0] not in keep]
    if ids:
        cur.execute("UPDATE import_log SET status = 'interrupted', error = ? WHERE id IN (SELECT unnest(?))",
                    [error, ids])
    return len(ids)


def import_run(cur: "duckdb.DuckDBPyConnection", log_id: int) -> dict[str, Any]:
    """One run's row (tests and the CLI summary)."""
    cols = ("id", "file_name", "source", "rows_read", "items_new", "skipped", "status", "error", "finished_at")
    row = one(cur.execute(f"SELECT {', '.join(cols)} FROM import_log WHERE id = ?", [log_id]))
    d = dict(zip(cols, row))
    d["skipped"] = json.loads(d["skipped"] or "{}")
    return d


def recent_imports(cur: "duckdb.DuckDBPyConnection", limit: int = 20) -> list[dict[str, Any]]:
    rows = cur.execute(
        "SELECT run_at, file_name, source, rows_read, items_new, skipped, status, error FROM import_log "
        "ORDER BY run_at DESC, id DESC LIMIT ?",
        [limit],
    ).fetchall()
    out = []
    for r in rows:
        d = dict(zip(("run_at", "file_name", "source", "rows_read", "items_new", "skipped", "status", "error"), r))
        d["skipped"] = json.loads(d["skipped"] or "{}")
        out.append(d)
    return out
