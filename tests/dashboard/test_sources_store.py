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
from store.db import utcnow
from tests.conftest import database, make_config, rss_source

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
    ({"interval_minutes": 0.01}, "Chu kỳ thu thập phải là 0"),  # a site polled at every tick (fix29)
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
    with database(cfg.storage.db_path) as db:
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


# --- no internal addresses (SSRF) -------------------------------------------------------------

@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/rss", "http://169.254.169.254/latest/meta-data/",
                                 "http://10.0.0.7/rss", "http://[::1]/rss", "http://localhost:8765/feeds/x.rss"])
def test_admin_source_on_internal_address_is_refused_in_vietnamese(url):
    with pytest.raises(ValueError, match="không phải địa chỉ công khai") as err:
        sources_store.check_source(_row("noi-bo", url=url), kinds=["rss"])
    assert "allow_private_hosts" in str(err.value)


def test_admin_source_address_checks_resolution_and_the_allow_list():
    def dns(host, port):  # type: ignore[no-untyped-def]
        return {"tin.example.vn": ["8.8.8.8", "192.168.1.20"], "bao.example.vn": ["8.8.4.4"]}[host]

    with pytest.raises(ValueError, match="192.168.1.20"):
        sources_store.check_source(_row("xy", url="https://tin.example.vn/rss"), kinds=["rss"], resolve=dns)
    assert sources_store.check_source(_row("xy", url="https://bao.example.vn/rss"), kinds=["rss"], resolve=dns)
    # allowed by the deployment; a paused or removed source is never refused for its address
    allowed = sources_store.check_source(_row("xy", url="http://10.0.0.7:8080/rss"), kinds=["rss"],
                                         allow_private_hosts=["10.0.0.7:8080"])
    assert allowed["url"] == "http://10.0.0.7:8080/rss"
    assert not sources_store.check_source(_row("xy", url="http://127.0.0.1/rss", enabled=False), kinds=["rss"])["enabled"]
    assert sources_store.check_source(_row("xy", url="http://127.0.0.1/rss", removed=True), kinds=["rss"])["removed"]


def test_admin_page_refuses_an_internal_address_and_stores_nothing(demo_env):
    from dashboard.views import sources as _page  # noqa: F401  (the page under test)

    at = demo_env.page("sources", "admin").run()
    fields = {t.label: t for t in at.text_input}
    fields["Tên nguồn (không dấu)"].set_value("metadata")
    fields["Địa chỉ (http/https)"].set_value("http://169.254.169.254/latest/meta-data/")
    fields["Cơ quan, kênh hiển thị"].set_value("Máy chủ")
    next(b for b in at.button if b.label == "Thêm nguồn").click().run()
    assert not at.exception
    assert any("169.254.169.254" in e.value and "không phải địa chỉ công khai" in e.value for e in at.error)
    assert "metadata" not in {s.name for s in sources_store.effective_config(demo_env.cfg, demo_env.db).sources}
    with demo_env.db.read() as cur:
        assert not [a for a in store_users.list_audit(cur) if a["action"] == "source.add"]
