"""Lists staff pick from are in Vietnamese alphabetical order (walk at 300k items, 68 sources): «Đài PT-TH
Quảng Ninh» and the watchlist «Đền bù GPMB» sat after Z, where byte order puts Đ."""

from __future__ import annotations

from datetime import timedelta

from devtools.rows import make_item
from store import dashboard as q
from store import watchlists as store_watch
from store.db import Database, utcnow
from store.items import insert_items


def test_outlets_and_watchlists_in_vietnamese_order(tmp_path):
    now = utcnow()
    with Database(tmp_path / "o.duckdb") as db:
        with db.write() as cur:
            insert_items(cur, [make_item(url=f"https://x.vn/{k}", title=f"Tin {k}", summary="", source=f"s{k}",
                                         outlet=o, source_type="press", published_at=now - timedelta(hours=1),
                                         fetched_at=now)
                               for k, o in enumerate(["Znews", "Đài PT-TH Quảng Ninh", "Dân trí", "Báo Quảng Ninh"])])
            for name in ("Giải phóng mặt bằng", "Đền bù GPMB", "Dạy thêm", "Bụi than"):
                store_watch.create(cur, {"name": name, "query": '"x"', "places": [], "topics": [],
                                         "source_types": [], "min_items": 1, "window_minutes": 60,
                                         "severity": "low"}, "cv", now)
        with db.read() as cur:
            outlets = q.filter_options(cur, now - timedelta(days=1))["outlets"]
            names = [w["name"] for w in store_watch.list_watchlists(cur) if w["created_by"] == "cv"]
    assert outlets == ["Báo Quảng Ninh", "Dân trí", "Đài PT-TH Quảng Ninh", "Znews"]
    assert names == ["Bụi than", "Dạy thêm", "Đền bù GPMB", "Giải phóng mặt bằng"]
