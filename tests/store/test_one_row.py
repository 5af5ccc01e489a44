"""store.db.one reads a query's first row with fetchall: a result read with fetchone stays open in DuckDB 2.0, and the
cursor then refuses `register`, which the next store function on the same write cursor may need (insert_items)."""

from __future__ import annotations

import ast
import hashlib
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from store import collab, items as store_items, users
from store.db import one
from tests.conftest import database
from vocab.item import Item

STORE = Path(__file__).resolve().parents[2] / "store"
T0 = datetime(2026, 12, 6, 8, 0)


def _item(i: int) -> Item:
    url = f"https://bao.vn/tin-{i}"
    return Item(id=hashlib.sha1(url.encode()).hexdigest(), source="s", collector="rss", source_type="press",
                outlet="Báo", url=url, canonical_url=url, title=f"Tin {i}", summary="Nội dung", published_at=T0,
                published_estimated=False, fetched_at=T0, content_hash=hashlib.sha1(url.encode()).hexdigest())


def test_duckdb_refuses_register_after_a_fetchone_and_one_leaves_nothing_open():
    """The failure mode itself, pinned: if a DuckDB upgrade changes it, this says so."""
    con = duckdb.connect()
    con.execute("SELECT count(*) FROM range(3)").fetchone()
    with pytest.raises(duckdb.Error, match="unfinished result"):
        con.register("_x", pa.table({"a": [1]}))
    con.execute("SELECT 1").fetchall()  # a new execute closes the old result
    assert one(con.execute("SELECT count(*) FROM range(3)")) == (3,)
    con.register("_x", pa.table({"a": [1]}))
    assert one(con.execute("SELECT * FROM range(0)")) is None
    con.unregister("_x")


def test_a_count_then_an_insert_on_one_write_cursor(tmp_path):
    """A SELECT count read with fetchone (count_reports, count_items) broke the insert_items after it; an
    INSERT … RETURNING (add_briefing) never did in DuckDB 2.0.1, and reads its row the same way anyway."""
    db = database(tmp_path / "db.duckdb")
    try:
        with db.write() as cur:
            assert collab.count_reports(cur) == 0
            assert store_items.insert_items(cur, [_item(1)]) == [_item(1).id]
            assert store_items.count_items(cur) == 1
            assert store_items.insert_items(cur, [_item(2)]) == [_item(2).id]
            assert users.add_briefing(cur, T0, None, "an") >= 1
            assert store_items.insert_items(cur, [_item(3)]) == [_item(3).id]
    finally:
        db.close()


def test_no_store_module_reads_with_fetchone():
    """Every first row in store/ goes through `one` (or a fetchall), so no store function ends on an open result."""
    found = []
    for path in sorted(STORE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("fetchone", "fetchmany"):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []
