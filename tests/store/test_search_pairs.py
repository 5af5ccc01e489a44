"""Pair terms (migration 161, issue 14): a two-word phrase is one lookup of its adjacent-syllable pair in
`search_pairs`. The migration builds the pairs of an existing database, inserts and full-text saves keep
them, a retention purge and a compaction handle them, and phrases find what the join of positions finds."""

from __future__ import annotations

from datetime import datetime, timedelta

from collectors.base import Item
from store import fulltext as store_fulltext
from store import items as store_items
from store import retention
from store import search as S
from store import db as db_mod
from store.db import Database
from tests.conftest import press_id, press_item

NOW = datetime(2026, 11, 22, 3, 0)

CORPUS = [
    ("a", "Bụi than gây ô nhiễm ở Vàng Danh", "Người dân phản ánh ô nhiễm kéo dài.", 3.0),
    ("b", "Bụi thần bí ở Uông Bí", "Ô tô chở than, nhiễm bẩn.", 2.0),
    ("c", "Bui than o nhiem o Uong Bi", "Dan phan anh.", 1.0),
    ("d", "Than và bụi ở Cẩm Phả", "Bổ nhiệm giám đốc.", 0.5),
]
PHRASES = ['"bụi than"', '"bui than"', '"bụi thần"', '"ô nhiễm"', '"o nhiem"', '"ô nhiem"', '"uông bí"',
           '"cẩm phả"', '"than bụi"', '"nhiễm bẩn"', '"bí ở"', "ô nhiễm", "bụi than -\"ô nhiễm\""]
PAIRS = "SELECT term, doc, field, plain, published_at FROM search_pairs ORDER BY ALL"


def item(key: str, title: str, summary: str, days_ago: float) -> Item:
    return press_item(key, title, summary, NOW - timedelta(days=days_ago))


def iid(key: str) -> str:
    return press_id(key)


def keys(db: Database, query: str) -> list[str]:
    names = {iid(k): k for k in ["a", "b", "c", "d", "e", "old"]}
    with db.read() as cur:
        return [names[i] for i in S.search(cur, query, now=NOW).items["id"]]


def loaded(path) -> Database:
    d = Database(path)
    with d.write() as cur:
        store_items.insert_items(cur, [item(*row) for row in CORPUS])
    return d


def test_phrases_find_by_pairs_what_positions_find(tmp_path, monkeypatch):
    with loaded(tmp_path / "s.duckdb") as d:
        assert sorted(keys(d, '"bụi than"')) == ["a", "b", "c"]  # "thần" folds to "than"; "bui than" unmarked
        assert sorted(keys(d, '"bụi thần"')) == ["b", "c"]
        assert sorted(keys(d, '"o nhiem"')) == ["a", "c"] and keys(d, '"than bụi"') == []
        with_pairs = {q: keys(d, q) for q in PHRASES}
        monkeypatch.setattr(S, "_pair_sql", lambda *a, **k: None)  # every phrase by positions
        assert {q: keys(d, q) for q in PHRASES} == with_pairs


def test_the_pair_index_answers_two_word_phrases():
    pair = S._pair_sql(["bụi", "than"])
    assert pair is not None and "search_pairs" in pair and "search_postings" not in pair
    assert "search_pairs" in S._phrase_sql(["ô", "nhiễm"]) and "search_pairs" in S._phrase_sql(["o", "nhiem"])
    # a mark on the second word only, or three words: the join of positions
    assert S._pair_sql(["than", "bụi"]) is None and "search_pairs" not in S._phrase_sql(["than", "bụi"])
    assert "search_pairs" not in S._phrase_sql(["bụi", "than", "gây"])


def test_migration_builds_the_pairs_of_an_existing_database(tmp_path):
    path = tmp_path / "m.duckdb"
    with loaded(path) as d:
        with d.read() as cur:
            at_insert = cur.execute(PAIRS).fetchall()
        before = {q: keys(d, q) for q in PHRASES}
        with d.write() as cur:  # back to the shape before 161
            cur.execute("DROP TABLE search_pairs; DROP MACRO TABLE search_pairs_in; DROP MACRO TABLE search_postings_in; "
                        "DELETE FROM schema_migrations WHERE version = 161")
    assert ("bụi than", 1, 0, False, NOW - timedelta(days=3)) in at_insert
    assert ("bui than", 1, 0, False, NOW - timedelta(days=3)) in at_insert
    assert not any(t.startswith("danh người") for t, *_ in at_insert)  # no pair across title and summary
    with Database(path) as d:  # reopening applies 161
        with d.read() as cur:
            assert cur.execute(PAIRS).fetchall() == at_insert
            terms = [r[0] for r in cur.execute("SELECT term FROM search_pairs").fetchall()]
            assert terms == sorted(terms)  # stored in term order
        assert {q: keys(d, q) for q in PHRASES} == before
        with d.write() as cur:  # and keeps growing
            store_items.insert_items(cur, [item("e", "Bụi thán mới", "", 0.2)])
        assert "e" in keys(d, '"bụi than"')


def test_the_pairs_backfill_is_left_out_only_where_there_is_nothing_to_fill(tmp_path):
    """A new database skips planning 161's sixteen tokenising statements (half its migrations' time); one holding
    items runs them all (the test above checks what they build)."""
    sql = next(p for v, _, p in db_mod.migrations() if v == 161).read_text(encoding="utf-8")
    assert sql.count("search_docs(") == 16
    with Database(tmp_path / "e.duckdb") as d:
        with d.write() as cur:
            empty = db_mod._migration_sql(cur, sql)
        with d.write() as cur:
            store_items.insert_items(cur, [item("a", "Bụi than", "", 1.0)])
        with d.write() as cur:
            full = db_mod._migration_sql(cur, sql)
    assert "search_docs(" not in empty and "search_pairs_stage" not in empty
    assert "CREATE TABLE search_pairs" in empty and "CREATE MACRO search_pairs_in" in empty
    assert full == sql


def test_a_full_text_replaces_its_pairs(tmp_path):
    with loaded(tmp_path / "f.duckdb") as d:
        for text in ("Xe chở than gây bụi mù ở Quang Hanh.", "Mưa lớn ở Hạ Long."):
            with d.write() as cur:
                store_fulltext.save_many(cur, [store_fulltext.Extracted(iid("d"), text, "ok", "https://bao.vn/d")], now=NOW)
            if text.startswith("Xe"):
                assert keys(d, '"quang hanh"') == ["d"]
        assert keys(d, '"quang hanh"') == [] and keys(d, '"hạ long"') == ["d"]
        with d.read() as cur:
            doc = cur.execute("SELECT doc FROM item_search WHERE item_id = ?", [iid("d")]).fetchone()[0]
            assert cur.execute("SELECT count(*) FROM search_pairs WHERE doc = ? AND field = 1 AND term = 'quang hanh'",
                               [doc]).fetchone()[0] == 0


def test_a_purge_drops_the_pairs_and_compaction_keeps_them(tmp_path):
    with loaded(tmp_path / "p.duckdb") as d:
        with d.write() as cur:
            store_items.insert_items(cur, [item("old", "Bụi than năm ngoái", "Tin cũ.", 400)])
            old = cur.execute("SELECT doc FROM item_search WHERE item_id = ?", [iid("old")]).fetchone()[0]
            assert cur.execute("SELECT count(*) FROM search_pairs WHERE doc = ?", [old]).fetchone()[0] > 0
            retention.purge(cur, NOW, raw_payload_days=30, items_days=365)
            assert cur.execute("SELECT count(*) FROM search_pairs WHERE doc = ?", [old]).fetchone()[0] == 0
            before = cur.execute(PAIRS).fetchall()
            S.compact(cur, NOW, chunk_rows=7)  # several term ranges
            assert cur.execute(PAIRS).fetchall() == before
            terms = [r[0] for r in cur.execute("SELECT term FROM search_pairs").fetchall()]
            assert terms == sorted(terms)
        assert sorted(keys(d, '"bụi than"')) == ["a", "b", "c"]


def test_postings_from_a_table_of_tokens_are_those_of_the_060_macro(tmp_path):
    with loaded(tmp_path / "t.duckdb") as d:
        with d.write() as cur:
            store_fulltext.save_many(cur, [store_fulltext.Extracted(iid("a"), "Bụi than bay, bụi than lắng.", "ok",
                                                                    "https://bao.vn/a")], now=NOW)
            cur.execute("CREATE TEMP TABLE toks AS SELECT * FROM search_docs(NULL, TRUE, TRUE)")
            cols = "term, item_id, field, tf, pos, plain, published_at"
            by_ids = cur.execute(f"SELECT {cols} FROM search_postings_of(NULL, TRUE, TRUE) ORDER BY ALL").fetchall()
            by_table = cur.execute(f"SELECT {cols} FROM search_postings_in('toks') ORDER BY ALL").fetchall()
            assert by_table == by_ids and len(by_ids) > 40
