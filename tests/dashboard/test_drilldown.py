"""Drill-down: Tin bài takes its filters from the address bar (a click on a chart, a shared link) and keeps
them there; a 2025 unit expands to the place names its items carry; the map's shapes and labels."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd

from dashboard import places as places_mod
from dashboard.views import topics as topics_view
from store import dashboard as q
from store.db import utcnow
from tests.dashboard.conftest import texts


def _qp(at, key: str) -> list[str]:  # type: ignore[no-untyped-def]
    v = at.query_params.get(key)
    return [] if v is None else list(v) if isinstance(v, (list, tuple)) else [v]


def _rows(at) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return at.dataframe[0].value


def test_explorer_reads_filters_from_the_address_bar(demo_env):
    at = demo_env.page("explorer", "viewer")
    at.query_params["topic"] = "health"
    at.query_params["period"] = "30"
    at.run()
    assert not at.exception
    assert at.multiselect(key="x_topics").value == ["health"]
    assert at.selectbox(key="x_period").value == "30 ngày qua"
    df = _rows(at)
    assert len(df) and all("Y tế" in str(t) for t in df["Chủ đề"])


def test_explorer_writes_its_filters_to_the_address_bar(demo_env):
    at = demo_env.page("explorer", "viewer").run()
    assert "topic" not in at.query_params
    at.multiselect(key="x_topics").set_value(["health"]).run()
    at.selectbox(key="x_period").set_value("30 ngày qua").run()
    assert _qp(at, "topic") == ["health"] and _qp(at, "period") == ["30"]
    at.checkbox(key="x_prev").check().run()
    assert _qp(at, "prev") == ["1"]


def test_previous_period_shows_other_items(demo_env):
    at = demo_env.page("explorer", "viewer")
    at.query_params["period"] = "7"
    at.run()
    now_ids = set(_rows(at)["Tiêu đề"])
    at.checkbox(key="x_prev").check().run()
    prev_ids = set(_rows(at)["Tiêu đề"])
    assert now_ids and prev_ids and now_ids != prev_ids


def test_unit_link_filters_by_every_name_of_the_unit(demo_env):
    with demo_env.db.read() as cur:
        names = q.unit_place_names(cur, ["Phường Uông Bí"], None)
        trend = q.place_trends(cur, utcnow().replace(year=2000), utcnow().replace(year=2001), utcnow())
    assert names, "the demo data names places of Phường Uông Bí"
    row = trend[trend["name_2025"] == "Phường Uông Bí"]
    at = demo_env.page("explorer", "viewer")
    at.query_params["unit"] = "Phường Uông Bí"
    at.query_params["period"] = "all"
    at.run()
    assert not at.exception
    assert set(at.multiselect(key="x_places").value) == set(names)
    assert len(row) and int(row["n_now"].iloc[0]) >= 1


def test_unit_place_names_follow_place_details(demo_env):
    with demo_env.db.read() as cur:
        vd = q.unit_place_names(cur, ["Phường Vàng Danh"], None)
        ub = q.unit_place_names(cur, ["Phường Uông Bí"], None)
        none = q.unit_place_names(cur, ["Xã Không Có"], None)
    assert none == []
    assert vd != ub


def test_a_bar_click_opens_the_topic_and_its_period(monkeypatch):
    opened: list[dict] = []
    monkeypatch.setattr(topics_view.ui, "open_items", opened.append)
    ev = SimpleNamespace(selection=SimpleNamespace(points=[{"curve_number": 1, "point_index": 1, "y": "x"}]))
    topics_view._open_topic(ev, ["environment", "health"], 7)
    prev = SimpleNamespace(selection=SimpleNamespace(points=[{"curve_number": 0, "point_index": 0}]))
    topics_view._open_topic(prev, ["environment", "health"], 30)
    topics_view._open_topic(SimpleNamespace(selection=SimpleNamespace(points=[])), ["health"], 7)
    assert opened == [{"topic": "health", "period": "7", "prev": "", "all": "1"},
                      {"topic": "environment", "period": "30", "prev": "1", "all": "1"}]


def test_a_map_click_opens_the_unit(monkeypatch):
    opened: list[dict] = []
    monkeypatch.setattr(topics_view.ui, "open_items", opened.append)
    ev = SimpleNamespace(selection=SimpleNamespace(points=[{"curve_number": 1, "customdata": ["Phường Yên Tử"]}]))
    topics_view._open_unit(ev, 30)
    assert opened == [{"unit": "Phường Yên Tử", "period": "30", "all": "1"}]


def test_shipped_cells_cover_every_2025_unit_and_stay_small():
    cells = places_mod.ward_cells()
    wards = places_mod.ward_coordinates()
    assert cells is not None and cells.get("approximate") is True
    ids = {f["id"] for f in cells["features"]}
    assert ids == set(wards["name_2025"]) and len(ids) == 54
    assert places_mod.CELLS_2025.stat().st_size < 60_000
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in cells["features"])
    json.dumps(cells)


def test_map_labels_never_overlap_and_are_few():
    m = pd.DataFrame({"name_2025": list("abcde"), "lat": [21.0, 21.01, 21.3, 21.0, 20.5],
                      "lon": [107.0, 107.01, 107.0, 107.6, 107.0], "n_now": [9, 8, 3, 0, 1]})
    lab = topics_view._label_spots(m, most=3)
    assert list(lab["name_2025"]) == ["a", "c", "e"]  # b sits on a; d has no news; at most 3


def test_topics_page_draws_the_map_with_shapes(demo_env):
    at = demo_env.page("topics", "viewer").run()
    assert not at.exception
    assert any("ô gần đúng" in c.value for c in at.caption)


def test_a_day_link_sets_the_date_range(demo_env):
    at = demo_env.page("explorer", "viewer")
    day = data_local_today(demo_env)
    at.query_params["from"] = day
    at.query_params["to"] = day
    at.run()
    assert not at.exception
    assert at.selectbox(key="x_period").value == "Chọn ngày…"
    assert _qp(at, "from") == [day] and _qp(at, "to") == [day]


def data_local_today(env) -> str:  # type: ignore[no-untyped-def]
    from dashboard import data
    return data.local(data.now()).date().isoformat()


def test_trend_panel_counts_now_and_before_and_share_of_voice(demo_env):
    at = demo_env.page("topics", "viewer").run()
    assert not at.exception
    at.radio(key="tr_kind").set_value("Chủ đề").run()
    at.selectbox(key="tr_topic").set_value("environment").run()
    labels = [m.label for m in at.metric]
    assert "7 ngày qua" in labels and "Kỳ liền trước" in labels and "Tỷ lệ tiêu cực" in labels
    assert any("Theo cơ quan, kênh" in md.value for md in at.markdown)
    at.radio(key="tr_kind").set_value("Từ khóa").run()
    at.text_input(key="tr_q").input('"').run()  # an unreadable query: a warning, not a traceback
    assert not at.exception
    at.text_input(key="tr_q").input("xyzzyq").run()  # no item at all: said, no empty grid (round 17; −1…1 before 0…1)
    assert not at.exception
    assert "tr_daily" not in [c.key for c in at.get("plotly_chart")]
    assert "Không có tin nào trong 7 ngày qua và 7 ngày liền trước đó." in texts(at)


def test_split_periods_aligns_the_previous_period_by_day():
    from dashboard.views._trend import split_periods

    now = pd.Timestamp("2026-12-04 10:00")
    df = pd.DataFrame({"published_at": pd.to_datetime(["2026-12-04 08:00", "2026-12-03 09:00", "2026-11-27 07:00",
                                                       "2026-11-26 07:00"]),
                       "sentiment": ["negative", "neutral", "neutral", "negative"]})
    d = split_periods(df, now, 7)
    assert len(d) == 7 and d["day"].iloc[-1] == pd.Timestamp("2026-12-04")
    assert d["n"].sum() == 2 and d["neg"].sum() == 1
    assert int(d.loc[d["day"] == pd.Timestamp("2026-12-04"), "n_prev"].iloc[0]) == 1  # 27/11 is 7 days before
    assert int(d.loc[d["day"] == pd.Timestamp("2026-12-03"), "n_prev"].iloc[0]) == 1


def test_alert_hour_link_is_kept_and_each_part_can_be_dropped(demo_env):
    from dashboard import data

    a = data.alerts(None, 50).sort_values("n_items", ascending=False).iloc[0]
    items = data.alert_items(a["alert_id"])
    h = pd.to_datetime(items["published_at"]).dt.floor("h").iloc[0]
    at = demo_env.page("explorer", "viewer")
    for k, v in {"alert": a["alert_id"], "hour": f"{h:%Y-%m-%dT%H}", "all": "1"}.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    assert at.checkbox(key="x_alert_on").value and at.checkbox(key="x_hour_on").value
    assert _qp(at, "alert") == [a["alert_id"]] and _qp(at, "hour") == [f"{h:%Y-%m-%dT%H}"]
    assert not at.checkbox(key="x_in_area").value and _qp(at, "all") == ["1"]
    n_hour = len(_rows(at))
    at.checkbox(key="x_hour_on").uncheck().run()  # the whole day of that hour
    assert "hour" not in at.query_params and _qp(at, "from") == [f"{h:%Y-%m-%d}"]
    n_day = len(_rows(at))
    at.checkbox(key="x_alert_on").uncheck().run()  # every item of that day
    assert not [c for c in at.checkbox if c.key == "x_hour_on"]  # the hour is dropped for good
    assert "alert" not in at.query_params
    assert 1 <= n_hour <= n_day <= len(_rows(at))
    at.run()
    assert "alert" not in at.query_params and not [c for c in at.checkbox if c.key == "x_alert_on"]


def test_unclassified_and_unknown_are_filters_too(demo_env):
    at = demo_env.page("explorer", "viewer")
    at.query_params["topic"] = "other"
    at.query_params["sent"] = "unknown"
    at.run()
    assert not at.exception
    assert at.multiselect(key="x_topics").value == ["other"] and at.multiselect(key="x_sent").value == ["unknown"]


def test_drill_days_and_hours_in_vietnam_time():
    from datetime import date, datetime

    from dashboard import drill

    assert drill.day("2026-12-03") == {"from": "2026-12-03", "to": "2026-12-03"}
    assert drill.day_iso(pd.Timestamp("2026-12-03 00:00")) == drill.day_iso(date(2026, 12, 3)) == "2026-12-03"
    assert drill.hour("2026-12-03 14:00") == drill.hour(datetime(2026, 12, 3, 14, 59)) == {"hour": "2026-12-03T14"}
    ev = SimpleNamespace(selection=SimpleNamespace(points=[{"customdata": None}, {"customdata": ["x", "2026-12-01"]}]))
    assert drill.from_points(ev, lambda p: drill.custom(p) and {"o": drill.custom(p)[0]}) == {"o": "x"}
    assert drill.points(object()) == []


def test_a_table_row_opens_its_topic_or_unit():
    ev = SimpleNamespace(selection=SimpleNamespace(rows=[1]))
    assert topics_view._row(ev, 3) == 1 and topics_view._row(ev, 1) is None
    assert topics_view._row(SimpleNamespace(selection=SimpleNamespace(rows=[])), 3) is None
    assert topics_view._row(object(), 3) is None


def test_a_forged_alert_link_is_shown_as_text(demo_env):
    at = demo_env.page("explorer", "viewer")
    at.query_params["alert"] = "**A1** <img src=x>"
    at.run()
    assert not at.exception
    label = at.checkbox(key="x_alert_on").label
    assert "\\*\\*A1\\*\\*" in label and "\\<img" in label
    assert at.caption and any(c.value.startswith("0 tin") for c in at.caption)  # no alert of that name


def test_map_units_are_the_configured_provinces():
    """A Bắc Ninh office's Bản đồ drew Quảng Ninh's 54 shapes (its own wards matched none) and offered
    Quảng Ninh's wards in the trend's unit picker: coordinates follow [area] province; the shapes, shipped
    for Quảng Ninh only, are left out elsewhere."""
    bn = places_mod.ward_coordinates("Bắc Ninh")
    assert {"Phường Kinh Bắc", "Phường Bắc Giang"} <= set(bn["name_2025"])
    assert "Phường Uông Bí" not in set(bn["name_2025"])
    assert places_mod.ward_cells("Bắc Ninh") is None
    assert places_mod.ward_cells("Tỉnh Quảng Ninh") is not None


def test_both_topic_views_read_a_click_through_one_lookup(monkeypatch):
    """The rolling periods open Tin bài, the report's week picks the items box; both read the clicked bar and the
    clicked unit of the map through one lookup each (round 15's review found the two copies), so a click means
    the same topic or unit in both views, for a point Plotly numbers by `point_index` or by `point_number`."""
    opened: list[dict] = []
    state: dict = {}
    monkeypatch.setattr(topics_view.ui, "open_items", opened.append)
    monkeypatch.setattr(topics_view, "st", SimpleNamespace(session_state=state))
    codes = ["environment", "health"]
    cols = ("Tuần này", "Tuần trước")
    for point, col in (({"curve_number": 1, "point_number": 1}, cols[0]), ({"curve_number": 0, "point_index": 0}, cols[1])):
        ev = SimpleNamespace(selection=SimpleNamespace(points=[{"point_index": 9}, point]))
        state["r_topic_bars"] = ev
        topics_view._picked_bar("pick", codes, cols)()
        topics_view._open_topic(ev, codes, 7)
        assert state["pick"] == f"topic:{opened[-1]['topic']}"
        # the paler bar lists the week before, as Tin bài opens the period before («prev»)
        assert state[topics_view._when_key("pick")] == col and (col == cols[1]) == bool(opened[-1]["prev"])
    ev = SimpleNamespace(selection=SimpleNamespace(points=[{"customdata": [None]}, {"customdata": ["Phường Yên Tử", 3]}]))
    state["r_place_map"] = ev
    topics_view._picked_unit("pick", cols[0])()
    topics_view._open_unit(ev, 7)
    assert state["pick"] == f"unit:{opened[-1]['unit']}" == "unit:Phường Yên Tử"
    assert state[topics_view._when_key("pick")] == cols[0]  # the map is coloured by this week's counts

    seen: list[str] = []
    monkeypatch.setattr(topics_view, "_clicked_topic", lambda e, c: seen.append("topic") or ("health", False))
    monkeypatch.setattr(topics_view, "_clicked_unit", lambda e: seen.append("unit") or "Phường Uông Bí")
    topics_view._picked_bar("pick", codes, cols)()
    topics_view._open_topic(None, codes, 7)
    topics_view._picked_unit("pick", cols[0])()
    topics_view._open_unit(None, 7)
    assert seen == ["topic", "topic", "unit", "unit"]
