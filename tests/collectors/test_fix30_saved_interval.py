"""Round 30 (fix30): a source row saved before fix29's bound on «Chu kỳ» (or edited in the database) was used as it
was. 1e9 minutes: polled next in the year 3928, with no word; NaN: a ValueError that ended the whole collection pass,
the other sources' batches unwritten; 1e12: an OverflowError. Now the runner refuses to fetch such a source and says
why on its health line (error kind «cấu hình nguồn sai»), tried again after the default interval; the others run."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from collectors.base import error_kind_label
from collectors.runner import Runner
from orchestration import sources as sources_store
from store import sources as store_sources
from store import users as store_users
from store.db import utcnow
from tests.conftest import database, make_config, rss_source, send
from vocab import config as C

FEED = (Path(__file__).parents[1] / "fixtures" / "rss" / "vnexpress_thoi-su_2017-03-25.xml").read_bytes()
BAD = {"ngan": 0.5, "khong-lo": 1e9, "nan": float("nan"), "tran": 1e12, "am": -5.0}


def test_a_saved_interval_no_source_may_have_is_refused_on_its_own_health_line(tmp_path, server):
    for path in ("/a.rss", "/b.rss"):
        server.routes[path] = lambda r: send(r, 200, FEED)
    cfg = make_config(tmp_path, sources=[rss_source("tot", server.url("/a.rss"))])
    with database(cfg.storage.db_path) as db:
        with db.write() as cur:
            for name, minutes in {**BAD, "mac-dinh": 0.0}.items():
                store_users.upsert_managed_source(cur, {
                    "name": name, "kind": "rss", "url": server.url("/b.rss"), "outlet": name, "source_type": "press",
                    "interval_minutes": minutes, "enabled": True, "options": {}, "removed": False}, "quantri", utcnow())
        eff = sources_store.effective_config(cfg, db)
        before = utcnow()
        summary = asyncio.run(Runner(eff, db).run_due())  # NaN raised ValueError here, and ended the pass
        with db.read() as cur:
            health = {h["source"]: h for h in store_sources.health(cur, eff.sources, utcnow())}
    by = {o.source: o for o in summary.outcomes}
    assert set(by) == {*BAD, "tot", "mac-dinh"}
    assert by["tot"].outcome == "ok" and by["mac-dinh"].outcome == "ok" and by["tot"].entries_seen
    default = timedelta(minutes=cfg.schedule.default_interval_minutes)
    for name in BAD:
        o = by[name]
        assert o.outcome == "error" and o.error_kind == "config" and not o.entries_seen, name
        assert "Chu kỳ thu thập" in o.error and "phải là 0 (theo chu kỳ mặc định) hoặc từ 1 đến 1.440 phút" in o.error
        assert "trang Nguồn tin" in o.error
        assert before + default <= o.next_due_at <= utcnow() + default, name  # a fix is seen within the interval
        assert health[name]["status"] == "error" and health[name]["last_error"] == o.error
    assert "1.000.000.000 phút" in by["khong-lo"].error and "0,5 phút" in by["ngan"].error
    assert error_kind_label("config") == "cấu hình nguồn sai"
    assert server.hits.get("/b.rss") == 1  # only the default-interval row fetched it


@pytest.mark.parametrize("minutes", [0, 1, 15, 1440])
def test_an_interval_a_source_may_have_is_not_refused(minutes):
    assert C.source_interval_refusal(minutes) is None


@pytest.mark.parametrize("minutes", [0.5, -5, 1441, 1e9, float("nan"), float("inf"), "x"])
def test_the_form_the_runner_and_the_config_share_one_rule(tmp_path, minutes):
    assert C.source_interval_refusal(minutes)
    row = {"name": "moi", "kind": "rss", "url": "https://moi.vn/rss", "outlet": "M", "interval_minutes": minutes}
    if minutes != "x":
        with pytest.raises(ValueError, match="Chu kỳ thu thập phải là 0"):
            sources_store.check_source(row, kinds=["rss"])


def test_a_configured_interval_over_a_day_is_refused_at_load(tmp_path):
    p = tmp_path / "o.toml"
    p.write_text('[[sources]]\nname = "a"\nkind = "rss"\nurl = "https://a.vn/r.rss"\noutlet = "A"\n'
                 "interval_minutes = 1e9\n", encoding="utf-8")
    with pytest.raises(C.ConfigError, match=r"interval_minutes phải là 0 \(theo \[schedule\] default_interval_minutes\) "
                                            r"hoặc từ 1 đến 1440, không phải 1000000000"):
        C.load(p)
