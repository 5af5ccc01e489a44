"""Chủ đề & địa bàn: trends per topic and per place against the previous period of the same length,
with each place's 2025 unit and the old names it was mentioned by, and an offline map (ward
coordinates only, no map tiles)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import data
from dashboard.labels import as_list, topic_label

PAGE = {"title": "Chủ đề & địa bàn", "icon": ":material/insights:", "order": 50, "min_role": "viewer"}
PERIODS = {"7 ngày": 7, "30 ngày": 30, "90 ngày": 90}


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
            fig.update_layout(barmode="group", height=max(260, 26 * len(names)), margin=dict(l=0, r=0, t=10, b=0),
                              yaxis=dict(autorange="reversed"), xaxis_title="Số tin",
                              legend=dict(orientation="h", yanchor="top", y=-0.12, x=0))
            st.plotly_chart(fig, width="stretch", key="topic_bars")
        with right:
            st.dataframe(pd.DataFrame({
                "Chủ đề": names,
                "Kỳ này": topics["n_now"],
                "Kỳ trước": topics["n_prev"],
                "Thay đổi": [_change(a, b) for a, b in zip(topics["n_now"], topics["n_prev"])],
                "Tiêu cực kỳ này": topics["neg_now"],
            }), hide_index=True, width="stretch", placeholder="—")

    st.subheader("Theo địa bàn (đơn vị hành chính mới từ 1/7/2025 và tên cũ)")
    if not len(places):
        st.caption("Chưa có tin nào nhắc địa danh trong địa bàn theo dõi trong hai kỳ.")
        return
    left, right = st.columns([1.4, 1])
    with left:
        st.dataframe(pd.DataFrame({
            "Đơn vị mới (2025)": places["name_2025"],
            "Kỳ này": places["n_now"],
            "Kỳ trước": places["n_prev"],
            "Thay đổi": [_change(a, b) for a, b in zip(places["n_now"], places["n_prev"])],
            "Tiêu cực": places["neg_now"],
            "Tên cũ được nhắc": ["; ".join(x for x in as_list(o) if x) for o in places["old_names"]],
        }), hide_index=True, width="stretch", placeholder="—",
            column_config={"Tên cũ được nhắc": st.column_config.TextColumn(width="large")})
        st.caption("Tin nhắc tên cũ (phường Trưng Vương, TP Uông Bí…) được tính vào đơn vị mới tương ứng.")
    with right:
        _map(places)


def _map(places: pd.DataFrame) -> None:
    wards = data.ward_coordinates()
    if not len(wards):
        st.caption("Không có tọa độ các đơn vị hành chính để vẽ bản đồ.")
        return
    m = wards.merge(places[["name_2025", "n_now", "neg_now"]], on="name_2025", how="left").fillna({"n_now": 0,
                                                                                                 "neg_now": 0})
    hit = m[m["n_now"] > 0]
    fig = go.Figure(go.Scatter(x=m["lon"], y=m["lat"], mode="markers", text=m["name_2025"], hoverinfo="text",
                               marker=dict(size=6, color="#9aa5b1", opacity=0.35), name="Đơn vị"))
    if len(hit):
        fig.add_trace(go.Scatter(
            x=hit["lon"], y=hit["lat"], mode="markers+text", text=hit["name_2025"], textposition="top center",
            textfont=dict(size=10), name="Có tin",
            marker=dict(size=[min(8 + n ** 0.5 * 2, 30) for n in hit["n_now"]], color=hit["neg_now"] / hit["n_now"],
                        colorscale="RdYlGn_r", cmin=0, cmax=1, line=dict(width=1, color="#333"),
                        colorbar=dict(title="Tỷ lệ<br>tiêu cực", thickness=10)),
            customdata=hit[["n_now", "neg_now"]],
            hovertemplate="%{text}<br>%{customdata[0]} tin, %{customdata[1]} tiêu cực<extra></extra>",
        ))
    fig.update_layout(height=360, margin=dict(l=0, r=0, t=30, b=0), showlegend=False,
                      title="Bản đồ: cỡ vòng tròn = số tin kỳ này",
                      xaxis=dict(visible=False), yaxis=dict(visible=False, scaleanchor="x", scaleratio=1))
    st.plotly_chart(fig, width="stretch", key="place_map")
