"""The dashboard on a phone (round 15): Tin bài's filters folded into an expander whose label says which are on,
tables with the title first (and, on a phone, wrapped and with few columns), Tổng quan's figures compact, and
Streamlit's «Connecting» / «Stop» in Vietnamese. The 390×844 walk in Chromium is tests/browser/test_phone.py."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import ui
from dashboard.views import explorer
from tests.dashboard.conftest import no_exception


def _filters(at):  # type: ignore[no-untyped-def]
    """Tin bài's filter expander (the only one the page draws before an item is picked)."""
    found = [e for e in at.expander if e.label.startswith("Bộ lọc")]
    assert len(found) == 1, [e.label for e in at.expander]
    return found[0]


def test_explorer_opens_its_filters_on_a_desk(demo_env):
    """Round 17: folded for phones, «Bộ lọc» was folded on a 1366×768 desk too, its seven filters one click away;
    AppTest has no User-Agent, as a desk browser has no "Mobi" in it."""
    at = demo_env.page("explorer", "viewer").run()
    no_exception(at)
    box = _filters(at)
    assert box.label == "Bộ lọc" and box.proto.expanded
    assert len(at.dataframe) == 2  # the items, drawn for a desk and for a tablet (round 24)


def test_the_filters_fold_on_a_phone_and_stay_as_the_user_left_them():
    assert explorer.filters_open({}, phone=True) is False
    assert explorer.filters_open({}, phone=False) is True
    assert explorer.filters_open({"x_filters": True}, phone=True) is True  # opened on the phone: stays open
    assert explorer.filters_open({"x_filters": False}, phone=False) is False  # folded on the desk: stays folded


def test_explorer_folds_its_filters_closed_on_a_phone(demo_env, phone):
    at = demo_env.page("explorer", "viewer").run()
    no_exception(at)
    box = _filters(at)
    assert box.label == "Bộ lọc" and not box.proto.expanded
    keys = {w.key for w in box.children.values() if hasattr(w, "key")} | {
        w.key for kind in ("selectbox", "multiselect", "checkbox") for w in getattr(box, kind)}
    assert {"x_period", "x_types", "x_outlets", "x_topics", "x_sent", "x_places", "x_in_area"} <= keys
    assert len(at.dataframe) == 1  # the items are drawn though the filters are folded


def test_the_filter_label_names_the_filters_that_are_on(demo_env):
    at = demo_env.page("explorer", "viewer").run()
    at.multiselect(key="x_topics").set_value(["health"])
    at.multiselect(key="x_sent").set_value(["negative"]).run()
    no_exception(at)
    assert _filters(at).label == "Bộ lọc (2 đang bật: chủ đề, sắc thái)"
    at.selectbox(key="x_period").set_value("30 ngày qua")
    at.checkbox(key="x_in_area").uncheck().run()
    assert _filters(at).label == "Bộ lọc (4 đang bật: 30 ngày qua, chủ đề, sắc thái, cả tin ngoài địa bàn)"
    at.multiselect(key="x_topics").set_value([])
    at.multiselect(key="x_sent").set_value([])
    at.selectbox(key="x_period").set_value("7 ngày qua")
    at.checkbox(key="x_in_area").check().run()
    assert _filters(at).label == "Bộ lọc"


def test_a_drill_down_link_is_named_on_the_folded_filters(demo_env):
    """A chart click opens Tin bài with its filters in the address: the items show, the label says why."""
    at = demo_env.page("explorer", "viewer")
    at.query_params["topic"] = "health"
    at.query_params["period"] = "all"
    at.query_params["all"] = "1"
    at.run()
    no_exception(at)
    assert _filters(at).label == "Bộ lọc (3 đang bật: mọi thời gian, chủ đề, cả tin ngoài địa bàn)"


def test_active_filters_reads_the_session_before_the_widgets():
    assert explorer.active_filters({}) == []
    assert explorer.active_filters({"x_period": "Chọn ngày…", "x_prev": True}) == ["khoảng ngày"]
    assert explorer.active_filters({"x_period": "24 giờ qua", "x_prev": True, "x_places": ["Uông Bí"],
                                    "x_outlets": ["Báo Quảng Ninh"], "x_types": []}) == [
        "24 giờ qua", "kỳ liền trước", "cơ quan, kênh", "địa bàn"]


# --- tables: the title first --------------------------------------------------------------------------------
def test_item_tables_put_the_title_first(demo_env):
    for page in ("explorer", "overview"):
        at = demo_env.page(page, "viewer").run()
        no_exception(at)
        items = next(d for d in at.dataframe if "Nguồn" in d.value.columns)  # Tổng quan's chart table comes first
        assert list(items.value.columns)[0] == "Tiêu đề", page


def test_the_alert_queue_puts_the_issue_first(demo_env):
    from tests.dashboard.test_pages import _raise_open_alerts

    _raise_open_alerts(demo_env.db, 3)
    at = demo_env.page("alerts", "viewer").run()
    no_exception(at)
    assert list(at.dataframe[0].value.columns)[0] == "Vấn đề"


def test_a_phone_is_told_by_its_user_agent():
    iphone = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
              "Version/17.5 Mobile/15E148 Safari/604.1")
    android = ("Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/126.0.0.0 Mobile Safari/537.36")
    tablet = "Mozilla/5.0 (Linux; Android 14; SM-X210) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
    desk = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
    assert ui.is_phone_agent(iphone) and ui.is_phone_agent(android)
    assert not ui.is_phone_agent(tablet) and not ui.is_phone_agent(desk) and not ui.is_phone_agent(None)


@pytest.fixture
def phone(monkeypatch):  # type: ignore[no-untyped-def]
    """Pages drawn as for a phone's browser (AppTest sends no User-Agent)."""
    monkeypatch.setattr(ui, "on_phone", lambda: True)


def test_on_a_phone_item_tables_keep_the_title_wrapped_and_few_columns(demo_env, phone):
    at = demo_env.page("explorer", "viewer").run()
    no_exception(at)
    grid = at.dataframe[0].proto
    assert list(grid.column_order) == ["Tiêu đề", *ui.PHONE_ITEM_COLUMNS]
    assert grid.row_height > 64  # Streamlit wraps cell text only in rows taller than 4rem
    assert f'"width": {ui.PHONE_ITEM_WIDTHS["Tiêu đề"]}' in grid.columns and "Chủ đề" in at.dataframe[0].value.columns


def test_on_a_desk_item_tables_show_every_column(demo_env):
    at = demo_env.page("explorer", "viewer").run()
    grid = at.dataframe[0].proto  # the desk's copy (round 24: in pixels, rows of two lines; its tablet copy after it)
    assert list(grid.column_order) == [] and grid.row_height > 64


def test_on_a_phone_the_alert_queue_keeps_the_issue_and_its_state(demo_env, phone):
    from tests.dashboard.test_pages import _raise_open_alerts

    _raise_open_alerts(demo_env.db, 3)
    at = demo_env.page("alerts", "viewer").run()
    no_exception(at)
    assert list(at.dataframe[0].proto.column_order)[0] == "Vấn đề"
    assert "Mã" not in at.dataframe[0].proto.column_order


def _walk(node, parent=None):  # type: ignore[no-untyped-def]
    """Every node of an AppTest tree in drawing order, with its parent block."""
    yield node, parent
    for child in getattr(node, "children", {}).values():
        yield from _walk(child, node)


def test_overview_figures_wrap_instead_of_stacking(demo_env):
    """Below 640 px Streamlit stacks st.columns one under another: the five figures took 560 px of a 390 px
    phone. In a horizontal container (wrapping) they go two a row there, five on a desk."""
    at = demo_env.page("overview", "viewer").run()
    no_exception(at)
    parents = [p for n, p in _walk(at.main) if getattr(n, "type", "") == "metric"]
    assert len(parents) == 5 and all(p is parents[0] for p in parents)
    box = parents[0].proto.flex_container
    assert box.direction == box.HORIZONTAL and box.wrap


def _order(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [getattr(n, "type", "") + ":" + str(getattr(n, "value", ""))[:20] for n, _ in _walk(at.main)]


def test_on_a_phone_overview_shows_alerts_and_items_before_the_charts(demo_env, phone):
    at = demo_env.page("overview", "viewer").run()
    no_exception(at)
    seen = _order(at)
    alerts = seen.index("subheader:Cảnh báo đang mở")
    chart = next(k for k, x in enumerate(seen) if x.startswith("plotly_chart"))
    assert alerts < seen.index("subheader:Tin mới nhất") < chart


def test_on_a_desk_overview_keeps_the_charts_first(demo_env):
    at = demo_env.page("overview", "viewer").run()
    seen = _order(at)
    chart = next(k for k, x in enumerate(seen) if x.startswith("plotly_chart"))
    assert chart < seen.index("subheader:Cảnh báo đang mở")


def test_streamlits_status_texts_are_in_vietnamese():
    css = ui.BASE_CSS
    assert 'content: "Đang kết nối"' in css and 'content: "Dừng"' in css
    assert "stConnectionStatus" in css and "stStatusWidget" in css


def test_on_a_phone_tables_are_sized_by_one_formula(demo_env, phone, monkeypatch):
    """Tin bài's items and the alert queue size their grid on a phone with ui.table_height, as every table does
    (round 15 computed it twice: a 40 px header in ui.items_table, 38 px on Cảnh báo): the header and every
    wrapped row while they fit, else five rows and a scroll."""
    from tests.dashboard.test_pages import _raise_open_alerts

    asked: list[tuple] = []
    size = ui.table_height
    monkeypatch.setattr(ui, "table_height", lambda *a: asked.append(a) or size(*a))
    _raise_open_alerts(demo_env.db, 3)
    # the items' rows are four lines of their 165 px title since ux43 (ui.PHONE_ITEM_ROW), the queue's three
    for page, row in (("explorer", ui.PHONE_ITEM_ROW), ("alerts", ui.PHONE_ROW_HEIGHT)):
        asked.clear()
        at = demo_env.page(page, "viewer").run()
        no_exception(at)
        assert (len(at.dataframe[0].value), ui.PHONE_TABLE_HEIGHT, row) in asked, page
    assert size(2, ui.PHONE_TABLE_HEIGHT, ui.PHONE_ROW_HEIGHT) == ui.HEADER_HEIGHT + 2 * ui.PHONE_ROW_HEIGHT
    assert size(50, ui.PHONE_TABLE_HEIGHT, ui.PHONE_ROW_HEIGHT) == ui.PHONE_TABLE_HEIGHT


def test_tin_bai_default_period_is_one_setting(demo_env, monkeypatch):
    """The period Tin bài opens on, that a link without `period=` means, that the address bar leaves out and that the
    filters' label does not count is explorer.DEFAULT_PERIOD alone (round 15 also had `index=1` and a "7 ngày qua"
    fallback): moved, all four follow it."""
    monkeypatch.setattr(explorer, "DEFAULT_PERIOD", "30 ngày qua")
    at = demo_env.page("explorer", "viewer").run()
    no_exception(at)
    assert at.selectbox(key="x_period").value == "30 ngày qua"
    assert _filters(at).label == "Bộ lọc" and "period" not in at.query_params
    at.selectbox(key="x_period").set_value("7 ngày qua").run()
    assert at.query_params.get("period") in ("7", ["7"]) and "7 ngày qua" in _filters(at).label
    link = demo_env.page("explorer", "viewer")
    link.query_params["topic"] = "health"
    link.run()
    assert link.selectbox(key="x_period").value == "30 ngày qua"


def test_the_phone_or_desk_table_choice_is_one_helper(demo_env, monkeypatch):
    """Round 17: Cảnh báo's queue mirrored ui.items_table's phone/desk choice in an inline `if`; both ask
    ui.fit_table, which sizes a desk table as the page asks and a phone's by its wrapped rows. Since round 23 Cảnh
    báo's queue on a desk is sized in pixels to fit 1366 px (ui.desk_grid); on a phone it still asks fit_table."""
    from tests.dashboard.test_pages import _raise_open_alerts

    asked: list[str] = []
    fit = ui.fit_table
    monkeypatch.setattr(ui, "fit_table", lambda config, title, *a: asked.append(title) or fit(config, title, *a))
    _raise_open_alerts(demo_env.db, 3)
    for page, title, phone in (("explorer", "Tiêu đề", False), ("alerts", "Vấn đề", True)):
        asked.clear()
        monkeypatch.setattr(ui, "on_phone", lambda phone=phone: phone)
        no_exception(demo_env.page(page, "viewer").run())
        assert asked[:1] == [title], page
    monkeypatch.setattr(ui, "on_phone", lambda: False)
    assert fit(ui.ITEM_COLUMNS, "Tiêu đề", [], 3, None)["height"] == "auto"
    assert fit(ui.ITEM_COLUMNS, "Tiêu đề", [], 3, 140)["height"] == 140
    monkeypatch.setattr(ui, "on_phone", lambda: True)
    assert fit(ui.ITEM_COLUMNS, "Tiêu đề", [], 3, 140)["height"] == ui.HEADER_HEIGHT + 3 * ui.PHONE_ROW_HEIGHT


def _one_row(nodes: list) -> None:  # type: ignore[type-arg]
    """The nodes share one horizontal, wrapping container that starts at the left (not st.columns: their weights
    set Báo cáo's buttons a third of the page apart on a desk and stacked them on a phone)."""
    assert len(nodes) > 1 and all(p is nodes[0] for p in nodes)
    box = nodes[0].proto.flex_container
    assert box.direction == box.HORIZONTAL and box.wrap and box.justify == box.JUSTIFY_START


def test_report_buttons_sit_together_at_the_left_and_wrap(env, tmp_path):
    at = env.page("reports", "analyst").run()
    no_exception(at)
    _one_row([p for n, p in _walk(at.main) if getattr(n, "key", None) in ("rep_save", "rep_go")])
    files = [tmp_path / f"bao-cao{ext}" for ext in (".pdf", ".docx", ".xlsx")]
    for f in files:
        f.write_bytes(b"x")
    script = ("from dashboard.report_buttons import download_buttons\n"
              f"download_buttons({[str(f) for f in files]!r}, key='dl')\n")
    at = AppTest.from_string(script, default_timeout=30).run()
    no_exception(at)
    links = [(n, p) for n, p in _walk(at.main) if getattr(n, "type", "") == "link_button"]
    assert [n.proto.label for n, _ in links] == ["Tải DOCX (Word)", "Tải XLSX (Excel)", "Tải PDF"]
    _one_row([p for _, p in links])


def test_an_alerts_action_buttons_sit_together_at_the_left_and_wrap(demo_env):
    at = demo_env.page("alerts", "analyst").run()
    no_exception(at)
    acts = ("_ack", "_note", "_resolve", "_reopen")
    _one_row([p for n, p in _walk(at.main) if str(getattr(n, "key", "")).endswith(acts)
              and str(getattr(n, "key", "")).startswith("b_")])


def test_on_a_phone_the_briefings_alerts_keep_the_issue_wrapped_and_its_state(demo_env, phone):
    """Round 17's walk at 390 px: Trước giao ban's section I opened on the code, the issue cut after 40 characters and
    the state off the screen; the printed copy keeps its A4 order (code first)."""
    at = demo_env.page("briefing", "viewer").run()
    no_exception(at)
    grid = next(d for d in at.dataframe if "Tình trạng" in d.value.columns)
    # since ux43 the level, state, period raised and priority in «Tình trạng», as on a desk: 350 px (747 before)
    assert list(grid.proto.column_order) == ["Vấn đề", "Tình trạng", "Tổng số tin"] and grid.proto.row_height > 64
    assert list(grid.value.columns)[0] == "Vấn đề"
