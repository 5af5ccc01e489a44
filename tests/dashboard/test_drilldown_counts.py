"""Drill-down opens exactly the items behind a chart's bar: for buckets of every chart that drills down, the
number the chart draws equals the number Tin bài lists for the filter the click builds (same Vietnam-time
bucket, same effective tags, every item rather than the watched area only)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pandas as pd
import pytest

from dashboard import actions, data, drill
from dashboard.views import _trend, alerts as alerts_view, overview, watch as watch_view
from orchestration.accounts import User
from store import watchlists as store_watch
from store.dashboard import unit_names
from store.db import utcnow
from tests.dashboard.conftest import Env

ANALYST = User("chuyenvien", "Cán bộ chuyenvien", "analyst")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    e = Env(tmp_path_factory.mktemp("drill"))
    e.seed(n_items=400)
    e.add_users()
    with e.db.read() as cur:  # two corrections: one item loses its topics, one becomes positive
        ids = [r[0] for r in cur.execute(
            "SELECT id FROM items WHERE published_at > ? ORDER BY published_at DESC LIMIT 2",
            [utcnow() - timedelta(days=2)]).fetchall()]
    actions.correct_labels(e.db, ANALYST, ids[0], {"topics": []})
    actions.correct_labels(e.db, ANALYST, ids[1], {"sentiment": "positive", "in_area": False})
    e.moved = _move_places(e, ids)  # type: ignore[attr-defined]
    data.refresh()
    e.corrected = ids  # type: ignore[attr-defined]
    yield e
    e.close()


def _move_places(e: Env, skip: list[str]) -> tuple[str, set[str], str]:
    """A third correction: a recent in-area item's places become another unit's place name. Returns the
    item, the units its model's places stood for, and the unit it now names."""
    with e.db.read() as cur:
        item, details = cur.execute(
            """SELECT i.id, CAST(t.place_details AS VARCHAR) FROM items i JOIN item_tags t ON t.item_id = i.id
               WHERE i.published_at > ? AND t.in_area AND len(t.places) > 0 AND i.id NOT IN (?, ?)
               ORDER BY i.published_at DESC, i.id LIMIT 1""",
            [utcnow() - timedelta(days=2), *skip]).fetchone()
    before = {u for d in json.loads(details) for u in unit_names(d.get("name_2025") or d.get("name"))}
    target = next(u for u in data.trends(7)["places"]["name_2025"] if u not in before)
    actions.correct_labels(e.db, ANALYST, item, {"places": data.unit_place_names((target,))[:1]})
    return item, before, target


def listed(env: Env, filters: dict[str, str]) -> int:
    """How many items Tin bài lists when opened on `filters` (its address bar), from its "N tin" line."""
    at = env.page("explorer", "viewer")
    for k, v in filters.items():
        if v not in ("", None):
            at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    for c in at.caption:
        m = re.match(r"^(\d+)(\+?) tin", c.value)
        if m:
            assert not m.group(2), f"an inexact count for {filters}: {c.value}"
            return int(m.group(1))
    raise AssertionError(f"no count on Tin bài for {filters}")


def _point(**kw: object) -> dict:
    return dict(kw)


def test_overview_topic_bars_and_the_unclassified_bar(env):
    over = data.topics_over_time(overview.OVER_DAYS)
    d = data.item_detail(env.corrected[0])  # its model topics no longer count; "Chưa phân loại" does
    day = pd.Timestamp(d["published_at"]).normalize()
    assert d["topics"] == [] and d["model"]["topics"], d
    that_day = over[pd.to_datetime(over["bucket"]) == day]
    assert "other" in set(that_day["topic"]), "the correction left an item without topics"
    picks = pd.concat([over.sort_values("n", ascending=False).head(2),
                       that_day[that_day["topic"].isin(["other", *d["model"]["topics"]])]])
    for _, r in picks.iterrows():
        f = overview.bar_filter(_point(customdata=[r["topic"], str(r["bucket"])[:10]]), "topic")
        assert f is not None and f["all"] == "1" and f["from"] == f["to"] == str(r["bucket"])[:10]
        assert listed(env, f) == int(r["n"]), f


def test_overview_sentiment_bars(env):
    share = data.sentiment_share(overview.SHARE_DAYS)
    assert "positive" in set(share["sentiment"])
    for _, r in share.iterrows():
        f = overview.slice_filter(_point(customdata=[r["sentiment"]]))
        assert listed(env, f) == int(r["n"]), f


def test_overview_outlet_bars_count_local_days(env):
    by_outlet = data.items_over_time(overview.OVER_DAYS, "day")
    r = by_outlet.sort_values("n", ascending=False).iloc[0]
    f = overview.bar_filter(_point(customdata=[r["outlet"], str(r["bucket"])[:10]]), "outlet")
    assert listed(env, f) == int(r["n"]), f


def test_topic_trend_bars_now_and_before(env):
    from dashboard.views import topics as topics_view

    opened: list[dict] = []
    topics_view.ui.open_items, keep = opened.append, topics_view.ui.open_items
    try:
        tr = data.trends(7)["topics"]
        codes = list(tr["topic"])
        for curve in (1, 0):
            topics_view._open_topic(drill_event(curve_number=curve, point_index=0), codes, 7)
    finally:
        topics_view.ui.open_items = keep
    assert listed(env, opened[0]) == int(tr["n_now"].iloc[0])
    assert listed(env, opened[1]) == int(tr["n_prev"].iloc[0])


def test_trend_panel_day_bar(env):
    df = _trend._rows("topic", "environment", 7)
    now = pd.Timestamp(data.local(data.now())).tz_localize(None)
    daily = _trend.split_periods(df, now, 7)
    r = daily.sort_values("n", ascending=False).iloc[0]
    base = {"topic": "environment", **drill.EVERY_ITEM}
    f = _trend.day_filter({"curve_number": 1, "x": str(r["day"])}, base, 7)
    assert listed(env, f) == int(r["n"]), f
    neg = _trend.day_filter({"curve_number": 2, "x": str(r["day"])}, base, 7)
    assert listed(env, neg) == int(r["neg"]), neg


def test_alert_timeline_hour(env):
    alerts = data.alerts(None, 50)
    aid = alerts.sort_values("n_items", ascending=False)["alert_id"].iloc[0]
    per_hour = data.alert_timeline(aid).set_index("hour")["n"]  # what the timeline draws
    assert int(per_hour.sum()) == len(data.alert_items(aid))
    h, n = per_hour.sort_values(ascending=False).index[0], int(per_hour.max())
    f = alerts_view.hour_filter({"customdata": f"{h:%Y-%m-%dT%H}"}, aid)
    assert f == {"alert": aid, "hour": f"{h:%Y-%m-%dT%H}", "all": "1"}
    assert listed(env, f) == n, f


def test_watchlist_day_bar(env):
    wid = actions.save_watchlist(env.db, ANALYST, {
        "name": "Mọi tin về phường", "query": "phường", "places": [], "topics": [], "source_types": [],
        "min_items": 1000, "window_minutes": 60, "severity": "low"})
    env.match_watchlists()
    with env.db.read() as cur:
        assert store_watch.hit_totals(cur, utcnow() - timedelta(days=30)).get(wid)
    data.refresh()
    counts, totals = data.watch_counts(30)
    mine = counts[counts["watchlist_id"] == wid].sort_values("n", ascending=False)
    assert int(mine["n"].sum()) == totals[wid]  # the table's total is what the chart adds up to
    r = mine.iloc[0]
    f = watch_view.day_filter({"customdata": [wid, drill.day_iso(r["t"])]})
    assert f is not None and f["watch"] == str(wid)
    assert listed(env, f) == int(r["n"]), f


def drill_event(**point: object) -> object:
    from types import SimpleNamespace

    return SimpleNamespace(selection=SimpleNamespace(points=[point]))


def test_map_units(env):
    from dashboard.views import topics as topics_view

    places = data.trends(7)["places"]
    opened: list[dict] = []
    topics_view.ui.open_items, keep = opened.append, topics_view.ui.open_items
    try:
        for name in places["name_2025"].head(3):
            topics_view._open_unit(drill_event(customdata=[name]), 7)
    finally:
        topics_view.ui.open_items = keep
    for f, n in zip(opened, places["n_now"].head(3)):
        assert listed(env, f) == int(n), f


def test_map_units_count_corrected_places(env):
    """A staff correction moved an item's places to another unit: the map and the unit table count it
    where Tin bài lists it (under the unit it now names, no longer under its model's units)."""
    from dashboard.views import topics as topics_view

    item, before, target = env.moved
    assert data.item_detail(item)["corrected"]
    places = data.trends(7)["places"].set_index("name_2025")
    opened: list[dict] = []
    topics_view.ui.open_items, keep = opened.append, topics_view.ui.open_items
    try:
        for name in sorted(before | {target}):
            topics_view._open_unit(drill_event(customdata=[name]), 7)
    finally:
        topics_view.ui.open_items = keep
    for name, f in zip(sorted(before | {target}), opened):
        n = int(places["n_now"].get(name, 0))
        assert listed(env, f) == n, (name, f)


def _drawn(env: Env, alert_id: str) -> dict[str, int]:
    """The bars of the alert's timeline as Cảnh báo draws them: local hour → count."""
    import base64

    import numpy as np

    at = env.page("alerts", "viewer")
    at.query_params["alert"] = alert_id
    at.run()
    assert not at.exception, at.exception
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    bar = next(d for c in charts for d in c["data"] if d.get("name") == "Số tin")
    y = bar["y"]
    if isinstance(y, dict):  # plotly's typed array
        y = np.frombuffer(base64.b64decode(y["bdata"]), dtype=np.dtype(y["dtype"])).tolist()
    return {str(h): int(n) for h, n in zip(bar["customdata"], y)}


def test_alert_timeline_after_retention(env):
    """Retention deleted the alert's oldest items: the timeline draws only the items still there, each
    hour what Tin bài lists for it. Runs last: the purge takes every item older than the cut."""
    from store import retention

    alerts = data.alerts(None, 50)
    aid = alerts.sort_values("n_items", ascending=False)["alert_id"].iloc[0]
    with env.db.read() as cur:
        times = cur.execute(
            """SELECT greatest(published_at, fetched_at) FROM items
               WHERE id IN (SELECT unnest(item_ids) FROM alerts WHERE alert_id = ?) ORDER BY 1""", [aid]).fetchall()
    assert len(times) >= 3
    cut = times[1][0] + timedelta(seconds=1)  # the two oldest go
    with env.db.write() as cur:
        retention.purge(cur, cut + timedelta(days=30), raw_payload_days=30, items_days=30)
    data.refresh()
    drawn = _drawn(env, aid)
    assert sum(drawn.values()) == len(times) - 2, drawn
    # the item table lists what is left, no blank rows; the page says how many retention deleted
    assert len(data.alert_items(aid)) == len(times) - 2 and data.alert_items_gone(aid) == 2
    for h, n in drawn.items():
        assert listed(env, {"alert": aid, "hour": h, "all": "1"}) == n, h
