"""The retention job ends on serve's stop between two chunks of items (round 20): every item purged is purged whole
(no row left in any table with an item_id, its story recounted), every item left keeps all its rows, the log says
what was done and how many are left, and the next run purges the rest. A real DuckDB file, closed and reopened as
a restart does."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timedelta

from collectors.textutil import canonical_url, content_hash, sha1
from orchestration import retention
from orchestration.jobs import JOBS
from store import fulltext as store_fulltext
from store import retention as store_retention
from store import stories as S
from store import tags as tag_store
from store.db import Database
from store.items import insert_items
from tests.conftest import database, make_config
from vocab.item import Item

NOW = datetime(2026, 12, 6, 3, 0)
OLD = NOW - timedelta(days=800)
TABLES = ("item_links", "item_raw", "item_fulltext", "item_tags", "item_search", "story_items")


def _item(n: int, at: datetime) -> Item:
    url = f"https://bao.vn/tin-{n}"
    return Item(id=sha1(url), source="a", collector="rss", source_type="press", outlet="A", url=url,
                canonical_url=canonical_url(url), title=f"tin số {n} về bãi thải", summary="Người dân phản ánh.",
                published_at=at, published_estimated=False, fetched_at=at, content_hash=content_hash(f"tin {n}", "", url),
                raw=b"x")


def _story_row(it: Item, story: str) -> dict:
    return {"item_id": it.id, "story_id": story, "published_at": it.published_at, "source": "a", "outlet": "A",
            "source_type": "press", "title": it.title, "folded": "t", "mask": [], "topics": [], "sentiment": None,
            "in_area": False, "places": [], "similarity": None, "grouped_at": it.fetched_at}


def _setup(tmp_path):
    cfg = make_config(tmp_path, retention={"chunk_items": 2})
    db = database(cfg.storage.db_path)
    old = [_item(k, OLD + timedelta(minutes=k)) for k in range(7)]
    young = _item(99, NOW - timedelta(days=1))
    with db.write() as cur:
        insert_items(cur, [*old, young])
        tag_store.save_tags(cur, [{"id": it.id, "model_version": "v", "topics": [], "sentiment": "neutral"}
                                  for it in [*old, young]], now=NOW)
        store_fulltext.save_many(cur, [store_fulltext.Extracted(it.id, "Toàn văn bài báo về bãi thải.", "ok", it.url)
                                       for it in [*old, young]], now=NOW)
        # "spread" holds an old item of every chunk and the young one: recounted after each chunk, never dropped
        S.add_story_items(cur, [_story_row(it, "spread" if k % 2 == 0 else "odd") for k, it in enumerate(old)]
                          + [_story_row(young, "spread")])
        S.refresh_stories(cur, ["spread", "odd"], OLD)
    return cfg, db, old, young


def _rows_of(db: Database, item_id: str) -> dict[str, int]:
    with db.read() as cur:
        return {t: int(cur.execute(f"SELECT count(*) FROM {t} WHERE item_id = ?", [item_id]).fetchone()[0])
                for t in TABLES}


def _stop_after_first_chunk(monkeypatch, stop: threading.Event) -> None:
    """Serve's stop arriving while the first chunk is deleted."""
    real = store_retention.purge_items

    def first_then_stop(*a, **k):
        out = real(*a, **k)
        stop.set()
        return out

    monkeypatch.setattr(store_retention, "purge_items", first_then_stop)


def test_a_stop_ends_retention_between_chunks_with_nothing_half_deleted(tmp_path, monkeypatch):
    cfg, db, old, young = _setup(tmp_path)
    full = _rows_of(db, old[0].id)
    assert all(full.values())  # every table holds a row of each item before the purge
    stop = threading.Event()
    _stop_after_first_chunk(monkeypatch, stop)
    got = {p.what: p.rows for p in retention.run_retention(cfg, db, stop=stop, now=NOW)}
    assert got["items"] == 2 and got[store_retention.STOPPED] == 5
    with db.read() as cur:
        left = {r[0] for r in cur.execute("SELECT id FROM items").fetchall()}
        assert store_retention.last_run_at(cur) is None  # a stopped run is not the day's run
        log = {r["what"]: r["rows"] for r in store_retention.recent_log(cur)}
    assert left == {it.id for it in old[2:]} | {young.id}  # the two oldest fetched, whole
    for it in old[:2]:
        assert set(_rows_of(db, it.id).values()) == {0}
    for it in old[2:]:  # their raw payloads went first, as raw payloads past raw_payload_days do
        assert _rows_of(db, it.id) == {**full, "item_raw": 0}
    assert _rows_of(db, young.id) == full
    assert log["items"] == 2 and log[store_retention.STOPPED] == 5 and log["item_rows:item_tags"] == 2
    db.close()

    monkeypatch.undo()
    with Database(cfg.storage.db_path) as db2:  # the next start: the rest, in chunks of 2
        got = {p.what: p.rows for p in retention.run_retention(cfg, db2, now=NOW + timedelta(minutes=5))}
        assert got["items"] == 5 and store_retention.STOPPED not in got
        with db2.read() as cur:
            assert [r[0] for r in cur.execute("SELECT id FROM items").fetchall()] == [young.id]
            for t in TABLES:
                assert cur.execute(f"SELECT DISTINCT item_id FROM {t}").fetchall() == [(young.id,)], t
            assert cur.execute("SELECT story_id, n_items FROM stories").fetchall() == [("spread", 1)]
            assert store_retention.last_run_at(cur) == NOW + timedelta(minutes=5)
            runs = [r for r in store_retention.recent_log(cur) if r["what"] == "items"]
        assert sorted(r["rows"] for r in runs) == [2, 5]  # one log row per run, its chunks added up


def test_the_scheduler_hands_its_stop_to_retention_and_a_stopped_run_is_run_again(tmp_path, monkeypatch):
    """JobSpec stoppable: serve's stop event reaches the job; a run it ended is not counted as the day's, so the job
    (made again at the next start) runs at once instead of a day later."""
    assert next(s for s in JOBS if s.name == "retention").stoppable
    cfg, db, old, young = _setup(tmp_path)
    monkeypatch.setattr(retention, "utcnow", lambda: NOW)
    stop = threading.Event()
    _stop_after_first_chunk(monkeypatch, stop)
    retention.hook(cfg, db, stop=stop)()
    with db.read() as cur:
        assert store_retention.count_old_items(cur, NOW - timedelta(days=730)) == 5
    monkeypatch.undo()
    monkeypatch.setattr(retention, "utcnow", lambda: NOW + timedelta(minutes=1))
    retention.hook(cfg, db)()  # the next start's job: due, the last finished run unknown
    with db.read() as cur:
        assert store_retention.count_old_items(cur, NOW - timedelta(days=730)) == 0
    db.close()


def test_one_transaction_purge_still_logs_each_kind_once(tmp_path):
    """store.retention.purge (tests, dry runs) is the chunks' code in one transaction: same counts."""
    cfg, db, old, young = _setup(tmp_path)
    with db.write() as cur:
        got = {p.what: p.rows for p in store_retention.purge(cur, NOW, raw_payload_days=30, items_days=730)}
    assert got["items"] == 7 and got["stories"] == 1 and got["item_rows:item_fulltext"] == 7
    db.close()


def test_a_chunk_of_zero_is_refused_at_load(tmp_path):
    import pytest

    from vocab.config import ConfigError

    with pytest.raises(ConfigError, match="chunk_items"):
        make_config(tmp_path, retention={"chunk_items": 0})
    assert replace(make_config(tmp_path).retention).chunk_items == 5000
