"""Sources that finish together are written together (one transaction, with their garbled-copy repairs,
length caps and health rows), credited exactly as one by one; a batch the database refuses fails alone;
a huge batch still goes in chunks."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from datetime import datetime, timedelta

import duckdb
import pytest

from collectors import registry
from collectors.base import Batch, HttpStatusError
from collectors.runner import Runner
from collectors.textutil import canonical_url, content_hash, sha1
from store import items as store_items
from store import sources as store_sources
from tests.conftest import database, make_config
from vocab.item import Item

NOW = datetime(2026, 11, 22, 8, 0)
LONG = "Tin rất dài " * 200  # 2400 characters: over max_title_chars (1000)


def item(source: str, url: str, text: str) -> Item:
    canon = canonical_url(url)
    return Item(
        id=sha1(canon), source=source, collector="instant_test", source_type="press", outlet=source, url=url,
        canonical_url=canon, title=text, summary=f"{text} — nội dung", published_at=NOW,
        published_estimated=False, fetched_at=NOW, content_hash=content_hash(text, f"{text} — nội dung", canon),
        raw=url.encode(),
    )


# What each source's feed carries. s0 and s1 share a URL, and s1 carries s0's text at another URL;
# s2's first item is stored already with a character lost to a bad decode (the refetch repairs it);
# s3 carries an over-long title; s7 answers 503. Whichever of s0/s1 is written first owns the shared items.
PLAN: dict[str, list[Item]] = {
    "s0": [item("s0", "https://a.vn/tin-1", "Tin riêng của s0"), item("s0", "https://chung.vn/x", "Tin chung")],
    "s1": [
        item("s1", "https://www.chung.vn/x?utm_source=fb", "Tin chung"),
        item("s1", "https://b.vn/chep-lai", "Tin riêng của s0"),
        item("s1", "https://b.vn/tin-2", "Tin riêng của s1"),
    ],
    **{f"s{k}": [item(f"s{k}", f"https://s{k}.vn/tin-{j}", f"Tin {j} của s{k}") for j in range(2)] for k in range(2, 7)},
}
PLAN["s3"][1] = item("s3", "https://s3.vn/tin-1", LONG)
GARBLED = replace(PLAN["s2"][0], title="Tin 0 c\ufffda s2", content_hash="garbled")


class Instant:
    """A collector that answers at once from PLAN, so every source finishes before the first write."""

    kind = "instant_test"

    async def collect(self, source, ctx) -> Batch:
        if source.name == "s7":
            raise HttpStatusError("HTTP 503", http_status=503)
        return Batch(items=list(PLAN[source.name]), http_status=200, entries_seen=len(PLAN[source.name]))


@pytest.fixture
def instant(monkeypatch):
    registry.load_all()
    monkeypatch.setitem(registry._REGISTRY, "instant_test", Instant)


def _sources(names: list[str]) -> list[dict]:
    return [{"name": n, "kind": "instant_test", "url": f"https://{n}.vn/", "outlet": n} for n in names]


def test_sources_finishing_together_share_one_transaction_and_are_credited_as_one_by_one(
    tmp_path, instant, monkeypatch
):
    names = [f"s{k}" for k in range(8)]
    cfg = make_config(tmp_path, _sources(names))
    retagged: list[str] = []
    with database(cfg.storage.db_path) as db:
        with db.write() as cur:
            store_items.insert_items(cur, [GARBLED])
        writes = []
        real_write = db.write

        def counting_write():
            writes.append(1)
            return real_write()

        monkeypatch.setattr(db, "write", counting_write)
        summary = asyncio.run(Runner(cfg, db, on_new_items=retagged.extend).run_due(force=True))
        monkeypatch.undo()

        assert len(writes) == 1, f"{len(writes)} transactions for {len(names)} sources finishing together"
        by = {o.source: o for o in summary.outcomes}
        assert by["s7"].outcome == "error"
        assert by["s2"].items_new == 1 and by["s2"].items_repaired == 1
        assert all(by[n].items_new == 2 for n in names[3:7])
        assert by["s0"].items_new + by["s1"].items_new == 3  # a.vn/tin-1, chung.vn/x, b.vn/tin-2
        with db.read() as cur:
            owned = dict(cur.execute("SELECT source, count(*) FROM items GROUP BY source").fetchall())
            logged = {r[0]: r[1:] for r in cur.execute(
                "SELECT source, items_new, items_repaired FROM fetch_log").fetchall()}
            state = {r[0]: r[1:] for r in cur.execute(
                "SELECT source, last_items_new, consecutive_failures, last_error_kind, last_items_repaired "
                "FROM source_state").fetchall()}
            links = dict(cur.execute(
                "SELECT i.title, count(*) FROM item_links l JOIN items i ON i.id = l.item_id GROUP BY 1").fetchall())
            raws = cur.execute("SELECT count(*) FROM item_raw").fetchone()[0]
            repaired = cur.execute("SELECT title FROM items WHERE id = ?", [GARBLED.id]).fetchone()[0]
            long_title = cur.execute("SELECT length(title), flags FROM items WHERE source = 's3' "
                                     "AND url LIKE '%tin-1'").fetchone()
            cuts = store_items.cut_counts(cur)
        for n in names[:7]:  # each source credited with exactly the items it was first to carry
            new = by[n].items_new + (n == "s2")  # s2's stored item predates the run
            assert logged[n][0] == by[n].items_new == state[n][0] and owned.get(n, 0) == new
        assert logged["s2"][1] == state["s2"][3] == 1
        assert repaired == "Tin 0 của s2" and GARBLED.id in retagged
        assert long_title == (cfg.storage.max_title_chars, ["cut:title"]) and cuts == {"s3": {"title": 1}}
        assert state["s7"][1:3] == (1, "http_status") and logged["s7"][0] == 0
        assert links["Tin chung"] == links["Tin riêng của s0"] == 2  # one item each, both sightings linked
        assert raws == 13


def test_write_group_max_items_1_writes_every_source_alone(tmp_path, instant, monkeypatch):
    names = [f"s{k}" for k in range(2, 7)]
    cfg = make_config(tmp_path, _sources(names), storage={"write_group_max_items": 1})
    with database(cfg.storage.db_path) as db:
        writes = []
        real_write = db.write
        monkeypatch.setattr(db, "write", lambda: writes.append(1) or real_write())
        summary = asyncio.run(Runner(cfg, db).run_due(force=True))
        monkeypatch.undo()
    assert len(writes) == len(names) and summary.items_new == 10


def test_a_huge_batch_is_not_grouped_but_written_in_chunks(tmp_path, instant, monkeypatch):
    names = [f"s{k}" for k in range(2, 7)]
    monkeypatch.setitem(PLAN, "s2", [item("s2", f"https://s2.vn/lon-{j}", f"Tin lớn {j}") for j in range(5)])
    cfg = make_config(tmp_path, _sources(names), storage={"write_chunk_items": 2})
    progress: list[tuple[str, int, int]] = []
    with database(cfg.storage.db_path) as db:
        writes = []
        real_write = db.write
        monkeypatch.setattr(db, "write", lambda: writes.append(1) or real_write())
        summary = asyncio.run(Runner(cfg, db, on_written=lambda *a: progress.append(a)).run_due(force=True))
        monkeypatch.undo()
    assert [p for p in progress if p[0] == "s2"] == [("s2", 2, 5), ("s2", 4, 5), ("s2", 5, 5)]
    assert len(writes) == 3 + 1  # s2's three chunks, the four small batches together
    assert {o.source: o.items_new for o in summary.outcomes} == {"s2": 5, **{n: 2 for n in names[1:]}}


def test_a_stop_before_the_grouped_write_leaves_the_batches_unwritten_but_records_errors(tmp_path):
    stop = threading.Event()
    stop.set()
    good = item("g1", "https://g.vn/1", "Tin tốt một")
    failed = store_sources.Outcome(source="f", started_at=NOW, finished_at=NOW, outcome="error",
                                   next_due_at=NOW, error_kind="http_status", error="HTTP 503")

    from collectors.runner import GroupWriter

    async def go(db):
        writer = GroupWriter(db, stop=stop)
        return await asyncio.gather(writer.write([good], _ok("g1")), writer.write([], failed))

    with database(tmp_path / "t.duckdb") as db:
        (res, _), (err, _) = asyncio.run(go(db))
        with db.read() as cur:
            assert store_items.count_items(cur) == 0
            assert [r[0] for r in cur.execute("SELECT source FROM fetch_log").fetchall()] == ["f"]
    assert res.interrupted and res.written == 0 and res.total == 1 and not err.interrupted


def _ok(name: str) -> store_sources.Outcome:
    return store_sources.Outcome(source=name, started_at=NOW, finished_at=NOW, outcome="ok",
                                 next_due_at=NOW + timedelta(hours=1), http_status=200, entries_seen=1)


def test_a_batch_the_database_refuses_fails_alone(tmp_path):
    good = [item("g1", "https://g.vn/1", "Tin tốt một"), item("g2", "https://g.vn/2", "Tin tốt hai")]
    bad = replace(item("bad", "https://x.vn/1", "Tin hỏng"), title=None)  # NOT NULL in items

    from collectors.runner import GroupWriter

    async def go(db):
        writer = GroupWriter(db)
        return await asyncio.gather(
            writer.write([good[0]], _ok("g1")), writer.write([bad], _ok("bad")),
            writer.write([good[1]], _ok("g2")), return_exceptions=True)

    with database(tmp_path / "t.duckdb") as db:
        r1, rbad, r2 = asyncio.run(go(db))
        assert r1[0].new_ids == [good[0].id] and r2[0].new_ids == [good[1].id]
        assert isinstance(rbad, (duckdb.Error, TypeError, ValueError))
        with db.read() as cur:
            assert sorted(r[0] for r in cur.execute("SELECT source FROM items").fetchall()) == ["g1", "g2"]
            assert sorted(r[0] for r in cur.execute("SELECT source FROM fetch_log").fetchall()) == ["g1", "g2"]
