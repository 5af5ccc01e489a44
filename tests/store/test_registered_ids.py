"""store.db.registered_ids: the one way store functions join on a list of ids (story_stats, story_totals,
latest_story_alerts, cell_counts …); these tests hold what each of the copies it replaced did by hand."""

from __future__ import annotations

import duckdb
import pytest

from store.db import registered_ids


def test_ids_are_a_sorted_distinct_relation_while_the_block_runs():
    cur = duckdb.connect()
    with registered_ids(cur, ["b", "a", "b"]):
        assert cur.execute("SELECT story_id FROM _sids").fetchall() == [("a",), ("b",)]
    with pytest.raises(duckdb.CatalogException):
        cur.execute("SELECT * FROM _sids")


def test_no_ids_still_compare_with_text():
    """An empty exclusion list (cell_counts with no story to leave out) is a typed empty column, not nulls."""
    cur = duckdb.connect()
    with registered_ids(cur, (), name="_ex"):
        assert cur.execute("SELECT 'x' NOT IN (SELECT story_id FROM _ex)").fetchall() == [(True,)]
        assert cur.execute("SELECT typeof(story_id) FROM _ex").fetchall() == []
        assert cur.execute("DESCRIBE _ex").fetchall()[0][1] == "VARCHAR"


def test_unregistered_when_the_block_fails():
    """A failing query must not leave `_sids` behind: the next function on the same write cursor registers it again."""
    cur = duckdb.connect()
    with pytest.raises(duckdb.Error), registered_ids(cur, ["a"]):
        cur.execute("SELECT no_such_column FROM _sids")
    with pytest.raises(duckdb.CatalogException):
        cur.execute("SELECT * FROM _sids")
    with registered_ids(cur, ["c"]):
        assert cur.execute("SELECT story_id FROM _sids").fetchall() == [("c",)]
