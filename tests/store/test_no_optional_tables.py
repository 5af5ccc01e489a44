"""Every part's tables are always there (Database.migrate applies every migration), so the store reads them
directly: a table that is not there is a fault that surfaces, never a part reported as "not installed"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Callable

import duckdb
import pytest

from reports.settings import week_period
from store import dashboard as store_dashboard
from store import reports as store_reports
from store import stories as store_stories
from store import tags as store_tags
from store.db import Database
from store.items import insert_items
from tests.store.test_store import NOW, item

SINCE = NOW - timedelta(days=7)
WEEK = week_period("2026-W47").window  # the whole week, which holds NOW

READERS: dict[str, tuple[str, Callable[[Any, str], Any]]] = {
    "dashboard.sentiment_share": ("item_tags", lambda cur, _: store_dashboard.sentiment_share(cur, SINCE)),
    "dashboard.top_stories": ("stories", lambda cur, _: store_dashboard.top_stories(cur, SINCE)),
    "dashboard.alert_status_counts": ("alerts", lambda cur, _: store_dashboard.alert_status_counts(cur)),
    "dashboard.alert_history": ("alert_events", lambda cur, _: store_dashboard.alert_history(cur, "A-1")),
    "reports.weekly_figures": ("story_items", lambda cur, _: store_reports.weekly_figures(cur, WEEK)),
    "reports.get_text": ("report_texts", lambda cur, _: store_reports.get_text(cur, "weekly", "2026-W47")),
    "reports.list_archive": ("report_archive", lambda cur, _: store_reports.list_archive(cur)),
    "reports.in_area_places": ("item_tags", lambda cur, _: store_reports.in_area_places(cur, SINCE)),
    "stories.pending_items": ("item_tags", lambda cur, _: store_stories.pending_items(cur, NOW)),
    "tags.items_for_tagging": ("item_fulltext",
                               lambda cur, iid: store_tags.items_for_tagging(cur, [iid], fulltext_chars=500)),
}


@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_missing_table_is_an_error(tmp_path, reader):
    table, read = READERS[reader]
    it = item(1)
    with Database(tmp_path / "a.duckdb") as db:
        with db.write() as cur:
            insert_items(cur, [it])
            cur.execute(f"DROP TABLE {table}")
        with db.read() as cur, pytest.raises(duckdb.CatalogException, match=table):
            read(cur, it.id)


def test_full_database_reads_need_no_capability_keys(tmp_path):
    """The weekly figures carry data only: no 'caps', 'missing' or 'tagged' for the report to branch on."""
    with Database(tmp_path / "a.duckdb") as db:
        with db.write() as cur:
            insert_items(cur, [item(1)])
        with db.read() as cur:
            f = store_reports.weekly_figures(cur, WEEK)
            r = store_dashboard.today_vs_usual(cur, NOW, NOW - timedelta(hours=3), 7)
    assert not {"caps", "missing", "tagged"} & set(f)
    assert f["totals"]["all_now"] == 1 and f["totals"]["tagged_now"] == 0 and f["totals"]["scope_now"] == 0
    assert r["items"] == 1 and r["tagged"] is False  # an untagged item is a real state, read from the data
