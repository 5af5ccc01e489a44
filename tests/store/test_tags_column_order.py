"""fix35, following the add-a-step recipe with a toy: item_tags' INSERT named no columns, so its SELECT had to list
them in the table's order, and that order is not one: on a new database the migrations' (a tag column of migration
170 before 175's text_restored), on an upgraded one a missing lower migration's column last. A toy column from
migration 170 took text_restored's values on a new database («Could not convert string … to INT32»). save_tags now
names its columns from `_schema()`: the table's order does not matter."""

from __future__ import annotations

from store import tags
from tests.conftest import database


def test_tags_are_saved_by_name_whatever_the_tables_column_order(tmp_path):
    db = database(tmp_path / "a.duckdb")
    try:
        with db.write() as cur:  # as an upgraded database has it: a column moved last (dropped and added again)
            cur.execute("ALTER TABLE item_tags DROP COLUMN title_restored")
            cur.execute("ALTER TABLE item_tags ADD COLUMN title_restored VARCHAR")
            tags.save_tags(cur, [{"id": "x", "model_version": "m", "title_restored": "Bùn đất tràn xuống đường",
                                  "place_reads": ["Uông Bí"], "text_restored": "Bùn đất từ bãi thải",
                                  "folded": "bun dat", "places": ["uong-bi"]}])
        with db.read() as cur:
            row = cur.execute("SELECT title_restored, place_reads, text_restored, folded, places FROM item_tags"
                              ).fetchone()
    finally:
        db.close()
    assert row == ("Bùn đất tràn xuống đường", ["Uông Bí"], "Bùn đất từ bãi thải", "bun dat", ["uong-bi"])


def test_every_item_tags_column_is_written_by_save_tags(tmp_path):
    """review35: with the INSERT naming `_schema()`'s columns, a column added to item_tags by a migration but not to
    `_schema()` would be NULL on every save, silently (the old INSERT failed on the count)."""
    db = database(tmp_path / "b.duckdb")
    try:
        with db.read() as cur:
            cols = {r[0] for r in cur.execute("SELECT column_name FROM information_schema.columns "
                                              "WHERE table_name = 'item_tags'").fetchall()}
    finally:
        db.close()
    assert cols == set(tags._schema().names)
