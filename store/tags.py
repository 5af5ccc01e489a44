"""NLP results (`item_tags`) and staff corrections (`human_labels`). SQL for the nlp part lives here.

Writes go through Arrow in one statement per batch. A re-tag replaces the item's row
(INSERT OR REPLACE on the primary key), never an UPDATE.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Sequence

from store.db import one, utcnow
from store.fulltext import texts_for
from vocab.labels import STEP_ATTEMPTS  # failed attempts before an item is given up (migration 177); named here too

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

HUMAN_FIELDS = ("topics", "sentiment", "places", "in_area")

@cache
def _schema() -> pa.Schema:
    """Built on first use: pyarrow (~0.2 s of CPU with numpy) loads only in a process that writes these rows."""
    import pyarrow as pa

    return pa.schema([
        ("item_id", pa.string()),
        ("model_version", pa.string()),
        ("topics", pa.list_(pa.string())),
        ("sentiment", pa.string()),
        ("in_area", pa.bool_()),
        ("places", pa.list_(pa.string())),
        ("place_details", pa.string()),
        ("lang", pa.string()),
        ("no_diacritics", pa.bool_()),
        ("folded", pa.string()),
        ("tagged_at", pa.timestamp("us")),
        ("title_restored", pa.string()),      # migration 070
        ("place_reads", pa.list_(pa.string())),  # migration 162
        ("text_restored", pa.string()),       # migration 175
    ])


@cache
def _insert() -> str:
    """The rows' INSERT, naming _schema()'s columns: a column added there is written with no other edit here."""
    names = _schema().names
    values = ", ".join(f"{n}::JSON" if n == "place_details" else n for n in names)
    return f"INSERT OR REPLACE INTO item_tags ({', '.join(names)}) SELECT {values} FROM _tags"


def save_tags(cur: "duckdb.DuckDBPyConnection", rows: Sequence[dict[str, Any]], now: datetime | None = None) -> int:
    """Insert or replace the tags of the given pipeline output rows (key `id`). Returns the row count."""
    import pyarrow as pa

    if not rows:
        return 0
    now = now or utcnow()
    last: dict[str, dict[str, Any]] = {}
    for r in rows:  # one row per item: the last one wins
        last[str(r["id"])] = r
    cols: dict[str, list[Any]] = {n: [] for n in _schema().names}
    for item_id, r in last.items():
        cols["item_id"].append(item_id)
        cols["model_version"].append(str(r.get("model_version") or ""))
        cols["topics"].append(list(r.get("topics") or []))
        cols["sentiment"].append(r.get("sentiment"))
        cols["in_area"].append(bool(r.get("in_area")))
        cols["places"].append(list(r.get("places") or []))
        cols["place_details"].append(json.dumps(r.get("place_details") or [], ensure_ascii=False))
        cols["lang"].append(r.get("lang"))
        cols["no_diacritics"].append(bool(r.get("no_diacritics")))
        cols["folded"].append(r.get("folded") or "")
        cols["tagged_at"].append(now)
        cols["title_restored"].append(r.get("title_restored") or None)
        cols["place_reads"].append(list(r.get("place_reads") or []) or None)
        cols["text_restored"].append(r.get("text_restored") or None)
    cur.register("_tags", pa.table(cols, schema=_schema()))
    try:
        # an item tagged for the first time owes its after-tagging steps (cases, watchlists): marked in this
        # transaction, so a stop or a crash before those steps leaves the mark for the catch-up (migration 176)
        cur.execute(
            """
            INSERT INTO item_steps_pending (item_id, tagged_at)
            SELECT n.item_id, n.tagged_at FROM _tags n
            WHERE NOT EXISTS (SELECT 1 FROM item_tags t WHERE t.item_id = n.item_id)
            ON CONFLICT DO NOTHING
            """
        )
        # the columns named, from _schema(): the table's own order is the migrations' order on a new database and
        # a later migration's column last on an upgraded one (a missing lower number is applied last), so a tag
        # column from a migration numbered below the newest took its neighbour's values on a new database while
        # the INSERT named none (fix35, following the add-a-step recipe with a toy)
        cur.execute(_insert())
    finally:
        cur.unregister("_tags")
    return len(last)


def steps_pending(cur: "duckdb.DuckDBPyConnection", limit: int = 500) -> list[tuple[str, datetime]]:
    """(item id, first tagged at) of items whose after-tagging steps (complaint cases, watchlist matching) have not
    run, oldest tagging first: a stop or a crash came between their tags and those steps (migration 176)."""
    return [(r[0], r[1]) for r in cur.execute(
        "SELECT item_id, tagged_at FROM item_steps_pending WHERE failed_at IS NULL "
        "ORDER BY tagged_at, item_id LIMIT ?", [int(limit)]
    ).fetchall()]


def count_steps_pending(cur: "duckdb.DuckDBPyConnection") -> int:
    """How many items still owe their cases and watchlist matching (0 between passes: a mark outlives a pass
    only after a stop, a crash, or a step that failed). Those given up (`count_steps_failed`) are not counted."""
    return int(one(cur.execute("SELECT count(*) FROM item_steps_pending WHERE failed_at IS NULL"))[0])


# how much of a step's error is kept (item_steps_pending.last_error): enough to read the cause, bounded per row
STEP_ERROR_CHARS = 300


def step_failed(cur: "duckdb.DuckDBPyConnection", item_id: str, now: datetime, step: str | None = None,
                error: str | None = None) -> bool:
    """One more failed attempt of this item's after-tagging steps; after STEP_ATTEMPTS it is given up (`failed_at`
    set, the row kept so that nothing is lost silently). `step` and `error` (cut to STEP_ERROR_CHARS) are kept as
    the last failure, which `langnghe steps` shows (migration 178). An item without a mark (it was tagged before, or
    not at all) counts nothing. Whether this attempt gave it up."""
    row = one(cur.execute(
        """
        UPDATE item_steps_pending SET attempts = coalesce(attempts, 0) + 1,
               failed_at = CASE WHEN coalesce(attempts, 0) + 1 >= ? THEN ? END,
               last_step = ?, last_error = ?, last_failed_at = ?
        WHERE item_id = ? AND failed_at IS NULL RETURNING failed_at
        """, [STEP_ATTEMPTS, now, step, None if error is None else error[:STEP_ERROR_CHARS], now,
              item_id]))
    return bool(row and row[0] is not None)


@dataclass(frozen=True)
class StepsGroup:
    """Items owing their after-tagging steps, grouped by whether they were given up and which step failed last
    (None: none failed yet), with the newest error of the group."""

    given_up: bool
    step: str | None  # "": failed before migration 178 kept which step
    items: int
    last_error: str | None
    last_failed_at: datetime | None


def steps_summary(cur: "duckdb.DuckDBPyConnection") -> list[StepsGroup]:
    """What `langnghe steps` lists: still owed first, then given up; in each, never failed first, then by step. A
    mark that failed before migration 178 kept no step (attempts, but last_step NULL) has the step "": unknown."""
    return [StepsGroup(bool(r[0]), r[1], int(r[2]), r[3], r[4]) for r in cur.execute(
        """
        SELECT failed_at IS NOT NULL AS given_up,
               CASE WHEN last_step IS NULL AND coalesce(attempts, 0) > 0 THEN '' ELSE last_step END AS step,
               count(*), arg_max(last_error, last_failed_at), max(last_failed_at)
        FROM item_steps_pending GROUP BY ALL ORDER BY given_up, step NULLS FIRST
        """).fetchall()]


def retry_steps_failed(cur: "duckdb.DuckDBPyConnection") -> int:
    """Put the items given up back in the queue with their attempts at 0 (`langnghe steps --retry`, once the cause
    is fixed): the next tick's tag job runs them. The last error stays until a run succeeds (the row goes) or fails
    again (it is replaced). How many were put back."""
    return len(cur.execute(
        "UPDATE item_steps_pending SET failed_at = NULL, attempts = 0 WHERE failed_at IS NOT NULL RETURNING item_id"
    ).fetchall())


def count_steps_failed(cur: "duckdb.DuckDBPyConnection") -> int:
    """Items whose after-tagging steps failed STEP_ATTEMPTS times and are no longer tried (`langnghe status`)."""
    return int(one(cur.execute("SELECT count(*) FROM item_steps_pending WHERE failed_at IS NOT NULL"))[0])


def steps_done(cur: "duckdb.DuckDBPyConnection", ids: Sequence[str]) -> None:
    """The after-tagging steps of these items have run: their marks go."""
    if ids:
        cur.execute("DELETE FROM item_steps_pending WHERE item_id IN (SELECT unnest(?::VARCHAR[]))", [list(ids)])


def bulk_load_arrow(cur: "duckdb.DuckDBPyConnection", table: pa.Table) -> int:
    """The bulk path for generators and imports of trusted data: append tag rows given as an Arrow table
    with the `item_tags` columns (`place_details` a JSON string, `tagged_at` per row). Returns the row count.

    Unlike `save_tags` it neither replaces nor dedupes: the items must not be tagged yet and appear once
    (a repeat fails the transaction), and it marks no after-tagging steps as due (generated data opens no case
    and pushes no watchlist). Call inside `Database.write()`.
    """
    if table.num_rows == 0:
        return 0
    cur.register("_bulk_tags", table)
    try:
        cur.execute(
            """
            INSERT INTO item_tags (item_id, model_version, topics, sentiment, in_area, places, place_details,
                                   lang, no_diacritics, folded, tagged_at)
            SELECT item_id, model_version, topics, sentiment, in_area, places, place_details::JSON, lang,
                   no_diacritics, folded, tagged_at
            FROM _bulk_tags
            """
        )
    finally:
        cur.unregister("_bulk_tags")
    return table.num_rows


def items_to_tag(cur: "duckdb.DuckDBPyConnection", model_version: str, limit: int = 500,
                 fulltext_chars: int = 0, *, only_untagged: bool = False) -> list[dict[str, Any]]:
    """Items with no tags, or tags from another model version: id, title, text, source, url, published,
    source_type, flags.
    text = the summary, then up to `fulltext_chars` of the article's full text when it was fetched.
    `only_untagged` leaves out items tagged by another model (the commands' quick catch-up).
    Order: items with no tags at all first, then newest first. Why: an untagged item is missing from every filter and
    chart, one tagged by an older model only reads a little stale; newest first alone kept an untagged import of
    last year's posts (its tagging interrupted) behind the whole re-tag backlog of an upgrade (hours)."""
    rows = cur.execute(
        f"""
        SELECT {_ITEM_ROW_COLS}
        FROM items i LEFT JOIN item_tags t ON t.item_id = i.id
        WHERE t.item_id IS NULL OR (NOT ? AND t.model_version <> ?)
        ORDER BY t.item_id IS NULL DESC, i.published_at DESC, i.id
        LIMIT ?
        """,
        [only_untagged, model_version, limit],
    ).fetchall()
    return _with_fulltext(cur, [_item_row(r) for r in rows], fulltext_chars)


def known_good_item(cur: "duckdb.DuckDBPyConnection", model_version: str, exclude: Sequence[str] = (),
                    fulltext_chars: int = 0) -> dict[str, Any] | None:
    """A stored item this `model_version` has tagged (not a row saved as dropped after an error: those carry the
    defaults, lang 'other' and no topics or places), as a pipeline input row, or None: nlp.service re-tags it to
    tell items the pipeline cannot tag from a pipeline that tags no real item. The most recently tagged one."""
    row = one(cur.execute(
        f"""
        SELECT {_ITEM_ROW_COLS}
        FROM item_tags t JOIN items i ON i.id = t.item_id
        WHERE t.model_version = ? AND NOT list_contains(?::VARCHAR[], i.id)
          AND (coalesce(t.lang, 'other') <> 'other' OR len(t.topics) > 0 OR len(t.places) > 0)
        ORDER BY t.tagged_at DESC, i.id
        LIMIT 1
        """,
        [model_version, list(exclude)],
    ))
    return _with_fulltext(cur, [_item_row(row)], fulltext_chars)[0] if row else None


def count_untagged(cur: "duckdb.DuckDBPyConnection") -> int:
    """Stored items that have no tags at all (left by a crash, or stored by a command that did not tag)."""
    return int(one(cur.execute(
        "SELECT count(*) FROM items i WHERE NOT EXISTS (SELECT 1 FROM item_tags t WHERE t.item_id = i.id)"
    ))[0])


def items_for_tagging(cur: "duckdb.DuckDBPyConnection", ids: Sequence[str],
                      fulltext_chars: int = 0) -> list[dict[str, Any]]:
    """The given items as pipeline input rows (id, title, text, source, url, published, source_type, flags); text as in
    items_to_tag."""
    if not ids:
        return []
    rows = cur.execute(
        f"""
        SELECT {_ITEM_ROW_COLS}
        FROM items i WHERE i.id IN (SELECT unnest(?::VARCHAR[]))
        """,
        [list(ids)],
    ).fetchall()
    order = {k: n for n, k in enumerate(ids)}
    out = sorted((_item_row(r) for r in rows), key=lambda r: order.get(r["id"], 0))
    return _with_fulltext(cur, out, fulltext_chars)


def _with_fulltext(cur: "duckdb.DuckDBPyConnection", rows: list[dict[str, Any]], chars: int) -> list[dict[str, Any]]:
    """Places and topics read the article's beginning too, when collectors/fulltext fetched it."""
    if chars <= 0 or not rows:
        return rows
    texts = texts_for(cur, [r["id"] for r in rows])
    for r in rows:
        if texts.get(r["id"]):
            r["text"] = summary_and_article(r["text"], texts[r["id"]], chars)
    return rows


def summary_and_article(summary: str, article: str, chars: int) -> str:
    """The summary, then the first `chars` of the article. Most articles open with the summary (the
    sapo) itself: then the article alone, so the lead is not read twice."""
    summary, article = summary.strip(), article.strip()
    probe = " ".join(summary.split())[:80]
    if probe and probe in " ".join(article[: len(summary) + 300].split()):
        return article[: len(summary) + chars]
    return f"{summary}\n\n{article[:chars]}" if summary else article[:chars]


# the columns `_item_row` reads, in its order (items_to_tag, known_good_item, items_for_tagging)
_ITEM_ROW_COLS = "i.id, i.title, i.summary, i.source, i.url, i.published_at, i.source_type, coalesce(i.flags, [])"


def _item_row(r: tuple) -> dict[str, Any]:
    """A pipeline input row; `flags` route the item's topics (a comment's: nlp.steps.topics_by_comment_model),
    `source_type` how a copied title is read (nlp.steps.reads_as_comment)."""
    return {"id": r[0], "title": r[1] or "", "text": r[2] or "", "source": r[3], "url": r[4],
            "published": r[5].isoformat() if r[5] is not None else None, "source_type": r[6], "flags": list(r[7])}


def get_tags(cur: "duckdb.DuckDBPyConnection", item_id: str) -> dict[str, Any] | None:
    row = one(cur.execute(
        """SELECT item_id, model_version, topics, sentiment, in_area, places, place_details, lang,
                  no_diacritics, folded, tagged_at, title_restored FROM item_tags WHERE item_id = ?""",
        [item_id],
    ))
    if row is None:
        return None
    keys = ("item_id", "model_version", "topics", "sentiment", "in_area", "places", "place_details", "lang",
            "no_diacritics", "folded", "tagged_at", "title_restored")
    out = dict(zip(keys, row))
    out["place_details"] = json.loads(out["place_details"]) if out["place_details"] else []
    return out


def restored_titles(cur: "duckdb.DuckDBPyConnection", ids: Sequence[str]) -> dict[str, str]:
    """id → restored title of those of the given items whose title was written without diacritics, or a social
    title with its place names capitalised (nlp/titles.py): what staff read for them (alerts, briefing, reports). One query for all of them, not one get_tags a row."""
    if not ids:
        return {}
    rows = cur.execute(
        """SELECT item_id, title_restored FROM item_tags
           WHERE title_restored IS NOT NULL AND item_id IN (SELECT unnest(?::VARCHAR[]))""",
        [list(ids)],
    ).fetchall()
    return {str(i): t for i, t in rows}


def count_tagged(cur: "duckdb.DuckDBPyConnection", model_version: str | None = None) -> int:
    if model_version is None:
        return int(one(cur.execute("SELECT count(*) FROM item_tags"))[0])
    return int(one(cur.execute("SELECT count(*) FROM item_tags WHERE model_version = ?", [model_version]))[0])


def count_to_tag(cur: "duckdb.DuckDBPyConnection", model_version: str) -> int:
    """Items `items_to_tag` would still pick: no tags, or tags stamped by another model or pipeline."""
    return int(one(cur.execute(
        """SELECT count(*) FROM items i LEFT JOIN item_tags t ON t.item_id = i.id
           WHERE t.item_id IS NULL OR t.model_version <> ?""", [model_version]))[0])


def add_human_label(cur: "duckdb.DuckDBPyConnection", item_id: str, field: str, value: Any, username: str,
                    now: datetime | None = None) -> None:
    """Record a staff correction of one field of one item (topics: list of codes; sentiment: code;
    places: list of strings; in_area: bool)."""
    if field not in HUMAN_FIELDS:
        raise ValueError(f"field must be one of {HUMAN_FIELDS}, got {field!r}")
    if not username:
        raise ValueError("username is required")
    cur.execute(
        "INSERT INTO human_labels (item_id, field, value, username, created_at) VALUES (?, ?, ?::JSON, ?, ?)",
        [item_id, field, json.dumps(value, ensure_ascii=False), username, now or utcnow()],
    )


def human_labels(cur: "duckdb.DuckDBPyConnection") -> list[dict[str, Any]]:
    """The latest correction per (item, field), with the item's title and text, oldest item first:
    [{item_id, title, text, source_type, flags, labels: {field: value}, username, created_at}] (flags: which topic
    model the correction trains, nlp.train.correction_rows; source_type: how a copied title is read)."""
    rows = cur.execute(
        """
        SELECT h.item_id, h.field, h.value, h.username, h.created_at, i.title, i.summary, i.source_type,
               coalesce(i.flags, [])
        FROM (
            SELECT *, row_number() OVER (PARTITION BY item_id, field ORDER BY created_at DESC, id DESC) AS rn
            FROM human_labels
        ) h LEFT JOIN items i ON i.id = h.item_id
        WHERE h.rn = 1
        ORDER BY h.item_id, h.field
        """
    ).fetchall()
    out: dict[str, dict[str, Any]] = {}
    for item_id, field, value, username, created_at, title, summary, source_type, flags in rows:
        d = out.setdefault(item_id, {"item_id": item_id, "title": title, "text": summary, "source_type": source_type,
                                     "flags": list(flags), "labels": {}, "username": username,
                                     "created_at": created_at})
        d["labels"][field] = json.loads(value) if isinstance(value, str) else value
        if created_at > d["created_at"]:
            d["created_at"], d["username"] = created_at, username
    return list(out.values())


def label_history(cur: "duckdb.DuckDBPyConnection", item_id: str) -> list[dict[str, Any]]:
    """Every correction of one item, newest first (audit trail)."""
    rows = cur.execute(
        "SELECT field, value, username, created_at FROM human_labels WHERE item_id = ? ORDER BY created_at DESC, id DESC",
        [item_id],
    ).fetchall()
    return [{"field": f, "value": json.loads(v) if isinstance(v, str) else v, "username": u, "created_at": c}
            for f, v, u, c in rows]


def forget_tags(cur: "duckdb.DuckDBPyConnection", ids: Sequence[str]) -> None:
    """Drop the tags of items whose text changed (store.items.repair_texts), so `items_to_tag` offers
    them again; staff corrections in human_labels stay."""
    if ids:
        cur.execute("DELETE FROM item_tags WHERE item_id IN (SELECT unnest(?::VARCHAR[]))", [list(ids)])
