"""The serve process's scheduler: collects on its tick, runs the periodic jobs, publishes snapshots."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import duckdb
import pytest

from orchestration.jobs import JOBS, Scheduler, install_jobs
from store.db import Database
from tests.conftest import make_config, rss_doc, rss_source, send


def test_every_periodic_job_starts(tmp_path):
    cfg = make_config(tmp_path, [])
    with Database(cfg.storage.db_path) as db:
        sched = Scheduler(cfg, db)
        assert install_jobs(sched, cfg, db) == [j.name for j in JOBS]
        assert len(sched.hooks) == len(JOBS)
    names = [j.name for j in JOBS]
    assert len(set(names)) == len(names), f"two jobs share a name: {names}"


@pytest.mark.slow  # ~7 s: the tag job loads the models; started first under xdist
def test_every_periodic_job_runs_once_on_a_new_database(tmp_path):
    """ARCHITECTURE.md's add-a-job recipe, followed word by word (round 27): a job that raised on its first run
    passed the test above, which only builds it, and the scheduler logs a job's error and goes on
    (`Scheduler._run_job`), so nothing failed. Each job runs here once, as the first tick would, and again, as the
    next one (a job due once a day or once an hour returns at once)."""
    cfg = make_config(tmp_path, [])
    with Database(cfg.storage.db_path) as db:
        sched = Scheduler(cfg, db)
        install_jobs(sched, cfg, db)
        for spec, job in zip(JOBS, sched.hooks):
            for _ in range(2):
                try:
                    job()
                except Exception as exc:  # pragma: no cover - the failure
                    pytest.fail(f"job {spec.name!r} raised on a new database: {type(exc).__name__}: {exc}")


@pytest.mark.slow  # 10–40 s: CLI processes or a running scheduler; started first under xdist
def test_scheduler_collects_runs_hooks_and_snapshots(tmp_path, server):
    doc = rss_doc([{"title": f"Tin {i} về Hạ Long", "link": f"https://a.vn/{i}"} for i in range(3)])
    server.routes["/f.rss"] = lambda req: send(req, 200, doc)
    cfg = make_config(tmp_path, [rss_source("f", server.url("/f.rss"))],
                      schedule={"tick_seconds": 0.2}, storage={"snapshot_every_minutes": 0.001},
                      fulltext={"enabled": False})
    calls = []
    with Database(cfg.storage.db_path) as db:
        sched = Scheduler(cfg, db)
        sched.hooks.append(lambda: calls.append(1))
        sched.start()
        deadline = time.monotonic() + 180  # a guard against hanging: the first pass loads the model (make test -n auto)
        while sched.passes < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        sched.stop()
        sched.join(timeout=60)
        with db.read() as cur:
            n = cur.execute("SELECT count(*) FROM items").fetchone()[0]
    assert sched.passes >= 2 and calls and n == 3
    snap = duckdb.connect(cfg.storage.snapshot_path, read_only=True)
    assert snap.execute("SELECT count(*) FROM items").fetchone()[0] == 3
    snap.close()


@pytest.mark.slow  # 10–40 s: CLI processes or a running scheduler; started first under xdist
def test_serve_collects_each_source_again_on_its_own_interval(tmp_path, server):
    """Was `serve` collecting once at start whatever tick_seconds said? No: each tick fetches the sources
    whose interval has passed since their last poll, for as long as it runs. Pinned with the scheduler's
    injected clock moved 5 minutes a pass (tick_seconds 0: no sleeping)."""
    hits = {"a": 0, "b": 0, "c": 0}

    def feed(name):
        def route(req):
            hits[name] += 1
            return send(req, 200, rss_doc([{"title": f"Tin {name}{hits[name]} về Hạ Long",
                                            "link": f"https://a.vn/{name}/{hits[name]}"}]))
        return route

    for name in hits:
        server.routes[f"/{name}.rss"] = feed(name)
    cfg = make_config(tmp_path, [rss_source("a", server.url("/a.rss"), interval_minutes=10),
                                 rss_source("b", server.url("/b.rss"), interval_minutes=25),
                                 rss_source("c", server.url("/c.rss"))],  # schedule.default_interval_minutes
                      schedule={"tick_seconds": 0, "default_interval_minutes": 15},
                      storage={"snapshot_every_minutes": 0}, fulltext={"enabled": False})
    now = [datetime(2026, 1, 5, 8, 0)]
    with Database(cfg.storage.db_path) as db:
        sched = Scheduler(cfg, db, clock=lambda: now[0])

        def next_pass():
            now[0] += timedelta(minutes=5)
            if sched.passes >= 11:  # passes at 8:00, 8:05 … 8:55
                sched.stop()

        sched.hooks.append(next_pass)
        sched.run()  # in this thread: returns when stopped
        with db.read() as cur:
            stored = cur.execute("SELECT source, count(*) FROM items GROUP BY source ORDER BY source").fetchall()
    assert sched.passes == 12
    assert hits == {"a": 6, "b": 3, "c": 4}  # 0,10…50 · 0,25,50 · 0,15,30,45
    assert stored == [("a", 6), ("b", 3), ("c", 4)]


def test_a_failing_job_does_not_stop_the_later_jobs_of_the_tick(tmp_path):
    """The tag job runs first each tick: a batch that keeps failing (a step's bug on one stored item) must
    not leave detection and notification sending out of every tick, as long as it keeps failing."""
    cfg = make_config(tmp_path, [], schedule={"tick_seconds": 0}, storage={"snapshot_every_minutes": 0})
    later = []
    with Database(cfg.storage.db_path) as db:
        sched = Scheduler(cfg, db)

        def failing_tag_job():
            raise RuntimeError("một bước gắn nhãn lỗi")

        def next_pass():
            later.append(sched.passes)
            if sched.passes >= 2:
                sched.stop()

        sched.hooks += [failing_tag_job, next_pass]
        sched.run()  # in this thread: returns when stopped
    assert later == [0, 1, 2]


def test_a_stop_skips_the_rest_of_the_tick(tmp_path):
    """Ctrl+C or SIGTERM during a tick: the jobs still to run (re-tagging for up to [nlp] tag_seconds_per_tick,
    full-text fetches, notification sends with their timeouts) wait for the next start instead of holding the
    stop; serve was killed when a stop took past the operator's or the test rig's wait."""
    cfg = make_config(tmp_path, [], schedule={"tick_seconds": 0}, storage={"snapshot_every_minutes": 0})
    later = []
    with Database(cfg.storage.db_path) as db:
        sched = Scheduler(cfg, db)
        sched.hooks += [sched.stop, lambda: later.append(sched.passes)]
        sched.run()
    assert sched.passes == 1 and later == []


def test_a_pass_that_ends_because_serve_stops_leaves_the_snapshot_to_serve(tmp_path, monkeypatch):
    """Ctrl+C during the first pass: serve joins the scheduler, then writes the final snapshot. The pass used to
    write one more copy of the whole database first (the first pass always finds a snapshot due), which made a
    stop under load outlast 30 s."""
    from types import SimpleNamespace

    cfg = make_config(tmp_path, [], schedule={"tick_seconds": 0.05}, storage={"snapshot_every_minutes": 0.001})
    with Database(cfg.storage.db_path) as db:
        copies: list[str] = []
        monkeypatch.setattr(db, "snapshot", lambda path: copies.append(path))
        sched = Scheduler(cfg, db)

        class StopsMidPass:
            cfg = sched.runner.cfg

            async def run_due(self):  # type: ignore[no-untyped-def]
                sched.stop()  # Ctrl+C arrives while the pass collects
                return SimpleNamespace(outcomes=[], items_new=0, errors=[])

        sched.runner = StopsMidPass()  # type: ignore[assignment]
        sched.run()  # in this thread: returns when the stop is seen
    assert sched.passes == 1 and copies == []


@pytest.mark.slow  # 10–40 s: a running scheduler; started first under xdist
def test_a_stop_during_the_full_text_of_new_items_ends_the_pass_at_once_and_keeps_what_was_fetched(tmp_path, server):
    """`serve` stop waited for a collection pass's full-text step: an article site that holds the connection kept the
    scheduler until the read timeout of each of its articles, past serve's 30-s wait, after which the database was
    snapshotted and closed under the running thread. Now the step ends between articles: the texts fetched are
    saved and searchable, the articles left have no row and the next run fetches them."""
    import asyncio
    import threading
    from pathlib import Path

    from collectors import fulltext
    from store import fulltext as store_fulltext
    from store import search

    article = (Path(__file__).resolve().parents[1] / "fixtures/fulltext/baoquangninh_article.html").read_bytes()
    asked, release = threading.Event(), threading.Event()
    served = [0]

    def page(req):
        served[0] += 1
        if served[0] > 2:  # the third article asked for: the site stops answering
            asked.set()
            release.wait(300)
        send(req, 200, article, "text/html; charset=utf-8")

    for j in range(6):
        server.routes[f"/a/{j}.html"] = page
    server.routes["/f.rss"] = lambda req: send(req, 200, rss_doc([
        {"title": f"Tin {j} về Uông Bí", "link": server.url(f"/a/{j}.html"), "description": f"Tóm tắt {j}"}
        for j in range(6)]))
    # the client would wait 120 s for the held article: the scheduler can only end before by leaving it; one fetch
    # at a time, so the two pages served are in before the third is asked for
    cfg = make_config(tmp_path, [rss_source("f", server.url("/f.rss"))],
                      http={"read_timeout_seconds": 120, "fetch_deadline_seconds": 300, "max_concurrency": 1},
                      fulltext={"per_host_spacing_seconds": 0.0}, schedule={"tick_seconds": 20},
                      storage={"snapshot_every_minutes": 0})
    try:
        with Database(cfg.storage.db_path) as db:
            sched = Scheduler(cfg, db)
            sched.start()
            assert asked.wait(120), "the full-text step never reached the held article"
            sched.stop()
            sched.join(timeout=60)  # a guard against hanging: well under the held article's 120-s timeout
            stopped_first = not sched.is_alive() and not release.is_set()
            release.set()
            sched.join(timeout=120)
            with db.read() as cur:
                n_items = cur.execute("SELECT count(*) FROM items").fetchone()[0]
                texts = cur.execute("SELECT status, count(*) FROM item_fulltext GROUP BY status").fetchall()
                found = len(search.search(cur, '"giải phóng mặt bằng"').items)
            asyncio.run(fulltext.run(cfg, db))  # the next run fetches the articles left
            with db.read() as cur:
                after = store_fulltext.status_counts(cur)
    finally:
        release.set()
    assert stopped_first, "the scheduler waited for the held article"
    assert n_items == 6 and texts == [("ok", 2)] and found == 2
    assert after == {"ok": 6}


def test_a_stop_ends_the_search_index_sort_between_two_ranges_and_leaves_it_to_sort_again(tmp_path, monkeypatch):
    """The sort of the search postings goes range by range, each its own transaction (a minute per 40 million postings
    in all); a stop of serve waited for every range. Now it ends after the range in hand, the tail still unsorted."""
    import threading

    from orchestration import jobs
    from store import items as store_items
    from store import search as store_search
    from tests.store.test_batch_storage import item

    cfg = make_config(tmp_path, [], search={"compact_tail_rows": 0, "compact_chunk_rows": 20})
    stop = threading.Event()
    ranges: list[tuple] = []
    real = store_search.compact_range

    def one_range(cur, lo, hi):
        ranges.append((lo, hi))
        stop.set()  # Ctrl+C arrives while the first range is sorted
        return real(cur, lo, hi)

    monkeypatch.setattr(store_search, "compact_range", one_range)
    with Database(cfg.storage.db_path) as db:
        with db.write() as cur:
            store_items.insert_items(cur, [item(i, title=f"Tin {i} về Quảng Ninh, Uông Bí") for i in range(10)])
        with db.read() as cur:
            plan = store_search.compact_plan(cur, 20)
        jobs.search_upkeep(cfg, db, stop=stop)()
        with db.read() as cur:
            tail = store_search.tail_rows(cur)
    assert len(plan) > 2 and len(ranges) == 1 and tail > 0
