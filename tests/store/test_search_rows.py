"""store.search.search_rows (the command line's typed rows) and search (the dashboard's DataFrame) list the same
items from one ranking and one display query (round 26)."""

from __future__ import annotations

import math
from dataclasses import asdict
from datetime import datetime

import pytest

from store import search as S
from store.db import Database
from tests.langnghe.test_search_output import _seed


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("rows") / "s.duckdb"
    _seed(path)
    d = Database(str(path))
    with d.write() as cur:  # an item whose time changed after it was indexed: read again over all time
        cur.execute("UPDATE items SET published_at = TIMESTAMP '2020-01-01' WHERE url = 'https://bao.vn/tin/4'")
    yield d
    d.close()


def _plain(v):  # type: ignore[no-untyped-def]
    """A DataFrame cell as the typed row holds it: lists, None for a missing value, datetime, float, bool."""
    if hasattr(v, "tolist"):
        v = v.tolist()
    if hasattr(v, "to_pydatetime"):
        return v.to_pydatetime()
    if v is None or (not isinstance(v, (list, str)) and (v is getattr(__import__("pandas"), "NA") or
                                                          (isinstance(v, float) and math.isnan(v)))):
        return None
    return v


CASES = [("bãi thải", {}), ("than", {"order": "newest"}), ("than", {"in_area_only": True}), ("khongco", {}),
         (None, {"now": datetime(2026, 12, 6, 12), "limit": 3}), (None, {"since": datetime(2030, 1, 1)}),
         ("bãi thải", {"since": datetime(2026, 12, 5), "until": datetime(2026, 12, 6)}), ('"sạt lở"', {"limit": 1})]


@pytest.mark.parametrize("query,kw", CASES)
def test_the_rows_are_the_dataframe_s_rows(db, query, kw):
    with db.read() as cur:
        frame = S.search(cur, query, **kw)
        rows = S.search_rows(cur, query, **kw)
    assert (rows.total, rows.total_exact) == (frame.total, frame.total_exact)
    assert [asdict(r) for r in rows.items] == [{k: _plain(v) for k, v in rec.items()}
                                               for rec in frame.items.to_dict("records")]


def test_an_item_read_again_over_all_time_keeps_its_rank(db):
    with db.read() as cur:
        rows = S.search_rows(cur, "than", order="newest")
    assert [r.url[-1] for r in rows.items] == ["1", "2", "4", "5", "7"]  # ranked by its indexed time
    assert rows.items[2].published_at == datetime(2020, 1, 1)  # shown with its time now
    assert all(isinstance(r.score, float) and isinstance(r.together, bool) for r in rows.items)
    assert rows.items[0].topics == ["moi_truong", "thien_tai"] and rows.items[1].topics is None
