"""The demo's social feeds in real formats, collected by the real kinds next to the press RSS."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest

from collectors.runner import Runner
from devtools import demo_server as demo
from devtools import demo_social
from tests.conftest import database, make_config
from kindhelpers import fresh_gates  # noqa: F401

pytestmark = pytest.mark.usefixtures("fresh_gates")

START = datetime(2026, 11, 1, 0, 0, tzinfo=timezone.utc)


def _rows():
    return [json.loads(line) for line in demo.CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_routes_hide_future_rows_and_use_real_shapes():
    rows = _rows()
    r = demo_social.routes(rows, START, base_url="http://127.0.0.1:9", start=START)
    assert set(r) == set(demo_social.PATHS.values())
    statuses = json.loads(r[demo_social.PATHS["mastodon"]][1])
    n_past = sum(1 for x in rows if x["feed"] == "mastodon" and x["offset_minutes"] <= 0)
    assert len(statuses) == min(n_past, 40) and statuses and {"id", "content", "account", "url"} <= set(statuses[0])
    assert b"tgme_widget_message" in r[demo_social.PATHS["fb-uongbi"]][1]
    assert b"<yt:videoId>" in r[demo_social.PATHS["yt-qtv"]][1]
    assert b"<dc:creator>" in r[demo_social.PATHS["forum-voz"]][1]
    later = demo_social.routes(rows, START + timedelta(days=30), base_url="", start=START)
    assert len(json.loads(later[demo_social.PATHS["mastodon"]][1])) >= len(statuses)


def test_demo_collects_press_and_social_side_by_side(tmp_path):
    now = START + timedelta(hours=1)
    server = demo.DemoFeedServer(0, start=START, items=demo.load_items(START), clock=lambda: now)
    demo_social.mount(server)
    server.start_background()
    try:
        base = server.base_url
        sources = demo_social.demo_sources(base) + [
            {"name": "demo-baoquangninh", "kind": "rss", "url": f"{base}/feeds/baoquangninh.rss",
             "outlet": "Báo Quảng Ninh", "source_type": "press"}]
        cfg = make_config(tmp_path, sources)
        with database(cfg.storage.db_path) as db:
            summary = asyncio.run(Runner(cfg, db).run_due(force=True))
            assert not summary.errors, [(o.source, o.error) for o in summary.errors]
            with db.read() as cur:
                per_kind = dict(cur.execute(
                    "SELECT collector, count(*) FROM items GROUP BY collector").fetchall())
                types = dict(cur.execute("SELECT source_type, count(*) FROM items GROUP BY source_type").fetchall())
                links = [r[0] for r in cur.execute("SELECT url FROM items").fetchall()]
                n_raw = cur.execute("SELECT count(*) FROM item_raw").fetchone()[0]
    finally:
        server.stop()
    assert set(per_kind) == {"rss", "telegram", "xenforo", "youtube", "mastodon"}, per_kind
    assert all(n > 0 for n in per_kind.values()) and types["press"] > 0 and types["social"] > 0
    assert all(u.startswith(base) for u in links)  # nothing points off the machine
    assert n_raw == len(links)  # every item keeps its raw payload (provenance)
