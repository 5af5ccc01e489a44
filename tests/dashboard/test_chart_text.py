"""Every chart has a text alternative beside it (dash6's accessibility pass): a screen reader reads no bars, and
fourteen stacked colours are hard to tell apart. Tổng quan's topic bars and Chủ đề's Diễn biến panel fold their
figures as a table under them («Số liệu của biểu đồ (bảng)»); the sentiment share says its counts in words."""

from __future__ import annotations

import re

from dashboard import ui
from tests.dashboard.conftest import no_exception


def _chart_tables(at) -> list:  # type: ignore[no-untyped-def]
    return [e for e in at.expander if e.label == ui.CHART_DATA_LABEL]


def test_overview_charts_have_their_figures_in_text(demo_env):
    at = demo_env.page("overview", "viewer").run()
    no_exception(at)
    tables = _chart_tables(at)
    assert len(tables) == 1
    table = tables[0].dataframe[0].value
    assert table.columns[0] == "Chủ đề" and table.columns[-1] == "Cộng"
    assert table["Cộng"].sum() == table.drop(columns=["Chủ đề", "Cộng"]).to_numpy().sum() > 0
    assert list(table["Cộng"]) == sorted(table["Cộng"], reverse=True)
    words = [c.value for c in at.caption if "Tiêu cực:" in c.value]
    assert words and re.search(r"Tiêu cực: \d+ tin \(\d+%\)", words[0]), words


def test_the_trend_panel_has_its_figures_as_a_table(demo_env):
    at = demo_env.page("topics", "viewer").run()
    no_exception(at)
    tables = _chart_tables(at)
    assert len(tables) == 3  # Diễn biến's days, and its outlets and source types
    daily = tables[0].dataframe[0].value
    assert list(daily.columns)[:2] == ["Ngày", "Kỳ này (tin)"] and len(daily) == 7
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", daily["Ngày"].iloc[0])
    assert {"Số tin", "Tỷ lệ"} <= set(tables[1].dataframe[0].value.columns)


def test_theo_doi_hits_chart_has_its_figures_as_a_table(env):
    from dashboard import actions, data
    from orchestration.accounts import User

    env.add_users()
    env.seed(n_items=60, n_stories=0, n_alerts=0, days=5)
    actions.save_watchlist(env.db, User("chuyenvien", "Cán bộ chuyenvien", "analyst"), {
        "name": "Mọi tin về phường", "query": "phường", "places": [], "topics": [], "source_types": [],
        "min_items": 2, "window_minutes": 120, "severity": "high"})
    env.match_watchlists()
    data.refresh()
    at = env.page("watch", "analyst").run()
    no_exception(at)
    tables = _chart_tables(at)
    assert len(tables) == 1
    table = tables[0].dataframe[0].value
    assert list(table.columns) == ["Ngày", "Mọi tin về phường (tin)"]
    counted = next(d.value for d in at.dataframe if "Tên" in d.value.columns)
    listed = counted.loc[counted["Tên"] == "Mọi tin về phường"].iloc[0]
    n = next(v for k, v in listed.items() if str(k).startswith("Số tin"))
    assert table["Mọi tin về phường (tin)"].sum() == n > 0  # the chart's sum is the list's count
