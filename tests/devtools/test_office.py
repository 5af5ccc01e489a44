"""The office-year generator (bench/office_walk.py): 68 sources, a year with no empty weeks, cases, watchlist
hits; the same data for the same seed and `now`."""

from __future__ import annotations

from datetime import datetime, timedelta

from devtools import office
from store import cases as store_cases
from store import watchlists as store_watch
from store.search import search
from tests.conftest import database

NOW = datetime(2026, 12, 5, 13, 0)


def _seed(path):
    db = database(path)
    counts = office.seed_office(db, n_items=3000, now=NOW)
    return db, counts


def test_a_year_from_68_sources_with_cases_and_watchlist_hits(tmp_path):
    db, counts = _seed(tmp_path / "a.duckdb")
    try:
        assert counts["sources"] == len(office.outlets()) == 68 and counts["items"] == 3000
        assert counts["cases"] > 0 and counts["watch_hits"] > 0 and counts["alerts"] >= 12
        with db.read() as cur:
            for weeks_ago in range(0, 50, 7):  # no empty week (a burst once emptied the last two)
                end = NOW - timedelta(days=weeks_ago)
                assert search(cur, "", since=end - timedelta(days=7), until=end, limit=1).total > 0, weeks_ago
            assert len(store_cases.list_cases(cur, now=NOW, limit=10_000)) == counts["cases"]
            assert len(store_watch.list_watchlists(cur)) >= len(office.WATCHLISTS)
    finally:
        db.close()
    db2, counts2 = _seed(tmp_path / "b.duckdb")
    db2.close()
    assert counts2 == counts


def test_config_points_every_source_at_localhost():
    text = office.config_text("/tmp/x.duckdb", "/tmp/x.snap.duckdb", port=18799)
    urls = [line for line in text.splitlines() if line.startswith("url = ")]
    assert len(urls) == 68 and all(u.startswith('url = "http://127.0.0.1:18799/') for u in urls)
