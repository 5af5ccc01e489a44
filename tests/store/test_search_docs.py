"""The search index keyed by doc numbers (migration 160, issue 14): an index built by the old schema
(postings by item id) is converted on upgrade and keeps answering; doc numbers are never reused after
a retention purge, and a purge takes the postings of its items along."""

from __future__ import annotations

from datetime import datetime, timedelta

from collectors.base import Item
from store import items as store_items
from store import retention
from store import search as S
from store.db import Database
from tests.conftest import press_id, press_item

NOW = datetime(2026, 11, 22, 3, 0)


def item(key: str, title: str, summary: str, days_ago: float = 0.1) -> Item:
    return press_item(key, title, summary, NOW - timedelta(days=days_ago))


def ids_of(*keys: str) -> set[str]:
    return {press_id(k) for k in keys}


def found(db: Database, query: str) -> set[str]:
    with db.read() as cur:
        return set(S.search(cur, query, now=NOW).items["id"])


# The tables as migration 060 made them before 160 (postings keyed by item id, no doc numbers).
OLD_SHAPE = """
CREATE TABLE item_search_old (
    item_id VARCHAR PRIMARY KEY, published_at TIMESTAMP NOT NULL, plain BOOLEAN NOT NULL,
    n_tokens INTEGER NOT NULL, n_full INTEGER NOT NULL, fulltext BOOLEAN NOT NULL);
INSERT INTO item_search_old SELECT item_id, published_at, plain, n_tokens, n_full, fulltext FROM item_search;
CREATE TABLE search_postings_old (
    term VARCHAR NOT NULL, item_id VARCHAR NOT NULL, field TINYINT NOT NULL, tf INTEGER NOT NULL,
    pos INTEGER[] NOT NULL, plain BOOLEAN NOT NULL, published_at TIMESTAMP NOT NULL);
INSERT INTO search_postings_old
    SELECT p.term, s.item_id, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p JOIN item_search s ON s.doc = p.doc;
DROP TABLE search_postings; ALTER TABLE search_postings_old RENAME TO search_postings;
DROP TABLE item_search; ALTER TABLE item_search_old RENAME TO item_search;
DROP TABLE search_state; CREATE TABLE search_state (sorted_rows BIGINT NOT NULL, compacted_at TIMESTAMP);
INSERT INTO search_state SELECT count(*), NULL FROM search_postings;
DELETE FROM schema_migrations WHERE version = 160;
DROP TABLE search_tail; DELETE FROM schema_migrations WHERE version IN (163, 164);  -- 163 and 164 came after 160
"""

CORPUS = [
    ("a", "Bụi than gây ô nhiễm ở Vàng Danh", "Người dân phản ánh ô nhiễm kéo dài.", 3.0),
    ("b", "Lũ quét ở Uông Bí", "Nước lũ dâng cao.", 2.0),
    ("c", "Bui than o nhiem o Uong Bi", "Dan phan anh.", 1.0),
]
QUERIES = ["than", "ô nhiễm", '"bụi than" OR lũ', "than -bụi", '"o nhiem" -"Vàng Danh"']


def test_an_index_of_the_old_schema_is_converted_on_upgrade(tmp_path):
    path = tmp_path / "old.duckdb"
    with Database(path) as d:
        with d.write() as cur:
            store_items.insert_items(cur, [item(k, t, s, a) for k, t, s, a in CORPUS])
        before = {q: found(d, q) for q in QUERIES}
        with d.write() as cur:
            cur.execute(OLD_SHAPE)
            assert "doc" not in {r[0] for r in cur.execute("DESCRIBE search_postings").fetchall()}
    assert before["than"] == ids_of("a", "c") and before['"bụi than" OR lũ'] == ids_of("a", "b", "c")
    with Database(path) as d:  # reopening applies 160
        assert {q: found(d, q) for q in QUERIES} == before
        with d.read() as cur:
            docs = cur.execute("SELECT doc FROM item_search ORDER BY published_at").fetchall()
            assert [r[0] for r in docs] == [1, 2, 3]  # numbered oldest first
            assert cur.execute("SELECT next_doc FROM search_state").fetchone() == (4,)
            assert S.tail_rows(cur) == 0  # 163 read 160's sorted_rows: all sorted
        with d.write() as cur:  # the converted index keeps growing
            store_items.insert_items(cur, [item("d", "Than tồn kho", "Than đá.", 0.5)])
            assert cur.execute("SELECT doc FROM item_search WHERE item_id = ?", [press_id("d")]).fetchone()[0] == 4
        assert found(d, "than") == ids_of("a", "c", "d")


def test_a_new_database_numbers_its_items_and_160_finds_nothing_to_convert(tmp_path):
    with Database(tmp_path / "new.duckdb") as d:
        with d.write() as cur:
            store_items.insert_items(cur, [item(k, t, s, a) for k, t, s, a in CORPUS[:2]])
            store_items.insert_items(cur, [item(*CORPUS[2])])
            rows = cur.execute("SELECT doc, count(*) OVER (PARTITION BY doc) FROM item_search").fetchall()
            assert sorted(r[0] for r in rows) == [1, 2, 3] and {r[1] for r in rows} == {1}
            assert cur.execute("SELECT next_doc FROM search_state").fetchone()[0] == 4
            orphans = cur.execute("SELECT count(*) FROM search_postings WHERE doc NOT IN (SELECT doc FROM item_search)")
            assert orphans.fetchone()[0] == 0
        assert found(d, "than") == ids_of("a", "c")


def test_a_purge_drops_the_postings_and_doc_numbers_are_not_reused(tmp_path):
    with Database(tmp_path / "p.duckdb") as d:
        with d.write() as cur:
            store_items.insert_items(cur, [item("new", "Than mới ở Uông Bí", "Tin mới về than.", 1)])
            # an archive imported later: the highest number goes to the item the purge removes
            store_items.insert_items(cur, [item("old", "Than cũ ở Cẩm Phả", "Tin cũ về than.", 400)])
            top = cur.execute("SELECT max(doc) FROM item_search").fetchone()[0]
            old_doc = cur.execute("SELECT doc FROM item_search WHERE item_id = ?",
                                  [press_id("old")]).fetchone()[0]
            got = {p.what: p.rows for p in retention.purge(cur, NOW, raw_payload_days=30, items_days=365,
                                                           dry_run=True)}
            assert got["item_rows:search_postings"] > 0
            assert cur.execute("SELECT count(*) FROM search_postings WHERE doc = ?", [old_doc]).fetchone()[0] > 0
            got = {p.what: p.rows for p in retention.purge(cur, NOW, raw_payload_days=30, items_days=365)}
            assert got["items"] == 1 and got["item_rows:search_postings"] > 0
            assert cur.execute("SELECT count(*) FROM search_postings WHERE doc = ?", [old_doc]).fetchone()[0] == 0
            assert cur.execute("SELECT count(*) FROM item_search").fetchone()[0] == 1
            assert old_doc == top
        assert found(d, "than") == ids_of("new") and found(d, "Cẩm") == set()
        with d.write() as cur:  # the next item gets a number past every one handed out, purged or not
            store_items.insert_items(cur, [item("later", "Than về cảng", "Than xuất khẩu.", 0.2)])
            later = cur.execute("SELECT doc FROM item_search WHERE item_id = ?",
                                [press_id("later")]).fetchone()[0]
            assert later > top
        assert found(d, "than") == ids_of("new", "later") and found(d, "Cẩm") == set()
