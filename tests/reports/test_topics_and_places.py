"""store.reports.topics_and_places: the weekly report's Bảng 4 and Bảng 5 alone (the Chủ đề & địa bàn page's «Tuần
báo cáo»), from the report's own scope and queries; scope_items lists exactly the items behind one figure."""

from __future__ import annotations

from reports.settings import week_period
from store import reports as R
from tests.reports.conftest import NOW, WEEK, db_scope


def test_topics_and_places_are_the_weekly_reports_and_list_their_items(seeded):
    db, _ = seeded
    w = week_period(WEEK, NOW).window
    with db.read() as cur:
        report = R.weekly_figures(cur, w, None, top_places=20)
        f = R.topics_and_places(cur, w, None, top_places=20)
        wide = R.topics_and_places(cur, w, None, in_area_only=False, top_places=None)
        top_topic, top_unit = f["topics"].iloc[0], f["places"].iloc[0]
        by_topic = R.scope_items(cur, w, topic=top_topic.topic, limit=5)
        by_unit = R.scope_items(cur, w, unit=top_unit.place, limit=1000)
        left = cur.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = '_rs'").fetchone()[0]
    assert f["topics"].equals(report["topics"]) and f["places"].equals(report["places"])
    assert (f["scope_now"], f["scope_prev"]) == (report["totals"]["scope_now"], report["totals"]["scope_prev"])
    # independent count: the in-area items of the week (the seed tags every item, so "every tagged item" is all)
    rows = db_scope(db)["rows"]
    assert f["scope_now"] == sum(1 for r in rows if r[7]) < wide["scope_now"] == db_scope(db)["total_now"]
    assert by_topic[1] == int(top_topic.n_now) and len(by_topic[0]) == 5
    assert all(top_topic.topic in list(t) for t in by_topic[0]["topics"])
    assert by_unit[1] == int(top_unit.n_now) == len(by_unit[0])
    assert left == 0  # the scope table is dropped: the next query of the cursor starts clean


def test_every_figure_lists_as_many_items_as_it_counts_this_week_and_the_week_before(seeded):
    """A click on the paler «Tuần trước» bar listed this week's items, another number than the bar's: scope_items
    gives, for each topic and unit and either week, exactly the bar's count."""
    db, _ = seeded
    w = week_period(WEEK, NOW).window
    with db.read() as cur:
        f = R.topics_and_places(cur, w, None, top_places=None)
        for kind, table, key in (("topic", f["topics"], "topic"), ("unit", f["places"], "place")):
            for r in table.itertuples():
                for previous, n in ((False, r.n_now), (True, r.n_prev)):
                    listed = R.scope_items(cur, w, previous=previous, limit=0, **{kind: getattr(r, key)})[1]
                    assert listed == int(n), (kind, getattr(r, key), previous)
    assert any(r.n_prev != r.n_now for r in f["topics"].itertuples())
