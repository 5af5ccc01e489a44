"""The unsorted tail of the search postings (store.search.tail_rows) stays right after a purge (round 20).

It was all postings minus those sorted last time, so retention purging sorted postings made it read short (to 0
with the whole tail unsorted) and the sort waited. On a real DuckDB file: items indexed and sorted, more appended
(the tail), then a purge of sorted items, of tail items, a replaced full text, and an append while a sort runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from collectors.base import Item
from collectors.textutil import canonical_url, sha1
from store import fulltext as store_fulltext
from store import items as store_items
from store import retention
from store import search as S
from store.db import Database
from tests.conftest import press_id, press_item

NOW = datetime(2026, 11, 22, 3, 0)


def item(key: str, days_ago: float) -> Item:
    return press_item(key, f"Sạt lở bãi thải {key} ở Vàng Danh", f"Người dân {key} phản ánh bụi than ở Uông Bí.",
                      NOW - timedelta(days=days_ago))


def postings_of(db: Database, keys: list[str]) -> int:
    """The postings of these items, counted in the index itself (the test's own reading of the truth)."""
    with db.read() as cur:
        ids = [press_id(k) for k in keys]
        return int(cur.execute(
            "SELECT count(*) FROM search_postings WHERE doc IN (SELECT doc FROM item_search "
            "WHERE item_id IN (SELECT unnest(?::VARCHAR[])))", [ids]).fetchone()[0])


@pytest.fixture
def db(tmp_path):
    """Ten old items indexed and sorted, then five new ones appended: the tail is the new ones' postings."""
    d = Database(tmp_path / "tail.duckdb")
    with d.write() as cur:
        store_items.insert_items(cur, [item(f"cu{i}", 400 + i) for i in range(10)])
        S.compact(cur, NOW)
        assert S.tail_rows(cur) == 0
        store_items.insert_items(cur, [item(f"moi{i}", 1 + i) for i in range(5)])
    yield d
    d.close()


NEW = [f"moi{i}" for i in range(5)]


def test_purging_sorted_postings_leaves_the_tail_as_it_was(db):
    tail = postings_of(db, NEW)
    with db.read() as cur:
        assert tail > 0 and S.tail_rows(cur) == tail
    with db.write() as cur:
        purged = retention.purge_items(cur, NOW, NOW - timedelta(days=365))
    assert any(p.what == "item_rows:search_postings" and p.rows > tail for p in purged)  # more sorted rows went
    with db.read() as cur:
        assert S.postings(cur) == tail  # only the tail is left, still unsorted
        assert S.tail_rows(cur) == tail


def test_purging_tail_postings_lowers_the_tail_by_theirs(db):
    with db.write() as cur:  # the new items' full texts arrive later: more tail
        store_fulltext.save_many(cur, [store_fulltext.Extracted(press_id("moi0"),
                                                                "Mưa lớn gây sạt lở đất ở phường Vàng Danh.", "ok",
                                                                "https://bao.vn/moi0")], now=NOW)
    with db.read() as cur:
        assert S.tail_rows(cur) == postings_of(db, NEW)
    with db.write() as cur:  # three of the new items purged (moi2-4, 3 to 5 days old; the old ones too)
        retention.purge_items(cur, NOW, NOW - timedelta(days=2.5))
    with db.read() as cur:
        assert S.tail_rows(cur) == postings_of(db, NEW[:2]) > 0


def test_a_replaced_full_text_counts_its_new_postings_once(db):
    url = "https://bao.vn/moi1"
    for text in ("Nắng nóng kéo dài nhiều ngày.", "Mưa đá ở Uông Bí, Vàng Danh và Yên Tử làm hỏng mái nhà."):
        with db.write() as cur:
            store_fulltext.save_many(cur, [store_fulltext.Extracted(sha1(canonical_url(url)), text, "ok", url)],
                                     now=NOW)
    with db.read() as cur:
        assert S.tail_rows(cur) == postings_of(db, NEW)


def test_postings_appended_while_a_sort_runs_stay_the_tail(db):
    with db.read() as cur:
        mark = S.tail_mark(cur)
        plan = S.compact_plan(cur, chunk_rows=50)
    with db.write() as cur:
        S.compact_range(cur, *plan[0])
        store_items.insert_items(cur, [item("giua", 0.5)])  # appended between two ranges
    for lo, hi in plan[1:]:
        with db.write() as cur:
            S.compact_range(cur, lo, hi)
    with db.write() as cur:
        S.compact_done(cur, mark, NOW)
        assert S.tail_rows(cur) == postings_of(db, ["giua"]) > 0


def test_a_database_from_before_163_keeps_its_tail_until_the_next_sort(tmp_path):
    """Migration 163 finds a tail it cannot place (which docs, unknown): one row of all postings minus sorted_rows,
    which the next sort clears."""
    path = tmp_path / "old.duckdb"
    with Database(path) as d:
        with d.write() as cur:
            store_items.insert_items(cur, [item(f"cu{i}", 400 + i) for i in range(3)])
            cur.execute("DROP TABLE search_tail; ALTER TABLE search_state DROP COLUMN tail_seq; "
                        "ALTER TABLE search_state ADD COLUMN sorted_rows BIGINT DEFAULT 10; "
                        "DELETE FROM schema_migrations WHERE version IN (163, 164)")  # 164 dropped sorted_rows
            total = S.postings(cur)
    with Database(path) as d:  # reopening applies 163
        with d.write() as cur:
            assert S.tail_rows(cur) == total - 10 > 0
            store_items.insert_items(cur, [item("moi", 1)])
        with d.read() as cur:
            assert S.tail_rows(cur) == total - 10 + postings_of(d, ["moi"])
        with d.write() as cur:
            S.compact(cur, NOW)
            assert S.tail_rows(cur) == 0


def test_search_state_keeps_no_sorted_rows(db):
    """sorted_rows was read by nothing after 163 (round 21: migration 164 drops it): the tail is search_tail's."""
    with db.read() as cur:
        assert "sorted_rows" not in {r[0] for r in cur.execute("DESCRIBE search_state").fetchall()}


def _unsorted_pairs(cur) -> set[tuple[int, int]]:
    """(doc, field) of the pair rows after the longest sorted run at the start of search_pairs in storage order (a
    plain SELECT keeps insertion order): the pairs' own unsorted tail, read from the table itself."""
    rows = cur.execute("SELECT term, plain, published_at, doc, field FROM search_pairs").fetchall()
    cut = next((k for k in range(1, len(rows)) if rows[k][:3] < rows[k - 1][:3]), len(rows))
    return {(r[3], r[4]) for r in rows[cut:]}


def _tail_docs(cur) -> set[tuple[int, int]]:
    return {(int(d), int(f)) for d, f in cur.execute("SELECT doc, field FROM search_tail").fetchall()}


def test_the_pairs_tail_moves_with_the_counted_tail(db):
    """search_pairs has an unsorted tail too, not counted on its own (round 21): it is appended by the same calls
    as the postings (each counted in search_tail by (doc, field)), purged and replaced with the same predicates, and
    sorted by the same compact_range, so search_tail's count decides the sort for both. Checked here from the table:
    every unsorted pair belongs to a (doc, field) search_tail counts, through an append, a replaced full text and a
    purge, and a sort leaves neither tail."""
    url = "https://bao.vn/moi1"
    with db.read() as cur:
        assert _unsorted_pairs(cur) and _unsorted_pairs(cur) <= _tail_docs(cur)
    with db.write() as cur:
        store_fulltext.save_many(cur, [store_fulltext.Extracted(sha1(canonical_url(url)), "Mưa đá ở Uông Bí, Vàng "
                                                                "Danh làm hỏng mái nhà.", "ok", url)], now=NOW)
        retention.purge_items(cur, NOW, NOW - timedelta(days=2.5))  # moi2-4 go, with their pairs and tail rows
    with db.read() as cur:
        assert {f for _, f in _unsorted_pairs(cur)} == {0, 1} and _unsorted_pairs(cur) <= _tail_docs(cur)
    with db.write() as cur:
        S.compact(cur, NOW)
    with db.read() as cur:
        assert _unsorted_pairs(cur) == set() == _tail_docs(cur)
