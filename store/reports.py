"""Report queries (weekly summary, rapid report), proposals text and the report archive (migration 050).

    weekly_figures(cur, window, area)
        items published in [prev_start, end) ──effective tags (model, overridden by staff corrections)──▶
        in scope? (area '' → in_area; area 'Uông Bí' → a place naming it) ──▶ one temp table (works read-only too)
        ──▶ small aggregations: outlets, sentiment, topics, places, days, negative items, appendix,
            stories (story_items ⋈ stories) with their handling (alerts, alert_events), alerts raised
    topics_and_places(cur, window, area, in_area_only)  Bảng 4 and 5 alone, on the same scope table and queries:
        the Chủ đề & địa bàn page's «Tuần báo cáo»; scope_items(…, topic | unit) the items behind one figure
    rapid_figures(cur, alert_id | story_id) ──▶ the alert, its story's items, its audit trail

Every table is there (Database.migrate applies every migration). Times in and out are naive UTC.
"""

from __future__ import annotations

import json
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from store.db import one
from store import cases as store_cases
from store.alerts import get_alert
from store.dashboard import entry_units
from store.sqlparts import latest_labels_join, shown_title_sql

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

# --------------------------------------------------------------------------------------------- area
def fold(text: str) -> str:
    """Lower-case, no diacritics, đ→d (as vocab.folding does), for matching place names."""
    s = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def area_regex(area: str | None) -> str | None:
    """RE2 pattern matching the folded area name as whole words ('Uông Bí' → '\\buong\\s+bi\\b'); None = province."""
    words = re.findall(r"[a-z0-9]+", fold(area or ""))
    if not words:
        return None
    return r"\b" + r"\s+".join(words) + r"\b"


# A staff member as the reports name them, of `users u` LEFT JOINed on a login: the display name, the login when the
# account has none, NULL for a login no account has (a synthetic «demo», an imported event). The dashboard's rule
# (dashboard.data.person): until round 27 the weekly report printed such a login as it was, «Đã xử lý xong – demo»,
# where Trước giao ban names nobody.
PERSON_SQL = "coalesce(nullif(trim(u.display_name), ''), u.username)"
_FOLD_SQL = "lower(strip_accents(replace(replace({x}, 'đ', 'd'), 'Đ', 'D')))"


def _place_match_sql(col: str, pattern: str) -> str:
    """A place of `col` names the area, and is not a province: most provincial capitals share their province's
    name, so "tỉnh Bắc Giang cũ, nay tỉnh Bắc Ninh" or "tỉnh Lào Cai" (the whole province) must not put an
    item in the report of TP Bắc Giang cũ or TP Lào Cai cũ."""
    # `pattern` holds only [a-z0-9], \b and \s+ (area_regex), so it is safe inside a literal.
    folded = _FOLD_SQL.format(x='p')
    return (f"coalesce(len(list_filter({col}, lambda p: regexp_matches({folded}, '{pattern}') "
            f"AND NOT starts_with({folded}, 'tinh '))) > 0, FALSE)")


def effective_joins(where: str = "") -> str:
    """The joins giving item row `i` its effective topics, sentiment, places, in_area: a staff correction
    (human_labels) first, then the NLP tags (item_tags), then the copy the story grouping keeps (story_items;
    `langnghe replay --tagger fixture` fills only that one). `where` (a `WHERE …` on item_id) cuts each of
    the three tables before it is joined: one owner of the join, with or without the cut."""
    def table(name: str) -> str:
        return f"(SELECT * FROM {name} {where})" if where else name

    return (f"LEFT JOIN {table('item_tags')} t ON t.item_id = i.id "
            f"LEFT JOIN {table('story_items')} s ON s.item_id = i.id" + latest_labels_join(where))


EFFECTIVE_JOINS = effective_joins()
EFFECTIVE_COLS = ", ".join(f"coalesce({h}, t.{c}, s.{c}) AS {c}" for c, h in (
    ("topics", "from_json(h.h_topics, '[\"VARCHAR\"]')"),
    ("sentiment", "json_extract_string(h.h_sentiment, '$')"),
    ("places", "from_json(h.h_places, '[\"VARCHAR\"]')"),
    ("in_area", "CAST(json_extract_string(h.h_in_area, '$') AS BOOLEAN)"),
))
# The title shown for item row `i` (after EFFECTIVE_JOINS): restored when it was written without diacritics.
SHOWN_TITLE = shown_title_sql("i.title", "t.title_restored", "s.title_restored")
# True when item row `i` has tags from either source (after EFFECTIVE_JOINS).
TAGGED_SQL = "t.item_id IS NOT NULL OR s.item_id IS NOT NULL"


def _joins_for_ids() -> str:
    """The effective joins with each joined table cut to the item ids of a CTE `ids` first: a rapid report on
    nine items built hash tables of every tag row (+200 MB at 300,000 items, growing with the database)."""
    return effective_joins("WHERE item_id IN (SELECT item_id FROM ids)")


# --------------------------------------------------------------------------------------------- weekly
@dataclass(frozen=True)
class Window:
    """Report period [start, end) and the comparison period [prev_start, prev_end), naive UTC."""

    start: datetime
    end: datetime
    prev_start: datetime
    prev_end: datetime


def weekly_figures(
    cur: "duckdb.DuckDBPyConnection",
    w: Window,
    area: str | None = None,
    *,
    top_stories: int = 10,
    negative_items: int = 30,
    top_places: int = 20,
) -> dict[str, Any]:
    """Everything the weekly report shows, as DataFrames and numbers (see the module docstring).

    Keys: totals {all_now, all_prev, tagged_now, scope_now, scope_prev}, outlets, sentiment, topics, places,
    daily, negative, appendix, stories, stories_total, alerts, cases (store.cases.figures per channel).
    """
    pattern = area_regex(area)
    row = one(cur.execute(
        f"""
        SELECT count(*) FILTER (WHERE i.published_at >= ?), count(*) FILTER (WHERE i.published_at < ?),
               count(*) FILTER (WHERE i.published_at >= ? AND ({TAGGED_SQL}))
        FROM items i {EFFECTIVE_JOINS}
        WHERE (i.published_at >= ? AND i.published_at < ?) OR (i.published_at >= ? AND i.published_at < ?)
        """,
        [w.start, w.start, w.start, w.start, w.end, w.prev_start, w.prev_end],
    ))
    totals = {"all_now": int(row[0]), "all_prev": int(row[1]), "tagged_now": int(row[2])}

    with _scope(cur, w, pattern):
        out = _aggregate(cur, w, pattern, top_stories, negative_items, top_places)
    out["totals"] = {**totals, "scope_now": int(out.pop("_scope_now")), "scope_prev": int(out.pop("_scope_prev"))}
    out["cases"] = store_cases.figures(cur, w.start, w.end, w.end)   # complaints received in the week
    return out


def _scope_sql(pattern: str | None, in_area_only: bool) -> str:
    """Which items of the period a report counts: those naming the area (`pattern`), else those the tagger put in the
    watched area; with `in_area_only` off (the Chủ đề & địa bàn page's switch), every tagged item."""
    if pattern:
        return _place_match_sql("places", pattern)
    return "coalesce(in_area, FALSE)" if in_area_only else "tagged"


def _fill_scope(cur: "duckdb.DuckDBPyConnection", w: Window, pattern: str | None, in_area_only: bool = True) -> None:
    """The temp table `_rs`: the items of [prev_start, end) in scope, with their effective tags and `now` (in the
    period itself). Every count of the weekly report and of `topics_and_places` reads it: one owner of the window."""
    cur.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _rs AS
        WITH e AS (
            SELECT i.id, i.published_at, i.source_type, i.outlet, {SHOWN_TITLE} AS title, i.url, {EFFECTIVE_COLS},
                   CAST(t.place_details AS VARCHAR) AS place_details, h.h_places IS NOT NULL AS places_corrected,
                   ({TAGGED_SQL}) AS tagged
            FROM items i {EFFECTIVE_JOINS}
            WHERE (i.published_at >= ? AND i.published_at < ?) OR (i.published_at >= ? AND i.published_at < ?)
        )
        SELECT id, published_at, source_type, outlet, title, url,
               coalesce(topics, []::VARCHAR[]) AS topics, sentiment, coalesce(places, []::VARCHAR[]) AS places,
               in_area, published_at >= ? AS now, place_details, places_corrected
        FROM e WHERE {_scope_sql(pattern, in_area_only)}
        """,
        [w.start, w.end, w.prev_start, w.prev_end, w.start],
    )


@contextmanager
def _scope(cur: "duckdb.DuckDBPyConnection", w: Window, pattern: str | None,
           in_area_only: bool = True) -> Iterator[None]:
    """`_rs` (`_fill_scope`) for the `with` block; dropped after it, whatever happened."""
    _fill_scope(cur, w, pattern, in_area_only)
    try:
        yield
    finally:
        cur.execute("DROP TABLE IF EXISTS temp._rs")


def _scope_counts(cur: "duckdb.DuckDBPyConnection") -> tuple[int, int]:
    """Items in scope in the period and in the one before it (`_rs`)."""
    n = one(cur.execute("SELECT count(*) FILTER (WHERE now), count(*) FILTER (WHERE NOT now) FROM _rs"))
    return int(n[0]), int(n[1])


def _topics_places(cur: "duckdb.DuckDBPyConnection", top_places: int | None) -> dict[str, Any]:
    """Bảng 4 (items per topic; an item without a topic under 'other') and Bảng 5 (items per 2025 unit, the
    `top_places` busiest) over `_rs`, this period and the previous one; `places_province_only`: this period's items
    that name the province alone (`_place_table`), under no row of Bảng 5."""
    topics = cur.execute(
        """
        SELECT tp AS topic, count(*) FILTER (WHERE now) AS n_now, count(*) FILTER (WHERE NOT now) AS n_prev,
               count(*) FILTER (WHERE now AND sentiment = 'negative') AS neg_now
        FROM (SELECT now, sentiment, unnest(CASE WHEN len(topics) > 0 THEN topics ELSE ['other'] END) AS tp FROM _rs)
        GROUP BY tp ORDER BY n_now DESC, n_prev DESC, tp
        """
    ).df()
    places, province_only = _place_table(cur, top_places)
    return {"topics": topics, "places": places, "places_province_only": province_only}


def topics_and_places(cur: "duckdb.DuckDBPyConnection", w: Window, area: str | None = None, *,
                      in_area_only: bool = True, top_places: int | None = 20) -> dict[str, Any]:
    """The weekly report's Bảng 4 and Bảng 5 for window `w` without the rest of the report: the Chủ đề & địa bàn
    page shows them for a report week, so both count by the same scope, window and query (`_fill_scope`,
    `_topics_places`). Keys: topics, places (as weekly_figures), scope_now, scope_prev (items in scope)."""
    with _scope(cur, w, area_regex(area), in_area_only):
        out: dict[str, Any] = _topics_places(cur, top_places)
        out["scope_now"], out["scope_prev"] = _scope_counts(cur)
    return out


ITEM_COLS = ["id", "published_at", "source_type", "outlet", "title", "url", "sentiment", "topics", "places"]


def scope_items(cur: "duckdb.DuckDBPyConnection", w: Window, area: str | None = None, *, in_area_only: bool = True,
                topic: str | None = None, unit: str | None = None, previous: bool = False,
                limit: int = 200) -> tuple[pd.DataFrame, int]:
    """The items behind one figure of `topics_and_places` (a topic's row, or a 2025 unit's by `place_units`), newest
    first: at most `limit` of them, and how many there are. In the period itself, or with `previous` in the one
    before it (the paler «Tuần trước» bar: a click on it listed this week's items, under that bar's topic)."""
    with _scope(cur, w, area_regex(area), in_area_only):
        where, params = [_period_sql(previous)], []
        if topic:
            where.append("list_contains(CASE WHEN len(topics) > 0 THEN topics ELSE ['other'] END, ?)")
            params.append(topic)
        if unit:
            where.append(f"{_GROUP_SQL} IN (SELECT unnest(?::VARCHAR[]))")
            params.append(_unit_groups(cur, unit, previous))
        cond = " AND ".join(where)
        total = int(one(cur.execute(f"SELECT count(*) FROM _rs WHERE {cond}", params))[0])
        df = cur.execute(f"SELECT {', '.join(ITEM_COLS)} FROM _rs WHERE {cond} ORDER BY published_at DESC, id LIMIT ?",
                         [*params, int(limit)]).df()
    return df, total


def _period_sql(previous: bool) -> str:
    """The rows of `_rs` in the period itself (`now`, the figures' «Tuần này» / «Kỳ này») or in the one before it."""
    return "NOT now" if previous else "now"


# one key per distinct (places, place details, corrected): a few hundred in a week, each split into units once
_GROUP_SQL = "md5(coalesce(place_details, '') || '|' || CAST(places AS VARCHAR) || '|' || CAST(places_corrected AS VARCHAR))"


def _unit_groups(cur: "duckdb.DuckDBPyConnection", unit: str, previous: bool = False) -> list[str]:
    """The `_GROUP_SQL` keys of `_rs` whose items count under 2025 unit `unit` in Bảng 5 (`place_units`), in the
    period (or with `previous` the one before it)."""
    rows = cur.execute(
        f"SELECT DISTINCT {_GROUP_SQL}, places, place_details, places_corrected FROM _rs "
        f"WHERE {_period_sql(previous)} AND len(places) > 0"
    ).fetchall()
    return [k for k, places, details, corrected in rows if unit in place_units(places, details, bool(corrected))]



def _aggregate(cur: "duckdb.DuckDBPyConnection", w: Window, pattern: str | None,
               top_stories: int, negative_items: int, top_places: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    out["_scope_now"], out["_scope_prev"] = _scope_counts(cur)
    out["outlets"] = cur.execute(
        """
        SELECT source_type, outlet, count(*) FILTER (WHERE now) AS n_now, count(*) FILTER (WHERE NOT now) AS n_prev
        FROM _rs GROUP BY ALL ORDER BY source_type, n_now DESC, n_prev DESC, outlet
        """
    ).df()
    out["sentiment"] = cur.execute(
        """
        SELECT coalesce(sentiment, 'unknown') AS sentiment,
               count(*) FILTER (WHERE now) AS n_now, count(*) FILTER (WHERE NOT now) AS n_prev
        FROM _rs GROUP BY ALL
        """
    ).df()
    out.update(_topics_places(cur, top_places))  # Bảng 4 and 5, as the Chủ đề & địa bàn page
    out["daily"] = cur.execute(
        """
        SELECT CAST(published_at + INTERVAL 7 HOUR AS DATE) AS day, source_type, count(*) AS n
        FROM _rs WHERE now GROUP BY ALL ORDER BY day, source_type
        """
    ).df()
    out["negative"] = cur.execute(
        """
        WITH neg AS (SELECT * FROM _rs WHERE now AND sentiment = 'negative')
        SELECT neg.id, neg.published_at, neg.source_type, neg.outlet, neg.title, neg.url, neg.topics, neg.places,
               (SELECT count(*) FROM item_links l WHERE l.item_id = neg.id) AS n_sources
        FROM neg ORDER BY n_sources DESC, published_at DESC, id LIMIT ?
        """,
        [int(negative_items)],
    ).df()
    out["appendix"] = cur.execute(
        """
        WITH l AS (SELECT item_id, count(*) AS n_sources FROM item_links
                   WHERE item_id IN (SELECT id FROM _rs WHERE now) GROUP BY item_id)
        SELECT r.id, r.published_at, r.source_type, r.outlet, r.title, r.topics,
               coalesce(r.sentiment, 'unknown') AS sentiment, r.places, r.url, coalesce(l.n_sources, 1) AS n_sources
        FROM _rs r LEFT JOIN l ON l.item_id = r.id
        WHERE r.now ORDER BY r.published_at, r.id
        """
    ).df()
    out["stories"] = _stories(cur, top_stories)
    out["stories_total"] = int(one(cur.execute(
        "SELECT count(DISTINCT s.story_id) FROM story_items s JOIN _rs r ON r.id = s.item_id WHERE r.now"
    ))[0])
    out["alerts"] = _alerts_raised(cur, w, pattern)
    return out


def place_units(places: Any, details: Any, corrected: bool = False) -> list[str]:
    """The rows an item counts under in a place table or chart: each 2025 unit its place details name,
    once each (an abolished district's entry names every unit it became, so "TP Uông Bí cũ" counts under
    Phường Uông Bí, Phường Vàng Danh and Phường Yên Tử, never under one combined row). The place labels
    themselves when staff corrected the places or the item has no details."""
    if isinstance(details, str):
        try:
            details = json.loads(details)
        except ValueError:
            details = None
    out: list[str] = []
    by_details = not corrected and isinstance(details, list) and bool(details)
    if by_details:
        for e in details:
            if isinstance(e, dict):
                out.extend(entry_units(e))  # a province's entry: no unit (ux42)
    # the labels only without details: an item naming only «tỉnh Nghệ An» counts under no unit, not «tỉnh Nghệ An»
    if not by_details and hasattr(places, "__iter__") and not isinstance(places, str):  # untagged: NA, no places
        out = [str(p) for p in places if p]
    return list(dict.fromkeys(out))


def _names_only_province(details: Any) -> bool:
    """The model's place details name a province and no 2025 unit (`entry_units` gives none of them any)."""
    if isinstance(details, str):
        try:
            details = json.loads(details)
        except ValueError:
            return False
    return isinstance(details, list) and any(
        isinstance(e, dict) and str(e.get("level") or "") == "province" for e in details)


def _place_table(cur: "duckdb.DuckDBPyConnection", limit: int | None) -> tuple[pd.DataFrame, int]:
    """Bảng 5: items per 2025 unit (place_units), this week and the previous one, and this week's items that name
    only the province (no unit: since ux42 a province is no row; fix38 counts them for a line under the table, or
    Quảng Ninh's «tỉnh Quảng Ninh» items, its busiest row before, went unsaid). The database groups by the
    place-details text (a few hundred distinct values); each group is split into units here."""
    import pandas as pd

    rows = cur.execute(
        """
        SELECT places, place_details, places_corrected, count(*) FILTER (WHERE now),
               count(*) FILTER (WHERE NOT now), count(*) FILTER (WHERE now AND sentiment = 'negative')
        FROM _rs WHERE len(places) > 0 GROUP BY ALL
        """
    ).fetchall()
    units: dict[str, list[int]] = {}
    province_only = 0
    for places, details, corrected, n_now, n_prev, neg_now in rows:
        named = place_units(places, details, bool(corrected))
        if not named and not corrected and _names_only_province(details):
            province_only += int(n_now)
        for u in named:
            c = units.setdefault(u, [0, 0, 0])
            c[0] += n_now
            c[1] += n_prev
            c[2] += neg_now
    out = sorted(((u, *c) for u, c in units.items() if c[0] > 0), key=lambda r: (-r[1], -r[2], r[0]))[:limit]  # None: all
    return pd.DataFrame(out, columns=["place", "n_now", "n_prev", "neg_now"]), province_only


def _stories(cur: "duckdb.DuckDBPyConnection", limit: int) -> pd.DataFrame:
    cols = ["story_id", "title", "first_seen", "n_items", "n_outlets", "outlets", "n_negative", "n_neutral",
            "n_positive", "n_unknown", "places", "topics", "alert_id", "alert_status", "severity", "assignee",
            "reviewers", "notes"]
    df = cur.execute(
        """
        WITH si AS (SELECT s.story_id, r.* FROM story_items s JOIN _rs r ON r.id = s.item_id WHERE r.now)
        SELECT si.story_id, st.title, st.first_seen, count(*) AS n_items, count(DISTINCT si.outlet) AS n_outlets,
               list_sort(list_distinct(list(si.outlet))) AS outlets,
               count(*) FILTER (WHERE si.sentiment = 'negative') AS n_negative,
               count(*) FILTER (WHERE si.sentiment = 'neutral') AS n_neutral,
               count(*) FILTER (WHERE si.sentiment = 'positive') AS n_positive,
               count(*) FILTER (WHERE si.sentiment IS NULL) AS n_unknown,
               list_sort(list_distinct(flatten(list(si.places)))) AS places,
               list_sort(list_distinct(flatten(list(si.topics)))) AS topics
        FROM si JOIN stories st ON st.story_id = si.story_id
        GROUP BY si.story_id, st.title, st.first_seen
        ORDER BY n_items DESC, n_outlets DESC, st.first_seen, si.story_id
        LIMIT ?
        """,
        [int(limit)],
    ).df()
    handling = story_handling(cur, list(df["story_id"]))
    for c in ("alert_id", "alert_status", "severity", "assignee", "reviewers", "notes"):
        df[c] = [handling.get(s, {}).get(c) for s in df["story_id"]]
    return df[cols]


def _staff_note_sql(alert: str) -> str:
    """The note staff typed with an event, as SQL over `e` (alert_events) and the alert `alert`: a note given with a
    status change or an assignment ("Đã nắm thông tin") is stored after the system's own words ("Giao cho: nv.an; …",
    "Lý do: …; …"), and Bảng 8 listed only separate notes until round 14. The assignee has its own column and the
    alert's close reason is printed as «Lý do đóng», so those prefixes are cut; an older closure's reason stays."""
    reason = f"'Lý do: ' || {alert}.close_reason"
    return f"""CASE e.action
        WHEN 'note' THEN e.note
        WHEN 'assign' THEN nullif(regexp_replace(e.note, '^Giao cho: [^;]*(; )?', ''), '')
        WHEN 'transition' THEN nullif(CASE WHEN {alert}.close_reason IS NOT NULL AND starts_with(e.note, {reason})
            THEN regexp_replace(substr(e.note, length({reason}) + 1), '^; ', '') ELSE e.note END, '')
        END"""


def story_handling(cur: "duckdb.DuckDBPyConnection", story_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """story_id → its latest alert (not one merged away): alert_id, alert_status, severity, assignee,
    reviewers (people who acted on any of the story's alerts), notes (notes and close reasons, oldest first).
    People are given by display name (login names belong to Quản trị), the login name when there is none."""
    if not story_ids:
        return {}
    rows = cur.execute(
        f"""
        WITH a AS (SELECT * FROM alerts WHERE story_id IN (SELECT unnest(?::VARCHAR[])) AND status <> 'merged'),
             latest AS (SELECT story_id, arg_max(alert_id, seq) AS alert_id, arg_max(status, seq) AS status,
                               arg_max(severity, seq) AS severity, arg_max(assignee, seq) AS assignee,
                               list(close_reason ORDER BY seq) FILTER (WHERE close_reason IS NOT NULL) AS reasons
                        FROM a GROUP BY story_id)
        SELECT l.story_id, l.alert_id, l.status, l.severity,
               (SELECT {PERSON_SQL} FROM users u WHERE u.username = l.assignee) AS assignee,
               l.reasons,
               (SELECT list_sort(list_distinct(list({PERSON_SQL})))
                FROM alert_events e JOIN alerts x USING (alert_id) LEFT JOIN users u ON u.username = e.username
                WHERE x.story_id = l.story_id AND e.username <> 'system') AS reviewers,
               (SELECT list(n ORDER BY t, k) FROM (SELECT e.at AS t, e.id AS k, {_staff_note_sql('x')} AS n
                FROM alert_events e JOIN alerts x USING (alert_id) WHERE x.story_id = l.story_id) WHERE n IS NOT NULL)
               AS notes
        FROM latest l
        """,
        [list(story_ids)],
    ).fetchall()
    out = {}
    for sid, aid, status, sev, assignee, reasons, reviewers, notes in rows:
        out[sid] = {"alert_id": aid, "alert_status": status, "severity": sev, "assignee": assignee,
                    "reviewers": list(reviewers or []), "notes": list(notes or []) + list(reasons or [])}
    return out


def _alerts_raised(cur: "duckdb.DuckDBPyConnection", w: Window, pattern: str | None) -> pd.DataFrame:
    """The alerts raised in the week, of every kind: a story's and a watchlist's (the Cảnh báo page, the briefing and
    the notifications show both; the report counted only story alerts until round 10)."""
    cols = ["alert_id", "raised_at", "title", "severity", "status", "assignee", "n_items", "n_outlets", "places",
            "close_reason", "reviewers", "notes", "last_action_at", "kind"]
    where = _place_match_sql("a.places", pattern) if pattern else "TRUE"
    return cur.execute(
        f"""
        SELECT a.alert_id, a.raised_at, a.title, a.severity, a.status, a.kind,
               (SELECT {PERSON_SQL} FROM users u WHERE u.username = a.assignee) AS assignee,
               a.n_items, a.n_outlets, a.places,
               a.close_reason,
               (SELECT list_sort(list_distinct(list({PERSON_SQL}))) FROM alert_events e
                LEFT JOIN users u ON u.username = e.username
                WHERE e.alert_id = a.alert_id AND e.username <> 'system') AS reviewers,
               (SELECT list(n ORDER BY t, k) FROM (SELECT e.at AS t, e.id AS k, {_staff_note_sql('a')} AS n
                FROM alert_events e WHERE e.alert_id = a.alert_id) WHERE n IS NOT NULL) AS notes,
               (SELECT max(e.at) FROM alert_events e WHERE e.alert_id = a.alert_id) AS last_action_at
        FROM alerts a
        WHERE a.raised_at >= ? AND a.raised_at < ? AND {where}
        ORDER BY a.raised_at, a.seq
        """,
        [w.start, w.end],
    ).df()[cols]


# --------------------------------------------------------------------------------------------- rapid
def rapid_figures(cur: "duckdb.DuckDBPyConnection", alert_id: str | None = None,
                  story_id: str | None = None) -> dict[str, Any]:
    """One alert (or a story without an alert): the alert row, the story row, every item (oldest first, with
    effective tags and the number of sources that carried it) and the audit trail. Raises KeyError when
    there is no such alert or story."""
    import pandas as pd

    alert: dict[str, Any] | None = None
    if alert_id:
        alert = get_alert(cur, alert_id)  # store.alerts owns the row's shape
        story_id = alert.get("story_id") or None
    story: dict[str, Any] | None = None
    if story_id:
        r = cur.execute("SELECT * FROM stories WHERE story_id = ?", [story_id]).fetchall()
        if r:
            story = dict(zip([d[0] for d in cur.description], r[0]))
    if alert is None and story is None:
        raise KeyError(story_id)
    if story is not None:
        ids_sql, params = "SELECT item_id FROM story_items WHERE story_id = ?", [story["story_id"]]
    else:
        ids_sql, params = "SELECT unnest(?::VARCHAR[]) AS item_id", [list(alert.get("item_ids") or [])]  # type: ignore[union-attr]
    items = cur.execute(
        f"""
        WITH ids AS MATERIALIZED ({ids_sql})
        SELECT i.id, i.published_at, i.source_type, i.outlet, i.source, {SHOWN_TITLE} AS title, i.summary, i.url,
               t.text_restored,
               {EFFECTIVE_COLS},
               coalesce(ln.n, 0) AS n_sources,
               CAST(t.place_details AS VARCHAR) AS place_details, h.h_places IS NOT NULL AS places_corrected
        FROM items i {_joins_for_ids()}
        LEFT JOIN (SELECT item_id, count(*) AS n FROM item_links WHERE item_id IN (SELECT item_id FROM ids)
                   GROUP BY item_id) ln ON ln.item_id = i.id
        WHERE i.id IN (SELECT item_id FROM ids)
        ORDER BY i.published_at, i.id
        """,
        params,
    ).df()
    items["place_units"] = [place_units(p, d, bool(c)) for p, d, c in
                            zip(items["places"], items["place_details"], items["places_corrected"])]
    items = items.drop(columns=["place_details", "places_corrected"])
    events = pd.DataFrame(columns=["alert_id", "at", "username", "action", "from_state", "to_state", "note",
                                   "display_name"])
    if alert is not None:
        ids = [alert["alert_id"]]
        if alert.get("assignee"):  # reports name people by display name
            row = one(cur.execute(f"SELECT {PERSON_SQL} FROM users u WHERE u.username = ?", [alert["assignee"]]))
            alert["assignee_name"] = row[0] if row else None  # a login no account has is named by nobody
    else:
        ids = [r[0] for r in cur.execute("SELECT alert_id FROM alerts WHERE story_id = ?", [story_id]).fetchall()]
    if ids:
        events = cur.execute(
            f"""
            SELECT e.alert_id, e."at", e.username, e.action, e.from_state, e.to_state, e.note,
                   {PERSON_SQL} AS display_name
            FROM alert_events e LEFT JOIN users u ON u.username = e.username
            WHERE e.alert_id IN (SELECT unnest(?::VARCHAR[]))
               OR e.alert_id IN (SELECT alert_id FROM alerts WHERE merged_into IN (SELECT unnest(?::VARCHAR[])))
            ORDER BY e."at", e.id
            """,
            [ids, ids],
        ).df()
    # login → name (PERSON_SQL), for the notes that name a person ("Giao cho: nv.an"); reports use display names, and
    # a login missing here has no account (the report drops its clause, as Trước giao ban does)
    names = {u: d for u, d in cur.execute(f"SELECT u.username, {PERSON_SQL} FROM users u").fetchall()}
    return {"alert": alert, "story": story, "items": items, "events": events, "names": names}


# --------------------------------------------------------------------------------------------- texts
def get_text(cur: "duckdb.DuckDBPyConnection", kind: str, key: str) -> dict[str, Any] | None:
    """The saved proposals text of one report: {body, username, updated_at}, or None."""
    row = one(cur.execute("SELECT body, username, updated_at FROM report_texts WHERE kind = ? AND key = ?",
                          [kind, key]))
    return {"body": row[0], "username": row[1], "updated_at": row[2]} if row else None


def save_text(cur: "duckdb.DuckDBPyConnection", kind: str, key: str, body: str, username: str,
              at: datetime) -> None:
    """Replace the proposals text of one report (call inside Database.write())."""
    if kind not in ("weekly", "rapid"):
        raise ValueError(kind)
    if not username:
        raise ValueError("username is required")
    body = unicodedata.normalize("NFC", body or "").strip()
    cur.execute(
        """
        INSERT INTO report_texts (kind, key, body, username, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (kind, key) DO UPDATE SET body = excluded.body, username = excluded.username,
                                             updated_at = excluded.updated_at
        """,
        [kind, key, body, username, at],
    )


# --------------------------------------------------------------------------------------------- archive
def add_archive(cur: "duckdb.DuckDBPyConnection", *, kind: str, period: str, area: str, generated_at: datetime,
                generated_by: str, dir: str, files: Sequence[str], n_items: int, seconds: float | None,
                late: bool | None = None) -> int:
    """Record one archived report. `late`: the schedule's verdict when it made it (None for a report made by hand)."""
    row = one(cur.execute(
        """
        INSERT INTO report_archive (kind, period, area, generated_at, generated_by, dir, files, n_items, seconds, late)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
        """,
        [kind, period, area or "", generated_at, generated_by, dir, list(files), int(n_items), seconds, late],
    ))
    return int(row[0])


def list_archive(cur: "duckdb.DuckDBPyConnection", kind: str | None = None, limit: int = 100) -> pd.DataFrame:
    """Archived reports, newest first: id, kind, period, area, generated_at, generated_by, dir, files, n_items, seconds,
    late (the schedule's verdict when it made the report; None for one made by hand or before round 23)."""
    cols = ["id", "kind", "period", "area", "generated_at", "generated_by", "dir", "files", "n_items", "seconds", "late"]
    where, params = ("WHERE kind = ?", [kind]) if kind else ("", [])
    return cur.execute(
        f"SELECT {', '.join(cols)} FROM report_archive {where} ORDER BY generated_at DESC, id DESC LIMIT ?",
        [*params, int(limit)],
    ).df()


def archived(cur: "duckdb.DuckDBPyConnection", kind: str, period: str, area: str = "",
             made_since: datetime | None = None) -> bool:
    """True if a report of this kind, period and area is archived, made at or after `made_since` if given. Whoever
    made it: the schedule asks for any report made once the week was due, by hand or not (round 23), and the page reads
    who made the newest (`latest_archived`); a `generated_by` filter, the schedule's question before, had no caller
    left and went in round 24."""
    sql = "SELECT count(*) FROM report_archive WHERE kind = ? AND period = ? AND area = ?"
    params: list[Any] = [kind, period, area or ""]
    if made_since is not None:
        sql += " AND generated_at >= ?"
        params.append(made_since)
    return bool(one(cur.execute(sql, params))[0])


def latest_archived(cur: "duckdb.DuckDBPyConnection", kind: str, period: str, area: str = "") -> dict[str, Any] | None:
    """The newest archived report of this kind, period and area: {generated_at, generated_by}, or None. Báo cáo says
    it is there before staff make the week's report a second time."""
    row = one(cur.execute("SELECT generated_at, generated_by FROM report_archive WHERE kind = ? AND period = ? "
                          "AND area = ? ORDER BY generated_at DESC, id DESC LIMIT 1", [kind, period, area or ""]))
    return {"generated_at": row[0], "generated_by": row[1]} if row else None


def install_began(cur: "duckdb.DuckDBPyConnection") -> datetime | None:
    """When this installation began: the earliest of its database's creation (the first migration applied), its first
    item fetched and its first archived report. The schedule catches up only a week this was before (round 23: a new
    installation made and pushed an empty report for the week before it existed). A restored backup keeps its own."""
    row = one(cur.execute("SELECT least((SELECT min(applied_at) FROM schema_migrations), "
                          "(SELECT min(fetched_at) FROM items), (SELECT min(generated_at) FROM report_archive))"))
    return row[0] if row else None


def record_schedule_failure(cur: "duckdb.DuckDBPyConnection", period: str, area: str, at: datetime,
                            error: str) -> None:
    """A scheduled weekly report's try failed: kept (latest error, count of tries) for the Báo cáo page."""
    cur.execute(
        """INSERT INTO report_schedule_failures (period, area, failed_at, error) VALUES (?, ?, ?, ?)
           ON CONFLICT (period, area) DO UPDATE SET failed_at = excluded.failed_at, error = excluded.error,
             tries = report_schedule_failures.tries + 1""", [period, area or "", at, error[:500]])


def clear_schedule_failure(cur: "duckdb.DuckDBPyConnection", period: str, area: str) -> None:
    cur.execute("DELETE FROM report_schedule_failures WHERE period = ? AND area = ?", [period, area or ""])


def schedule_failures(cur: "duckdb.DuckDBPyConnection", since: datetime) -> list[dict[str, Any]]:
    """Scheduled weekly reports still not archived whose latest try failed since `since`, newest first."""
    cur.execute("""SELECT period, area, failed_at, tries, error FROM report_schedule_failures
                   WHERE failed_at >= ? ORDER BY failed_at DESC""", [since])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def in_area_places(cur: "duckdb.DuckDBPyConnection", since: datetime, limit: int = 200) -> list[str]:
    """Place names (as tagged) of in-area items since `since`, most frequent first (the area picker)."""
    return [r[0] for r in cur.execute(
        """
        SELECT p, count(*) AS n FROM (
            SELECT unnest(t.places) AS p FROM items i JOIN item_tags t ON t.item_id = i.id
            WHERE i.published_at >= ? AND t.in_area
        ) GROUP BY p ORDER BY n DESC, p LIMIT ?
        """,
        [since, int(limit)],
    ).fetchall()]
