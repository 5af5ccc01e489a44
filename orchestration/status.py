"""The figures `langnghe status --json` prints and other checks read.

Reads the live database if it is free, otherwise the snapshot `serve` publishes, and says which.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from vocab.config import Config
from store import items as store_items
from store import sources as store_sources
from store.db import Database, DatabaseLocked, utcnow


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat(timespec="seconds") + "Z" if dt else None


def collect_status(cfg: Config, db: Database | None = None) -> dict[str, Any]:
    now = utcnow()
    origin = "database"
    note = None
    own = db is None
    if db is None:
        if not os.path.exists(cfg.storage.db_path):
            return {
                "db_path": cfg.storage.db_path, "origin": "none", "items": 0, "last_collection_at": None,
                "sources": [], "note": "chưa có cơ sở dữ liệu: chạy `langnghe init-db` hoặc `langnghe serve`",
            }
        try:
            db = Database(cfg.storage.db_path)
        except DatabaseLocked:
            if not os.path.exists(cfg.storage.snapshot_path):
                raise
            db = Database(cfg.storage.snapshot_path, read_only=True)
            origin = "snapshot"
            note = f"dữ liệu từ bản chụp {cfg.storage.snapshot_path} (serve đang giữ cơ sở dữ liệu)"
    try:
        with db.read() as cur:
            totals = store_items.totals(cur, now)
            health = store_sources.health(cur, cfg.sources, now)
            last = store_sources.last_collection_at(cur)
    finally:
        if own:
            db.close()
    for row in health:
        for k, v in list(row.items()):
            if isinstance(v, datetime):
                row[k] = _iso(v)
    out: dict[str, Any] = {
        "db_path": cfg.storage.db_path,
        "origin": origin,
        "generated_at": _iso(now),
        "items": totals["items"],
        "items_last_24h": totals["last_24h"],
        "items_by_source_type": {"press": totals["press"], "social": totals["social"]},
        "outlets": totals["outlets"],
        "last_collection_at": _iso(last),
        "sources_failing": sum(1 for r in health if r["status"] in ("error", "failing")),
        "sources": health,
    }
    if note:
        out["note"] = note
    return out
