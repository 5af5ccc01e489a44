"""Chủ đề & địa bàn: trends per topic and per place against the previous period of the same length,
with each place's 2025 unit and the old names it was mentioned by, and an offline map (approximate unit shapes
shipped in dashboard/geo/, no tiles). A click on a topic bar or a unit opens Tin bài filtered to its items."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
import streamlit as st

from dashboard import data, drill, ui
from dashboard.views import _trend
from dashboard.labels import as_list, topic_label
from vocab.numbers import number

PAGE = {"title": "Chủ đề & địa bàn", "icon": ":material/insights:", "order": 50, "min_role": "viewer"}
PERIODS = {"7 ngày": 7, "30 ngày": 30, "90 ngày": 90}
# what the topic counts count, so staff can reconcile them with the weekly report's Bảng 4 (which says what it counts)
TOPICS_SCOPE = ("Số tin tính mọi tin, bài đã phân loại chủ đề trong kỳ, ở mọi địa bàn (kể cả tin không phản ánh về "
                "địa bàn theo dõi); một tin, bài có thể thuộc nhiều chủ đề. Bảng «Số tin, bài theo chủ đề» của báo cáo "
                "tuần chỉ tính tin, bài phản ánh về địa bàn báo cáo, trong tuần từ thứ Hai đến Chủ nhật, nên thường "
                "nhỏ hơn.")


def _change(now: int, prev: int) -> str:
    if prev == 0:
        return "mới" if now else "—"
    return f"{(now - prev) / prev * 100:+.0f}%"


def render() -> None:
    st.title("Chủ đề & địa bàn")
    c1, c2 = st.columns([1, 3])
    label = c1.segmented_control("So sánh", list(PERIODS), default="7 ngày", key="t_period") or "7 ngày"
    days = PERIODS[label]
    c2.caption(f"Kỳ này: {days} ngày gần nhất; kỳ trước: {days} ngày liền trước đó.")
    tr = data.trends(days)
    topics, places = tr["topics"], tr["places"]

    st.subheader("Theo chủ đề")
    st.caption(TOPICS_SCOPE)
    if not len(topics):
        st.caption("Chưa có tin nào được phân loại chủ đề trong hai kỳ.")
    else:
        left, right = st.columns([1.3, 1])
        names = [topic_label(t) for t in topics["topic"]]
        with left:
            fig = go.Figure([
                go.Bar(name="Kỳ trước", y=names, x=topics["n_prev"], orientation="h", marker_color="#b3c6e0"),
                go.Bar(name="Kỳ này", y=names, x=topics["n_now"], orientation="h", marker_color="#1f5fa8"),
            ])
            fig.update_layout(separators=ui.SEPARATORS, barmode="group", height=max(260, 26 * len(names)), margin=dict(l=0, r=0, t=10, b=0),
                              yaxis=dict(autorange="reversed"),
                              xaxis=ui.count_axis(int(max(topics["n_now"].max(), topics["n_prev"].max())),
                                                  title="Số tin"),
                              legend=dict(orientation="h", yanchor="top", y=-0.12, x=0))
            ev = st.plotly_chart(fig, width="stretch", key="topic_bars", on_select="rerun",
                                 selection_mode="points")
            _open_topic(ev, list(topics["topic"]), days)
        with right:
            ev = ui.dataframe(pd.DataFrame({
                "Chủ đề": names,
                "Kỳ này": topics["n_now"],
                "Kỳ trước": topics["n_prev"],
                "Thay đổi": [_change(a, b) for a, b in zip(topics["n_now"], topics["n_prev"])],
                "Tiêu cực kỳ này": topics["neg_now"],
            }), hide_index=True, width="stretch", placeholder="—", key="topic_table", on_select="rerun",
                selection_mode="single-row")
            row = _row(ev, len(topics))
            if row is not None:  # a row: the topic's items this period, as its darker bar
                ui.open_items({"topic": str(topics["topic"].iloc[row]), "period": str(days), **drill.EVERY_ITEM})

    st.subheader("Theo địa bàn (đơn vị hành chính mới từ 1/7/2025 và tên cũ)")
    if not len(places):
        st.caption("Chưa có tin nào nhắc địa danh trong địa bàn theo dõi trong hai kỳ.")
        _trend.render(days, [])
        return
    left, right = st.columns([1.4, 1])
    with left:
        ev = ui.dataframe(pd.DataFrame({
            "Đơn vị mới (2025)": places["name_2025"],
            "Kỳ này": places["n_now"],
            "Kỳ trước": places["n_prev"],
            "Thay đổi": [_change(a, b) for a, b in zip(places["n_now"], places["n_prev"])],
            "Tiêu cực": places["neg_now"],
            "Tên cũ được nhắc": ["; ".join(x for x in as_list(o) if x) for o in places["old_names"]],
        }), hide_index=True, width="stretch", placeholder="—", key="place_table", on_select="rerun",
            selection_mode="single-row", column_config={"Tên cũ được nhắc": st.column_config.TextColumn(width="large")})
        st.caption("Tin nhắc tên cũ (phường Trưng Vương, TP Uông Bí…) được tính vào đơn vị mới tương ứng. "
                   "Chọn một dòng (ô bên trái) để xem tin của đơn vị trong kỳ này.")
        row = _row(ev, len(places))
        if row is not None:
            ui.open_items({"unit": str(places["name_2025"].iloc[row]), "period": str(days), **drill.EVERY_ITEM})
    with right:
        _map(places, days)
    _trend.render(days, list(data.ward_coordinates()["name_2025"]))


def _row(event: object, n: int) -> int | None:
    """The row chosen in a table with row selection (None when none or out of range)."""
    try:
        rows = list(event.selection.rows)  # type: ignore[attr-defined]
    except AttributeError:
        return None
    return int(rows[0]) if rows and 0 <= int(rows[0]) < n else None


def _open_topic(ev: object, codes: list[str], days: int) -> None:
    """A click on a bar opens Tin bài with that topic and that period (the earlier bar: the period before)."""
    for p in drill.points(ev):
        idx = p.get("point_index", p.get("point_number"))
        if idx is None or not 0 <= int(idx) < len(codes):
            continue
        ui.open_items({"topic": codes[int(idx)], "period": str(days), "prev": "1" if p.get("curve_number") == 0 else "",
                       **drill.EVERY_ITEM})
        return


def _open_unit(ev: object, days: int) -> None:
    """A click on a unit of the map opens Tin bài with the items counted for that 2025 unit."""
    for p in drill.points(ev):
        cd = p.get("customdata")
        name = cd[0] if isinstance(cd, (list, tuple)) and cd else None
        if name:
            ui.open_items({"unit": str(name), "period": str(days), **drill.EVERY_ITEM})
            return


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


def _map(places: pd.DataFrame, days: int) -> None:
    wards = data.ward_coordinates()
    cells = data.ward_cells()
    if not len(wards):
        st.caption("Không có dữ liệu các đơn vị hành chính để vẽ bản đồ.")
        return
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
                    line=dict(width=1, color="#333"), colorbar=dict(title="Tỷ lệ<br>tiêu cực", thickness=10)),
        hovertemplate="%{customdata[0]}: %{customdata[1]:,} tin, %{customdata[2]:,} tiêu cực"
                      "<br>bấm để xem tin<extra></extra>", showlegend=False,
    ))
    lab = _label_spots(m)
    fig.add_trace(go.Scatter(x=lab["lon"], y=lab["lat"], mode="text", hoverinfo="skip", cliponaxis=False,
                             text=[f"{n} ({number(c)})" for n, c in zip(lab["name_2025"], lab["n_now"])],
                             textposition="top center", textfont=dict(size=10, color="#111"), showlegend=False))
    lat0 = float(m["lat"].mean())
    fig.update_layout(separators=ui.SEPARATORS, height=420, margin=dict(l=0, r=0, t=30, b=0), showlegend=False, plot_bgcolor="white",
                      title="Màu: số tin kỳ này; vòng tròn: tỷ lệ tiêu cực", hovermode="closest",
                      xaxis=dict(visible=False),
                      yaxis=dict(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(lat0))))
    ev = st.plotly_chart(fig, width="stretch", key="place_map", on_select="rerun", selection_mode="points")
    st.caption(("Hình các đơn vị là ô gần đúng quanh trung tâm mỗi phường, xã (không phải ranh giới chính thức). "
                if cells else "Chưa có hình các đơn vị của tỉnh này: mỗi đơn vị có tin là một vòng tròn tại trung tâm. ")
               + "Bấm vào vòng tròn của một đơn vị để xem các tin bài của đơn vị đó.")
    _open_unit(ev, days)
