"""The demo watchlist (devtools/demo_watch.py) fires during the live burst of demo/corpus, and only then."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from detection import watch
from devtools import demo_watch
from store import watchlists as store_watch
from tests.conftest import database

CORPUS = Path(__file__).resolve().parents[2] / "demo" / "corpus" / "quangninh.jsonl"
T0 = datetime(2026, 12, 1, 8, 0)


def test_demo_watchlist_fires_in_the_burst_window():
    wl = watch.compile_watchlist({"id": 1, **demo_watch.DEMO_WATCHLIST})
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    live = [r for r in rows if r["offset_minutes"] > 0]
    hits = [r for r in live
            if watch.match(wl, watch.Doc.of(r["id"], T0, r.get("title", ""), r.get("summary", ""))) is not None]
    burst = [r for r in hits if r.get("story") == "burst-vangdanh"]
    assert len(burst) >= demo_watch.DEMO_WATCHLIST["min_items"]
    first = sorted(r["offset_minutes"] for r in burst)[:demo_watch.DEMO_WATCHLIST["min_items"]]
    assert first[-1] - first[0] <= demo_watch.DEMO_WATCHLIST["window_minutes"]
    assert first[-1] <= 31  # within the burst (+3…+31)


def test_setup_creates_it_once_and_switches_it_back_on(tmp_path):
    with database(tmp_path / "d.duckdb") as db:
        wid = demo_watch.setup(db)
        with db.write() as cur:
            store_watch.update(cur, wid, {"active": False}, "x", T0 + timedelta(hours=1))
        assert demo_watch.setup(db) == wid
        with db.read() as cur:
            assert store_watch.get(cur, wid)["active"]
