"""Import runs: one log row per file imported (what was read, what was new, why rows were skipped)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, Mapping

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


def recent_imports(cur: "duckdb.DuckDBPyConnection", limit: int = 20) -> list[dict[str, Any]]:
    rows = cur.execute(
        "SELECT run_at, file_name, source, rows_read, items_new, skipped FROM import_log "
        "ORDER BY run_at DESC, id DESC LIMIT ?",
        [limit],
    ).fetchall()
    out = []
    for r in rows:
        d = dict(zip(("run_at", "file_name", "source", "rows_read", "items_new", "skipped"), r))
        d["skipped"] = json.loads(d["skipped"] or "{}")
        out.append(d)
    return out
