"""search_docs with one regular expression (migration 165, round 27): the same index rows as the definition of 060.

Why one: DuckDB compiles a constant pattern for every regexp_extract_all of a statement, and '[\\pL\\pM\\pN]+' takes
1–2 ms to compile; held three times, it was most of the cost of indexing one new item (the live tick, a replay step).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from collectors.base import Item
from store import fulltext as store_fulltext
from store import items as store_items
from store.db import Database
from tests.conftest import press_id, press_item

NOW = datetime(2026, 11, 22, 3, 0)
MIGRATIONS = Path(__file__).resolve().parents[2] / "store" / "migrations"

# titles and summaries of every shape the tokeniser meets: marks, none, digits, punctuation only, empty, one word,
# combining marks (NFD), other scripts, apostrophes and dashes between letters
ROWS = [
    ("lu", "Lũ quét ở Vàng Danh", "Nước lũ dâng cao sau mưa lớn, 3 hộ phải sơ tán."),
    ("plain", "Bui than o nhiem nang o Uong Bi", "Dan phan anh lu lut, bui than bay khap noi."),
    ("empty", "Tiêu đề", ""),
    ("punct", "!!! ... ???", "— — —"),
    ("one", "Đ", "x"),
    ("nfd", "Lu\u0303 que\u0301t", "Mu\u031bA lo\u031b\u0301n"),
    ("mixed", "COVID-19: 1.234 ca, 4,5% tăng", "Tiếng Việt, 中文 và Ελληνικά; it's ok"),
    ("spaces", "  nhiều   khoảng   trắng  ", "\tTab\nxuống dòng"),
]
TEXTS = {"lu": "Mưa lớn gây sạt lở đất ở tổ 5. Người dân di dời.", "nfd": "Sa\u0323t lơ\u0309 đất",
         "punct": "...", "plain": None}


def item(key: str, title: str, summary: str, n: int) -> Item:
    return press_item(key, title, summary, NOW - timedelta(hours=n + 1))


def old_search_docs() -> str:
    """060's definition of search_docs (three patterns), as CREATE OR REPLACE."""
    sql = (MIGRATIONS / "060_search.sql").read_text(encoding="utf-8")
    body = re.search(r"CREATE MACRO search_docs\(.*?;\n", sql, re.S).group(0)
    return body.replace("CREATE MACRO", "CREATE OR REPLACE MACRO", 1)


def index_rows(path: Path, old: bool) -> dict[str, list[tuple]]:
    with Database(path) as d:
        if old:
            with d.write() as cur:
                cur.execute(old_search_docs())
        items = [item(k, t, s, n) for n, (k, t, s) in enumerate(ROWS)]
        with d.write() as cur:  # first half one by one (a replay step), the rest in one batch
            for it in items[:3]:
                store_items.insert_items(cur, [it])
            store_items.insert_items(cur, items[3:])
        with d.write() as cur:
            store_fulltext.save_many(cur, [
                store_fulltext.Extracted(press_id(k), text, "ok" if text else "empty",
                                         f"https://bao.vn/{k}") for k, text in TEXTS.items()], now=NOW)
        with d.read() as cur:
            return {t: cur.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                    for t in ("item_search", "search_postings", "search_pairs", "search_tail", "search_state")}


def test_one_pattern_gives_the_same_index_rows_as_three(tmp_path):
    new, old = index_rows(tmp_path / "new.duckdb", old=False), index_rows(tmp_path / "old.duckdb", old=True)
    assert new["search_postings"] and new["search_pairs"]
    assert any(r[2] == 1 for r in new["search_postings"])  # full-text postings are among them
    assert new == old


def test_search_docs_compiles_the_token_pattern_once(tmp_path):
    with Database(tmp_path / "d.duckdb") as d:
        with d.read() as cur:
            (sql,) = cur.execute("SELECT macro_definition FROM duckdb_functions() "
                                 "WHERE function_name = 'search_docs'").fetchall()[0]
    assert sql.count("regexp_extract_all") == 1


class _Counted:
    """A cursor that counts the statements run through it (a DuckDB connection takes no new attribute)."""

    def __init__(self, cur) -> None:  # type: ignore[no-untyped-def]
        self._cur, self.sql = cur, []

    def execute(self, sql, *args):  # type: ignore[no-untyped-def]
        self.sql.append(sql)
        return self._cur.execute(sql, *args)

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self._cur, name)


def test_one_new_item_is_stored_and_indexed_in_sixteen_statements(tmp_path):
    """The collaborators' form, a one-item import and a replay step pay insert_items per call, 2–7 ms a statement
    under load: 21 until round 28 (a second temp table for the pair terms, its drop, two reads of next_doc, a count
    the INSERT answers itself). The rows are the same (index_rows above, tests/store)."""
    from dataclasses import replace

    items = [replace(item(k, t, s, n), raw=b"<item/>") for n, (k, t, s) in enumerate(ROWS)]  # as collected
    with Database(tmp_path / "d.duckdb") as d:
        with d.write() as cur:
            store_items.insert_items(cur, items[:1])
        for it in items[1:3]:
            with d.write() as cur:
                counted = _Counted(cur)
                assert len(store_items.insert_items(counted, [it])) == 1
                assert len(counted.sql) == 16, counted.sql
        with d.write() as cur:  # a re-sighting: the item and its link only
            counted = _Counted(cur)
            assert store_items.insert_items(counted, items[:1]) == [] and len(counted.sql) == 2
