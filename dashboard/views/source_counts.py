"""Số tin theo nguồn: how many items each source brought in (throwaway example, round 28)."""

from __future__ import annotations

import streamlit as st

from dashboard import data, ui

PAGE = {"title": "Số tin theo nguồn", "icon": ":material/bar_chart:", "order": 62, "min_role": "viewer"}


def render() -> None:
    st.title("Số tin theo nguồn")
    counts = data.source_counts()
    if counts.empty:
        ui.empty("Chưa có tin nào trong cơ sở dữ liệu. Tin về khi máy chủ thu thập các nguồn ở trang Nguồn tin.")
        return
    ui.dataframe(counts.rename(columns={"source": "Nguồn", "n": "Số tin"}), hide_index=True)
