"""SQL fragments that several store modules build their queries from: a leaf of `store/`.

    tags.py, dashboard.py, search.py, watchlists.py, reports.py, alerts.py
                              │ import
                              ▼
    sqlparts.py ── how an item's title is shown, the newest staff correction per item, an item's
                   effective tags (model overridden by staff) and their filters, the alert queue's order

Why a module of its own: these fragments lived in the modules that first needed them, and each reader imported
them from there, until store/ held an import circle (alerts → tags → fulltext → search → dashboard → alerts)
that only a function-level import kept from failing. Here they import nothing of `store`, so every query
module can take them without an order to respect. Only SQL text is built here; nothing is executed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, Sequence

from vocab.alerts import OPEN_STATES, PRIORITY_RANK, SEVERITY_RANK, STATUS_RANK

if TYPE_CHECKING:
    import duckdb

__all__ = ["TAG_SLACK", "SHOWN_TITLE", "LATEST_LABELS_JOIN", "QUEUE_ORDER_SQL", "shown_title_sql",
           "latest_labels_join", "effective_sql", "tag_filters", "rank_sql"]

# Tags are written after their item is stored, so tagged_at >= fetched_at, and published_at is never
# more than http.future_tolerance_minutes after fetched_at. Hence an item published at or after T has
# tagged_at >= T - TAG_SLACK, a bound DuckDB turns into row-group pruning of item_tags (appended in time
# order) instead of probing every tag row. Links likewise: seen_at >= fetched_at.
TAG_SLACK = timedelta(days=1)


def shown_title_sql(title: str, *restored: str) -> str:
    """SQL for the title an item list shows: the first non-empty `restored` column (the tagger's
    `title_restored`) when the title `title` was written without any diacritics, else `title` as published,
    or a restored one that differs from it only in capitals (a social title with the place names read in it
    capitalised and a capital first letter, nlp/titles.py).
    Why the guard: the restorer also "restores" the unmarked words of a title that has marks (a name,
    "Ông Nguyen Van A nói" → "… Nguyễn Văn Á …"), and a title with diacritics is never replaced by other words,
    as story titles already rule (store/stories.py `_TITLE_MARKS`)."""
    marked = f"({title} <> strip_accents({title}) OR regexp_matches({title}, '[đĐ]'))"
    alts = ", ".join(f"nullif({r}, '')" for r in restored)
    same = ", ".join(f"CASE WHEN lower({r}) = lower({title}) THEN {r} END" for r in restored)
    return f"CASE WHEN {marked} THEN coalesce({same}, {title}) ELSE coalesce({alts}, {title}) END"


def latest_labels_join(where: str = "") -> str:
    """The newest staff correction per item and field (h_topics, h_sentiment, h_places, h_in_area), as a join
    onto `items i`; pages and reports overlay these on the model's tags. `where` (a `WHERE …` on human_labels'
    columns) cuts the rows read before grouping: a report on a few items need not group every correction."""
    return f"""
        LEFT JOIN (
            SELECT item_id,
                   arg_max(value, id) FILTER (WHERE field = 'topics') AS h_topics,
                   arg_max(value, id) FILTER (WHERE field = 'sentiment') AS h_sentiment,
                   arg_max(value, id) FILTER (WHERE field = 'places') AS h_places,
                   arg_max(value, id) FILTER (WHERE field = 'in_area') AS h_in_area
            FROM human_labels {where} GROUP BY item_id
        ) h ON h.item_id = i.id"""


LATEST_LABELS_JOIN = latest_labels_join()


# The title item lists show: the restored one for an item written without diacritics (the NLP's
# `title_restored`, as story titles already do), else the title as published. Needs `items i` and
# `item_tags t`; the title as published stays in `title_raw` (Tin bài's detail shows it under the title).
SHOWN_TITLE = shown_title_sql("i.title", "t.title_restored")


def effective_sql(cur: "duckdb.DuckDBPyConnection", bounded: bool = False, tags_where: str = "") -> tuple[str, str]:
    """(joins, select-list) giving topics, sentiment, places, in_area, corrected for every item row `i`.
    With `bounded`, the joins take one parameter: the lowest tagged_at to look at (see TAG_SLACK).
    `tags_where` (a `WHERE …` on item_tags, with its own parameters) cuts the tag rows before the join.
    `cur` is not read (the tables are always there); it stays so the callers need no edit."""
    tags = f"(SELECT * FROM item_tags {tags_where})" if tags_where else "item_tags"
    joins = f"LEFT JOIN {tags} t ON t.item_id = i.id" + (" AND t.tagged_at >= ?" if bounded else "")
    joins += LATEST_LABELS_JOIN
    sel = """coalesce(from_json(h.h_topics, '["VARCHAR"]'), t.topics) AS topics,
             coalesce(json_extract_string(h.h_sentiment, '$'), t.sentiment) AS sentiment,
             coalesce(from_json(h.h_places, '["VARCHAR"]'), t.places) AS places,
             coalesce(CAST(json_extract_string(h.h_in_area, '$') AS BOOLEAN), t.in_area) AS in_area,
             h.item_id IS NOT NULL AS corrected,
             (t.item_id IS NOT NULL OR h.item_id IS NOT NULL) AS tagged"""
    return joins, sel


def tag_filters(topics: Sequence[str], sentiments: Sequence[str], places: Sequence[str],
                in_area_only: bool) -> tuple[list[str], list[Any]]:
    """Conditions (and their parameters) on an item's effective tags, as the item lists filter them;
    they apply to the columns `effective_sql` selects (topics, sentiment, places, in_area, tagged).
    Topic 'other' is a tagged item with no topic and sentiment 'unknown' one with no sentiment: the
    charts' "Chưa phân loại" and "Chưa rõ" buckets."""
    conds: list[str] = []
    params: list[Any] = []
    if topics:
        cond = "list_has_any(topics, ?::VARCHAR[])"
        if "other" in topics:
            cond = f"({cond} OR (tagged AND coalesce(len(topics), 0) = 0))"
        conds.append(cond)
        params.append(list(topics))
    if sentiments:
        cond = "sentiment IN (SELECT unnest(?::VARCHAR[]))"
        if "unknown" in sentiments:
            cond = f"({cond} OR (tagged AND sentiment IS NULL))"
        conds.append(cond)
        params.append(list(sentiments))
    if places:
        conds.append("list_has_any(places, ?::VARCHAR[])")
        params.append(list(places))
    if in_area_only:
        conds.append("coalesce(in_area, FALSE)")
    return conds, params


def rank_sql(column: str, ranks: dict[str, int]) -> str:
    """A CASE turning `column`'s codes into their rank (unknown codes last); the codes are vocab constants."""
    whens = " ".join(f"WHEN '{code}' THEN {rank}" for code, rank in ranks.items())
    return f"CASE {column} {whens} ELSE 9 END"


_OPEN_RANK = max(STATUS_RANK[s] for s in OPEN_STATES)
# The review queue (vocab/alerts.py ranks, as detection.queue.sort_queue): open before closed, then severity,
# priority, status, newest. Read in this order, a capped list keeps the most important alerts, never an old
# high-severity open one dropped for newer low ones.
QUEUE_ORDER_SQL = (f"CASE WHEN {rank_sql('status', STATUS_RANK)} <= {_OPEN_RANK} THEN 0 ELSE 1 END, "
                   f"{rank_sql('severity', SEVERITY_RANK)}, {rank_sql('priority', PRIORITY_RANK)}, "
                   f"{rank_sql('status', STATUS_RANK)}, raised_at DESC, seq DESC")
