"""Full texts saved in one batch (`store.fulltext.save_many`, `store.search.index_fulltexts`) index exactly the rows
that saving them one at a time does: postings, pair terms, lengths, and the same search answers."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from collectors.base import Item
from store import fulltext as store_fulltext
from store import items as store_items
from store import search as S
from store.db import Database
from tests.conftest import database, press_item

NOW = datetime(2026, 11, 22, 3, 0)

TEXTS = [
    "Bụi than bay khắp nơi, người dân phản ánh ô nhiễm ở Vàng Danh.",
    "Lũ quét ở Uông Bí, nước lũ dâng cao, sạt lở đất.",
    "Bui than o nhiem o Uong Bi, dan phan anh.",
    "Giá điện tăng, bệnh viện quá tải, học sinh nghỉ học.",
    "Đền bù giải phóng mặt bằng dự án đường cao tốc, người dân bức xúc.",
]
QUERIES = ["than", "ô nhiễm", '"bụi than" OR lũ', "than -bụi", '"o nhiem" -"Vàng Danh"', '"giải phóng"', "bức xúc"]


def item(k: int) -> Item:
    return press_item(f"tin-{k}", f"Tin {k} về Quảng Ninh", f"Tóm tắt {k}", NOW - timedelta(hours=k))


def rows(n: int, shift: int = 0) -> list[store_fulltext.Extracted]:
    """n articles' outcomes: mostly texts, an empty page among them."""
    return [store_fulltext.Extracted(item(k).id, None if k % 7 == 3 else TEXTS[(k + shift) % len(TEXTS)],
                                     "empty" if k % 7 == 3 else "ok", f"https://bao.vn/tin-{k}") for k in range(n)]


def index_rows(db: Database) -> dict[str, list[tuple]]:
    """Every row of the search index, by item id rather than doc number (numbers may be handed out in another order)."""
    with db.read() as cur:
        return {
            "postings": cur.execute("SELECT s.item_id, p.term, p.field, p.tf, p.pos, p.plain, p.published_at "
                                    "FROM search_postings p JOIN item_search s USING (doc) ORDER BY ALL").fetchall(),
            "pairs": cur.execute("SELECT s.item_id, p.term, p.field, p.plain, p.published_at "
                                 "FROM search_pairs p JOIN item_search s USING (doc) ORDER BY ALL").fetchall(),
            "items": cur.execute("SELECT item_id, published_at, plain, n_tokens, n_full, fulltext FROM item_search "
                                 "ORDER BY ALL").fetchall(),
            "texts": cur.execute("SELECT item_id, text, status, url FROM item_fulltext ORDER BY ALL").fetchall(),
        }


def answers(db: Database) -> dict[str, list[str]]:
    with db.read() as cur:
        return {q: list(S.search(cur, q, now=NOW).items["id"]) for q in QUERIES}


def build(path: Path, n: int, *, batched: bool, unindexed: int = 0) -> Database:
    """n items stored (the last `unindexed` of them never indexed: a bulk load), their texts saved, then half of them
    replaced by other texts: in one transaction each (batched) or one save per item."""
    db = database(path)
    with db.write() as cur:
        store_items.insert_items(cur, [item(k) for k in range(n - unindexed)])
        store_items.bulk_load_arrow(cur, store_items._to_arrow([item(k) for k in range(n - unindexed, n)]))
    for batch in (rows(n), rows(n, shift=2)[::2]):
        if batched:
            with db.write() as cur:
                store_fulltext.save_many(cur, batch, now=NOW)
        else:
            for r in batch:
                with db.write() as cur:
                    store_fulltext.save_many(cur, [r], now=NOW)
    return db


def from_scratch(path: Path, n: int) -> Database:
    """The reference: the final texts of `build`, each item indexed whole once (`index_items`), never replaced."""
    final = {r.item_id: r for r in rows(n) + rows(n, shift=2)[::2]}
    db = database(path)
    with db.write() as cur:
        store_items.bulk_load_arrow(cur, store_items._to_arrow([item(k) for k in range(n)]))
        store_fulltext.save_many(cur, list(final.values()), now=NOW)  # none indexed yet: index_items does all
        S.index_missing(cur)  # and those without a text
    return db


def test_a_batch_of_n_texts_indexes_the_same_rows_as_n_single_saves(tmp_path):
    one = build(tmp_path / "one.duckdb", 30, batched=False, unindexed=4)
    many = build(tmp_path / "many.duckdb", 30, batched=True, unindexed=4)
    fresh = from_scratch(tmp_path / "fresh.duckdb", 30)
    try:
        a, b, c = index_rows(one), index_rows(many), index_rows(fresh)
        assert len(a["postings"]) > 300 and any(r[2] == 1 for r in a["postings"])  # the bodies are in
        assert sum(r[5] for r in a["items"]) == 30 - 4  # every item with a text (4 empty pages)
        for table in a:
            assert a[table] == b[table] == c[table], table
        assert answers(one) == answers(many) == answers(fresh)
        assert answers(many)['"giải phóng"']
    finally:
        for db in (one, many, fresh):
            db.close()


def test_a_text_saved_twice_in_one_batch_keeps_the_last_as_two_saves_do(tmp_path):
    first, second = rows(2), rows(2, shift=1)
    with database(tmp_path / "t.duckdb") as db:
        with db.write() as cur:
            store_items.insert_items(cur, [item(0), item(1)])
        with db.write() as cur:
            store_fulltext.save_many(cur, first + second, now=NOW)
        with db.read() as cur:
            texts = dict(cur.execute("SELECT item_id, text FROM item_fulltext").fetchall())
            bodies = cur.execute("SELECT count(DISTINCT doc) FROM search_postings WHERE field = 1").fetchone()[0]
            found = set(S.search(cur, '"lũ quét"', now=NOW).items["id"])
    assert texts == {r.item_id: r.text for r in second} and bodies == 2
    assert found == {item(0).id}


def test_a_batch_costs_the_same_statements_for_two_texts_as_for_forty(tmp_path):
    class Counting:
        def __init__(self, cur):
            self.cur, self.n = cur, 0

        def execute(self, *a, **kw):
            self.n += 1
            return self.cur.execute(*a, **kw)

        def __getattr__(self, name):
            return getattr(self.cur, name)

    counts = []
    for n in (2, 40):
        with database(tmp_path / f"c{n}.duckdb") as db:
            with db.write() as cur:
                store_items.insert_items(cur, [item(k) for k in range(n)])
            with db.write() as cur:
                counted = Counting(cur)
                store_fulltext.save_many(counted, rows(n), now=NOW)
                counts.append(counted.n)
    assert counts[0] == counts[1], counts
