"""Read queries behind the dashboard pages (overview, explorer, topics & places, briefing, sources).

Every table is there (Database.migrate applies every migration), so the queries read them directly.
Staff corrections (human_labels, latest per item and field) override the model's tags wherever
single items are listed or filtered. Times in and out are naive UTC.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Sequence

from store.baseline import held_days
from store.db import one
from store.sqlparts import QUEUE_ORDER_SQL, SHOWN_TITLE, TAG_SLACK, effective_sql, shown_title_sql, tag_filters

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

FAR_FUTURE = datetime(9999, 1, 1)

# --- overview --------------------------------------------------------------------------------

def today_vs_usual(cur: "duckdb.DuckDBPyConnection", now: datetime, day_start: datetime,
                   baseline_days: int) -> dict[str, Any]:
    """Counts of today, `day_start` (local midnight, as UTC) to the next midnight, and the mean count of the hours
    elapsed on each of the previous `baseline_days` days: items, press, social, negative, in-area. Today ends at
    midnight, not now, as Tin bài's «Hôm nay» that each figure opens: an item a source dated a little ahead (the
    collectors keep a date up to `future_tolerance_minutes` ahead as given) is listed there and counted here. Only
    days the office was collecting throughout count (`store.baseline`): with none yet, each usual_* is None,
    `held_days` 0, and `collecting_since` says when the first item was stored, for the page to say so."""
    elapsed = max((now - day_start).total_seconds(), 1.0)
    first = one(cur.execute("SELECT min(fetched_at) FROM items"))[0]
    held = held_days(first, day_start, baseline_days)
    lo = day_start - timedelta(days=held)
    day_end = day_start + timedelta(days=1)  # Vietnam keeps no summer time: a day is 24 hours
    # the effective tags (a staff correction over the model's), as Tin bài filters them: each figure opens Tin bài on
    # «Hôm nay» with its filter (overview.TODAY_LINKS), which must list that many items (round 27; the model's tags
    # until then, so a corrected item of today was counted on one side only)
    joins, sel = effective_sql(cur, bounded=True)
    row = one(cur.execute(
        f"""
        WITH e AS (
            SELECT i.published_at, i.source_type, {sel}
            FROM items i {joins}
            WHERE i.published_at >= ? AND i.published_at < ?
              AND (i.published_at >= ?
                   OR ((epoch(i.published_at) - epoch(?::TIMESTAMP)) % 86400 + 86400) % 86400 < ?)
        ), w AS (
            SELECT published_at >= ? AS is_today, source_type, coalesce(sentiment = 'negative', FALSE) AS neg,
                   coalesce(in_area, FALSE) AS area, tagged
            FROM e
        )
        SELECT count(*) FILTER (WHERE is_today),
               count(*) FILTER (WHERE is_today AND source_type = 'press'),
               count(*) FILTER (WHERE is_today AND source_type = 'social'),
               count(*) FILTER (WHERE is_today AND neg),
               count(*) FILTER (WHERE is_today AND area),
               count(*) FILTER (WHERE NOT is_today),
               count(*) FILTER (WHERE NOT is_today AND source_type = 'press'),
               count(*) FILTER (WHERE NOT is_today AND source_type = 'social'),
               count(*) FILTER (WHERE NOT is_today AND neg),
               count(*) FILTER (WHERE NOT is_today AND area),
               count(*) FILTER (WHERE tagged)
        FROM w
        """,
        [lo - TAG_SLACK, lo, day_end, day_start, day_start, elapsed, day_start],
    ))
    keys = ("items", "press", "social", "negative", "in_area")
    out: dict[str, Any] = {}
    for k, v in zip(keys, row[:5]):
        out[k] = int(v)
    for k, v in zip(keys, row[5:10]):
        out[f"usual_{k}"] = round(int(v) / held, 1) if held else None
    out["held_days"], out["collecting_since"] = held, first
    out["tagged"] = bool(row[10])  # any item of the window analysed by the NLP part
    return out


def _tagged_items_sql(cur: "duckdb.DuckDBPyConnection", extra: str = "") -> str:
    """Items published in [?, ?) that the NLP or a staff member has tagged, with their effective tags
    (`effective_sql`): what the charts count, so that a click opens Tin bài on exactly the same items
    (Tin bài filters the same effective tags). Parameters: the tag bound, since, until."""
    joins, sel = effective_sql(cur, bounded=True)
    return f"""SELECT * FROM (
            SELECT i.id, i.published_at, i.source_type, i.outlet {extra}, {sel}
            FROM items i {joins}
            WHERE i.published_at >= ? AND i.published_at < ?
        ) WHERE tagged"""


def sentiment_share(cur: "duckdb.DuckDBPyConnection", since: datetime,
                    until: datetime | None = None) -> pd.DataFrame:
    """sentiment, n for tagged items published in [since, until) by their effective sentiment
    ('unknown' when none)."""
    return cur.execute(
        f"""
        SELECT coalesce(sentiment, 'unknown') AS sentiment, count(*) AS n
        FROM ({_tagged_items_sql(cur)})
        GROUP BY ALL ORDER BY n DESC, sentiment
        """,
        [since - TAG_SLACK, since, until or FAR_FUTURE],
    ).df()


def topics_over_time(cur: "duckdb.DuckDBPyConnection", since: datetime, bucket: str = "day",
                     offset_hours: int = 0, until: datetime | None = None) -> pd.DataFrame:
    """bucket, topic, n: tagged items per effective topic per time bucket (local buckets with
    `offset_hours`); an item with no topic counts under 'other', one with two topics under both."""
    if bucket not in ("hour", "day"):
        raise ValueError(bucket)
    return cur.execute(
        f"""
        SELECT date_trunc('{bucket}', published_at + INTERVAL ({int(offset_hours)}) HOUR) AS bucket,
               coalesce(tp, 'other') AS topic, count(*) AS n
        FROM (
            SELECT published_at, unnest(CASE WHEN len(topics) > 0 THEN topics ELSE [NULL] END) AS tp
            FROM ({_tagged_items_sql(cur)})
        )
        GROUP BY ALL ORDER BY bucket, topic
        """,
        [since - TAG_SLACK, since, until or FAR_FUTURE],
    ).df()


# --- single items: the effective tags (model, overridden by staff corrections) -----------------

def _n_sources(cur: "duckdb.DuckDBPyConnection", df: pd.DataFrame, since: datetime | None) -> pd.DataFrame:
    """Add n_sources (how many sources carried each item) to a small result frame."""
    import pandas as pd

    if not len(df):
        df["n_sources"] = pd.Series(dtype="int64")
        return df
    lo = (since - TAG_SLACK) if since is not None else datetime(1970, 1, 1)
    counts = dict(cur.execute(
        "SELECT item_id, count(*) FROM item_links WHERE seen_at >= ? AND item_id IN (SELECT unnest(?::VARCHAR[])) "
        "GROUP BY item_id",
        [lo, list(df["id"])],
    ).fetchall())
    df["n_sources"] = [int(counts.get(i, 1)) for i in df["id"]]
    return df


def latest_items(cur: "duckdb.DuckDBPyConnection", limit: int = 50, in_area_only: bool = False) -> pd.DataFrame:
    """Newest items with their effective tags and the number of sources that carried them; with
    `in_area_only`, only items about the watched area (staff corrections included)."""
    if in_area_only:  # bound the scan by the newest tagged in-area items (corrections rarely move it)
        bound_sql = """SELECT min(published_at) FROM (SELECT i.published_at FROM items i JOIN item_tags t
                       ON t.item_id = i.id WHERE t.in_area ORDER BY i.published_at DESC LIMIT ?)"""
    else:
        bound_sql = "SELECT min(published_at) FROM (SELECT published_at FROM items ORDER BY published_at DESC LIMIT ?)"
    row = cur.execute(bound_sql, [limit]).fetchall()
    oldest = row[0][0] if row and row[0][0] else datetime(1970, 1, 1) + TAG_SLACK
    joins, sel = effective_sql(cur, bounded=True)
    area = "WHERE coalesce(in_area, FALSE)" if in_area_only else ""
    df = cur.execute(
        f"""
        SELECT * FROM (
            SELECT i.id, i.published_at, i.outlet, i.source_type, {SHOWN_TITLE} AS title, i.summary, i.url, {sel}
            FROM items i {joins}
            WHERE i.published_at >= ?
        ) {area}
        ORDER BY published_at DESC, id
        LIMIT ?
        """,
        [oldest - TAG_SLACK, oldest, limit],
    ).df()
    return _n_sources(cur, df, oldest)


def item_detail(cur: "duckdb.DuckDBPyConnection", item_id: str) -> dict[str, Any] | None:
    """One item with its effective tags, the model's own tags, its links (every source that carried it)."""
    res = cur.execute(
        """SELECT i.id, i.published_at, i.fetched_at, i.outlet, i.source_type, i.source, i.title, i.summary,
                  i.url, i.author, i.collector, i.published_estimated FROM items i WHERE i.id = ?""",
        [item_id],
    )
    cols = [d[0] for d in res.description]
    row = one(res)
    if row is None:
        return None
    out = dict(zip(cols, row))
    joins, sel = effective_sql(cur, bounded=True)
    eff = one(cur.execute(f"SELECT {sel} FROM (SELECT ? AS id) i {joins}",
                          [item_id, out["fetched_at"] - TAG_SLACK]))
    out.update(dict(zip(("topics", "sentiment", "places", "in_area", "corrected"), eff)))
    shown = one(cur.execute(f"""SELECT {shown_title_sql('i.title', 't.title_restored')} FROM items i
                                LEFT JOIN item_tags t ON t.item_id = i.id AND t.tagged_at >= ? WHERE i.id = ?""",
                            [out["fetched_at"] - TAG_SLACK, item_id]))
    out["title_raw"] = out["title"]  # as published; `title` is what the lists show (restored when it had no marks)
    out["title"] = shown[0]
    # the shown title has marks the published one lacks (restored), not only capitals (a social title's names)
    out["title_marks_added"] = bool(out["title"]) and str(out["title"]).lower() != str(out["title_raw"] or "").lower()
    out["links"] = [
        {"source": s, "url": u, "seen_at": t}
        for s, u, t in cur.execute(
            "SELECT source, url, seen_at FROM item_links WHERE item_id = ? AND seen_at >= ? ORDER BY seen_at",
            [item_id, out["fetched_at"] - TAG_SLACK],
        ).fetchall()
    ]
    out["model"] = None
    r = one(cur.execute(
        """SELECT model_version, topics, sentiment, places, in_area, place_details FROM item_tags
           WHERE item_id = ? AND tagged_at >= ?""",
        [item_id, out["fetched_at"] - TAG_SLACK],
    ))
    if r:
        out["model"] = {"model_version": r[0], "topics": r[1], "sentiment": r[2], "places": r[3], "in_area": r[4],
                        "place_details": json.loads(r[5]) if isinstance(r[5], str) else (r[5] or [])}
    return out


def filter_options(cur: "duckdb.DuckDBPyConnection", since: datetime) -> dict[str, list[str]]:
    """Values offered by the explorer's filters: outlets (all), places seen since `since`."""
    outlets = [r[0] for r in cur.execute(  # Vietnamese order: «Đài PT-TH» under D, not after «Znews»
        "SELECT DISTINCT outlet FROM items ORDER BY outlet COLLATE vi").fetchall()]
    places = [r[0] for r in cur.execute(
        """
        SELECT p FROM (
            SELECT unnest(t.places) AS p FROM items i JOIN item_tags t ON t.item_id = i.id
            WHERE i.published_at >= ? AND t.tagged_at >= ?
        ) GROUP BY p ORDER BY count(*) DESC, p LIMIT 300
        """,
        [since, since - TAG_SLACK],
    ).fetchall()]
    return {"outlets": outlets, "places": places}


# --- topics and places -----------------------------------------------------------------------

def topic_trends(cur: "duckdb.DuckDBPyConnection", start: datetime, mid: datetime, end: datetime) -> pd.DataFrame:
    """topic, n_now (mid..end), n_prev (start..mid), neg_now, neg_prev, by the effective tags (as Tin bài
    filters them, so a bar opens exactly its items)."""
    return cur.execute(
        f"""
        SELECT tp AS topic,
               count(*) FILTER (WHERE published_at >= ?) AS n_now,
               count(*) FILTER (WHERE published_at < ?) AS n_prev,
               count(*) FILTER (WHERE published_at >= ? AND sentiment = 'negative') AS neg_now,
               count(*) FILTER (WHERE published_at < ? AND sentiment = 'negative') AS neg_prev
        FROM (SELECT published_at, sentiment, unnest(topics) AS tp FROM ({_tagged_items_sql(cur)}))
        GROUP BY tp ORDER BY n_now DESC, tp
        """,
        [mid, mid, mid, mid, start - TAG_SLACK, start, end],
    ).df()


def unit_names(name_2025: str | None) -> list[str]:
    """The 2025 units a place entry stands for. An abolished district's entry names every unit it became
    ("Phường Uông Bí, Phường Vàng Danh, Phường Yên Tử"); tables count the item under each of them."""
    return [n.strip() for n in (name_2025 or "").split(",") if n.strip()]


def entry_units(e: dict[str, Any]) -> list[str]:
    """The 2025 units one place-details entry counts under: none for a province («tỉnh Nghệ An», level "province"),
    which is no 2025 unit. Until ux42 (round 32) «Tỉnh Nghệ An» was a row of Chủ đề's «Đơn vị mới (2025)», of the
    report's Bảng 5 and of the map's table, counting every item that named the province."""
    if str(e.get("level") or "") == "province":
        return []
    return unit_names(e.get("name_2025") or e.get("name"))


def place_trends(cur: "duckdb.DuckDBPyConnection", start: datetime, mid: datetime, end: datetime,
                 in_area_only: bool = True, names_since: datetime | None = None) -> pd.DataFrame:
    """Per 2025 unit (or landmark's unit): name_2025, old names seen, n_now, n_prev, neg_now, neg_prev,
    by the effective places and sentiment (staff corrections over the model's, as Tin bài filters them).

    Items are counted once per 2025 unit even when they name several old wards of it. An item keeps its
    model's place details unless staff corrected its places; then each corrected place name stands for
    the units `unit_place_names` (from `names_since`, what the map's click passes) expands to it, so the
    map's count is what its click lists. The database groups by the place-details text (a few hundred
    distinct values) or the corrected list, which is parsed here, not once per item."""
    import pandas as pd

    cols = ["name_2025", "old_names", "n_now", "n_prev", "neg_now", "neg_prev", "in_area"]
    extra = ", CAST(t.place_details AS VARCHAR) AS d_model, h.h_places IS NOT NULL AS fixed"
    rows = cur.execute(
        f"""
        SELECT CASE WHEN fixed THEN NULL ELSE d_model END AS d,
               CASE WHEN fixed THEN places END AS fixed_places,
               count(*) FILTER (WHERE published_at >= ?) AS n_now,
               count(*) FILTER (WHERE published_at < ?) AS n_prev,
               count(*) FILTER (WHERE published_at >= ? AND sentiment = 'negative') AS neg_now,
               count(*) FILTER (WHERE published_at < ? AND sentiment = 'negative') AS neg_prev
        FROM ({_tagged_items_sql(cur, extra)})
        WHERE len(places) > 0
        GROUP BY ALL
        """,
        [mid, mid, mid, mid, start - TAG_SLACK, start, end],
    ).fetchall()
    fixed_names = sorted({p for r in rows if r[1] is not None for p in r[1]})
    by_name = _place_entries(cur, fixed_names, names_since or start) if fixed_names else {}
    units: dict[str, dict[str, Any]] = {}
    for d, fixed_places, *counts in rows:
        if fixed_places is not None:
            details: Any = [e for p in dict.fromkeys(fixed_places) for e in by_name.get(p, [])]
        else:
            try:
                details = json.loads(d) if d else []
            except ValueError:
                continue
        _count_units(units, details if isinstance(details, list) else [], counts)
    out = [dict(u, old_names=sorted(u["old_names"])) for u in units.values() if u["in_area"] or not in_area_only]
    out.sort(key=lambda u: (-u["n_now"], u["name_2025"]))
    return pd.DataFrame(out, columns=cols)


def _count_units(units: dict[str, dict[str, Any]], details: list[dict[str, Any]], counts: Sequence[int]) -> None:
    """Add one group of items (n_now, n_prev, neg_now, neg_prev) to each 2025 unit its place entries
    stand for, once per unit."""
    seen: set[str] = set()
    for e in details:
        for name in entry_units(e):
            u = units.setdefault(name, {"name_2025": name, "old_names": set(), "n_now": 0, "n_prev": 0,
                                        "neg_now": 0, "neg_prev": 0, "in_area": False})
            if "old" in str(e.get("level") or "") and (e.get("old_name") or e.get("name")):
                u["old_names"].add(e.get("old_name") or e.get("name"))
            u["in_area"] = u["in_area"] or bool(e.get("in_area"))
            if name in seen:  # one item, two old wards of the same new unit: counted once
                continue
            seen.add(name)
            for k, n in zip(("n_now", "n_prev", "neg_now", "neg_prev"), counts):
                u[k] += int(n)


def _place_entries(cur: "duckdb.DuckDBPyConnection", names: Sequence[str] | None,
                   since: datetime | None) -> dict[str, list[dict[str, Any]]]:
    """Place name items carry → the place-details entries (of items tagged since `since`) it is the
    display of: how a place name maps to 2025 units. With `names`, only those names."""
    cond, params = "", [(since - TAG_SLACK) if since is not None else datetime(1970, 1, 1)]
    if names is not None:
        cond, params = " AND list_has_any(t.places, ?::VARCHAR[])", [*params, list(names)]
    rows = cur.execute(
        f"""
        SELECT DISTINCT CAST(t.place_details AS VARCHAR), CAST(t.places AS VARCHAR[])
        FROM item_tags t WHERE len(t.places) > 0 AND t.tagged_at >= ?{cond}
        """,
        params,
    ).fetchall()
    out: dict[str, list[dict[str, Any]]] = {}
    for d, places in rows:
        try:
            details = json.loads(d) if d else []
        except ValueError:
            continue
        for e in details if isinstance(details, list) else []:
            disp = e.get("display") or e.get("name")
            if disp in (places or []) and e not in out.setdefault(disp, []):
                out[disp].append(e)
    return out


def unit_place_names(cur: "duckdb.DuckDBPyConnection", units: Sequence[str], since: datetime | None) -> list[str]:
    """The place strings items carry (`places`) whose entry stands for one of these 2025 units, so a click
    on a unit of the map can filter the item list by the same rule `place_trends` counted it with."""
    wanted = set(units)
    return sorted(p for p, entries in _place_entries(cur, None, since).items()
                  if any(wanted & set(entry_units(e)) for e in entries))


# --- briefing --------------------------------------------------------------------------------

def top_stories(cur: "duckdb.DuckDBPyConnection", since: datetime, limit: int = 10) -> pd.DataFrame:
    """Stories active since `since`, biggest first."""
    return cur.execute(
        """
        SELECT story_id, title, first_seen, last_seen, n_items, n_outlets, outlets, topics, places, in_area,
               n_negative
        FROM stories WHERE last_seen >= ?
        ORDER BY in_area DESC, n_items DESC, n_outlets DESC, last_seen DESC LIMIT ?
        """,
        [since, limit],
    ).df()


def negative_items(cur: "duckdb.DuckDBPyConnection", since: datetime, limit: int = 30) -> pd.DataFrame:
    """Notable negative items since `since`: in the area first, then most widely carried, newest. By the
    effective tags (a staff correction of sentiment, topics or places counts, as on Tin bài and the charts)."""
    joins, sel = effective_sql(cur, bounded=True)
    return cur.execute(
        f"""
        WITH eff AS (
            SELECT i.id, i.published_at, i.outlet, i.source_type, {SHOWN_TITLE} AS title, i.url, {sel}
            FROM items i {joins}
            WHERE i.published_at >= ?
        ), neg AS (
            SELECT id, published_at, outlet, source_type, title, url, topics, places, in_area
            FROM eff WHERE sentiment = 'negative'
        ), links AS (
            SELECT item_id, count(*) AS n_sources FROM item_links
            WHERE seen_at >= ? AND item_id IN (SELECT id FROM neg) GROUP BY item_id
        )
        SELECT neg.*, coalesce(links.n_sources, 1) AS n_sources
        FROM neg LEFT JOIN links ON links.item_id = neg.id
        ORDER BY coalesce(neg.in_area, FALSE) DESC, n_sources DESC, neg.published_at DESC
        LIMIT ?
        """,
        [since - TAG_SLACK, since, since - TAG_SLACK, limit],
    ).df()


# --- sources ---------------------------------------------------------------------------------

def source_volume(cur: "duckdb.DuckDBPyConnection", since: datetime) -> pd.DataFrame:
    """day, source, n: sightings per source per day since `since` (for the sources page sparkline)."""
    return cur.execute(
        """
        SELECT date_trunc('day', seen_at) AS day, source, count(*) AS n
        FROM item_links WHERE seen_at >= ? GROUP BY ALL ORDER BY day
        """,
        [since],
    ).df()


def recent_errors(cur: "duckdb.DuckDBPyConnection", limit: int = 50) -> pd.DataFrame:
    return cur.execute(
        """
        SELECT started_at, source, http_status, error_kind, error
        FROM fetch_log WHERE outcome = 'error' ORDER BY started_at DESC, id DESC LIMIT ?
        """,
        [limit],
    ).df()


# --- alerts (read helpers the alerts part does not provide) ----------------------------------

def alert_history(cur: "duckdb.DuckDBPyConnection", alert_id: str) -> pd.DataFrame:
    """Every event of one alert, oldest first (raise, transitions, notes, assignment, merges)."""
    return cur.execute(
        """SELECT "at", username, action, from_state, to_state, note FROM alert_events
           WHERE alert_id = ? ORDER BY "at", id""",
        [alert_id],
    ).df()


def alert_notes_since(cur: "duckdb.DuckDBPyConnection", since: datetime) -> pd.DataFrame:
    """What staff did on alerts since `since` (notes, transitions, assignments…), oldest first."""
    return cur.execute(
        """SELECT alert_id, "at", username, action, from_state, to_state, note FROM alert_events
           WHERE username <> 'system' AND "at" >= ? ORDER BY "at", id""",
        [since],
    ).df()


_OPEN_SQL = "status IN ('new', 'acknowledged', 'assigned', 'reopened')"


def alerts_for_briefing(cur: "duckdb.DuckDBPyConnection", since: datetime, limit: int = 200) -> pd.DataFrame:
    """Alerts raised since `since`, plus every alert still open (whatever its age): the first `limit` in the
    queue's order (store.sqlparts.QUEUE_ORDER_SQL: open first, then severity, priority, status, newest), so a cut keeps
    the ones that matter; `briefing_alert_counts` counts them all."""
    return cur.execute(
        f"""
        SELECT alert_id, raised_at, title, topics, places, n_items, n_outlets, severity, score, reason, status,
               priority, assignee, close_reason, updated_at, raised_at >= ? AS is_new
        FROM alerts
        WHERE status <> 'merged' AND (raised_at >= ? OR {_OPEN_SQL})
        ORDER BY {QUEUE_ORDER_SQL}
        LIMIT ?
        """,
        [since, since, limit],
    ).df()


def briefing_alert_counts(cur: "duckdb.DuckDBPyConnection", since: datetime) -> dict[str, int]:
    """What section I of the briefing counts: alerts in it (`total`), raised since `since` (`new`), open (`open`)."""
    row = one(cur.execute(
        f"""SELECT count(*), count(*) FILTER (WHERE raised_at >= ?), count(*) FILTER (WHERE {_OPEN_SQL})
            FROM alerts WHERE status <> 'merged' AND (raised_at >= ? OR {_OPEN_SQL})""", [since, since]))
    return {"total": int(row[0]), "new": int(row[1]), "open": int(row[2])}


def alert_status_counts(cur: "duckdb.DuckDBPyConnection") -> dict[str, int]:
    return dict(cur.execute("SELECT status, count(*) FROM alerts GROUP BY status").fetchall())
