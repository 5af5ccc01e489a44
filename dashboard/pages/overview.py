"""Tổng quan: live counts, items over time by outlet, newest items, source health."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from dashboard import data
from dashboard.labels import HEALTH_STATUS, safe_link

PAGE = {"title": "Tổng quan", "icon": ":material/dashboard:", "order": 10, "min_role": "viewer"}


def render() -> None:
    cfg = data.config()
    st.title("Tổng quan")
    st.caption(f"Địa bàn theo dõi: {cfg.area.name}. Số liệu tự cập nhật mỗi {cfg.dashboard.refresh_seconds:g} giây.")
    live = st.fragment(run_every=cfg.dashboard.refresh_seconds)(_live)
    live()


def _live() -> None:
    cfg = data.config()
    t = data.totals()
    if t["items"] == 0:
        st.info(
            "Chưa có tin bài nào. Bộ thu thập chạy theo lịch; xem bảng «Tình trạng nguồn tin» bên dưới "
            "để biết nguồn nào đã chạy và lỗi gì."
        )
    c = st.columns(4)
    c[0].metric("Tổng số tin", f"{t['items']:,}".replace(",", "."))
    c[1].metric("24 giờ qua", t["last_24h"])
    c[2].metric("Báo chí / MXH", f"{t['press']} / {t['social']}")
    c[3].metric("Số cơ quan, kênh", t["outlets"])

    over = data.items_over_time(14, "day")
    if len(over):
        fig = px.bar(over, x="bucket", y="n", color="outlet", labels={"bucket": "Ngày", "n": "Số tin", "outlet": "Nguồn"})
        fig.update_layout(height=320, margin=dict(l=0, r=0, t=30, b=0), title="Tin theo ngày và nguồn (14 ngày)")
        st.plotly_chart(fig, use_container_width=True)

    st.subheader("Tin mới nhất")
    latest = data.latest_items(cfg.dashboard.latest_items)
    if len(latest):
        view = pd.DataFrame(
            {
                "Thời gian": latest["published_at"],
                "Nguồn": latest["outlet"],
                "Tiêu đề": latest["title"],
                "Liên kết": [safe_link(u) for u in latest["url"]],
                "Số nguồn đăng": latest["n_sources"],
            }
        )
        st.dataframe(
            view,
            hide_index=True,
            use_container_width=True,
            column_config={
                "Thời gian": st.column_config.DatetimeColumn(format="DD/MM HH:mm"),
                "Liên kết": st.column_config.LinkColumn(display_text="Mở bài gốc"),
            },
        )
    else:
        st.caption("Chưa có tin.")

    st.subheader("Tình trạng nguồn tin")
    health = data.source_health()
    if health:
        hv = pd.DataFrame(
            {
                "Nguồn": [h["source"] for h in health],
                "Cơ quan": [h["outlet"] for h in health],
                "Trạng thái": [HEALTH_STATUS.get(h["status"], h["status"]) for h in health],
                "Lần thành công gần nhất": [h["last_success_at"] for h in health],
                "Lỗi liên tiếp": [h["consecutive_failures"] for h in health],
                "Lỗi gần nhất": [h["last_error"] or "" for h in health],
                "Tin 24 giờ": [h["items_24h"] for h in health],
                "TB tin/ngày (7 ngày)": [h["items_per_day_7d"] for h in health],
            }
        )
        st.dataframe(hv, hide_index=True, use_container_width=True)
    last = data.last_collection_at()
    st.caption(f"Lần thu thập gần nhất (UTC): {last:%d/%m/%Y %H:%M:%S}" if last else "Chưa thu thập lần nào.")
