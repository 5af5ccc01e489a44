"""Items: idempotent batch insert and the read queries pages and commands use.

An item is one story text at one canonical URL. A batch is written in one transaction through
Arrow, so a crash mid-batch leaves nothing half-written, and a re-run after a crash inserts each
item exactly once: a row is new only if neither its canonical URL nor its content hash exists.
Work is linear in the batch size (set lookups, set-based SQL), so one 100k-item feed is fine.

`store_batch` writes a huge batch as several such transactions of `storage.write_chunk_items` items,
so the write lock is let go between chunks, progress can be shown and a stop request (Ctrl-C) ends the
write cleanly between two chunks, keeping what was committed. Titles and texts longer than
`storage.max_title_chars` / `max_text_chars` are cut before they are stored; the item gets a
`cut:title` / `cut:text` flag and `item_cuts` counts them per source (shown on source health).
"""

from __future__ import annotations


import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Callable, Sequence

from store.db import one, utcnow
from store import search
from store.faults import fault_point

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from vocab.item import Item
    from store.db import Database


@dataclass(frozen=True)
class LengthCaps:
    """Longest title and text (summary) stored, in characters; defaults = langnghe.toml [storage]."""

    title_chars: int = 1_000
    text_chars: int = 50_000


def cap_lengths(items: Sequence["Item"], caps: LengthCaps) -> tuple[list["Item"], int]:
    """Cut over-long titles and texts, flagging each cut item `cut:title` / `cut:text`.
    Returns the items and how many were cut."""
    out: list["Item"] = []
    n_cut = 0
    for it in items:
        flags = [f"cut:{fld}" for attr, fld, limit in (("title", "title", caps.title_chars),
                                                       ("summary", "text", caps.text_chars))
                 if len(getattr(it, attr) or "") > limit]
        if flags:
            n_cut += 1
            it = replace(it, title=it.title[:caps.title_chars], summary=it.summary[:caps.text_chars],
                         flags=tuple(it.flags) + tuple(flags))
        out.append(it)
    return out, n_cut


@cache
def _schema() -> pa.Schema:
    """Built on first use: pyarrow (~0.2 s of CPU with numpy) loads only in a process that writes these rows."""
    import pyarrow as pa

    return pa.schema(
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
    import pyarrow as pa

    schema = _schema()
    cols: dict[str, list[Any]] = {name: [] for name in schema.names}
    for i, it in enumerate(items):
        for name in schema.names:
            if name == "ord":
                cols[name].append(i)
            elif name == "flags":
                cols[name].append(list(it.flags))
            else:
                cols[name].append(getattr(it, name))
    return pa.table(cols, schema=schema)


def insert_items(
    cur: "duckdb.DuckDBPyConnection", items: Sequence["Item"], caps: LengthCaps | None = None
) -> list[str]:
    """Insert new items and link every sighting; return the ids of items that are new.

    Call inside `Database.write()`. Safe to repeat: existing URLs or content hashes only add links.
    Over-long titles and texts are cut to `caps` (the defaults when None) and counted in `item_cuts`.
    """
    if not items:
        return []
    items, n_cut = cap_lengths(items, caps or LengthCaps())
    all_rows = _to_arrow(items)
    unique = _to_arrow(_dedupe(items))
    cur.register("_batch_all", all_rows)
    cur.register("_batch", unique)
    try:
        new_ids = _insert_new(cur)
        fault_point("items_inserted")
        _link_sightings(cur)
        new_set = set(new_ids)  # built once: a per-item set made every batch quadratic
        _save_raws(cur, items, new_set)
        if n_cut:
            _count_cuts(cur, items, new_set)
    finally:
        cur.unregister("_batch")
        cur.unregister("_batch_all")
    search.index_items(cur, new_ids)  # same transaction: a stored item is always searchable
    fault_point("items_indexed")  # a large batch has written its row groups to the file by now, uncommitted
    return new_ids


def _insert_new(cur: "duckdb.DuckDBPyConnection") -> list[str]:
    """Insert the rows of `_batch` whose URL and text are not stored yet; their ids in batch order."""
    return [
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


def _link_sightings(cur: "duckdb.DuckDBPyConnection") -> None:
    """Link every sighting of `_batch_all` (also duplicates inside the batch) to the item that holds its
    URL or text: one link per item and source, the first URL, the earliest time."""
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


def _save_raws(cur: "duckdb.DuckDBPyConnection", items: Sequence["Item"], new_set: set[str]) -> None:
    """The raw entries of the new items (provenance; purged by retention), in one insert."""
    import pyarrow as pa

    raws = [(it.id, it.fetched_at, it.raw) for it in items if it.raw is not None and it.id in new_set]
    if not raws:
        return
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


_BULK_COLS = ("id, canonical_url, url, content_hash, source, collector, source_type, outlet, title, summary, "
              "author, guid, published_at, published_estimated, fetched_at")


def bulk_load_arrow(cur: "duckdb.DuckDBPyConnection", items: pa.Table, links: pa.Table | None = None) -> int:
    """The bulk path for generators and imports of trusted data: append `items` (an Arrow table with the
    item columns, `flags` optional) and one `item_links` sighting per item, plus the extra sightings in
    `links` (item_id, source, url, seen_at). Returns the number of items.

    Unlike `insert_items` there is no dedupe, no length caps and no raw payloads: the caller guarantees
    new, unique, well-formed rows (a duplicate id or canonical URL fails the transaction). It is one
    `INSERT … SELECT` per table, fast enough to load a million items. Call inside `Database.write()`.
    """
    if items.num_rows == 0:
        return 0
    flags = "flags" if "flags" in items.column_names else "[]::VARCHAR[]"
    cur.register("_bulk_items", items)
    try:
        cur.execute(f"INSERT INTO items ({_BULK_COLS}, flags) SELECT {_BULK_COLS}, {flags} FROM _bulk_items")
        cur.execute("INSERT INTO item_links (item_id, source, url, seen_at) SELECT id, source, url, fetched_at "
                    "FROM _bulk_items ON CONFLICT DO NOTHING")
    finally:
        cur.unregister("_bulk_items")
    if links is not None and links.num_rows:
        cur.register("_bulk_links", links)
        try:
            cur.execute("INSERT INTO item_links (item_id, source, url, seen_at) SELECT item_id, source, url, seen_at "
                        "FROM _bulk_links ON CONFLICT DO NOTHING")
        finally:
            cur.unregister("_bulk_links")
    return items.num_rows


def _count_cuts(cur: "duckdb.DuckDBPyConnection", items: Sequence["Item"], new_ids: set[str]) -> None:
    """Add the stored (new) items that were cut to the per-source counters, in the batch's transaction."""
    tally: Counter[tuple[str, str]] = Counter()
    for it in items:
        if it.id in new_ids:
            for flag in it.flags:
                if flag.startswith("cut:"):
                    tally[(it.source, flag[4:])] += 1
    for (source, fld), n in tally.items():
        cur.execute(
            """
            INSERT INTO item_cuts (source, field, items, last_cut_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (source, field) DO UPDATE SET items = item_cuts.items + excluded.items,
                                                      last_cut_at = excluded.last_cut_at
            """,
            [source, fld, n, utcnow()],
        )


def cut_counts(cur: "duckdb.DuckDBPyConnection") -> dict[str, dict[str, int]]:
    """Items stored with a cut title or text, per source: {source: {"title": n, "text": n}}."""
    out: dict[str, dict[str, int]] = {}
    for source, fld, n in cur.execute("SELECT source, field, items FROM item_cuts").fetchall():
        out.setdefault(source, {})[fld] = int(n)
    return out


@dataclass
class StoreResult:
    """What `store_batch` wrote: the new ids in batch order, and how far it got."""

    new_ids: list[str] = field(default_factory=list)
    written: int = 0        # items of the batch whose chunk was committed
    total: int = 0
    chunks: int = 0
    interrupted: bool = False  # a stop request ended the write between two chunks


def store_batch(
    db: "Database",
    items: Sequence["Item"],
    *,
    chunk_items: int,
    caps: LengthCaps | None = None,
    finish: Callable[["duckdb.DuckDBPyConnection", list[str]], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    stop: threading.Event | None = None,
) -> StoreResult:
    """Write `items` in transactions of at most `chunk_items` (0: one transaction).

    `finish(cur, all_new_ids)` runs inside the last chunk's transaction (a source's health and ETag
    must not run ahead of its items); it is not called when `stop` ends the write early. `progress(done,
    total)` is called after each committed chunk. Items repeated across chunks link like they would in
    one transaction, because each chunk sees the ones committed before it.
    """
    total = len(items)
    size = chunk_items if chunk_items > 0 else max(total, 1)
    res = StoreResult(total=total)
    for start in range(0, max(total, 1), size):
        if stop is not None and stop.is_set():
            res.interrupted = True
            break
        chunk = items[start:start + size]
        last = start + size >= total
        with db.write() as cur:
            new = insert_items(cur, chunk, caps)
            if last and finish is not None:
                finish(cur, res.new_ids + new)
        res.new_ids.extend(new)
        res.written += len(chunk)
        res.chunks += 1
        if progress is not None:
            progress(res.written, total)
    return res


def count_items(cur: "duckdb.DuckDBPyConnection") -> int:
    return int(one(cur.execute("SELECT count(*) FROM items"))[0])


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


def items_over_time(cur: "duckdb.DuckDBPyConnection", since: datetime, bucket: str = "hour",
                    offset_hours: int = 0) -> "Any":
    """Item counts per time bucket and outlet since `since` (bucket: 'hour' or 'day'; local buckets with
    `offset_hours`, so a day is the day staff see and Tin bài filters)."""
    if bucket not in ("hour", "day"):
        raise ValueError(bucket)
    return cur.execute(
        f"""
        SELECT date_trunc('{bucket}', published_at + INTERVAL ({int(offset_hours)}) HOUR) AS bucket, outlet,
               count(*) AS n
        FROM items WHERE published_at >= ?
        GROUP BY ALL ORDER BY bucket
        """,
        [since],
    ).df()


def totals(cur: "duckdb.DuckDBPyConnection", now: datetime) -> dict[str, int]:
    row = one(cur.execute(
        """
        SELECT count(*),
               count(*) FILTER (WHERE published_at >= ? - INTERVAL 24 HOUR),
               count(*) FILTER (WHERE source_type = 'press'),
               count(*) FILTER (WHERE source_type = 'social'),
               count(DISTINCT outlet),
               count(*) FILTER (WHERE source_type = 'ctv')
        FROM items
        """,
        [now],
    ))
    return {"items": row[0], "last_24h": row[1], "press": row[2], "social": row[3], "outlets": row[4],
            "ctv": row[5]}


def item_ids(cur: "duckdb.DuckDBPyConnection") -> list[str]:
    return [r[0] for r in cur.execute("SELECT id FROM items ORDER BY id").fetchall()]


def link_counts(cur: "duckdb.DuckDBPyConnection") -> dict[str, int]:
    """Sightings per source (how many items each source carried)."""
    return dict(cur.execute("SELECT source, count(*) FROM item_links GROUP BY source").fetchall())



def stored_texts(cur: "duckdb.DuckDBPyConnection", canonical_urls: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The stored id, title, summary and author per canonical URL, for those of `canonical_urls` that
    are stored (the repair of garbled text compares them with a refetch)."""
    if not canonical_urls:
        return {}
    rows = cur.execute(
        "SELECT canonical_url, id, title, summary, author FROM items "
        "WHERE canonical_url IN (SELECT unnest(?::VARCHAR[]))",
        [list(dict.fromkeys(canonical_urls))],
    ).fetchall()
    return {r[0]: {"id": r[1], "title": r[2], "summary": r[3], "author": r[4]} for r in rows}


def has_garbled(cur: "duckdb.DuckDBPyConnection", source: str) -> bool:
    """Whether any stored item of `source` holds U+FFFD in its title or summary: an import asks once, and only
    then looks for garbled rows by time and text chunk by chunk (`garbled_of_source`), instead of scanning the
    source's texts for every chunk of an ordinary import."""
    return bool(cur.execute(
        "SELECT EXISTS (SELECT 1 FROM items WHERE source = ? "
        "AND (contains(title, '\ufffd') OR contains(summary, '\ufffd')))", [source]).fetchall()[0][0])


def garbled_of_source(cur: "duckdb.DuckDBPyConnection", source: str, published: Sequence[datetime]
                      ) -> list[dict[str, Any]]:
    """The stored items of `source` whose title or summary holds U+FFFD (bytes an import could not decode),
    published at one of `published` or undated (an undated row is stamped with its import's time): what a
    re-import of the fixed file may repair (orchestration.imports). Their URL is a hash of the garbled text, so
    the fixed rows are found by time and text, not URL. Each: id, title, summary, author, published_at (None when
    undated)."""
    rows = cur.execute(
        "SELECT id, title, summary, author, CASE WHEN published_estimated THEN NULL ELSE published_at END "
        "FROM items WHERE source = ? "
        "AND (contains(title, '\ufffd') OR contains(summary, '\ufffd')) "
        "AND (published_estimated OR published_at IN (SELECT unnest(?::TIMESTAMP[]))) ORDER BY id",
        [source, list(dict.fromkeys(published))],
    ).fetchall()
    return [{"id": r[0], "title": r[1], "summary": r[2], "author": r[3], "published_at": r[4]} for r in rows]


@cache
def _repair_schema() -> pa.Schema:
    """Built on first use: pyarrow (~0.2 s of CPU with numpy) loads only in a process that writes these rows."""
    import pyarrow as pa

    return pa.schema([(n, pa.string()) for n in ("id", "title", "summary", "content_hash", "author")])


def repair_texts(cur: "duckdb.DuckDBPyConnection", fixes: Sequence[dict[str, Any]]) -> list[str]:
    """Replace the text of stored items that an old wrong decode garbled (keys of _repair_schema(); the
    decision is collectors.encoding.plan_repairs). Their tags are dropped so the tagger redoes them.
    Returns the repaired ids. Call inside `Database.write()`, before `insert_items`."""
    import pyarrow as pa

    if not fixes:
        return []
    cols = {n: [f[n] for f in fixes] for n in _repair_schema().names}
    cur.register("_repair", pa.table(cols, schema=_repair_schema()))
    try:
        cur.execute(
            """
            UPDATE items SET title = r.title, summary = r.summary, content_hash = r.content_hash, author = r.author
            FROM _repair r WHERE items.id = r.id
            """
        )
    finally:
        cur.unregister("_repair")
    from store.tags import forget_tags

    forget_tags(cur, cols["id"])
    return cols["id"]
