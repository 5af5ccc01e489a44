"""Items: idempotent batch insert and the read queries pages and commands use.

An item is one story text at one canonical URL. A batch is written in one transaction through
Arrow, so a crash mid-batch leaves nothing half-written, and a re-run after a crash inserts each
item exactly once: a row is new only if neither its canonical URL nor its content hash exists.
"""

from __future__ import annotations


import os
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any, Sequence

import pyarrow as pa

from store import search

if TYPE_CHECKING:
    import duckdb

    from collectors.base import Item


_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("source", pa.string()),
        ("collector", pa.string()),
        ("source_type", pa.string()),
        ("outlet", pa.string()),
        ("url", pa.string()),
        ("canonical_url", pa.string()),
        ("title", pa.string()),
        ("summary", pa.string()),
        ("published_at", pa.timestamp("us")),
        ("published_estimated", pa.bool_()),
        ("fetched_at", pa.timestamp("us")),
        ("content_hash", pa.string()),
        ("guid", pa.string()),
        ("author", pa.string()),
        ("flags", pa.list_(pa.string())),
        ("ord", pa.int32()),
    ]
)


def _dedupe(items: Sequence["Item"]) -> list["Item"]:
    """Within one batch keep the first of each canonical URL and of each content hash."""
    seen_url: set[str] = set()
    seen_hash: set[str] = set()
    out = []
    for it in items:
        if it.canonical_url in seen_url or it.content_hash in seen_hash:
            continue
        seen_url.add(it.canonical_url)
        seen_hash.add(it.content_hash)
        out.append(it)
    return out


def _to_arrow(items: Sequence["Item"]) -> pa.Table:
    cols: dict[str, list[Any]] = {name: [] for name in _SCHEMA.names}
    for i, it in enumerate(items):
        for name in _SCHEMA.names:
            if name == "ord":
                cols[name].append(i)
            elif name == "flags":
                cols[name].append(list(it.flags))
            else:
                cols[name].append(getattr(it, name))
    return pa.table(cols, schema=_SCHEMA)


def insert_items(cur: "duckdb.DuckDBPyConnection", items: Sequence["Item"]) -> list[str]:
    """Insert new items and link every sighting; return the ids of items that are new.

    Call inside `Database.write()`. Safe to repeat: existing URLs or content hashes only add links.
    """
    if not items:
        return []
    all_rows = _to_arrow(items)
    unique = _to_arrow(_dedupe(items))
    cur.register("_batch_all", all_rows)
    cur.register("_batch", unique)
    try:
        new_ids = [
            r[0]
            for r in cur.execute(
                """
                INSERT INTO items (id, canonical_url, url, content_hash, source, collector, source_type,
                                   outlet, title, summary, author, guid, published_at, published_estimated,
                                   fetched_at, flags)
                SELECT b.id, b.canonical_url, b.url, b.content_hash, b.source, b.collector, b.source_type,
                       b.outlet, b.title, b.summary, b.author, b.guid, b.published_at, b.published_estimated,
                       b.fetched_at, b.flags
                FROM _batch b
                WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.canonical_url = b.canonical_url)
                  AND NOT EXISTS (SELECT 1 FROM items i WHERE i.content_hash = b.content_hash)
                ORDER BY b.ord
                RETURNING id
                """
            ).fetchall()
        ]
        _fault_point("items_inserted")
        # Link every sighting (also duplicates inside the batch) to the item that holds its URL or text.
        cur.execute(
            """
            INSERT INTO item_links (item_id, source, url, seen_at)
            SELECT item_id, source, arg_min(url, ord), min(fetched_at)
            FROM (
                SELECT coalesce(
                           (SELECT i.id FROM items i WHERE i.canonical_url = b.canonical_url),
                           (SELECT min(i.id) FROM items i WHERE i.content_hash = b.content_hash)
                       ) AS item_id,
                       b.source, b.url, b.fetched_at, b.ord
                FROM _batch_all b
            )
            WHERE item_id IS NOT NULL
            GROUP BY item_id, source
            ON CONFLICT DO NOTHING
            """
        )
        raws = [(it.id, it.fetched_at, it.raw) for it in items if it.raw is not None and it.id in set(new_ids)]
        if raws:
            cur.register(
                "_raw",
                pa.table(
                    {
                        "item_id": [r[0] for r in raws],
                        "fetched_at": [r[1] for r in raws],
                        "payload": [r[2] for r in raws],
                    }
                ),
            )
            cur.execute("INSERT INTO item_raw SELECT item_id, fetched_at, payload FROM _raw ON CONFLICT DO NOTHING")
            cur.unregister("_raw")
    finally:
        cur.unregister("_batch")
        cur.unregister("_batch_all")
    search.index_items(cur, new_ids)  # same transaction: a stored item is always searchable
    return new_ids


_fault_hits: dict[str, int] = {}


def _fault_point(name: str) -> None:
    """Crash-test hook: with LANGNGHE_FAULTPOINT=name:N:/path, the N-th time execution passes here it
    touches /path and stalls mid-transaction, so a test can SIGKILL the process there. Inert otherwise."""
    spec = os.environ.get("LANGNGHE_FAULTPOINT")
    if not spec:
        return
    point, nth, marker = spec.split(":", 2)
    if point != name:
        return
    _fault_hits[name] = _fault_hits.get(name, 0) + 1
    if _fault_hits[name] == int(nth):
        with open(marker, "a") as fh:
            fh.write("hit\n")
        time.sleep(120)


def count_items(cur: "duckdb.DuckDBPyConnection") -> int:
    return int(cur.execute("SELECT count(*) FROM items").fetchone()[0])


def latest_items(cur: "duckdb.DuckDBPyConnection", limit: int = 50) -> "Any":
    """Newest items first, as a DataFrame (title, outlet, source_type, published_at, url…)."""
    return cur.execute(
        """
        SELECT i.id, i.published_at, i.outlet, i.source_type, i.title, i.summary, i.url,
               i.published_estimated, (SELECT count(*) FROM item_links l WHERE l.item_id = i.id) AS n_sources
        FROM items i
        ORDER BY i.published_at DESC, i.id
        LIMIT ?
        """,
        [limit],
    ).df()


def items_over_time(cur: "duckdb.DuckDBPyConnection", since: datetime, bucket: str = "hour") -> "Any":
    """Item counts per time bucket and outlet since `since` (bucket: 'hour' or 'day')."""
    if bucket not in ("hour", "day"):
        raise ValueError(bucket)
    return cur.execute(
        f"""
        SELECT date_trunc('{bucket}', published_at) AS bucket, outlet, count(*) AS n
        FROM items WHERE published_at >= ?
        GROUP BY ALL ORDER BY bucket
        """,
        [since],
    ).df()


def totals(cur: "duckdb.DuckDBPyConnection", now: datetime) -> dict[str, int]:
    row = cur.execute(
        """
        SELECT count(*),
               count(*) FILTER (WHERE published_at >= ? - INTERVAL 24 HOUR),
               count(*) FILTER (WHERE source_type = 'press'),
               count(*) FILTER (WHERE source_type = 'social'),
               count(DISTINCT outlet)
        FROM items
        """,
        [now],
    ).fetchone()
    return {"items": row[0], "last_24h": row[1], "press": row[2], "social": row[3], "outlets": row[4]}


def item_ids(cur: "duckdb.DuckDBPyConnection") -> list[str]:
    return [r[0] for r in cur.execute("SELECT id FROM items ORDER BY id").fetchall()]


def link_counts(cur: "duckdb.DuckDBPyConnection") -> dict[str, int]:
    """Sightings per source (how many items each source carried)."""
    return dict(cur.execute("SELECT source, count(*) FROM item_links GROUP BY source").fetchall())
