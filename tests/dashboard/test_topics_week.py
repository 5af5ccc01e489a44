"""Chủ đề & địa bàn's «Tuần báo cáo» with «Chỉ trong địa bàn» shows the weekly report's Bảng 4 and Bảng 5 of that
week, figure for figure, on the same database (staff preparing the Monday briefing could not reconcile the page's
7/30/90 days in any area with the report); a topic or a unit lists its items, masked; an empty week says so.

The page reads the real clock, so the seeded week is the last one that has ended by it; the edge items sit just
inside and just outside the week in Vietnam time, where a UTC week or the last 7 days would count differently."""

from __future__ import annotations

from datetime import timedelta

import pytest

from devtools.rows import make_item, sha1, tag_row
from devtools.sample_reports import seed_week
from reports.document import Table
from reports.labels import TOPIC_LABELS
from reports.generate import build_weekly_report
from reports.settings import ReportSettings, last_complete_week, num, week_period, week_title
from dashboard import data as page_data
from store.items import insert_items
from store.tags import save_tags
from tests.dashboard.conftest import Env, no_exception, texts

HEALTH = TOPIC_LABELS["health"]
UONG_BI = {"name": "phường Vàng Danh", "level": "ward_2025", "name_2025": "Phường Vàng Danh", "province": "Quảng Ninh",
           "matched_text": "Vàng Danh", "old_name": None, "in_area": True, "display": "phường Vàng Danh (TP Uông Bí cũ)"}


def _item(at, title: str, topics: list[str], in_area: bool) -> tuple:
    url = f"https://baoquangninh.vn/{sha1(title)}.html"
    it = make_item(url=url, title=title, summary=title, source="baoquangninh-home", outlet="Báo Quảng Ninh",
                   source_type="social", published_at=at, fetched_at=at)
    places = [UONG_BI] if in_area else []
    tag = tag_row(it.id, topics=topics, sentiment="negative", in_area=in_area, places=[p["display"] for p in places],
                  place_details=places, folded=title.lower(), model_version="sample")
    return it, tag


pytestmark = pytest.mark.usefixtures("stopped_dashboard_clock")  # tests/conftest.py


def utcnow():  # type: ignore[no-untyped-def]
    """The clock the page reads (stopped by `stopped_dashboard_clock`)."""
    return page_data.now()


@pytest.fixture
def week_env(tmp_path):
    e = Env(tmp_path, reports={"charts": False, "archive_dir": str(tmp_path / "archive")})
    e.add_users()
    week = last_complete_week(utcnow())
    seed_week(e.db, week, n_items=240, n_stories=3, n_alerts=1)
    w = week_period(week).window
    rows = [  # Vietnam time: Sunday 23:30 of the week is in it; the next Monday 00:30 and an out-of-area item are not
        _item(w.end - timedelta(minutes=30), "Phản ánh @nguoidung4 về nước sinh hoạt đục ở Vàng Danh", ["health"], True),
        _item(w.end + timedelta(minutes=30), "Nước sinh hoạt lại đục sáng thứ Hai ở Vàng Danh", ["health"], True),
        _item(w.start + timedelta(hours=30), "Tin y tế ở tỉnh khác", ["health"], False),
    ]
    with e.db.write() as cur:
        insert_items(cur, [r[0] for r in rows])
        save_tags(cur, [r[1] for r in rows], now=w.start)
    e.week = week
    yield e
    e.close()


def _report_tables(env: Env) -> dict[str, list[list[str]]]:
    """Bảng 4 and Bảng 5 of the whole-province weekly report of env.week, as the report prints their rows."""
    built, _ = build_weekly_report(env.db, ReportSettings.from_config(env.cfg), env.week, "", now=utcnow())
    out = {}
    for b in built.doc.blocks:
        if isinstance(b, Table) and "Số tin, bài theo chủ đề" in b.caption:
            out["topics"] = [r[1:] for r in b.rows]
        elif isinstance(b, Table) and "Số tin, bài theo địa bàn" in b.caption:
            out["places"] = [r[1:] for r in b.rows]
    return out


def _printed(df, label: str) -> list[list[str]]:
    """A page table's rows worded as the report prints them (its numbers with the thousands dot)."""
    return [[r[label], num(r["Tuần này"]), num(r["Tuần trước"]), r["Tăng/giảm"], num(r["Trong đó tiêu cực"])]
            for _, r in df.iterrows()]


def _table(at, first_column: str):
    return next(d.value for d in at.dataframe if first_column in d.value.columns and "Tuần này" in d.value.columns)


def _week_page(env: Env):
    at = env.page("topics", "viewer").run()
    no_exception(at)
    at.segmented_control(key="t_period").set_value("Tuần báo cáo").run()
    no_exception(at)
    return at


def test_the_report_week_in_the_area_shows_the_weekly_reports_bang4_and_bang5(week_env):
    at = _week_page(week_env)
    assert at.selectbox(key="t_week").value == week_env.week  # the last week that has ended
    assert at.selectbox(key="t_week").options[1] == week_title(week_env.week)
    assert at.toggle(key="t_area_week").value is True  # on by default for the week
    report = _report_tables(week_env)
    topics, places = _table(at, "Chủ đề"), _table(at, "Đơn vị mới (2025)")
    assert _printed(topics, "Chủ đề") == report["topics"] and len(topics) > 3
    assert _printed(places, "Đơn vị mới (2025)") == report["places"] and len(places) > 3
    assert "đúng như Bảng «Số tin, bài theo chủ đề»" in texts(at)

    at.toggle(key="t_area_week").set_value(False).run()  # every tagged item: the out-of-area one counts too
    no_exception(at)
    wide = dict(zip(_table(at, "Chủ đề")["Chủ đề"], _table(at, "Chủ đề")["Tuần này"]))
    health = next(r for r in report["topics"] if r[0] == HEALTH)
    assert wide[HEALTH] > int(health[1].replace(".", ""))


def test_a_topic_or_a_unit_lists_its_items_masked(week_env):
    at = _week_page(week_env)
    report = _report_tables(week_env)
    pick = next(s for s in at.selectbox if s.label == "Xem tin, bài của")
    pick.select("topic:health").run()
    no_exception(at)
    health = next(r for r in report["topics"] if r[0] == HEALTH)
    assert f"{health[1]} tin, bài của «Chủ đề: {HEALTH}» trong {week_title(week_env.week)}" in texts(at)
    items = next(d.value for d in at.dataframe if "Tiêu đề" in d.value.columns)
    titles = " ".join(items["Tiêu đề"])
    assert "@n***4" in titles and "@nguoidung4" not in titles  # masked as every page masks feed text
    assert "sáng thứ Hai" not in titles and "tỉnh khác" not in titles  # the next week's, and the out-of-area one

    pick = next(s for s in at.selectbox if s.label == "Xem tin, bài của")
    pick.select("unit:Phường Vàng Danh").run()
    no_exception(at)
    unit = next(r for r in report["places"] if r[0] == "Phường Vàng Danh")
    assert f"{unit[1]} tin, bài của «Địa bàn: Phường Vàng Danh»" in texts(at)


def test_the_paler_bar_lists_the_week_before_with_its_number_and_says_what_is_counted(week_env):
    """A click on the paler «Tuần trước» bar of a topic listed this week's items under that bar's topic: another
    number than the bar's. The click (topics._picked_bar, test_drilldown) picks the topic and the column; the list
    then counts that column, says which week and what is counted."""
    from dashboard import data_reports

    at = _week_page(week_env)
    topics = _table(at, "Chủ đề")
    row = topics.loc[topics["Tuần trước"].idxmax()]
    assert row["Tuần trước"] != row["Tuần này"]
    code = next(c for c, n in TOPIC_LABELS.items() if n == row["Chủ đề"])
    pick = next(s for s in at.selectbox if s.label == "Xem tin, bài của")
    at.session_state[f"{pick.key}|cột"] = "Tuần trước"  # what _picked_bar sets for the paler bar (curve 0)
    pick.select(f"topic:{code}").run()
    no_exception(at)
    before = week_title(data_reports.week_before(week_env.week))
    body = texts(at)
    assert f"{num(row['Tuần trước'])} tin, bài của «Chủ đề: {row['Chủ đề']}» trong {before}" in body
    assert "Cùng cách đếm với cột «Tuần trước» của biểu đồ và bảng trên: tin, bài phản ánh về" in body
    at.segmented_control(key=f"{pick.key}|cột").set_value("Tuần này").run()
    assert f"{num(row['Tuần này'])} tin, bài của «Chủ đề: {row['Chủ đề']}» trong {week_title(week_env.week)}" in texts(at)


def test_a_week_without_items_says_so(week_env):
    at = _week_page(week_env)
    at.selectbox(key="t_week").select(at.selectbox(key="t_week").options[-1]).run()
    no_exception(at)
    assert "Không có tin, bài nào phản ánh về địa bàn trong Tuần" in texts(at)
    assert "tắt «Chỉ trong địa bàn»" in texts(at)


def test_the_rolling_periods_keep_every_area_by_default_and_the_switch_narrows_them(week_env):
    """7/30/90 days open as before (every tagged item, clicks open Tin bài); the switch, off there, counts the area's
    items of those days by the report's query."""
    at = week_env.page("topics", "viewer").run()
    no_exception(at)
    assert at.toggle(key="t_area_days").value is False
    assert "mọi tin, bài đã phân loại chủ đề trong kỳ, ở mọi địa bàn" in texts(at)
    at.segmented_control(key="t_period").set_value("30 ngày").run()
    at.toggle(key="t_area_days").set_value(True).run()
    no_exception(at)
    assert "Số liệu của 30 ngày gần nhất: tin, bài phản ánh về" in texts(at)
    table = next(d.value for d in at.dataframe if "Chủ đề" in d.value.columns)
    assert {"Kỳ này", "Kỳ trước", "Tăng/giảm"} <= set(table.columns)
    month = dict(zip(table["Chủ đề"], table["Kỳ này"]))
    week = _report_tables(week_env)["topics"]  # the week's items are within the 30 days, the next week's few too
    assert all(month[r[0]] >= int(r[1].replace(".", "")) for r in week if r[1] != "0")


def test_both_pages_draw_their_week_box_with_one_picker(env, monkeypatch):
    """Báo cáo and Chủ đề & địa bàn name and offer a week alike because both draw the box with ui.week_picker
    (round 15's review found a copy of Báo cáo's box on Chủ đề): each page's box, by its key, comes from it, with
    the same weeks (the running one first, saying so) and its own default."""
    from dashboard import ui

    drawn: dict[str, tuple[list[str], str]] = {}
    picker = ui.week_picker

    def spy(box, weeks, default, key, help):  # type: ignore[no-untyped-def]
        drawn[key] = (list(weeks), default)
        return picker(box, weeks, default, key, help)

    monkeypatch.setattr(ui, "week_picker", spy)
    topics = env.page("topics", "viewer").run()
    topics.segmented_control(key="t_period").set_value("Tuần báo cáo").run()
    reports = env.page("reports", "viewer").run()
    no_exception(topics)
    no_exception(reports)
    assert set(drawn) == {"t_week", "rep_week"}
    assert drawn["t_week"][0] == drawn["rep_week"][0]
    assert drawn["t_week"][1] == last_complete_week(utcnow())
    first = drawn["t_week"][0][0]
    for at, key in ((topics, "t_week"), (reports, "rep_week")):
        assert at.selectbox(key=key).options[0] == week_title(first) + ui.RUNNING_WEEK


def test_the_report_settings_are_built_once_per_draw(week_env, monkeypatch):
    """data_reports.settings() reads the config and the admin's saved switches; a page draw builds it once and hands
    it down (Báo cáo built it again for the default week and the archive, Chủ đề for each caption). Counted on a
    second run, when the cached reads (which build their own on a miss) answer from the cache."""
    from dashboard import data_reports

    calls: list[int] = []
    build = data_reports.settings
    monkeypatch.setattr(data_reports, "settings", lambda: calls.append(1) or build())
    topics = week_env.page("topics", "analyst").run()
    topics.segmented_control(key="t_period").set_value("Tuần báo cáo").run()
    calls.clear()
    topics.run()
    assert len(calls) == 1 and "Các địa bàn nhiều tin nhất" in texts(topics)
    reports = week_env.page("reports", "analyst").run()
    calls.clear()
    reports.run()
    no_exception(reports)
    assert len(calls) == 1


def test_the_running_weeks_previous_column_says_it_counts_to_the_same_hour():
    """The running week is compared with the same span of the week before (`week_period`): its «Tuần trước» list
    counts the week before only up to this weekday and hour, and said the whole week's dates alone. An ended week's
    says its dates, as its count is the whole week."""
    from dashboard import data_reports
    from dashboard.views.topics import _period_words
    from reports.settings import to_local, week_of

    running, ended = week_of(to_local(utcnow())), last_complete_week(utcnow())
    words = _period_words(running, True)
    assert words.startswith(week_title(data_reports.week_before(running)) + ", đến ")
    assert "cùng khoảng thời gian với tuần đang diễn ra" in words
    assert _period_words(ended, True) == week_title(data_reports.week_before(ended))
    assert _period_words(running, False) == week_title(running)
