"""Chủ đề & địa bàn: trends per topic and per place against the previous period of the same length,
with each place's 2025 unit and the old names it was mentioned by, and an offline map (approximate unit shapes
shipped in dashboard/geo/, no tiles). A click on a topic bar or a unit opens Tin bài filtered to its items.

«Tuần báo cáo» (an ISO week) or the «Chỉ trong địa bàn» switch show the weekly report's own Bảng 4 and Bảng 5
(store.reports.topics_and_places: the report's scope, window and query), and a click on a topic or a unit lists
its items here, since Tin bài has no week filter."""

from __future__ import annotations

import math
from typing import Any, Callable

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
import streamlit as st

from dashboard import data, data_reports, drill, ui
from dashboard.views import _trend
from dashboard.labels import as_list, map_shades_text, topic_label
from reports.settings import WEEKDAYS, change_short, week_title
from vocab.numbers import number

PAGE = {"title": "Chủ đề & địa bàn", "icon": ":material/insights:", "order": 50, "min_role": "viewer"}
WEEK = "Tuần báo cáo"
PERIODS = {"7 ngày": 7, "30 ngày": 30, "90 ngày": 90, WEEK: 7}
ITEMS_SHOWN = 200  # items listed under a chosen topic or unit; the caption gives the total
# what the topic counts count, so staff can reconcile them with the weekly report's Bảng 4 (which says what it counts)
TOPICS_SCOPE = ("Số tin tính mọi tin, bài đã phân loại chủ đề trong kỳ, ở mọi địa bàn (kể cả tin không phản ánh về "
                "địa bàn theo dõi); một tin, bài có thể thuộc nhiều chủ đề. Bảng «Số tin, bài theo chủ đề» của báo cáo "
                "tuần chỉ tính tin, bài phản ánh về địa bàn báo cáo, trong tuần từ thứ Hai đến Chủ nhật, nên thường "
                "nhỏ hơn. Chọn «Tuần báo cáo» (bật «Chỉ trong địa bàn») để xem đúng số liệu của báo cáo tuần.")


# The rolling tables' columns in pixels, each as wide as its header or its longest name, so that both tables fit
# their half of a 1366 px desk (Streamlit stretches them to the rest): sized by their content, the topic table's
# «Tiêu cực kỳ này» and the unit table's old names were cut at the right edge, with no scroll bar until hovered.
COUNT_WIDTHS = {"Kỳ này": 56, "Kỳ trước": 66, "Thay đổi": 68, "Tiêu cực": 64}
NAME_WIDTH = 150  # «Môi trường, tài nguyên», «Phường Quang Hanh»
# The unit table's last column (round 31's walk, ux39; ux40). Headed «Tên cũ được nhắc» in 110 px, its header and its
# names («Phường Quang Trung (TP Uông Bí); …») ran past the table's right edge at 1366 px, cut with no «…». Now
# headed «Tên cũ» (its help says the rest), 124 px (the selection box, 150, the counts' 254 and this: 558 of the
# table's 564 px), in rows of two lines so that a name wraps; a click on a cell still shows them all.
OLD_NAMES = "Tên cũ"
OLD_NAMES_WIDTH = 124
OLD_NAMES_HELP = ("Tên đơn vị hành chính cũ (trước 1/7/2025) được nhắc trong tin, bài của kỳ này, tính vào đơn vị mới "
                  "tương ứng. Bấm vào ô để xem đủ.")


def _fitted(name: str, last: str | None = None) -> dict[str, Any]:
    """The rolling tables' column widths: `name`'s column, the counts, and `last` (the old names) if any."""
    widths = {name: NAME_WIDTH, **COUNT_WIDTHS} | ({last: OLD_NAMES_WIDTH} if last else {})
    return {col: st.column_config.Column(width=w, help=OLD_NAMES_HELP if col == OLD_NAMES else None)
            for col, w in widths.items()}


# On a phone (390 px: 356 px of grid) the place table's six columns were 560 px and scrolled sideways (ux40 left it;
# ux41, round 32), the topic table's five 434. There the name wraps in 130 px and only this period, the change and
# the negatives follow it: 30 + 130 + 56 + 68 + 64 = 348 px. «Kỳ trước» and «Tên cũ» stay in the data, in the grid's
# eye menu, and the caption under the table says so.
PHONE_NAME_WIDTH = 130
PHONE_COUNTS = ["Kỳ này", "Thay đổi", "Tiêu cực"]


def _table_fit(name: str, last: str | None = None, rows: int | None = None) -> dict[str, Any]:
    """The rolling tables' st.dataframe column arguments for this screen: `_fitted` on a desk or a tablet; on a phone
    the name narrower and wrapped, with PHONE_COUNTS only (ui.phone_grid, the one phone fit of the dashboard's grids
    since ux43; given its `rows`, the height of them all)."""
    config = _fitted(name, last)
    if not ui.on_phone():
        return {"column_config": config}
    return ui.phone_grid(config, _phone_widths(name), rows, ui.TWO_LINES_ROW, 900)


def _phone_widths(name: str) -> dict[str, int]:
    return {name: PHONE_NAME_WIDTH, **{c: COUNT_WIDTHS[c] for c in PHONE_COUNTS}}


def _change(now: int, prev: int) -> str:
    """«+25%», «−21%» with the minus sign the reports write (ux44: «-21%» here, «−14,3%» in Bảng 5), «0%», «mới»."""
    if prev == 0:
        return "mới" if now else "—"
    d = round((now - prev) / prev * 100)
    return f"{'+' if d > 0 else '−' if d < 0 else ''}{abs(d)}%"


def render() -> None:
    st.title("Chủ đề & địa bàn")
    ui.keep("t_period", "7 ngày")  # as left before a click opened Tin bài (Streamlit forgets it on another page)
    label = st.segmented_control("Kỳ", list(PERIODS), key="t_period") or "7 ngày"
    week = label == WEEK
    box: Any = st
    period = str(PERIODS[label])
    if week:
        c1, box = st.columns([1.4, 1], vertical_alignment="bottom")  # the week, then the switch: stacked on a phone
        with c1:
            period = _week_picker()
    # on by default for the week (the report's scope), off for the rolling periods (every area, as before)
    area_key = f"t_area_{'week' if week else 'days'}"
    ui.keep(area_key, week)
    in_area = box.toggle("Chỉ trong địa bàn", key=area_key,
                        help="Bật: chỉ tính tin, bài phản ánh về địa bàn theo dõi, như báo cáo tuần. "
                             "Tắt: mọi tin, bài đã phân loại, ở mọi địa bàn.")
    if week or in_area:
        _report_scope(period, week, in_area)
        return
    days = PERIODS[label]
    st.caption(f"Kỳ này: {days} ngày gần nhất; kỳ trước: {days} ngày liền trước đó.")
    _rolling(days)


def _week_picker() -> str:
    """The ISO week, the last one that has ended by default (ui.week_picker, as on Báo cáo)."""
    return ui.week_picker(st, data_reports.weeks(), data_reports.ended_week(), "t_week",
                          help="Tuần từ thứ Hai đến hết Chủ nhật (giờ Việt Nam), như báo cáo tuần. Tuần đang diễn ra "
                               "chỉ tính đến hiện tại và so với cùng khoảng thời gian của tuần trước.")


def _rolling(days: int) -> None:
    """The last `days` days against the `days` before, every tagged item in any area; clicks open Tin bài."""
    tr = data.trends(days)
    topics, places = tr["topics"], tr["places"]

    st.subheader("Theo chủ đề")
    st.caption(TOPICS_SCOPE)
    if not len(topics):
        st.caption("Chưa có tin nào được phân loại chủ đề trong hai kỳ.")
    else:
        left, right = st.columns([1, 1])  # the table's six columns fit half a desk (1.3 : 1 cut the last)
        names = [topic_label(t) for t in topics["topic"]]
        with left:
            ev = st.plotly_chart(_topic_figure(names, topics), width="stretch", key="topic_bars", on_select="rerun",
                                 selection_mode="points")
            _open_topic(ev, list(topics["topic"]), days)
        with right:
            ev = ui.dataframe(pd.DataFrame({
                "Chủ đề": names,
                "Kỳ này": topics["n_now"],
                "Kỳ trước": topics["n_prev"],
                "Thay đổi": [_change(a, b) for a, b in zip(topics["n_now"], topics["n_prev"])],
                "Tiêu cực": topics["neg_now"],
            }), hide_index=True, width="stretch", placeholder="—", key="topic_table", on_select="rerun",
                **({"height": ui.table_height(len(topics), 600)} | _table_fit("Chủ đề", rows=len(topics))),
                selection_mode="single-row")  # every topic, no inner scroll
            if ui.on_phone():
                ui.phone_hidden(["Chủ đề", *COUNT_WIDTHS], _phone_widths("Chủ đề"))
            row = _row(ev, len(topics))
            if row is not None:  # a row: the topic's items this period, as its darker bar
                ui.open_items({"topic": str(topics["topic"].iloc[row]), "period": str(days), **drill.EVERY_ITEM})

    st.subheader("Theo địa bàn (đơn vị hành chính mới từ 1/7/2025 và tên cũ)")
    if not len(places):
        st.caption("Chưa có tin nào nhắc địa danh trong địa bàn theo dõi trong hai kỳ.")
        _trend.render(days, [])
        return
    left, right = st.columns([1.5, 1])
    with left:
        ev = ui.dataframe(pd.DataFrame({
            "Đơn vị mới (2025)": places["name_2025"],
            "Kỳ này": places["n_now"],
            "Kỳ trước": places["n_prev"],
            "Thay đổi": [_change(a, b) for a, b in zip(places["n_now"], places["n_prev"])],
            "Tiêu cực": places["neg_now"],
            OLD_NAMES: ["; ".join(x for x in as_list(o) if x) for o in places["old_names"]],
        }), hide_index=True, width="stretch", placeholder="—", key="place_table", on_select="rerun",
            selection_mode="single-row", **({"row_height": ui.TWO_LINES_ROW}  # old names wrap, not past the edge
                                            | _table_fit("Đơn vị mới (2025)", OLD_NAMES)))
        if ui.on_phone():
            ui.phone_hidden(["Đơn vị mới (2025)", *COUNT_WIDTHS, OLD_NAMES], _phone_widths("Đơn vị mới (2025)"))
        st.caption(f"Tin nhắc tên cũ ({data.area_examples()['old']}…) được tính vào đơn vị mới tương ứng. "
                   "Chọn một dòng (ô bên trái) để xem tin của đơn vị trong kỳ này.")
        row = _row(ev, len(places))
        if row is not None:
            ui.open_items({"unit": str(places["name_2025"].iloc[row]), "period": str(days), **drill.EVERY_ITEM})
    with right:
        _open_unit(_map(places, "place_map", "rerun"), days)
    _trend.render(days, list(data.ward_coordinates()["name_2025"]))


def _topic_figure(names: list[str], topics: pd.DataFrame, now: str = "Kỳ này", prev: str = "Kỳ trước") -> go.Figure:
    """Grouped horizontal bars: the earlier period pale (curve 0), this one dark (curve 1)."""
    fig = go.Figure([  # the hover names the column and the unit; Plotly's own read «(3, Y tế) Tuần trước»
        go.Bar(name=prev, y=names, x=topics["n_prev"], orientation="h", marker_color="#b3c6e0",
               hovertemplate=f"%{{y}}<br>{prev}: %{{x:,d}} tin<extra></extra>"),
        go.Bar(name=now, y=names, x=topics["n_now"], orientation="h", marker_color="#1f5fa8",
               hovertemplate=f"%{{y}}<br>{now}: %{{x:,d}} tin<extra></extra>"),
    ])
    # the legend above the bars: under them it sat on the axis title «Số tin» on a phone
    fig.update_layout(separators=ui.SEPARATORS, barmode="group", height=max(260, 26 * len(names)),
                      margin=dict(l=0, r=0, t=30, b=0), yaxis=dict(autorange="reversed"),
                      xaxis=ui.count_axis(int(max(topics["n_now"].max(), topics["n_prev"].max())), title="Số tin"),
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0))
    return fig


# --- the weekly report's Bảng 4 and 5 ----------------------------------------------------------------------------

UNSORTED = (f"Một tin, bài có thể thuộc nhiều chủ đề; tin chưa có chủ đề nào được tính vào «{topic_label('other')}», "
            "như báo cáo.")


def _scope_caption(what: str, week: bool, in_area: bool, area: str) -> str:
    """What the figures count, in the report's words, so a figure can be checked against the report."""
    where = f"phản ánh về {area}" if in_area else "đã phân loại, ở mọi địa bàn"
    if week and in_area:
        return (f"Số liệu của {what}, đúng như Bảng «Số tin, bài theo chủ đề» và «Số tin, bài theo địa bàn» của báo "
                f"cáo tuần (toàn tỉnh): tin, bài {where}, từ thứ Hai đến hết Chủ nhật (giờ Việt Nam), so với tuần "
                f"trước. {UNSORTED}")
    return (f"Số liệu của {what}: tin, bài {where}, so với kỳ liền trước cùng độ dài. {UNSORTED}"
            + ("" if in_area else " Báo cáo tuần chỉ tính tin, bài phản ánh về địa bàn, nên thường nhỏ hơn."))


def _week_table(first: str, labels: list[str], f: pd.DataFrame, now_l: str, prev_l: str) -> pd.DataFrame:
    """Bảng 4 / Bảng 5 as the report prints them: the label, this period, the previous one, the change, negatives."""
    return pd.DataFrame({
        first: labels,
        now_l: f["n_now"],
        prev_l: f["n_prev"],
        "Tăng/giảm": [change_short(a, b) for a, b in zip(f["n_now"], f["n_prev"])],
        "Trong đó tiêu cực": f["neg_now"],
    })


def _report_scope(period: str, week: bool, in_area: bool) -> None:
    """Topics and 2025 units counted as the weekly report counts them (for the week: its Bảng 4 and 5); a click
    on a topic or a unit, or the box under them, lists the items behind the figure."""
    f = data_reports.topics_and_places(period, in_area)
    topics, places = f["topics"], f["places"]
    what = week_title(period) if week else f"{period} ngày gần nhất"
    now_l, prev_l = ("Tuần này", "Tuần trước") if week else ("Kỳ này", "Kỳ trước")
    s = data_reports.settings()  # once per draw
    st.caption(_scope_caption(what, week, in_area, s.default_area_label))
    where = "phản ánh về địa bàn" if in_area else "đã phân loại"
    if not f["scope_now"] and not f["scope_prev"]:
        ui.empty(f"Không có tin, bài nào {where} trong {what} và {prev_l.lower()}. "
                 + ("Chọn tuần khác, hoặc tắt «Chỉ trong địa bàn» để xem mọi địa bàn." if in_area
                    else "Chọn tuần hoặc kỳ khác."))
        return
    if not f["scope_now"]:
        ui.empty(f"Không có tin, bài nào {where} trong {what}; {prev_l.lower()} có {number(f['scope_prev'])} tin, bài "
                 "(bảng dưới để so sánh).")
    pick_key = f"t_pick|{period}|{int(in_area)}"
    cols = (now_l, prev_l)
    codes = list(topics["topic"])
    units = list(places["place"])

    st.subheader("Theo chủ đề")
    if len(topics):
        names = [topic_label(t) for t in codes]
        st.plotly_chart(_topic_figure(names, topics, now_l, prev_l), width="stretch", key="r_topic_bars",
                        on_select=_picked_bar(pick_key, codes, cols), selection_mode="points")
        ui.dataframe(_week_table("Chủ đề", names, topics, now_l, prev_l), hide_index=True, width="stretch",
                     key="r_topic_table", height=ui.table_height(len(topics), 600), selection_mode="single-row",
                     on_select=_picked_row(pick_key, "r_topic_table", [f"topic:{c}" for c in codes], now_l))

    st.subheader("Theo địa bàn (đơn vị hành chính mới từ 1/7/2025)")
    if not len(places):
        st.caption(f"Không có tin, bài nào nêu tên địa bàn cụ thể trong {what}.")
    else:
        ui.dataframe(_week_table("Đơn vị mới (2025)", units, places, now_l, prev_l), hide_index=True,
                     width="stretch", key="r_place_table",
                     on_select=_picked_row(pick_key, "r_place_table", [f"unit:{u}" for u in units], now_l),
                     selection_mode="single-row")
        st.caption(f"Các địa bàn nhiều tin nhất (tối đa {number(s.top_places)}, như báo cáo "
                   f"tuần); tin nhắc tên cũ ({data.area_examples()['old']}…) được tính vào đơn vị mới tương ứng.")
        _map(places.rename(columns={"place": "name_2025"}), "r_place_map", _picked_unit(pick_key, now_l))
    _items(period, in_area, pick_key, codes, units, cols, _where_words(in_area, s.default_area_label))


def _where_words(in_area: bool, area: str) -> str:
    """Which items the figures count, as the items box says it under the list."""
    return f"tin, bài phản ánh về {area}" if in_area else "tin, bài đã phân loại, ở mọi địa bàn"


def _period_words(period: str, previous: bool) -> str:
    """The period a column counts: «Tuần 47/2026 (16/11–22/11/2026)», or «7 ngày gần nhất» / «7 ngày liền trước đó»."""
    if not period.isdigit():
        cut = data_reports.week_cut(period) if previous else None
        if cut is None:
            return week_title(data_reports.week_before(period) if previous else period)
        # the running week is compared with the same span of the week before: its whole dates alone overstated it
        return (f"{week_title(data_reports.week_before(period))}, đến {WEEKDAYS[cut.weekday()].lower()} {cut:%H:%M} "
                "(cùng khoảng thời gian với tuần đang diễn ra)")
    return f"{period} ngày liền trước đó" if previous else f"{period} ngày gần nhất"


def _items(period: str, in_area: bool, pick_key: str, codes: list[str], units: list[str], cols: tuple[str, str],
           where: str) -> None:
    """The items behind the chosen topic or unit, in the column clicked (this period, or the paler bar's one before
    it), counted as that figure (masked as every page masks feed text)."""
    st.subheader("Tin, bài của một chủ đề hoặc địa bàn")
    options = [f"topic:{c}" for c in codes] + [f"unit:{u}" for u in units]
    if st.session_state.get(pick_key) not in options:
        st.session_state.pop(pick_key, None)
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    pick = c1.selectbox("Xem tin, bài của", options, index=None, key=pick_key, format_func=_pick_label,
                        placeholder="Bấm vào một chủ đề, một địa bàn, hoặc chọn ở đây")
    st.session_state.setdefault(_when_key(pick_key), cols[0])  # no `default=`: a click sets it (Streamlit warns on both)
    col = c2.segmented_control("Cột", list(cols), key=_when_key(pick_key),
                               help="Bấm cột nhạt của biểu đồ để xem tin, bài của kỳ trước.") or cols[0]
    if not pick:
        return
    kind, value = pick.split(":", 1)
    previous = col == cols[1]
    df, total = data_reports.figure_items(period, in_area, value if kind == "topic" else None,
                                          value if kind == "unit" else None, previous, ITEMS_SHOWN)
    when = _period_words(period, previous)
    counted = (f"Cùng cách đếm với cột «{col}» của biểu đồ và bảng trên: {where}"
               + ("; một tin, bài thuộc nhiều chủ đề được tính ở mỗi chủ đề, tin chưa có chủ đề tính vào "
                  f"«{topic_label('other')}»." if kind == "topic" else
                  "; tin nhắc tên cũ được tính vào đơn vị mới tương ứng."))
    if not total:
        st.caption(f"Không có tin, bài nào của «{_pick_label(pick)}» trong {when}. {counted}")
        return
    shown = f" (hiện {number(len(df))} tin mới nhất)" if total > len(df) else ""
    st.caption(f"{number(total)} tin, bài của «{_pick_label(pick)}» trong {when}{shown}. {counted}")
    ui.dataframe(ui.items_view(df), hide_index=True, width="stretch", column_config=ui.ITEM_COLUMNS,
                 key="r_items")


def _when_key(pick_key: str) -> str:
    """The key of the column box beside the items box `pick_key` (this period or the one before it)."""
    return f"{pick_key}|cột"


def _pick_label(pick: str) -> str:
    kind, value = pick.split(":", 1)
    return f"Chủ đề: {topic_label(value)}" if kind == "topic" else f"Địa bàn: {value}"


def _picked_row(pick_key: str, table_key: str, values: list[str], now_l: str) -> Callable[[], None]:
    """A table's row selection chooses the row's topic or unit in the items box, this period's column."""
    def chosen() -> None:
        row = _row(st.session_state.get(table_key), len(values))
        if row is not None:
            st.session_state[pick_key] = values[row]
            st.session_state[_when_key(pick_key)] = now_l
    return chosen


def _picked_bar(pick_key: str, codes: list[str], cols: tuple[str, str]) -> Callable[[], None]:
    """A click on a topic's bar chooses the topic in the items box, and the bar's period: the paler bar (curve 0)
    the one before (it listed this period's items, another number than the bar's)."""
    def chosen() -> None:
        hit = _clicked_topic(st.session_state.get("r_topic_bars"), codes)
        if hit:
            st.session_state[pick_key] = f"topic:{hit[0]}"
            st.session_state[_when_key(pick_key)] = cols[1] if hit[1] else cols[0]
    return chosen


def _picked_unit(pick_key: str, now_l: str) -> Callable[[], None]:
    """A click on a unit of the map (coloured by this period's count) chooses the unit in the items box."""
    def chosen() -> None:
        unit = _clicked_unit(st.session_state.get("r_place_map"))
        if unit:
            st.session_state[pick_key] = f"unit:{unit}"
            st.session_state[_when_key(pick_key)] = now_l
    return chosen


def _clicked_topic(event: object, codes: list[str]) -> tuple[str, bool] | None:
    """The topic of the first clicked bar (its index into `codes`, the bars' order) and whether it was the paler
    bar of the period before (curve 0); None when no bar of a known topic was clicked. Both topic charts read
    their clicks here."""
    for p in drill.points(event):
        idx = p.get("point_index", p.get("point_number"))
        if idx is not None and 0 <= int(idx) < len(codes):
            return codes[int(idx)], p.get("curve_number") == 0
    return None


def _clicked_unit(event: object) -> str | None:
    """The 2025 unit of the first clicked point of the map (its customdata's first field: `_map` puts the unit's
    name there); None when no unit was clicked. Both maps read their clicks here."""
    for p in drill.points(event):
        cd = drill.custom(p)
        if cd and cd[0]:
            return str(cd[0])
    return None


def _row(event: object, n: int) -> int | None:
    """The row chosen in a table with row selection (None when none or out of range)."""
    try:
        rows = list(event.selection.rows)  # type: ignore[attr-defined]
    except AttributeError:
        return None
    return int(rows[0]) if rows and 0 <= int(rows[0]) < n else None


def _open_topic(ev: object, codes: list[str], days: int) -> None:
    """A click on a bar opens Tin bài with that topic and that period (the earlier bar: the period before)."""
    hit = _clicked_topic(ev, codes)
    if hit:
        topic, before = hit
        ui.open_items({"topic": topic, "period": str(days), "prev": "1" if before else "", **drill.EVERY_ITEM})


def _open_unit(ev: object, days: int) -> None:
    """A click on a unit of the map opens Tin bài with the items counted for that 2025 unit."""
    unit = _clicked_unit(ev)
    if unit:
        ui.open_items({"unit": unit, "period": str(days), **drill.EVERY_ITEM})


def _label_spots(m: pd.DataFrame, most: int = 8) -> pd.DataFrame:
    """Units to name on the map: the busiest first, skipping any whose label would sit on one already
    placed (a seventh of the map's height apart, or a third of its width), so names never overlap."""
    dy = 0.15 * float(m["lat"].max() - m["lat"].min() or 1)
    dx = 0.35 * float(m["lon"].max() - m["lon"].min() or 1)
    placed: list[tuple[float, float]] = []
    keep = []
    for idx, r in m[m["n_now"] > 0].sort_values("n_now", ascending=False).iterrows():
        if all(abs(r["lon"] - x) > dx or abs(r["lat"] - y) > dy for x, y in placed):
            placed.append((r["lon"], r["lat"]))
            keep.append(idx)
        if len(keep) >= most:
            break
    return m.loc[keep]


def _outline(geom: dict) -> tuple[list, list]:
    """x and y of every ring of a (Multi)Polygon, rings separated by None, for one filled Scatter trace."""
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    xs: list = []
    ys: list = []
    for poly in polys:
        for ring in poly[:1]:  # outer ring: the approximate cells have no holes
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
    return xs, ys


def _map(places: pd.DataFrame, key: str, on_select: str | Callable[[], None]) -> Any:
    """The offline map of the units, coloured by this period's count; returns the chart's selection event."""
    wards = data.ward_coordinates()
    cells = data.ward_cells()
    if not len(wards):
        st.caption("Không có dữ liệu các đơn vị hành chính để vẽ bản đồ.")
        return None
    m = wards.merge(places[["name_2025", "n_now", "neg_now"]], on="name_2025", how="left").fillna({"n_now": 0,
                                                                                                 "neg_now": 0})
    m["n_now"] = m["n_now"].astype(int)
    m["neg_now"] = m["neg_now"].astype(int)
    fig = go.Figure()
    top = max(int(m["n_now"].max()), 1)
    shades = dict(zip(m["name_2025"], sample_colorscale("Blues", [0.08 + 0.87 * (n / top) ** 0.5 if n else 0.0
                                                                   for n in m["n_now"]])))
    counts = dict(zip(m["name_2025"], zip(m["n_now"], m["neg_now"])))
    for f in (cells or {}).get("features", []):  # plotly's geo traces fetch a world map from a CDN: plain x/y shapes instead
        name = f["id"]
        n, neg = counts.get(name, (0, 0))
        xs, ys = _outline(f["geometry"])
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", line=dict(width=0.6, color="#7a8594"),
                                 fillcolor=shades.get(name, "#f2f4f7") if n else "#f2f4f7", hoveron="fills",
                                 text=f"{name}: {number(n)} tin, {number(neg)} tiêu cực", hoverinfo="text", showlegend=False))
    hit = m[m["n_now"] > 0]
    fig.add_trace(go.Scatter(  # one clickable point per unit with news
        x=hit["lon"], y=hit["lat"], mode="markers", customdata=hit[["name_2025", "n_now", "neg_now"]],
        marker=dict(size=[min(7 + n ** 0.5 * 1.5, 22) for n in hit["n_now"]],
                    color=(hit["neg_now"] / hit["n_now"].clip(lower=1)), colorscale="RdYlGn_r", cmin=0, cmax=1,
                    line=dict(width=1, color="#333"), colorbar=dict(title="Tỷ lệ<br>tiêu cực", thickness=10, tickformat=".0%")),  # «40%», not «0,4»
        hovertemplate="%{customdata[0]}: %{customdata[1]:,} tin, %{customdata[2]:,} tiêu cực"
                      "<br>bấm để xem tin<extra></extra>", showlegend=False,
    ))
    lab = _label_spots(m)
    fig.add_trace(go.Scatter(x=lab["lon"], y=lab["lat"], mode="text", hoverinfo="skip", cliponaxis=False,
                             text=[f"{n} ({number(c)})" for n, c in zip(lab["name_2025"], lab["n_now"])],
                             textposition="top center", textfont=dict(size=10, color="#111"), showlegend=False))
    lat0 = float(m["lat"].mean())
    fig.update_layout(separators=ui.SEPARATORS, height=420, margin=dict(l=0, r=0, t=ui.TITLE_TOP, b=0), showlegend=False, plot_bgcolor="white",
                      title="Màu: số tin kỳ này; vòng tròn: tỷ lệ tiêu cực", hovermode="closest",
                      xaxis=dict(visible=False),
                      yaxis=dict(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(lat0))))
    ev = st.plotly_chart(fig, width="stretch", key=key, on_select=on_select, selection_mode="points")
    st.caption(("Hình các đơn vị là ô gần đúng quanh trung tâm mỗi phường, xã (không phải ranh giới chính thức). "
                + map_shades_text(dict(zip(m["name_2025"], m["n_now"]))) + " "
                if cells else "Chưa có hình các đơn vị của tỉnh này: mỗi đơn vị có tin là một vòng tròn tại trung tâm. ")
               + "Bấm vào vòng tròn của một đơn vị để xem các tin bài của đơn vị đó.")
    return ev
