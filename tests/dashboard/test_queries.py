"""The dashboard's store queries: the fast paths (the empty query's windows, tagged_at bounds, grouping by place
details) give the same answers as the plain queries would."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from store import dashboard as q
from store import search as S
from devtools import synth
from store.db import utcnow
from tests.conftest import database, make_config


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("q")
    cfg = make_config(tmp)
    d = database(cfg.storage.db_path)
    synth.seed(d, n_items=3000, n_stories=30, n_alerts=5, days=500)
    yield d
    d.close()


@pytest.mark.parametrize("limit", [3, 40, 2000])
@pytest.mark.parametrize("filters", [{}, {"source_types": ["social"]}, {"topics": ["environment"]}])
def test_the_unfiltered_list_in_windows_returns_the_newest_items(db, limit, filters):
    """An empty query with no dates is looked for in recent windows first; the answer is still the
    newest items of all."""
    with db.read() as cur:
        fast = S.search(cur, "", limit=limit, **filters)
        full = S.search(cur, "", since=datetime(1970, 1, 1), limit=limit, **filters)
    assert list(fast.items["id"]) == list(full.items["id"])
    assert fast.total <= full.total and (fast.total == full.total) == fast.total_exact


def test_retagged_and_late_tagged_items_are_still_counted(db):
    now = utcnow()
    with db.read() as cur:
        before = q.sentiment_share(cur, now - timedelta(days=7))
        item = cur.execute("SELECT id FROM items WHERE published_at > ? ORDER BY published_at LIMIT 1",
                           [now - timedelta(days=6)]).fetchone()[0]
    with db.write() as cur:  # re-tagged much later, e.g. by a new model version
        cur.execute("UPDATE item_tags SET tagged_at = ? WHERE item_id = ?", [now + timedelta(days=3), item])
    with db.read() as cur:
        after = q.sentiment_share(cur, now - timedelta(days=7))
        assert q.item_detail(cur, item)["model"] is not None
        assert item in set(S.search(cur, "", since=now - timedelta(days=7), limit=100000).items["id"])
    assert before["n"].sum() == after["n"].sum()


def test_place_trends_count_an_item_once_per_new_unit(tmp_path):
    cfg = make_config(tmp_path)
    now = utcnow()
    with database(cfg.storage.db_path) as d:
        iid = synth.add_item(d, title="Hai phường cũ", summary="Trưng Vương và Quang Trung", url="https://x.vn/1",
                             places=["phường Trưng Vương cũ", "phường Quang Trung cũ"])
        details = [{"name": "Phường Trưng Vương", "level": "ward_old", "name_2025": "Phường Uông Bí",
                    "old_name": "Phường Trưng Vương (TP Uông Bí)", "in_area": True},
                   {"name": "Phường Quang Trung", "level": "ward_old", "name_2025": "Phường Uông Bí",
                    "old_name": "Phường Quang Trung (TP Uông Bí)", "in_area": True}]
        with d.write() as cur:
            cur.execute("UPDATE item_tags SET place_details = ?::JSON WHERE item_id = ?",
                        [json.dumps(details, ensure_ascii=False), iid])
        with d.read() as cur:
            df = q.place_trends(cur, now - timedelta(days=14), now - timedelta(days=7), now + timedelta(minutes=1))
    row = df[df["name_2025"] == "Phường Uông Bí"].iloc[0]
    assert row["n_now"] == 1 and row["neg_now"] == 1
    assert row["old_names"] == ["Phường Quang Trung (TP Uông Bí)", "Phường Trưng Vương (TP Uông Bí)"]


def test_place_trends_put_an_old_district_item_under_each_of_its_2025_units(tmp_path):
    """Issue 14: "TP Uông Bí cũ" stands for three 2025 wards; the table has a row per ward, never a
    combined "Phường Uông Bí, Phường Vàng Danh, Phường Yên Tử" row."""
    cfg = make_config(tmp_path)
    now = utcnow()
    wards = ["Phường Uông Bí", "Phường Vàng Danh", "Phường Yên Tử"]
    with database(cfg.storage.db_path) as d:
        iid = synth.add_item(d, title="Uông Bí", summary="Tin chung về TP Uông Bí", url="https://x.vn/2",
                             places=["TP Uông Bí cũ"])
        details = [{"name": "TP Uông Bí", "level": "district_old", "name_2025": ", ".join(wards),
                    "old_name": "TP Uông Bí", "in_area": True},
                   {"name": "Phường Vàng Danh", "level": "ward_2025", "name_2025": "Phường Vàng Danh",
                    "in_area": True}]
        with d.write() as cur:
            cur.execute("UPDATE item_tags SET place_details = ?::JSON WHERE item_id = ?",
                        [json.dumps(details, ensure_ascii=False), iid])
        with d.read() as cur:
            df = q.place_trends(cur, now - timedelta(days=14), now - timedelta(days=7), now + timedelta(minutes=1))
    assert sorted(df["name_2025"]) == wards
    assert all(n == 1 for n in df["n_now"])  # Vàng Danh named twice, counted once


def test_briefing_negative_items_follow_staff_corrections(tmp_path):
    """Giao ban's "Tin tiêu cực đáng chú ý" reads the corrected sentiment, as Tin bài and the charts do: an item
    staff re-labelled neutral leaves it, one they re-labelled negative joins it (it once read the model's tags)."""
    from store.tags import add_human_label

    cfg = make_config(tmp_path)
    now = utcnow()
    with database(cfg.storage.db_path) as d:
        neg = synth.add_item(d, title="Dân phản ánh bụi than", summary="Bụi than phủ kín nhà dân", url="https://x.vn/n",
                             sentiment="negative")
        calm = synth.add_item(d, title="Khai trương nhà văn hóa", summary="Nhà văn hóa khu 3 mở cửa", url="https://x.vn/c",
                              sentiment="neutral")
        with d.read() as cur:
            before = set(q.negative_items(cur, now - timedelta(days=1))["id"])
        with d.write() as cur:
            add_human_label(cur, neg, "sentiment", "neutral", "chuyenvien")
            add_human_label(cur, calm, "sentiment", "negative", "chuyenvien")
        with d.read() as cur:
            after = set(q.negative_items(cur, now - timedelta(days=1))["id"])
    assert neg in before and calm not in before
    assert calm in after and neg not in after
