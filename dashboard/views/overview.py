"""Tổng quan (live): today vs the usual level, sentiment share, open alerts, items over time by topic,
newest items. The live panel is a fragment that re-runs every dashboard.refresh_seconds on its own;
the rest of the page is never reloaded."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import data, ui
from dashboard.labels import (
    HEALTH_STATUS, OPEN_STATES, PALETTE, SENTIMENT_COLORS, SEVERITY_DOTS, STATE_LABELS, delta_text, md, number,
    sentiment_label, topic_label,
)

PAGE = {"title": "Tổng quan", "icon": ":material/dashboard:", "order": 10, "min_role": "viewer"}


def render() -> None:
    cfg = data.config()
    st.title("Tổng quan")
    st.caption(
        f"Địa bàn theo dõi: {cfg.area.name}"
        + (f" (trọng điểm: {cfg.area.focus})" if cfg.area.focus else "")
        + f". Số liệu tự cập nhật mỗi {cfg.dashboard.refresh_seconds:g} giây."
    )
    st.fragment(run_every=cfg.dashboard.refresh_seconds)(_live)()


def _live() -> None:
    cfg = data.config()
    t = data.totals()
    if t["items"] == 0:
        ui.empty(
            "Chưa có tin bài nào. Bộ thu thập chạy theo lịch; xem «Tình trạng nguồn tin» bên dưới hoặc trang "
            "Nguồn tin để biết nguồn nào đã chạy và lỗi gì."
        )
    today = data.today_vs_usual(cfg.dashboard.baseline_days)
    open_alerts = data.alerts(OPEN_STATES, 200)

    c = st.columns(5)
    usual = f"so với trung bình cùng khung giờ của {cfg.dashboard.baseline_days} ngày trước"
    # the area first: staff watch their area; the national total stands beside it
    if today["tagged"]:
        c[0].metric("Tin hôm nay", number(today["in_area"]),
                    delta=delta_text(today["in_area"], today["usual_in_area"]), delta_color="off",
                    help=f"Tin về địa bàn theo dõi từ 0 giờ hôm nay, {usual}. Toàn quốc: ô bên cạnh.")
    else:
        c[0].metric("Tin hôm nay", "—", help="Chưa có kết quả phân tích nội dung (NLP) để biết tin nào về địa bàn.")
    c[1].metric("Toàn quốc hôm nay", number(today["items"]),
                delta=delta_text(today["items"], today["usual_items"]), delta_color="off",
                help=f"Mọi tin từ 0 giờ hôm nay, mọi nguồn, {usual}.")
    if today["tagged"]:
        c[2].metric("Tin tiêu cực hôm nay", number(today["negative"]),
                    delta=delta_text(today["negative"], today["usual_negative"]), delta_color="off")
    else:
        c[2].metric("Tin tiêu cực hôm nay", "—", help="Chưa có kết quả phân tích nội dung (NLP) cho các tin gần đây.")
    c[3].metric("Cảnh báo đang mở", number(len(open_alerts)))
    c[4].metric("Tổng số tin", number(t["items"]),
                delta=f"Báo chí {number(t['press'])} · MXH {number(t['social'])}"
                + (f" · CTV trực tiếp {number(t['ctv'])}" if t.get("ctv") else ""), delta_color="off")

    left, right = st.columns([2.2, 1])
    with left:
        over = data.topics_over_time(14)
        if len(over):
            over = over.assign(series=[topic_label(x) for x in over["topic"]])
            title = "Tin theo chủ đề, 14 ngày qua"
        else:
            over = data.items_over_time(14, "day").rename(columns={"outlet": "series"})
            title = "Tin theo ngày và nguồn, 14 ngày qua (chưa phân loại chủ đề)"
        fig = _stacked_bars(over, title)
        st.plotly_chart(fig, width="stretch", key="topics_chart")
    with right:
        share = data.sentiment_share(7)
        if len(share):
            labels = [sentiment_label(s) for s in share["sentiment"]]
            pie = go.Figure(go.Pie(labels=labels, values=share["n"], hole=0.5, sort=False,
                                   marker=dict(colors=[SENTIMENT_COLORS.get(x, "#d5d8dc") for x in labels])))
            pie.update_layout(title="Sắc thái tin, 7 ngày qua", height=300, margin=dict(l=0, r=0, t=40, b=0),
                              legend=dict(orientation="h", y=-0.05))
            st.plotly_chart(pie, width="stretch", key="sentiment_chart")
        else:
            st.markdown("**Sắc thái tin, 7 ngày qua**")
            ui.empty("Chưa có kết quả phân tích sắc thái: bộ phân tích nội dung (NLP) chưa chạy.")

    st.subheader("Cảnh báo đang mở")
    if not len(open_alerts):
        st.caption("Không có cảnh báo nào đang mở.")
    else:
        sev_rank = {"high": 0, "medium": 1, "low": 2}
        top = open_alerts.assign(_r=[sev_rank.get(s, 3) for s in open_alerts["severity"]]) \
            .sort_values(["_r", "raised_at"], ascending=[True, False]).head(6)
        cols = st.columns(2)
        for k, (_, a) in enumerate(top.iterrows()):
            cols[k % 2].markdown(
                f"{SEVERITY_DOTS.get(a['severity'], '')} **{md(a['alert_id'])}** · {md(a['title'], 80)}  \n"
                f":gray[{STATE_LABELS.get(a['status'], a['status'])} · {a['n_items']} tin · "
                f"{a['raised_at']:%d/%m %H:%M}]"
            )
        if len(open_alerts) > len(top):
            st.caption(f"… và {len(open_alerts) - len(top)} cảnh báo khác.")
        ui.page_link("alerts", "Xem hàng đợi cảnh báo")

    st.subheader("Tin mới nhất")
    area_only = st.toggle("Chỉ tin về địa bàn theo dõi", value=True, key="o_latest_area",
                          help="Tắt để xem tin mới nhất của mọi nguồn, cả tin toàn quốc.")
    latest = data.latest_items(cfg.dashboard.latest_items, area_only)
    if len(latest):
        ui.items_table(latest, height=320, extra={"Số nguồn đăng": latest["n_sources"]})
    else:
        st.caption("Chưa có tin về địa bàn theo dõi; tắt «Chỉ tin về địa bàn theo dõi» để xem mọi tin."
                   if area_only else "Chưa có tin.")

    health = data.source_health()
    counts: dict[str, int] = {}
    for h in health:
        counts[h["status"]] = counts.get(h["status"], 0) + 1
    parts = [f"{HEALTH_STATUS.get(k, k)}: {v}" for k, v in sorted(counts.items())]
    last = data.last_collection_at()
    st.caption(
        "Tình trạng nguồn tin: " + (", ".join(parts) if parts else "chưa cấu hình nguồn nào")
        + (f". Lần thu thập gần nhất: {last:%d/%m/%Y %H:%M:%S}" if last else ". Chưa thu thập lần nào")
        + ". Chi tiết ở trang Nguồn tin."
    )


def _stacked_bars(df: pd.DataFrame, title: str) -> go.Figure:
    """Stacked bars of n per bucket and series (graph_objects: several times faster to build than express)."""
    fig = go.Figure()
    if len(df):
        piv = df.pivot_table(index="bucket", columns="series", values="n", aggfunc="sum", fill_value=0)
        order = piv.sum().sort_values(ascending=False).index
        for k, name in enumerate(order):
            fig.add_trace(go.Bar(x=piv.index, y=piv[name], name=str(name), marker_color=PALETTE[k % len(PALETTE)]))
    fig.update_layout(barmode="stack", title=title, height=300, margin=dict(l=0, r=0, t=40, b=0),
                      legend=dict(font=dict(size=10), title_text="", traceorder="normal"),
                      xaxis=dict(tickformat="%d/%m"),
                      yaxis=dict(title="Số tin"))
    return fig
