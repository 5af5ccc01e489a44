"""Toy page: the item totals."""

from __future__ import annotations

import streamlit as st

from dashboard import data

PAGE = {"title": "Thử nghiệm", "icon": ":material/science:", "order": 99, "min_role": "viewer"}


def render() -> None:
    st.title("Trang thử nghiệm")
    st.write(data.totals())
