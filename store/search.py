"""Item search: whole-syllable matching with diacritics rules, phrases, OR, exclusions, BM25 ranking.

One ranking and one display query serve the Tin bài page and `langnghe search`: `search` gives the page a
DataFrame, `search_rows` the command typed rows (`Found`), so that the command loads no pandas (round 26). The query
language is parsed by store/search_query.py; this module owns the index and the SQL.

The index (store/migrations/060_search.sql) is our own postings table, not DuckDB's `fts` extension:
the extension is published only for DuckDB 1.5.x while this project runs 2.x, and its index is not
updated on insert anyway. `search_postings` is kept sorted by term so a lookup reads only the row
groups of that term; postings of items added since the last sort are appended (an unsorted tail every
lookup scans), and a periodic job re-sorts once the tail is large (`search.compact_tail_rows`), one term
range at a time (`compact_plan`, `compact_range`) so the write lock is held for seconds, not minutes.
The tail is counted where it changes (`search_tail`, migration 163: a row per appended (doc, field), deleted with
its postings by a purge or a replaced full text, and by the sort that covered it), not as all postings minus those
once sorted, which read short after every purge of sorted postings.
Postings refer to items by doc number (`item_search.doc`, migration 160): every join and group-by of a
query hashes integers, and item ids are read for the page of results only.
Two-word phrases are looked up as pair terms (`search_pairs`, migration 161: each pair of adjacent
syllables under its folded and its written form) instead of joining the words' positions.

Ranking: items whose text holds the unquoted words side by side first ("ô nhiễm" before an item with
"ô" and "nhiễm" apart), then BM25 over the searched time window, then newest. Or newest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence, TypeVar

from store.db import one
from store.sqlparts import SHOWN_TITLE, TAG_SLACK, effective_sql, tag_filters
from store.search_query import (Query, QueryError, Term, marked, name_spans, parse, phrase_readings, phrase_spans,
                                word_keys)

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

__all__ = ["QueryError", "SearchResult", "Found", "FoundRows", "search", "search_rows", "index_items", "index_fulltexts", "index_missing", "forget",
           "compact", "compact_plan", "compact_range", "compact_done", "tail_rows", "tail_mark", "postings"]

K1 = 1.2
B = 0.75

ORDERS = ("relevance", "newest")
LIST_WINDOWS = (timedelta(days=30), timedelta(days=365))  # an empty query's windows, newest first


@dataclass(frozen=True)
class SearchResult:
    items: pd.DataFrame  # id, published_at, outlet, source_type, source, title, summary, url, author, tags, score
    total: int           # matches in all (items holds at most `limit` of them)
    total_exact: bool = True  # False: at least `total` (an empty query counted in a recent window only)


@dataclass(frozen=True)
class Found:
    """One listed item of a search, typed: the columns of SearchResult.items, read by `search_rows`."""

    id: str
    published_at: datetime
    outlet: str
    source_type: str
    source: str
    title: str            # as shown (SHOWN_TITLE: the restored title of one written without diacritics)
    summary: str
    url: str
    author: str | None
    topics: list[str] | None      # effective tags (a staff correction over the model's); None: untagged
    sentiment: str | None
    places: list[str] | None
    in_area: bool | None
    corrected: bool
    tagged: bool
    score: float
    together: bool        # the unquoted words stand side by side (ranked first)


@dataclass(frozen=True)
class FoundRows:
    """`search_rows`' answer: SearchResult with typed rows instead of a DataFrame."""

    items: list[Found]
    total: int
    total_exact: bool = True


@dataclass(frozen=True)
class _Page:
    """The ranked page before its display columns are read: item ids in rank order with their publication time,
    score and phrase flag, and the count of all matches."""

    ids: list[str]
    published: list[datetime]
    scores: list[float]
    together: list[bool]
    total: int
    total_exact: bool = True


# --- index maintenance (call inside Database.write()) -----------------------------------------

def index_items(cur: "duckdb.DuckDBPyConnection", ids: Sequence[str]) -> int:
    """Index newly stored items (title, summary and any stored full text); returns postings added.
    Items already indexed are skipped, so a repeat is harmless. Each new item gets the next doc number.
    Thirteen statements for one item or a batch (round 28; eighteen before: the doc numbers are now handed out
    before the items are tokenised, so the tokens carry them to the pair terms with no second temp table, and the
    counts come from the INSERTs' own answers)."""
    ids = list(ids)
    if not ids:
        return 0
    todo = _not_indexed(cur, ids)
    if not todo:
        return 0
    first = _next_doc(cur)
    try:
        # the new items' doc numbers in publication order, then their tokens under them: tokenised once, for the
        # postings and the pair terms
        cur.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _search_docs AS
            SELECT ({first} - 1 + row_number() OVER (ORDER BY published_at, id))::INTEGER AS doc, id AS item_id,
                   published_at
            FROM items WHERE id IN (SELECT unnest(?::VARCHAR[]))
            """,
            [todo],
        )
        cur.execute("CREATE OR REPLACE TEMP TABLE _search_toks AS SELECT d.doc, t.* "
                    "FROM search_docs(?::VARCHAR[], TRUE, TRUE) t JOIN _search_docs d ON d.item_id = t.item_id",
                    [todo])
        cur.execute("CREATE OR REPLACE TEMP TABLE _search_new AS SELECT * FROM search_postings_in('_search_toks')")
        # the items' lengths in item_search, and search_state.next_doc past them (with the tail's seq, below)
        n_docs = _count(cur.execute(
            f"INSERT INTO item_search ({_ITEM_COLS}) "
            "SELECT d.doc, d.item_id, d.published_at, coalesce(s.plain, TRUE), coalesce(s.n_title, 0), "
            "coalesce(s.n_full, 0), coalesce(s.n_full, 0) > 0 "
            f"FROM _search_docs d LEFT JOIN ({_LENGTHS}) s ON s.item_id = d.item_id ORDER BY d.doc"))
        n = _append_new(cur, "JOIN _search_docs d ON d.item_id = n.item_id", "d.doc", next_doc=first + n_docs)
        # the pair terms, appended unsorted (a tail row group spans all terms anyway)
        cur.execute("INSERT INTO search_pairs SELECT * FROM search_pairs_in('_search_toks')")
    finally:
        for table in ("_search_new", "_search_docs", "_search_toks"):
            cur.execute(f"DROP TABLE IF EXISTS {table}")
    return n


def _not_indexed(cur: "duckdb.DuckDBPyConnection", ids: list[str]) -> list[str]:
    """The distinct ids not yet in item_search (a repeat of index_items must add nothing). One statement, read whole
    (round 27: it was a temp table, a read and a drop, three statements for every insert however small)."""
    return [r[0] for r in cur.execute(
        "SELECT DISTINCT unnest(?::VARCHAR[]) AS id "
        "EXCEPT SELECT item_id FROM item_search WHERE item_id IN (SELECT unnest(?::VARCHAR[]))",
        [ids, ids],
    ).fetchall()]


def index_fulltexts(cur: "duckdb.DuckDBPyConnection", ids: Sequence[str]) -> int:
    """(Re)index the stored full texts of `ids` after they were saved; returns postings added. Set-based: the
    same dozen statements for one item or a thousand (one item at a time was 12 statements an item). An item
    not indexed yet is indexed whole (title, summary and text) by `index_items`."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return 0
    cur.execute("CREATE OR REPLACE TEMP TABLE _search_ft AS SELECT doc, item_id, fulltext FROM item_search "
                "WHERE item_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
    try:
        known = dict(cur.execute("SELECT item_id, fulltext FROM _search_ft").fetchall())
        n = index_items(cur, [i for i in ids if i not in known])
        if not known:
            return n
        if any(known.values()):  # texts replaced: drop their old body postings and pairs (rare; scans them)
            for table in ("search_postings", "search_pairs", "search_tail"):
                cur.execute(f"DELETE FROM {table} WHERE field = 1 AND doc IN (SELECT doc FROM _search_ft WHERE fulltext)")
        cur.execute("CREATE OR REPLACE TEMP TABLE _search_toks AS SELECT f.doc, t.* "
                    "FROM search_docs(?::VARCHAR[], FALSE, TRUE) t JOIN _search_ft f ON f.item_id = t.item_id",
                    [list(known)])
        cur.execute("CREATE OR REPLACE TEMP TABLE _search_new AS SELECT * FROM search_postings_in('_search_toks')")
        _next_doc(cur)  # makes sure the one state row exists
        n += _append_new(cur, "JOIN _search_ft d ON d.item_id = n.item_id", "d.doc")
        cur.execute("INSERT INTO search_pairs SELECT * FROM search_pairs_in('_search_toks')")
        cur.execute("""
            UPDATE item_search SET n_full = x.n_full, fulltext = x.n_full > 0
            FROM (SELECT f.item_id, coalesce(max(list_max(n.pos)), 0)::INTEGER AS n_full
                  FROM _search_ft f LEFT JOIN _search_new n ON n.item_id = f.item_id GROUP BY f.item_id) x
            WHERE item_search.item_id = x.item_id
        """)
        return n
    finally:
        for table in ("_search_new", "_search_toks", "_search_ft"):
            cur.execute(f"DROP TABLE IF EXISTS {table}")


def forget(cur: "duckdb.DuckDBPyConnection", ids_sql: str, dry_run: bool = False) -> int:
    """Delete (or, dry_run, count) the postings of the items `ids_sql` selects (one column of item ids),
    before their item_search rows go (retention), and their pair terms with them. Returns the postings.
    Their doc numbers are not reused."""
    where = f"doc IN (SELECT doc FROM item_search WHERE item_id IN ({ids_sql}))"
    n = int(one(cur.execute(f"SELECT count(*) FROM search_postings WHERE {where}"))[0])
    if n and not dry_run:
        for table in ("search_postings", "search_pairs", "search_tail"):
            cur.execute(f"DELETE FROM {table} WHERE {where}")
    return n


def index_missing(cur: "duckdb.DuckDBPyConnection", chunk: int = 50_000) -> int:
    """Index every item not indexed yet (bulk loads that bypass store.items.insert_items), `chunk` items
    at a time so a million-item load does not hold all its postings in memory at once."""
    ids = [r[0] for r in cur.execute(
        "SELECT id FROM items WHERE id NOT IN (SELECT item_id FROM item_search) ORDER BY published_at").fetchall()]
    return sum(index_items(cur, ids[k:k + chunk]) for k in range(0, len(ids), chunk))


def tail_rows(cur: "duckdb.DuckDBPyConnection") -> int:
    """Postings appended since the last sort and still stored (every lookup scans these). Summed from search_tail,
    so a purge of sorted postings leaves it as it was and a purge of unsorted ones lowers it by theirs."""
    return int(cur.execute("SELECT coalesce(sum(n), 0) FROM search_tail").fetchall()[0][0])


def tail_mark(cur: "duckdb.DuckDBPyConnection") -> int:
    """The newest append in the tail now: read with `compact_plan`, given to `compact_done`, so postings appended
    while the ranges are sorted stay counted in the tail."""
    return int(cur.execute("SELECT coalesce(max(seq), -1) FROM search_tail").fetchall()[0][0])


def postings(cur: "duckdb.DuckDBPyConnection") -> int:
    """How many postings the index holds (for logs and benches)."""
    return int(cur.execute("SELECT count(*) FROM search_postings").fetchall()[0][0])


def compact_plan(cur: "duckdb.DuckDBPyConnection", chunk_rows: int = 2_000_000) -> list[tuple[str, str | None]]:
    """Term ranges [lo, hi) of about `chunk_rows` postings each (hi None: to the end), in term order, for
    `compact_range`. Reads only: run it outside the write lock."""
    rows = cur.execute("""
        SELECT term FROM (
            SELECT term, sum(n) OVER (ORDER BY term) AS cum FROM (SELECT term, count(*) AS n FROM search_postings GROUP BY term)
        ) QUALIFY floor((cum - 1) / ?) > coalesce(lag(floor((cum - 1) / ?)) OVER (ORDER BY term), -1)
        ORDER BY term
    """, [int(chunk_rows), int(chunk_rows)]).fetchall()
    starts = [r[0] for r in rows]
    if not starts:
        return []
    starts[0] = ""
    return [(lo, starts[k + 1] if k + 1 < len(starts) else None) for k, lo in enumerate(starts)]


def compact_range(cur: "duckdb.DuckDBPyConnection", lo: str, hi: str | None) -> int:
    """Rewrite the postings of terms in [lo, hi) sorted (term, plain, published_at), at the table's end;
    returns the rows moved. Done range by range in term order, the table ends up sorted, and each range
    is its own short transaction, so collection is never held up for the whole sort. The pair terms of
    the range ("bụi than" sorts between "bụi" and "bụm") are re-sorted with them."""
    cond, args = ("term >= ? AND term < ?", [lo, hi]) if hi is not None else ("term >= ?", [lo])
    cur.execute(f"CREATE OR REPLACE TEMP TABLE _search_sorted AS SELECT * FROM search_postings WHERE {cond} "
                "ORDER BY term, plain, published_at", args)
    try:
        cur.execute(f"DELETE FROM search_postings WHERE {cond}", args)
        cur.execute("INSERT INTO search_postings SELECT * FROM _search_sorted")
        n = int(one(cur.execute("SELECT count(*) FROM _search_sorted"))[0])
        cur.execute(f"CREATE OR REPLACE TEMP TABLE _search_sorted AS SELECT * FROM search_pairs WHERE {cond} "
                    "ORDER BY term, plain, published_at", args)
        cur.execute(f"DELETE FROM search_pairs WHERE {cond}", args)
        cur.execute("INSERT INTO search_pairs SELECT * FROM _search_sorted")
        return n
    finally:
        cur.execute("DROP TABLE IF EXISTS _search_sorted")


def compact_done(cur: "duckdb.DuckDBPyConnection", mark: int, now: datetime) -> None:
    """Record that the tail up to `mark` (`tail_mark` when the sort was planned) is sorted; appends since stay
    the tail."""
    _next_doc(cur)  # makes sure the one state row exists
    cur.execute("DELETE FROM search_tail WHERE seq <= ?", [int(mark)])
    cur.execute("UPDATE search_state SET compacted_at = ?", [now])


def compact(cur: "duckdb.DuckDBPyConnection", now: datetime, chunk_rows: int = 2_000_000) -> int:
    """Sort all the postings in one go (one transaction: bulk loads, tests); returns the rows sorted.
    The service sorts range by range instead (orchestration/jobs.py: compact_plan, compact_range)."""
    mark = tail_mark(cur)
    n = sum(compact_range(cur, lo, hi) for lo, hi in compact_plan(cur, chunk_rows))
    compact_done(cur, mark, now)
    return n


_LENGTHS = """
    SELECT item_id, bool_or(plain) AS plain,
           sum(m) FILTER (WHERE field = 0)::INTEGER AS n_title, sum(m) FILTER (WHERE field = 1)::INTEGER AS n_full
    FROM (SELECT item_id, field, any_value(plain) AS plain, max(list_max(pos)) AS m FROM _search_new
          GROUP BY item_id, field)
    GROUP BY item_id
"""


_ITEM_COLS = "doc, item_id, published_at, plain, n_tokens, n_full, fulltext"


def _next_doc(cur: "duckdb.DuckDBPyConnection") -> int:
    """The next doc number to hand out (search_state.next_doc; the state row is made if missing)."""
    row = one(cur.execute("SELECT next_doc FROM search_state"))
    if row is not None and row[0] is not None:
        return int(row[0])
    nxt = int(one(cur.execute("SELECT coalesce(max(doc), 0) + 1 FROM item_search"))[0])
    if row is None:
        cur.execute("INSERT INTO search_state (compacted_at, next_doc) VALUES (NULL, ?)", [nxt])
    else:
        cur.execute("UPDATE search_state SET next_doc = ?", [nxt])
    return nxt


def _append_new(cur: "duckdb.DuckDBPyConnection", join: str, doc: str, next_doc: int | None = None) -> int:
    """Append the postings in _search_new under their doc numbers (`doc`, an expression over `join`),
    sorted (a small sorted run keeps the tail's row groups tight), and count them in the tail (search_tail);
    returns how many. `next_doc`: also move search_state.next_doc there, in the same statement. The state row
    must exist (`_next_doc`)."""
    n = _count(cur.execute(
        f"INSERT INTO search_postings (term, doc, field, tf, pos, plain, published_at) "
        f"SELECT n.term, {doc}, n.field, n.tf, n.pos, n.plain, n.published_at FROM _search_new n {join} "
        "ORDER BY n.term, n.plain, n.published_at"))
    also = "" if next_doc is None else f", next_doc = {int(next_doc)}"
    seq = int(cur.execute(f"UPDATE search_state SET tail_seq = tail_seq + 1{also} RETURNING tail_seq").fetchall()[0][0])
    cur.execute(f"INSERT INTO search_tail SELECT {doc}, n.field, count(*), ? FROM _search_new n {join} GROUP BY ALL",
                [seq])
    return n


def _count(res: Any) -> int:
    """The row count an INSERT answers with (DuckDB's one «Count» row)."""
    return int(res.fetchall()[0][0])


# --- search -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Filters:
    """The page's filters, passed unchanged from `search` down to `_filtered_sql`."""

    source_types: Sequence[str] = ()
    outlets: Sequence[str] = ()
    topics: Sequence[str] = ()
    sentiments: Sequence[str] = ()
    places: Sequence[str] = ()
    in_area_only: bool = False
    alert_id: str | None = None
    watchlist_id: int | None = None


def search(
    cur: "duckdb.DuckDBPyConnection",
    query: str | Query | None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    source_types: Sequence[str] = (),
    outlets: Sequence[str] = (),
    topics: Sequence[str] = (),
    sentiments: Sequence[str] = (),
    places: Sequence[str] = (),
    in_area_only: bool = False,
    order: str = "relevance",
    limit: int = 500,
    now: datetime | None = None,
    alert_id: str | None = None,
    watchlist_id: int | None = None,
) -> SearchResult:
    """Items matching `query` (text or parsed) and the filters, best first (or newest first with
    order="newest"), at most `limit`, with the total number of matches. An empty query lists the newest
    items. Raises QueryError (message in Vietnamese) for a query that cannot be parsed.

    An empty query with no date range looks in the last 30 days, then the last year, then everywhere:
    a window holding `limit` items holds exactly the newest ones (`total` then counts that window only,
    and `total_exact` is False).

    `alert_id` keeps the items an alert holds, `watchlist_id` the hits of a watchlist (a click on the
    alert's timeline or on the Theo dõi chart)."""
    f = _Filters(source_types, outlets, topics, sentiments, places, in_area_only, alert_id, watchlist_id)
    page = _rank(cur, query, since, until, f, order, limit, now)
    return SearchResult(_display(cur, page), page.total, page.total_exact)


def search_rows(cur: "duckdb.DuckDBPyConnection", query: str | Query | None, *, since: datetime | None = None,
                until: datetime | None = None, in_area_only: bool = False, order: str = "relevance",
                limit: int = 500, now: datetime | None = None) -> FoundRows:
    """`search` with the command line's filters, its page as typed rows: no DataFrame, so `langnghe search` loads
    no pandas (~0.6 s of CPU a call until round 26). The same ranking and the same display query as `search`."""
    page = _rank(cur, query, since, until, _Filters(in_area_only=in_area_only), order, limit, now)
    return FoundRows(_found(cur, page), page.total, page.total_exact)


def _rank(cur: "duckdb.DuckDBPyConnection", query: str | Query | None, since: datetime | None,
          until: datetime | None, f: _Filters, order: str, limit: int, now: datetime | None) -> _Page:
    """The ranked page of `search` (its windows for an empty query without dates), before its display columns."""
    if order not in ORDERS:
        raise ValueError(order)
    q = parse(query) if isinstance(query, str) or query is None else query
    if q is None and since is None and until is None:
        from store.db import utcnow

        t = now or utcnow()
        for w in LIST_WINDOWS:
            page = _search_window(cur, None, t - w, None, f, order, limit)
            if page.total >= limit:
                return replace(page, total_exact=False)
        return _search_window(cur, None, datetime(1970, 1, 1), None, f, order, limit)
    return _search_window(cur, q, since, until, f, order, limit)


_EARLIEST = datetime.min + TAG_SLACK


def _search_window(cur: "duckdb.DuckDBPyConnection", q: Query | None, since: datetime | None,
                   until: datetime | None, f: _Filters, order: str, limit: int) -> _Page:
    """The ranked page within [since, until): the matches (every item of the window for an empty query), the
    filters, one query for the ranked page and the total, then the winners' item ids."""
    # at least a TAG_SLACK after datetime.min, which the filters subtract: Tin bài's «from=0001-01-02» or `search
    # --since 0001-01-02 --in-area` was an OverflowError traceback (round 29); no item is that old either way
    lo = max(since, _EARLIEST) if since is not None else datetime(1970, 1, 1)
    hi = until if until is not None else datetime(9999, 1, 1)
    params: list[Any] = []
    if q is None:
        matches = "SELECT id AS item_id, published_at, 0.0::DOUBLE AS score, FALSE AS together FROM items " \
                  "WHERE published_at >= ? AND published_at < ?"
        params += [lo, hi]
        key = "item_id"
    else:  # ranked on doc numbers; the item id is read for the filters, or for the winners only
        matches = _matches_sql(cur, q, lo, hi, params)
        key = "doc"
    filtered = _filtered_sql(cur, lo, params, f.source_types, f.outlets, f.topics, f.sentiments, f.places,
                             f.in_area_only, f.alert_id, f.watchlist_id)
    top = _top(cur, matches, filtered, key, order, params, limit)
    total = int(top[0][4]) if top else 0
    if key == "doc":
        top = _item_ids(cur, top)
    return _Page([r[0] for r in top], [r[1] for r in top], [float(r[2]) for r in top], [bool(r[3]) for r in top],
                  total)


def _top(cur: "duckdb.DuckDBPyConnection", matches: str, filtered: str, key: str, order: str,
         params: list[Any], limit: int) -> list[tuple[Any, ...]]:
    """The ranked page of `key`s (key, published_at, score, together, total) with the count of all matches, in one
    query."""
    rank = (f"together DESC, score DESC, published_at DESC, {key}" if order == "relevance"
            else f"published_at DESC, score DESC, {key}")
    if filtered != "SELECT * FROM m" and key == "doc":
        matches = f"SELECT x.*, s.item_id FROM ({matches}) x JOIN item_search s ON s.doc = x.doc"
    # the rows are kept once (materialized) for both the ranking and the count of all matches
    ctes = (f"m AS MATERIALIZED ({matches})" if filtered == "SELECT * FROM m"
            else f"m AS ({matches}), f AS MATERIALIZED ({filtered})")
    src = "m" if filtered == "SELECT * FROM m" else "f"
    return cur.execute(f"""
        WITH {ctes}
        SELECT {key}, published_at, score, together, (SELECT count(*) FROM {src}) AS total FROM {src}
        ORDER BY {rank} LIMIT ?
    """, [*params, int(limit)]).fetchall()


def _item_ids(cur: "duckdb.DuckDBPyConnection", top: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """`top` (ranked doc numbers) with each doc number replaced by its item id, in its order. One list parameter and
    the range of the numbers: item_search is in doc order, so a recent window reads only its last row groups."""
    if not top:
        return top
    docs = [int(r[0]) for r in top]
    ids = dict(cur.execute("SELECT doc, item_id FROM item_search WHERE doc IN (SELECT unnest(?::INTEGER[])) "
                           "AND doc BETWEEN ? AND ?", [docs, min(docs), max(docs)]).fetchall())
    return [(ids[r[0]], *r[1:]) for r in top if r[0] in ids]


def _filtered_sql(cur: "duckdb.DuckDBPyConnection", lo: datetime, params: list[Any], source_types: Sequence[str],
                  outlets: Sequence[str], topics: Sequence[str], sentiments: Sequence[str], places: Sequence[str],
                  in_area_only: bool, alert_id: str | None = None, watchlist_id: int | None = None) -> str:
    """SQL keeping the rows of `m` that pass the page's filters (the item's effective tags)."""
    where: list[str] = []
    outer: list[str] = []
    extra: list[Any] = []
    if source_types:
        where.append("i.source_type IN (SELECT unnest(?::VARCHAR[]))")
        extra.append(list(source_types))
    if outlets:
        where.append("i.outlet IN (SELECT unnest(?::VARCHAR[]))")
        extra.append(list(outlets))
    if alert_id is not None:
        where.append("i.id IN (SELECT unnest(item_ids) FROM alerts WHERE alert_id = ?)")
        extra.append(str(alert_id))
    if watchlist_id is not None:
        where.append("i.id IN (SELECT item_id FROM watch_hits WHERE watchlist_id = ?)")
        extra.append(int(watchlist_id))
    tag_conds, tag_params = tag_filters(topics, sentiments, places, in_area_only)
    outer += tag_conds
    extra += tag_params
    if not where and not outer:
        return "SELECT * FROM m"
    joins, sel = effective_sql(cur, bounded=True) if outer else ("", "")
    params += ([lo - TAG_SLACK] if outer else []) + extra
    return f"""
        SELECT * FROM (
            SELECT m.*{", " + sel if outer else ""}
            FROM m JOIN items i ON i.id = m.item_id {joins}
            {"WHERE " + " AND ".join(where) if where else ""}
        ) {"WHERE " + " AND ".join(outer) if outer else ""}
    """


def _display(cur: "duckdb.DuckDBPyConnection", page: _Page) -> pd.DataFrame:
    """The listed columns and effective tags of the ranked items, in rank order, with score and together: the
    dashboard's DataFrame (`_found` reads the same rows typed, `_read_page` both)."""
    import pandas as pd

    def frame(res: Any) -> tuple[Any, pd.DataFrame]:
        df = res.df()
        return df["id"], df

    parts = _read_page(cur, page, frame)
    df = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    ranked = pd.DataFrame({"id": pd.Series(page.ids, dtype="str" if page.ids else "object"),
                           "score": pd.Series(page.scores, dtype="float64"),
                           "together": pd.Series(page.together, dtype="bool")})
    return ranked.merge(df, on="id", how="inner")[[*df.columns, "score", "together"]].reset_index(drop=True)


def _found(cur: "duckdb.DuckDBPyConnection", page: _Page) -> list[Found]:
    """The rows `_display` makes a DataFrame of, typed, by the same queries and in the same order."""
    def typed(res: Any) -> tuple[Iterable[str], dict[str, dict[str, Any]]]:
        names = [d[0] for d in res.description]
        rows = {r[0]: dict(zip(names, r)) for r in res.fetchall()}
        return rows, rows

    rows = {i: row for part in _read_page(cur, page, typed) for i, row in part.items()}
    return [Found(**rows[i], score=score, together=together)
            for i, score, together in zip(page.ids, page.scores, page.together) if i in rows]


T = TypeVar("T")


def _read_page(cur: "duckdb.DuckDBPyConnection", page: _Page,
               read: Callable[[Any], tuple[Iterable[str], T]]) -> list[T]:
    """The display rows of the page's items (`_display_sql`), each query's result as `read` makes it ((the ids it
    holds, the part)): one part, or two. Read with the range of their publication times: items are stored about in
    time order, and tags are written after their item (TAG_SLACK), so both scans skip the row groups outside it;
    even over all time the range makes DuckDB filter the scan by the id list (500 ids at 1M items: ~20 ms CPU,
    against ~40 ms by the primary key and over 100 ms by a plain semi-join). An item whose row falls outside the
    range (its time changed since it was indexed) is read again over all time."""
    got, first = read(cur.execute(*_display_sql(cur, page.ids, *_bounds(page))))
    if missing := set(page.ids) - set(got):
        return [first, read(cur.execute(*_display_sql(cur, sorted(missing), *_ALL_TIME)))[1]]
    return [first]


_ALL_TIME = (datetime(1970, 1, 2), datetime(9999, 1, 1))


def _bounds(page: _Page) -> tuple[datetime | None, datetime | None]:
    """The range of the page's publication times (None, None for an empty page: no range)."""
    return (min(page.published), max(page.published)) if page.published else (None, None)


def _display_sql(cur: "duckdb.DuckDBPyConnection", ids: list[str], lo: datetime | None,
                 hi: datetime | None) -> tuple[str, list[Any]]:
    """The one query (and its parameters) of the display columns and effective tags of `ids`, published within
    [lo, hi] when given. The ids go in as one list parameter (500 literals cost more to plan than the whole
    lookup)."""
    item_params: list[Any] = [ids]
    tag_params: list[Any] = [ids]
    when = tags_when = ""
    if lo is not None:
        when, tags_when = " AND published_at BETWEEN ? AND ?", " AND tagged_at >= ?"
        item_params += [lo, hi]
        tag_params.append(lo - TAG_SLACK)
    joins, sel = effective_sql(cur, tags_where=f"WHERE item_id IN (SELECT unnest(?::VARCHAR[])){tags_when}")
    return f"""
        SELECT i.id, i.published_at, i.outlet, i.source_type, i.source, {SHOWN_TITLE} AS title, i.summary, i.url,
               i.author, {sel}
        FROM (SELECT * FROM items WHERE id IN (SELECT unnest(?::VARCHAR[])){when}) i {joins}
    """, item_params + tag_params


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _postings_sql(word: str, cols: str, where: str = "") -> str:
    """SQL of the postings (`cols` of search_postings) a query word matches in [$lo, $hi): the exact
    syllable, plus its unmarked form in items written without diacritics. Each part is its own scan so
    its filters reach the sorted table (term, plain, published_at) and skip other row groups."""
    exact, plain_form = word_keys(word)
    extra = f" AND {where}" if where else ""
    sql = f"SELECT {cols} FROM search_postings WHERE term = {_lit(exact)} AND published_at >= $lo AND published_at < $hi{extra}"
    if plain_form is not None:
        sql += (f" UNION ALL SELECT {cols} FROM search_postings WHERE term = {_lit(plain_form)} AND plain "
                f"AND published_at >= $lo AND published_at < $hi{extra}")
    return sql


def _pair_sql(words: Sequence[str], within: str | None = None) -> str | None:
    """SQL of the doc numbers holding the two-word phrase `words`, by its pair term (migration 161), or
    None when the pair index cannot say (a mark on the second word only: the join of positions does).
    Same rule as single words: a marked word is that syllable, or its unmarked form in an item written
    without diacritics; an unmarked word is every syllable folding to it."""
    (e1, p1), (e2, p2) = word_keys(words[0]), word_keys(words[1])
    if p1 is None and p2 is None:  # "bui than": the folded pair, held by every item
        parts = [f"term = {_lit(e1 + ' ' + e2)}"]
    elif p1 is not None and p2 is not None:  # "ô nhiễm": the pair as written, or folded in a plain item
        parts = [f"term = {_lit(e1 + ' ' + e2)}", f"term = {_lit(p1 + ' ' + p2)} AND plain"]
    elif p1 is not None:  # "bụi than": pairs as written starting "bụi " whose second syllable folds to "than"
        parts = [f"term >= {_lit(e1 + ' ')} AND term < {_lit(e1 + '!')} "
                 f"AND strip_accents(replace(split_part(term, ' ', 2), 'đ', 'd')) = {_lit(e2)}",
                 f"term = {_lit(p1 + ' ' + e2)} AND plain"]
    else:
        return None
    only = f" AND doc IN ({within})" if within else ""
    scans = " UNION ALL ".join(f"SELECT doc FROM search_pairs WHERE {p} AND published_at >= $lo "
                               f"AND published_at < $hi{only}" for p in parts)
    return f"SELECT DISTINCT doc FROM ({scans})"


def _phrase_sql(words: Sequence[str], within: str | None = None, reads: frozenset[str] = frozenset()) -> str:
    """SQL of the doc numbers where `words` occur side by side in one field: one pair-term lookup for
    two words (`_pair_sql`), else an equi-join of the words' unnested positions (p, p + 1, ...) on plain
    integers. `within` (SQL of doc numbers) narrows the postings before they are unnested (an excluded
    phrase among a group's matches, "together" among the matches).

    `reads`: the place names typed with marks in the query that some item in the window has read where it writes
    them without (`_read_docs`, the CTE `rd`). A phrase holding such a name also matches, in those items, with the
    name's words folded ("phường Vàng Danh" → phường vang danh in items whose Places step read "vàng danh")."""
    base = _phrase_only_sql(words, within)
    alts = []
    for name, alt in phrase_readings(tuple(words), reads):
        only = f"SELECT doc FROM rd WHERE term = {_lit(name)}" + (f" AND doc IN ({within})" if within else "")
        alts.append(_phrase_only_sql(alt, only))
    return base if not alts else " UNION ".join(f"SELECT doc FROM ({x})" for x in [base, *alts])


def _phrase_only_sql(words: Sequence[str], within: str | None = None) -> str:
    """`_phrase_sql` by the written words alone."""
    if len(words) == 2:
        pair = _pair_sql(words, within)
        if pair is not None:
            return pair
    only = f"doc IN ({within})" if within else ""
    us = [f"(SELECT doc, field, unnest(pos) AS p FROM ({_postings_sql(w, 'doc, field, pos', only)})) a{k}"
          for k, w in enumerate(words)]
    frm = us[0] + "".join(f" JOIN {u} ON a{k}.doc = a0.doc AND a{k}.field = a0.field AND a{k}.p = a0.p + {k}"
                          for k, u in enumerate(us[1:], start=1))
    return f"SELECT DISTINCT a0.doc FROM {frm}"


@dataclass
class _Ctes:
    """The WITH clauses of a match query in order; phrase sets are named ph0, ph1… as they are added. `reads`:
    the query's place names that items of the window read where they write them without marks (CTE `rd`)."""

    items: list[str] = field(default_factory=list)
    n_ph: int = 0
    reads: frozenset[str] = frozenset()

    def add(self, cte: str) -> None:
        self.items.append(cte)

    def phrase(self, sql: str, materialized: bool = True) -> str:
        """Add a phrase's doc set; returns its name."""
        name = f"ph{self.n_ph}"
        self.n_ph += 1
        self.items.append(f"{name} AS {'MATERIALIZED ' if materialized else ''}({sql})")
        return name


def _matches_sql(cur: "duckdb.DuckDBPyConnection", q: Query, lo: datetime, hi: datetime, params: list[Any]) -> str:
    """SQL of (doc, published_at, score, together) for the items matching `q` in [lo, hi).

    One scan per word (a range of the term-sorted table) feeds one aggregate on doc numbers: a row per
    document holding any query word, with each word's tf (NULL: absent). Matching is then a condition
    on that row (a word: its tf is there; a phrase: also the doc is in the phrase's set, an equi-join of
    unnested positions), BM25 is scored for the matches only, and df is a count of the row's tf column.
    The window is written into the SQL as literals; `params` gets only the items that read a place name of
    the query (`_read_docs`), when there are some."""
    words = q.words()
    idx = {w: k for k, w in enumerate(words)}
    scored = set(q.positive_words()) | {t.words[0] for g in q.groups for t in g if not t.phrase}
    agg = [w for w in words if w in scored]  # a word only in an excluded phrase needs no tf
    named = name_spans(q)
    spans = [" ".join(s) for s in named]
    spans += [" ".join(t.words[a:b]) for g in q.groups for t in g if t.phrase for a, b in phrase_spans(t.words)]
    docs, names = _read_docs(cur, list(dict.fromkeys(spans)), lo, hi)
    reads = frozenset(names)
    ctes = _Ctes(["rd AS (SELECT unnest(?::INTEGER[]) AS doc, unnest(?::VARCHAR[]) AS term)"] if reads else [],
                 reads=reads)
    params += [docs, names] if reads else []  # the first placeholders of the query: rd comes first
    ctes.add(_tfs_cte(agg, idx, [s for s in named if " ".join(s) in reads]))
    groups = [_group_sql(i, g, idx, ctes) for i, g in enumerate(q.groups)]
    ctes.add(_hit_cte(groups, agg))
    # unquoted words of a group found side by side rank first ("ô nhiễm" typed without quotes)
    runs = [[t.words[0] for t in g if not t.negated and not t.quoted] for g in q.groups]
    together = [f"({_phrase_sql(r, within='SELECT doc FROM hit', reads=reads)})" for r in runs if len(r) > 1]
    if together:
        ctes.add("tog AS (" + " UNION ".join(together) + ")")
    positive = [idx[w] for w in q.positive_words()]
    idf_cte, norm, score = _bm25_sql(cur, positive, lo, hi)
    ctes.add(idf_cte)
    sql = f"""
        WITH {", ".join(ctes.items)}
        SELECT x.doc, x.published_at, {score} AS score,
               {"x.doc IN (SELECT doc FROM tog)" if together else "FALSE"} AS together
        FROM (SELECT hit.*, s.published_at, {norm} AS norm FROM hit JOIN item_search s ON s.doc = hit.doc) x
             CROSS JOIN d
    """
    return sql.replace("$lo", _ts(lo)).replace("$hi", _ts(hi))


_READ_IDS_BY_KEY = 200  # up to this many items read a queried place name: looked up by item_search's key


def _read_docs(cur: "duckdb.DuckDBPyConnection", names: list[str], lo: datetime,
               hi: datetime) -> tuple[list[int], list[str]]:
    """(doc numbers, names): the items of [lo, hi) written with diacritics whose Places step read one of `names`
    (a place name with marks, "vàng danh") where they write it without (`item_tags.place_reads`, migration 162).
    Two small queries before the match query: the tag rows holding a name (cut at the window's start less
    TAG_SLACK: tags are written after their item), then, only when there are some, their doc numbers. A query
    naming no name read in the window (nearly all) is then the query of before; an item without diacritics
    matches the folded name anyway."""
    if not names:
        return [], []
    rows = cur.execute(
        "SELECT item_id, term FROM (SELECT item_id, unnest(place_reads) AS term FROM item_tags "
        "WHERE place_reads IS NOT NULL AND tagged_at >= ?) WHERE term IN (SELECT unnest(?::VARCHAR[]))",
        [lo - TAG_SLACK, names]).fetchall()
    if not rows:
        return [], []
    ids = sorted({r[0] for r in rows})
    # a few ids by the primary key (a literal list: 10 ids ~1 ms, 100 ~4 ms), many by one scan (~16 ms at 300k items)
    which = (f"item_id IN ({', '.join(_lit(i) for i in ids)})" if len(ids) <= _READ_IDS_BY_KEY
             else "item_id IN (SELECT unnest(?::VARCHAR[]))")
    doc_of = dict(cur.execute(
        f"SELECT item_id, doc FROM item_search WHERE {which} AND NOT plain AND published_at >= ? AND published_at < ?",
        ([] if len(ids) <= _READ_IDS_BY_KEY else [ids]) + [lo, hi]).fetchall())
    found = [(doc_of[i], term) for i, term in rows if i in doc_of]
    return [int(d) for d, _ in found], [t for _, t in found]


def _tfs_cte(agg: list[str], idx: dict[str, int], read: Sequence[tuple[str, ...]] = ()) -> str:
    """The aggregate on doc numbers: each word's scan fills its own tf column (NULL in the others), so a
    plain sum per column gives a row per document with every word's tf, no FILTER. `read`: the runs of query
    words spelling a place name that items read where they write it without marks (`rd`); such an item holds
    each marked word of the name once more (its unmarked words, "ba" of "chùa ba vàng", are in its postings)."""
    scans = " UNION ALL ".join(
        "SELECT doc, " + ", ".join(f"{'tf' if v == w else 'NULL::INTEGER'} AS tf{idx[v]}" for v in agg)
        + f" FROM ({_postings_sql(w, 'doc, tf')})" for w in agg)
    if read:
        def names(w: str) -> str:
            return ", ".join(_lit(" ".join(s)) for s in read if w in s) if marked(w) else ""
        cols = ", ".join(f"CASE WHEN term IN ({names(v)}) THEN 1 END::INTEGER AS tf{idx[v]}" if names(v)
                         else f"NULL::INTEGER AS tf{idx[v]}" for v in agg)
        scans += f" UNION ALL SELECT doc, {cols} FROM rd WHERE term IN ({', '.join(_lit(' '.join(s)) for s in read)})"
    tfs = ", ".join(f"sum(tf{idx[w]})::INTEGER AS tf{idx[w]}" for w in agg)  # sum() gives HUGEINT: slow arithmetic
    return f"tfs AS MATERIALIZED (SELECT doc, {tfs} FROM ({scans}) GROUP BY doc)"


def _group_sql(i: int, g: Sequence[Term], idx: dict[str, int], ctes: _Ctes) -> tuple[str, str]:
    """One OR group (an AND of terms) as (its condition on tfs, or "" when phrases need set operations;
    SQL of its docs). Phrase sets and the group's own set are added to `ctes`."""
    # a phrase's words occur wherever the phrase does: its set says all (no tf condition needed)
    cond = [f"tf{idx[t.words[0]]} IS NOT NULL" for t in g if not t.negated and not t.phrase]
    cond += [f"tf{idx[t.words[0]]} IS NULL" for t in g if t.negated and not t.phrase]
    phr = [f"SELECT doc FROM {ctes.phrase(_phrase_sql(t.words, reads=ctes.reads))}" for t in g
           if not t.negated and t.phrase]
    if phr:
        base = " INTERSECT ".join(phr)
        if cond:
            base = f"SELECT doc FROM tfs WHERE {' AND '.join(cond)} AND doc IN ({base})"
    else:
        base = f"SELECT doc FROM tfs WHERE {' AND '.join(cond)}"
    negp = [t for t in g if t.negated and t.phrase]
    if not negp and not phr:
        return "(" + " AND ".join(cond) + ")", base
    if negp:  # an excluded phrase is looked for only among the group's other matches
        ctes.add(f"g{i} AS MATERIALIZED ({base})")
        base = f"SELECT doc FROM g{i}"
        for t in negp:
            name = ctes.phrase(_phrase_sql(t.words, within=f"SELECT doc FROM g{i}", reads=ctes.reads),
                               materialized=False)
            base += f" EXCEPT SELECT doc FROM {name}"
    return "", base


def _hit_cte(groups: list[tuple[str, str]], agg: list[str]) -> str:
    """The matching rows of tfs: by conditions alone when no group has a phrase, else joined with the
    union of the groups' doc sets."""
    conds = [c for c, _ in groups]
    if all(conds):  # conditions on tfs alone (no phrase): no set operation
        one = len(agg) == 1 and len(conds) == 1  # one word: every row of tfs is a match
        return "hit AS (SELECT * FROM tfs)" if one else f"hit AS MATERIALIZED (SELECT * FROM tfs WHERE {' OR '.join(conds)})"
    cand = " UNION ".join(f"({x})" for _, x in groups)
    return f"hit AS MATERIALIZED (SELECT t.* FROM tfs t JOIN ({cand}) c ON c.doc = t.doc)"


def _bm25_sql(cur: "duckdb.DuckDBPyConnection", positive: list[int], lo: datetime,
              hi: datetime) -> tuple[str, str, str]:
    """BM25 over the window: (the idf CTE `d`, the length norm per match, the score expression)."""
    n_docs, avgdl = one(cur.execute(
        "SELECT count(*), coalesce(avg(n_tokens + n_full), 1) FROM item_search WHERE published_at >= ? AND published_at < ?",
        [lo, hi]))
    # idf per word from its df (the documents of the window holding it), computed once. Every constant is
    # a DOUBLE: a literal like 0.75 is a DECIMAL in DuckDB, and decimal arithmetic over every match cost
    # more than finding the matches.
    n = float(int(n_docs))
    idfs = ", ".join(f"ln(1.0::DOUBLE + ({n!r}::DOUBLE - count(tf{k}) + 0.5::DOUBLE) / (count(tf{k}) + 0.5::DOUBLE)) "
                     f"AS idf{k}" for k in positive)
    # BM25's length norm k1 * (1 - b + b * dl / avgdl) = c0 + c1 * dl, once per match
    c0, c1 = K1 * (1 - B), K1 * B / (float(avgdl) or 1.0)
    norm = f"({c0!r}::DOUBLE + {c1!r}::DOUBLE * (s.n_tokens + s.n_full))"
    score = " + ".join(f"coalesce(idf{k} * x.tf{k} * {K1 + 1!r}::DOUBLE / (x.tf{k} + x.norm), 0.0::DOUBLE)"
                       for k in positive) or "0.0::DOUBLE"
    return f"d AS (SELECT {idfs} FROM tfs)", norm, score


def _ts(t: datetime) -> str:
    """A timestamp literal (the staged query repeats the window in every scan; literals keep the
    parameter list simple and let each scan prune row groups on it)."""
    return f"TIMESTAMP '{t.strftime('%Y-%m-%d %H:%M:%S.%f')}'"
