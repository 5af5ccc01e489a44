"""The serve process's scheduler: collects on its tick, runs the periodic jobs, publishes snapshots."""

from __future__ import annotations

import time

import duckdb

from orchestration.jobs import JOBS, Scheduler, install_jobs
from store.db import Database
from tests.conftest import make_config, rss_doc, rss_source, send


def test_every_periodic_job_starts(tmp_path):
    cfg = make_config(tmp_path, [])
    with Database(cfg.storage.db_path) as db:
        sched = Scheduler(cfg, db)
        assert install_jobs(sched, cfg, db) == [j.name for j in JOBS]
        assert len(sched.hooks) == len(JOBS)


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
        deadline = time.monotonic() + 30
        while sched.passes < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        sched.stop()
        sched.join(timeout=10)
        with db.read() as cur:
            n = cur.execute("SELECT count(*) FROM items").fetchone()[0]
    assert sched.passes >= 2 and calls and n == 3
    snap = duckdb.connect(cfg.storage.snapshot_path, read_only=True)
    assert snap.execute("SELECT count(*) FROM items").fetchone()[0] == 3
    snap.close()
