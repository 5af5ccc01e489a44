"""One owner of the effective-tags join (store.reports.effective_joins, store.sqlparts.latest_labels_join): the rapid
report's cut join (`_joins_for_ids`) was the shared join text edited with str.replace, so a change to that text
(a new table, a reworded labels join) silently dropped the cut (+200 MB at 300,000 items) or the overlay."""

from __future__ import annotations

import re

from store import reports as store_reports
from store import tags as store_tags
from store.db import Database

CUT = "WHERE item_id IN (SELECT item_id FROM ids)"


def tables_read(sql: str) -> list[str]:
    return [t for t in re.findall(r"\b(?:JOIN|FROM)\s+([a-z_]+)", sql) if t != "ids"]


def test_the_ids_join_cuts_every_table_the_effective_join_reads():
    full, cut = store_reports.EFFECTIVE_JOINS, store_reports._joins_for_ids()
    assert sorted(tables_read(full)) == ["human_labels", "item_tags", "story_items"]
    assert sorted(tables_read(cut)) == sorted(tables_read(full))
    for table in tables_read(full):
        assert f"FROM {table} {CUT}" in cut, f"{table} is joined whole in the rapid report's read"
    assert re.sub(r"\s+", " ", cut.replace(f" {CUT}", "").replace("(SELECT * FROM item_tags)", "item_tags")
                  .replace("(SELECT * FROM story_items)", "story_items")) == re.sub(r"\s+", " ", full)


def test_the_cut_join_gives_the_same_tags_as_the_whole_one(tmp_path):
    from devtools.sample_reports import seed_week
    from tests.reports.conftest import NOW, WEEK

    with Database(tmp_path / "j.duckdb") as db:
        seed_week(db, WEEK, n_items=40)
        with db.read() as cur:
            some = cur.execute("SELECT item_id FROM item_tags ORDER BY item_id LIMIT 2").fetchall()
        with db.write() as cur:
            store_tags.add_human_label(cur, some[0][0], "sentiment", "positive", "cv", NOW)
            store_tags.add_human_label(cur, some[1][0], "places", ["phường Vàng Danh"], "cv", NOW)
        with db.read() as cur:
            rows = {}
            for name, joins in (("full", store_reports.EFFECTIVE_JOINS), ("cut", store_reports._joins_for_ids())):
                rows[name] = cur.execute(f"""
                    WITH ids AS MATERIALIZED (SELECT id AS item_id FROM items)
                    SELECT i.id, {store_reports.EFFECTIVE_COLS} FROM items i {joins} ORDER BY i.id""").fetchall()
    assert rows["cut"] == rows["full"] and len(rows["full"]) >= 40
    corrected = {r[0]: r for r in rows["full"]}
    assert corrected[some[0][0]][2] == "positive" and corrected[some[1][0]][3] == ["phường Vàng Danh"]
