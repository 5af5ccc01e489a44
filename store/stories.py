"""Stories: grouped items and the aggregations emerging-issue detection runs on (migration 020).

    items (+ item_tags when the NLP part has tagged them) ──pending_items──▶ detection.stories grouping
    grouping ──add_story_items / refresh_stories──▶ story_items, stories
    detection ◀── story_stats, story_item_times, cell_counts (DuckDB aggregations, one query each)

Every function takes a cursor from `Database.read()` / `Database.write()`.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from store.db import one, registered_ids
from store.sqlparts import shown_title_sql


if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa


@cache
def _item_schema() -> pa.Schema:
    """Built on first use: pyarrow (~0.2 s of CPU with numpy) loads only in a process that groups items."""
    import pyarrow as pa

    return pa.schema([
        ("item_id", pa.string()),
        ("story_id", pa.string()),
        ("published_at", pa.timestamp("us")),
        ("source", pa.string()),
        ("outlet", pa.string()),
        ("source_type", pa.string()),
        ("title", pa.string()),
        ("folded", pa.string()),
        ("mask", pa.list_(pa.string())),
        ("topics", pa.list_(pa.string())),
        ("sentiment", pa.string()),
        ("in_area", pa.bool_()),
        ("places", pa.list_(pa.string())),
        ("similarity", pa.float64()),
        ("grouped_at", pa.timestamp("us")),
        ("wards", pa.list_(pa.string())),       # migration 022
        ("provinces", pa.list_(pa.string())),
        ("title_restored", pa.string()),        # migration 070
        ("collector", pa.string()),
        ("guid", pa.string()),                  # migration 023
        ("thread", pa.string()),
    ])


def items_signature(cur: "duckdb.DuckDBPyConnection") -> tuple[Any, ...]:
    """(count, latest fetched_at, latest published_at) of items: unchanged means nothing new arrived."""
    return tuple(one(cur.execute("SELECT count(*), max(fetched_at), max(published_at) FROM items")))


def pending_items(cur: "duckdb.DuckDBPyConnection", now: datetime, limit: int | None = None) -> list[dict[str, Any]]:
    """Items published up to `now` that no story holds yet, oldest first, with their tags if any.

    Each row: id, published_at, source, outlet, source_type, title, summary, collector, guid, flags, url, tagged, and when
    tagged topics, sentiment, in_area, places, place_details (parsed), folded.
    """
    lim = f"LIMIT {int(limit)}" if limit else ""
    sql = f"""
        SELECT i.id, i.published_at, i.source, i.outlet, i.source_type, i.title, i.summary, i.collector, i.guid,
               i.flags, i.url, t.item_id IS NOT NULL AS tagged, t.topics, t.sentiment, t.in_area, t.places,
               CAST(t.place_details AS VARCHAR) AS place_details, t.folded, t.title_restored
        FROM items i
        LEFT JOIN item_tags t ON t.item_id = i.id
        WHERE i.published_at <= ? AND NOT EXISTS (SELECT 1 FROM story_items s WHERE s.item_id = i.id)
        ORDER BY i.published_at, i.id {lim}
    """
    cols = ["id", "published_at", "source", "outlet", "source_type", "title", "summary", "collector", "guid", "flags",
            "url", "tagged", "topics", "sentiment", "in_area", "places", "place_details", "folded", "title_restored"]
    out = []
    for r in cur.execute(sql, [now]).fetchall():
        row = dict(zip(cols, r))
        pd_ = row.get("place_details")
        if isinstance(pd_, str):
            try:
                row["place_details"] = json.loads(pd_)
            except ValueError:
                row["place_details"] = []
        out.append(row)
    return out


def add_story_items(cur: "duckdb.DuckDBPyConnection", rows: Sequence[dict[str, Any]]) -> int:
    """Insert grouped items (keys as in story_items). Items already grouped are left as they are."""
    import pyarrow as pa

    if not rows:
        return 0
    schema = _item_schema()
    cols: dict[str, list[Any]] = {n: [] for n in schema.names}
    for r in rows:
        for n in schema.names:
            v = r.get(n)
            if n in ("mask", "topics", "places", "wards", "provinces"):
                v = list(v or [])
            cols[n].append(v)
    cur.register("_story_items", pa.table(cols, schema=schema))
    try:
        names = ", ".join(schema.names)
        cur.execute(f"INSERT INTO story_items ({names}) SELECT {names} FROM _story_items ON CONFLICT DO NOTHING")
    finally:
        cur.unregister("_story_items")
    return len(rows)


# Source classes for naming a story: press (official pages and outlets) before forums before social posts.
FORUM_COLLECTORS = ("xenforo", "reddit")
_TITLE_CLASS = (
    "CASE WHEN s.source_type = 'press' THEN 0 "
    f"WHEN s.collector IN ({', '.join(repr(c) for c in FORUM_COLLECTORS)}) THEN 1 ELSE 2 END"
)
# 0: written with diacritics, 1: written without but restored by the tagger, 2: neither (not tagged yet)
_TITLE_MARKS = (
    "CASE WHEN s.title <> strip_accents(s.title) OR regexp_matches(s.title, '[đĐ]') THEN 0 "
    "WHEN coalesce(s.title_restored, '') <> '' THEN 1 ELSE 2 END"
)
# The story's display title: its most representative item (closest to the story when it joined; the
# item that started it counts as closest) of the best (diacritics, source class), earliest on ties.
# The title shown is the item's as lists show it (store/sqlparts.shown_title_sql): restored, or a social title with
# its place names capitalised (nlp/titles.py).
DISPLAY_TITLE = f"""coalesce(
    arg_min({shown_title_sql("s.title", "s.title_restored")},
            ({_TITLE_MARKS}, {_TITLE_CLASS}, -coalesce(s.similarity, 1.0), s.published_at, s.item_id))
        FILTER (WHERE trim(s.title) <> ''),
    arg_min(s.title, (s.published_at, s.item_id)))"""


def refresh_stories(cur: "duckdb.DuckDBPyConnection", story_ids: Iterable[str], now: datetime) -> None:
    """Recompute the stories rows of these ids from their items (upsert), their display title
    (DISPLAY_TITLE) included, and give the stories' alerts that title."""
    ids = sorted(set(story_ids))
    if not ids:
        return
    with registered_ids(cur, ids):
        cur.execute("DELETE FROM stories WHERE story_id IN (SELECT story_id FROM _sids)")
        cur.execute(
            """
            INSERT INTO stories
            SELECT s.story_id,
                   {DISPLAY_TITLE} AS title,
                   min(s.published_at), max(s.published_at),
                   count(*), count(DISTINCT s.outlet), count(DISTINCT s.source),
                   list_sort(list_distinct(list(s.source_type))),
                   list_sort(list_distinct(list(s.outlet))),
                   list_sort(list_distinct(flatten(list(s.topics)))),
                   list_sort(list_distinct(flatten(list(s.places)))),
                   bool_or(s.in_area),
                   count(*) FILTER (WHERE s.sentiment = 'negative'),
                   count(*) FILTER (WHERE s.sentiment = 'neutral' OR s.sentiment IS NULL),
                   count(*) FILTER (WHERE s.sentiment = 'positive'),
                   ?
            FROM story_items s JOIN _sids USING (story_id)
            GROUP BY s.story_id
            """.replace("{DISPLAY_TITLE}", DISPLAY_TITLE),
            [now],
        )
        # an alert names its story: it follows the story's title as items join
        cur.execute(
            """
            UPDATE alerts SET title = st.title FROM stories st
            WHERE alerts.story_id = st.story_id AND st.story_id IN (SELECT story_id FROM _sids)
              AND alerts.title IS DISTINCT FROM st.title
            """
        )


def grouped_since(cur: "duckdb.DuckDBPyConnection", since: datetime) -> list[dict[str, Any]]:
    """Grouped items published since `since`, oldest first (to rebuild the in-memory index), with each item's
    `guid` (a social post's id, which the replies to it name) and `thread` key. Both are kept in story_items
    (migration 023): reading them from `items` joined the whole table on every rebuild."""
    cols = ["item_id", "story_id", "published_at", "source", "outlet", "source_type", "title", "folded",
            "mask", "topics", "sentiment", "in_area", "places", "wards", "provinces", "guid", "thread"]
    rows = cur.execute(
        f"SELECT {', '.join(cols)} FROM story_items WHERE published_at >= ? ORDER BY published_at, item_id",
        [since],
    ).fetchall()
    out = [dict(zip(cols, r)) for r in rows]
    _urls_of_rows_before_023(cur, out)
    return out


def _urls_of_rows_before_023(cur: "duckdb.DuckDBPyConnection", rows: list[dict[str, Any]]) -> None:
    """Add `url` to the social rows grouped before migration 023 (`thread` NULL; since then "" when an item has none),
    for the caller to compute their thread key (detection.stories.thread_key): one keyed look-up of those rows only,
    which are gone from the window a few days after the upgrade."""
    old = [r["item_id"] for r in rows if r["thread"] is None and r["source_type"] == "social"]
    if not old:
        return
    urls = dict(cur.execute("SELECT id, url FROM items WHERE id IN (SELECT unnest(?::VARCHAR[]))", [old]).fetchall())
    for r in rows:
        if r["item_id"] in urls:
            r["url"] = urls[r["item_id"]]


def grouped_readings(cur: "duckdb.DuckDBPyConnection") -> dict[str, dict[str, Any]]:
    """Per grouped item: its link, outlet, title and summary as stored (bench/stories_real.py prints them to
    judge merged pairs by)."""
    rows = cur.execute(
        "SELECT s.item_id, i.url, s.outlet, i.title, i.summary FROM story_items s JOIN items i ON i.id = s.item_id"
    ).fetchall()
    return {r[0]: {"url": r[1], "outlet": r[2], "title": r[3], "summary": r[4]} for r in rows}


def generation(cur: "duckdb.DuckDBPyConnection") -> int:
    row = one(cur.execute("SELECT value FROM stories_meta WHERE key = 'generation'"))
    return int(row[0]) if row else 0


def bump_generation(cur: "duckdb.DuckDBPyConnection") -> None:
    cur.execute("UPDATE stories_meta SET value = value + 1 WHERE key = 'generation'")


def story_stats(cur: "duckdb.DuckDBPyConnection", story_ids: Sequence[str], since: datetime) -> list[dict[str, Any]]:
    """Per story, counting only items published since `since`: items, outlets, sources, source types,
    negative and in-area shares, first/last time, topics and places by frequency, press/social split,
    and the items' folded texts (severity reads harm words and counts in them), and the story's display
    title."""
    if not story_ids:
        return []
    with registered_ids(cur, story_ids):
        rows = cur.execute(
            """
            SELECT s.story_id,
                   count(*) AS n_items,
                   count(DISTINCT s.outlet) AS n_outlets,
                   count(DISTINCT s.source) AS n_sources,
                   count(*) FILTER (WHERE s.source_type = 'press') AS n_press,
                   count(*) FILTER (WHERE s.source_type = 'social') AS n_social,
                   count(*) FILTER (WHERE s.sentiment = 'negative') AS n_negative,
                   count(*) FILTER (WHERE s.in_area) AS n_in_area,
                   min(s.published_at) AS first_at, max(s.published_at) AS last_at,
                   list(s.topics) AS topics, list(s.places) AS places,
                   list(s.item_id ORDER BY s.published_at, s.item_id) AS item_ids,
                   list(s.title ORDER BY s.published_at, s.item_id) AS titles,
                   list(s.source_type ORDER BY s.published_at, s.item_id) AS types,
                   list(s.folded ORDER BY s.published_at, s.item_id) AS texts,
                   any_value(st.title) AS title
            FROM story_items s JOIN _sids USING (story_id)
            LEFT JOIN stories st ON st.story_id = s.story_id
            WHERE s.published_at >= ?
            GROUP BY s.story_id
            """,
            [since],
        ).fetchall()
    cols = ["story_id", "n_items", "n_outlets", "n_sources", "n_press", "n_social", "n_negative", "n_in_area",
            "first_at", "last_at", "topics", "places", "item_ids", "titles", "types", "texts", "title"]
    return [dict(zip(cols, r)) for r in rows]


def story_totals(cur: "duckdb.DuckDBPyConnection", story_ids: Sequence[str]) -> dict[str, tuple[int, int, list[str]]]:
    """story_id → (all items, distinct outlets, item ids in published order), whatever their age."""
    if not story_ids:
        return {}
    with registered_ids(cur, story_ids):
        rows = cur.execute(
            """
            SELECT story_id, count(*), count(DISTINCT outlet), list(item_id ORDER BY published_at, item_id)
            FROM story_items JOIN _sids USING (story_id) GROUP BY story_id
            """
        ).fetchall()
    return {r[0]: (int(r[1]), int(r[2]), list(r[3])) for r in rows}


def story_item_times(cur: "duckdb.DuckDBPyConnection", story_ids: Sequence[str], since: datetime) -> dict[str, list[datetime]]:
    if not story_ids:
        return {}
    with registered_ids(cur, story_ids):
        rows = cur.execute(
            """
            SELECT story_id, list(published_at ORDER BY published_at)
            FROM story_items JOIN _sids USING (story_id) WHERE published_at >= ? GROUP BY story_id
            """,
            [since],
        ).fetchall()
    return {r[0]: list(r[1]) for r in rows}


def cell_counts(
    cur: "duckdb.DuckDBPyConnection", start: datetime, end: datetime, exclude_story_ids: Sequence[str] = ()
) -> dict[tuple[str, str], int]:
    """Items per (topic, place) cell published in [start, end); '' stands for no topic / no place.
    Items of `exclude_story_ids` are left out (a story is not its own baseline)."""
    with registered_ids(cur, exclude_story_ids, name="_ex"):
        rows = cur.execute(
            """
            WITH w AS (
                SELECT CASE WHEN len(topics) > 0 THEN topics ELSE [''] END AS ts,
                       CASE WHEN len(places) > 0 THEN places ELSE [''] END AS ps
                FROM story_items
                WHERE published_at >= ? AND published_at < ?
                  AND story_id NOT IN (SELECT story_id FROM _ex)
            ), t AS (SELECT unnest(ts) AS topic, ps FROM w),
            tp AS (SELECT topic, unnest(ps) AS place FROM t)
            SELECT topic, place, count(*) FROM tp GROUP BY ALL
            """,
            [start, end],
        ).fetchall()
    out: dict[tuple[str, str], int] = {}
    for topic, place, n in rows:
        out[(topic, place)] = out.get((topic, place), 0) + int(n)
    return out


def stories_touched(cur: "duckdb.DuckDBPyConnection", since_grouped: datetime) -> list[str]:
    """Stories that received an item grouped at or after `since_grouped`."""
    return [r[0] for r in cur.execute(
        "SELECT DISTINCT story_id FROM story_items WHERE grouped_at >= ? ORDER BY story_id", [since_grouped]
    ).fetchall()]


def story_items_df(cur: "duckdb.DuckDBPyConnection", story_id: str) -> Any:
    """The items of one story, oldest first, with outlet, type, sentiment, places and link."""
    return cur.execute(
        """
        SELECT s.item_id, s.published_at, s.outlet, s.source, s.source_type, s.title, s.sentiment,
               s.topics, s.places, s.in_area, s.similarity, i.url
        FROM story_items s LEFT JOIN items i ON i.id = s.item_id
        WHERE s.story_id = ? ORDER BY s.published_at, s.item_id
        """,
        [story_id],
    ).df()


def list_stories(cur: "duckdb.DuckDBPyConnection", since: datetime, min_items: int = 1, limit: int = 200) -> Any:
    """Stories seen since `since`, biggest and newest first."""
    return cur.execute(
        """
        SELECT * FROM stories WHERE last_seen >= ? AND n_items >= ?
        ORDER BY n_outlets DESC, n_items DESC, last_seen DESC LIMIT ?
        """,
        [since, min_items, limit],
    ).df()


def volume_series(cur: "duckdb.DuckDBPyConnection", since: datetime, bucket: str = "hour", by: str = "story") -> Any:
    """Item counts per time bucket, per story (`by='story'`) or per (topic × place) (`by='cell'`)."""
    if bucket not in ("hour", "day") or by not in ("story", "cell"):
        raise ValueError((bucket, by))
    if by == "story":
        sql = f"""SELECT date_trunc('{bucket}', published_at) AS bucket, story_id, count(*) AS n
                  FROM story_items WHERE published_at >= ? GROUP BY ALL ORDER BY bucket, story_id"""
    else:
        sql = f"""
            WITH w AS (SELECT date_trunc('{bucket}', published_at) AS bucket,
                              CASE WHEN len(topics) > 0 THEN topics ELSE [''] END AS ts,
                              CASE WHEN len(places) > 0 THEN places ELSE [''] END AS ps
                       FROM story_items WHERE published_at >= ?),
                 t AS (SELECT bucket, unnest(ts) AS topic, ps FROM w),
                 tp AS (SELECT bucket, topic, unnest(ps) AS place FROM t)
            SELECT bucket, topic, place, count(*) AS n FROM tp GROUP BY ALL ORDER BY bucket"""
    return cur.execute(sql, [since]).df()


def merge_stories(cur: "duckdb.DuckDBPyConnection", keep_id: str, merge_id: str, now: datetime) -> None:
    """Move every item of `merge_id` into `keep_id` (staff merged their alerts); indexes reload."""
    if keep_id == merge_id:
        return
    cur.execute("UPDATE story_items SET story_id = ? WHERE story_id = ?", [keep_id, merge_id])
    cur.execute("DELETE FROM stories WHERE story_id = ?", [merge_id])
    refresh_stories(cur, [keep_id], now)
    bump_generation(cur)


def resync_tags(cur: "duckdb.DuckDBPyConnection", item_ids: Sequence[str], now: datetime) -> int:
    """Items tagged again after they were grouped (their full text came later): copy their new topics,
    sentiment, places and in-area flag into story_items and recount their stories. The text the
    grouping compared stays as it was. Returns the number of stories recounted."""
    ids = sorted(set(item_ids))
    if not ids:
        return 0
    sids = [r[0] for r in cur.execute(
        "SELECT DISTINCT story_id FROM story_items WHERE list_contains(?, item_id)", [ids]).fetchall()]
    if not sids:
        return 0
    cur.execute(
        """
        UPDATE story_items SET topics = t.topics, sentiment = t.sentiment,
               in_area = coalesce(t.in_area, FALSE), places = t.places, title_restored = t.title_restored
        FROM item_tags t
        WHERE story_items.item_id = t.item_id AND list_contains(?, story_items.item_id)
        """,
        [ids],
    )
    refresh_stories(cur, sids, now)
    return len(sids)


def refresh_after_purge(cur: "duckdb.DuckDBPyConnection", story_ids: Sequence[str], now: datetime) -> int:
    """The retention job deleted some of these stories' grouped items: recount them, drop the ones left
    empty, and make the grouping index reload. Alerts keep their own item lists. Returns stories dropped."""
    ids = sorted(set(story_ids))
    if not ids:
        return 0
    refresh_stories(cur, ids, now)  # deletes and re-inserts: a story with no items left is not re-inserted
    left = cur.execute("SELECT count(*) FROM stories WHERE list_contains(?, story_id)", [ids]).fetchall()[0][0]
    bump_generation(cur)
    return len(ids) - left
