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
