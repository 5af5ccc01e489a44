"""Full article text beside the RSS summary: which press items still need it, saving it, reading it.

`item_fulltext` has one row per item tried: the text when extraction worked, otherwise the reason
(status) so an item is not fetched again and again, with its tries and, for a failure that may pass, when a later
run tries again (`retry_at`, migration 038). NLP reads it through `store.tags.items_for_tagging` / `items_to_tag` (summary + `nlp.fulltext_chars` of the article).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Iterable, NamedTuple, Sequence

from store.db import one
from store import search
from store.faults import fault_point
from vocab.labels import FULLTEXT_TOO_OLD, FULLTEXT_WAITING

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa


class Pending(NamedTuple):
    """An article to fetch: its item, its address, and how many tries it had (0: never tried)."""

    item_id: str
    url: str
    tries: int


def pending(
    cur: "duckdb.DuckDBPyConnection",
    *,
    limit: int,
    since: datetime,
    source_types: Sequence[str] = ("press",),
    ids: Iterable[str] | None = None,
    now: datetime | None = None,
) -> list[Pending]:
    """Items with no full-text row yet, and those whose row is due for another try (`retry_at` at or before `now`;
    none when `now` is None), newest first; optionally only among `ids`. A row without `retry_at` is final, so an
    article is not fetched again and again (migration 038: which failures may pass is collectors.fulltext's call)."""
    params: list[object] = [list(source_types), since, now]
    extra = ""
    if ids is not None:
        id_list = list(ids)
        if not id_list:
            return []
        extra = "AND i.id IN (SELECT unnest(?))"
        params.append(id_list)
    params.append(limit)
    return [
        Pending(r[0], r[1], int(r[2]))
        for r in cur.execute(
            f"""
            SELECT i.id, i.url, coalesce(f.attempts, 0) FROM items i
            LEFT JOIN item_fulltext f ON f.item_id = i.id
            WHERE list_contains(?, i.source_type) AND i.fetched_at >= ?
              AND (i.url LIKE 'http://%' OR i.url LIKE 'https://%')
              AND (f.item_id IS NULL OR f.retry_at <= ?)
              {extra}
            ORDER BY i.published_at DESC, i.id
            LIMIT ?
            """,
            params,
        ).fetchall()
    ]


class Extracted(NamedTuple):
    """One article's outcome: its text when extraction worked, otherwise None and the reason (status)."""

    item_id: str
    text: str | None
    status: str
    url: str
    tries: int = 1  # this try included
    retry_at: datetime | None = None  # when a later run may try again (None: final)


@cache
def _rows_schema() -> pa.Schema:
    """Built on first use: pyarrow (~0.2 s of CPU with numpy) loads only in a process that writes these rows."""
    import pyarrow as pa

    return pa.schema([("item_id", pa.string()), ("text", pa.string()), ("status", pa.string()), ("url", pa.string()),
                      ("attempts", pa.int32()), ("retry_at", pa.timestamp("us"))])


def save_many(cur: "duckdb.DuckDBPyConnection", rows: Sequence[Extracted], *, now: datetime) -> int:
    """Store articles' outcomes (a repeat replaces the row; the last of an item in `rows` wins, as saved one after
    the other) and make the texts searchable (`search.index_fulltexts`), in a fixed number of statements however
    many rows: one at a time cost 13 statements an article (bench/fulltext_index.py). Returns postings added."""
    import pyarrow as pa

    last = {r.item_id: r for r in rows}
    if not last:
        return 0
    cols = list(zip(*last.values()))
    cur.register("_fulltext_rows", pa.table([list(c) for c in cols], schema=_rows_schema()))
    try:
        cur.execute(
            """
            INSERT INTO item_fulltext (item_id, text, status, url, extracted_at, attempts, retry_at)
            SELECT item_id, text, status, url, ?, attempts, retry_at FROM _fulltext_rows
            ON CONFLICT (item_id) DO UPDATE SET text = excluded.text, status = excluded.status,
                url = excluded.url, extracted_at = excluded.extracted_at, attempts = excluded.attempts,
                retry_at = excluded.retry_at
            """,
            [now],
        )
    finally:
        cur.unregister("_fulltext_rows")
    # the bodies become searchable with their texts
    n = search.index_fulltexts(cur, [r.item_id for r in last.values() if r.status == "ok" and r.text])
    fault_point("fulltexts_indexed")
    return n


def texts_for(cur: "duckdb.DuckDBPyConnection", ids: Iterable[str]) -> dict[str, str]:
    """{item_id: full text} for the ids that have one."""
    id_list = list(ids)
    if not id_list:
        return {}
    return dict(
        cur.execute(
            "SELECT item_id, text FROM item_fulltext WHERE status = 'ok' AND item_id IN (SELECT unnest(?))",
            [id_list],
        ).fetchall()
    )


def get(cur: "duckdb.DuckDBPyConnection", item_id: str) -> str | None:
    row = one(cur.execute("SELECT text FROM item_fulltext WHERE item_id = ? AND status = 'ok'", [item_id]))
    return row[0] if row else None


# What an item with no full-text row is, in `status_by_source`: still in the fetch window, or fetched before it
WAITING = FULLTEXT_WAITING
TOO_OLD = FULLTEXT_TOO_OLD


class SourceStatus(NamedTuple):
    """How many items of one source are in one full-text status (a stored one, WAITING or TOO_OLD), and whether a
    later run tries them again (a stored failure that may pass, with its `retry_at`)."""

    source: str
    status: str
    items: int
    retrying: bool = False


def status_by_source(cur: "duckdb.DuckDBPyConnection", *, since: datetime, window_start: datetime,
                     source_types: Sequence[str]) -> list[SourceStatus]:
    """Per source (its links) and status, the items fetched since `since` that full text is fetched for (of
    `source_types`, with an http(s) link, as `pending` picks them): the stored status, else WAITING for those
    fetched since `window_start` (the fetch window) and TOO_OLD for those before it, never to be tried; a failure
    that a later run tries again is `retrying` (only within the window: `pending` never tries one past it). Nguồn tin
    shows it: the statuses were printed only by `langnghe fulltext`."""
    rows = cur.execute(
        """
        SELECT l.source,
               coalesce(f.status, CASE WHEN i.fetched_at >= ? THEN ? ELSE ? END) AS status,
               count(*) AS n,
               coalesce(f.retry_at IS NOT NULL AND i.fetched_at >= ?, false) AS retrying  -- `pending`'s window
        FROM items i
        JOIN item_links l ON l.item_id = i.id
        LEFT JOIN item_fulltext f ON f.item_id = i.id
        WHERE i.fetched_at >= ? AND list_contains(?, i.source_type)
          AND (i.url LIKE 'http://%' OR i.url LIKE 'https://%')
        GROUP BY ALL
        ORDER BY l.source, n DESC, status
        """,
        [window_start, WAITING, TOO_OLD, window_start, since, list(source_types)],
    ).fetchall()
    return [SourceStatus(*r) for r in rows]


def status_counts(cur: "duckdb.DuckDBPyConnection") -> dict[str, int]:
    return dict(cur.execute("SELECT status, count(*) FROM item_fulltext GROUP BY status").fetchall())


class Outcomes(NamedTuple):
    """Rows of one status and number of tries, and whether a later run tries them again (`langnghe fulltext`)."""

    status: str
    tries: int
    waiting: bool
    items: int


def outcomes_since(cur: "duckdb.DuckDBPyConnection", since: datetime) -> list[Outcomes]:
    """Full-text rows of articles tried since `since` (the fetch window's start), by status, tries and whether they
    wait for another try: only an item fetched within the window does, as `pending` tries no other."""
    return [Outcomes(r[0], int(r[1]), bool(r[2]), int(r[3])) for r in cur.execute(
        """
        SELECT f.status, coalesce(f.attempts, 1), f.retry_at IS NOT NULL AND i.fetched_at >= ?, count(*)
        FROM item_fulltext f JOIN items i ON i.id = f.item_id
        WHERE f.extracted_at >= ? GROUP BY ALL ORDER BY ALL
        """, [since, since]).fetchall()]
