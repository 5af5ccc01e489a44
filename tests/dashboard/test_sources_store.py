"""Sources edited by admins (the config store) merge over langnghe.toml, and the scheduler collects
the merged list on its next tick."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest

from orchestration import sources as sources_store
from vocab.config import SourceConfig
from orchestration.jobs import Scheduler
from store import users as store_users
from store.db import Database, utcnow
from tests.conftest import make_config, rss_source

ROOT_SOURCES = [rss_source("a", "https://a.vn/rss"), rss_source("b", "https://b.vn/rss")]


def _row(name: str, **kw):  # type: ignore[no-untyped-def]
    base = {"name": name, "kind": "rss", "url": f"https://{name}.vn/rss", "outlet": name.upper(),
            "source_type": "press", "interval_minutes": 0, "enabled": True, "options": {}, "removed": False}
    return {**base, **kw}


def test_merge_replaces_adds_and_removes():
    configured = [SourceConfig(**s) for s in ROOT_SOURCES]
    merged = sources_store.merge_sources(configured, [
        _row("b", url="https://b.vn/moi.rss", enabled=False), _row("c"), _row("a", removed=True)])
    assert [s.name for s in merged] == ["b", "c"]
    assert merged[0].url == "https://b.vn/moi.rss" and not merged[0].enabled
    assert sources_store.merge_sources(configured, []) == tuple(configured)


@pytest.mark.parametrize("bad, msg", [
    ({"name": "Có Dấu"}, "Tên nguồn"), ({"kind": "telegrammm"}, "Loại nguồn"), ({"url": "ftp://x.vn"}, "http"),
    ({"outlet": " "}, "cơ quan"), ({"source_type": "blog"}, "press"), ({"interval_minutes": -5}, "Chu kỳ"),
])
def test_bad_admin_input_is_refused(bad, msg):
    with pytest.raises(ValueError, match=msg):
        sources_store.check_source({**_row("moi"), **bad}, kinds=["rss"])


class StubRunner:
    def __init__(self, cfg) -> None:  # type: ignore[no-untyped-def]
        self.cfg = cfg
        self.seen: list[list[str]] = []
        self.ticked = threading.Event()

    async def run_due(self):  # type: ignore[no-untyped-def]
        self.seen.append([s.name for s in self.cfg.sources if s.enabled])
        self.ticked.set()
        return SimpleNamespace(outcomes=[], items_new=0, errors=[])


def test_scheduler_collects_the_merged_list_each_tick(tmp_path):
    cfg = make_config(tmp_path, sources=ROOT_SOURCES, schedule={"tick_seconds": 0.05},
                      storage={"snapshot_every_minutes": 0})
    with Database(cfg.storage.db_path) as db:
        with db.write() as cur:
            store_users.upsert_managed_source(cur, _row("c"), "quantri", utcnow())
            store_users.upsert_managed_source(cur, _row("a", enabled=False), "quantri", utcnow())
        runner = StubRunner(cfg)
        sched = Scheduler(cfg, db, runner=runner)  # type: ignore[arg-type]
        sched.start()
        try:
            assert runner.ticked.wait(20), "the scheduler never ticked"
        finally:
            sched.stop()
            sched.join(timeout=10)
        assert not sched.is_alive()
    assert runner.seen[0] == ["b", "c"]
