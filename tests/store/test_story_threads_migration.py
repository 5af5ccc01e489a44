"""Migration 023: story_items keeps each grouped item's guid and thread key, so rebuilding the grouping index
(store.stories.grouped_since) reads story_items alone; a database grouped before it gets the guids of its items."""

from __future__ import annotations

from datetime import datetime

from store import db as db_mod
from store import stories as store_stories
from store.db import Database

AT = datetime(2025, 10, 13, 23, 0)


def _row(item_id: str, **extra) -> dict:
    return {"item_id": item_id, "story_id": "p", "published_at": AT, "source": "fb-g", "outlet": "fb-g",
            "source_type": "social", "title": "mat dien", "folded": "mat dien", "in_area": True, "grouped_at": AT,
            **extra}


def test_migration_copies_the_guids_of_items_grouped_before_it(tmp_path):
    path = tmp_path / "m.duckdb"
    with Database(path) as d:
        with d.write() as cur:
            cur.execute("""INSERT INTO items (id, canonical_url, url, content_hash, source, collector, source_type, outlet,
                           title, summary, guid, published_at, published_estimated, fetched_at, flags)
                           VALUES ('p', 'u0', 'u0', 'h0', 'fb-g', 'facebook_page', 'social', 'o', 't', 't', '1029_0',
                                   ?, false, ?, [])""", [AT, AT])
            store_stories.add_story_items(cur, [_row("p")])
            # back to what 023 finds (its columns are added IF NOT EXISTS: story_items' index forbids dropping them)
            cur.execute("UPDATE story_items SET guid = NULL, thread = NULL; DELETE FROM schema_migrations WHERE version = 23")
    with Database(path) as d:  # reopening applies 023
        with d.read() as cur:
            (r,) = store_stories.grouped_since(cur, AT)
    assert r["guid"] == "1029_0" and r["thread"] is None


def test_grouped_since_reads_story_items_alone(tmp_path):
    """An item the retention job already purged from `items` (or never stored there) keeps its guid and thread."""
    with Database(tmp_path / "s.duckdb") as d:
        with d.write() as cur:
            store_stories.add_story_items(cur, [_row("p", guid="1029_0", thread="fb::1029")])
        with d.read() as cur:
            (r,) = store_stories.grouped_since(cur, AT)
    assert (r["guid"], r["thread"]) == ("1029_0", "fb::1029")


def test_the_guid_backfill_is_left_out_of_a_new_database(tmp_path):
    sql = next(p for v, _, p in db_mod.migrations() if v == 23).read_text(encoding="utf-8")
    with Database(tmp_path / "e.duckdb") as d:
        with d.write() as cur:
            empty = db_mod._migration_sql(cur, sql)
    assert "UPDATE story_items" in sql and "UPDATE story_items" not in empty
