"""Diễn biến: one topic, 2025 unit or search over time against the period before it (last week, last month),
with the negative share beside it, and its share of voice by outlet and by source type. Every bar opens Tin
bài filtered to the items behind it. A panel of Chủ đề & địa bàn (not a page: the leading _ hides it)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import data, drill, ui
from dashboard.labels import SOURCE_TYPES, TOPIC_LABELS
from store.search import QueryError
from vocab.numbers import number

ROW_CAP = 5000  # items read per panel; the caption says when a busier subject reaches it
KINDS = {"Chủ đề": "topic", "Đơn vị (2025)": "unit", "Từ khóa": "q"}


def render(days: int, units: list[str]) -> None:
    st.subheader("Diễn biến và tỷ lệ đưa tin")
    c1, c2 = st.columns([1, 3])
    kind = KINDS[c1.radio("Theo dõi", list(KINDS), horizontal=True, key="tr_kind")]
    if kind == "topic":
        codes = [k for k in TOPIC_LABELS if k != "other"]
        value = c2.selectbox("Chủ đề", codes, format_func=TOPIC_LABELS.get, key="tr_topic", placeholder="Chọn chủ đề")
    elif kind == "unit":
        value = c2.selectbox("Đơn vị", units, key="tr_unit", placeholder="Chọn đơn vị") if units else None
    else:
        value = c2.text_input("Từ khóa (cú pháp như ô tìm của Tin bài)", key="tr_q", placeholder=f'"{data.area_examples()["issue"]}"')
    if not value or not str(value).strip():
        st.caption("Chọn hoặc nhập điều cần theo dõi.")
        return
    df = _rows(kind, str(value), days)
    if df is None:
        return
    _panel(df, kind, str(value), days)


def _rows(kind: str, value: str, days: int) -> pd.DataFrame | None:
    """Items of this period and the one before it (2 × days), newest first, at most ROW_CAP."""
    since = data.now() - timedelta(days=2 * days)
    if kind == "q":
        try:
            df, _total, _exact = data.search_text(value, since, None, (), (), (), (), (), False, "newest", ROW_CAP)
        except QueryError as exc:
            st.warning(f"Không tìm được: {exc}")
            return None
        return df
    topics = (value,) if kind == "topic" else ()
    places = tuple(data.unit_place_names((value,))) if kind == "unit" else ()
    if kind == "unit" and not places:
        return pd.DataFrame(columns=["published_at", "outlet", "source_type", "sentiment"])
    return data.search_text("", since, None, (), (), topics, (), places, False, "newest", ROW_CAP)[0]


def split_periods(df: pd.DataFrame, now: pd.Timestamp, days: int) -> pd.DataFrame:
    """Per day of the period: n and negative count now, and the same day one period earlier (n_prev)."""
    t = pd.to_datetime(df["published_at"])
    start = (now - pd.Timedelta(days=days)).normalize() + pd.Timedelta(days=1)
    idx = pd.date_range(start, now.normalize(), freq="D")
    day = t.dt.tz_localize(None).dt.normalize() if t.dt.tz is not None else t.dt.normalize()
    neg = df["sentiment"].eq("negative").to_numpy()
    cur = pd.Series(1, index=day).groupby(level=0).sum().reindex(idx, fill_value=0)
    negs = pd.Series(neg.astype(int), index=day).groupby(level=0).sum().reindex(idx, fill_value=0)
    prev = pd.Series(1, index=day + pd.Timedelta(days=days)).groupby(level=0).sum().reindex(idx, fill_value=0)
    return pd.DataFrame({"day": idx, "n": cur.to_numpy(), "neg": negs.to_numpy(), "n_prev": prev.to_numpy()})


def daily_table(daily: pd.DataFrame, days: int) -> pd.DataFrame:
    """The Diễn biến chart as a table (its text alternative): a row per day, newest first."""
    d = daily.iloc[::-1]
    share = [f"{neg / n:.0%}" if n else "—" for n, neg in zip(d["n"], d["neg"])]
    return pd.DataFrame({"Ngày": [f"{x:%d/%m/%Y}" for x in d["day"]], "Kỳ này (tin)": d["n"].astype(int).to_numpy(),
                         f"Cùng ngày {days} ngày trước (tin)": d["n_prev"].astype(int).to_numpy(),
                         "Tiêu cực (tin)": d["neg"].astype(int).to_numpy(), "Tỷ lệ tiêu cực": share})


def _panel(df: pd.DataFrame, kind: str, value: str, days: int) -> None:
    now = pd.Timestamp(data.local(data.now())).tz_localize(None)
    daily = split_periods(df, now, days)
    n, n_prev, neg = int(daily["n"].sum()), int(daily["n_prev"].sum()), int(daily["neg"].sum())
    if not n and not n_prev:  # an empty grid (axes 0…1, 0–100 %) read as a chart of nothing
        ui.empty(f"Không có tin nào trong {days} ngày qua và {days} ngày liền trước đó.")
        return
    m = st.columns(4)
    m[0].metric(f"{days} ngày qua", f"{number(n)} tin", delta=f"{n - n_prev:+,d} tin".replace(",", "."),
                delta_color="off", help="Số tin kỳ này; bên dưới: hơn (+) hay kém (−) kỳ liền trước.")
    m[1].metric("Kỳ liền trước", f"{number(n_prev)} tin")
    m[2].metric("Tỷ lệ tiêu cực", f"{neg / n:.0%}" if n else "—")
    if len(df) >= ROW_CAP:
        m[3].caption(f"Đã đọc {ROW_CAP} tin mới nhất; kỳ trước có thể thiếu.")
    base = {kind: value, **drill.EVERY_ITEM}  # the panel reads every item, not only the watched area's
    top = int(max(daily["n"].max(), daily["n_prev"].max())) if len(daily) else 0
    fig = go.Figure([
        go.Bar(name="Cùng ngày kỳ trước", x=daily["day"], y=daily["n_prev"], marker_color="#b3c6e0"),
        go.Bar(name="Kỳ này", x=daily["day"], y=daily["n"], marker_color="#1f5fa8"),
        go.Scatter(name="Tỷ lệ tiêu cực", x=daily["day"], y=(daily["neg"] / daily["n"].where(daily["n"] > 0)),
                   yaxis="y2", mode="lines+markers", line=dict(color="#c0392b"), connectgaps=False),
    ])
    fig.update_layout(separators=ui.SEPARATORS, barmode="group", height=300, margin=dict(l=0, r=0, t=10, b=0), hovermode="x unified",
                      yaxis=ui.count_axis(top, title="Số tin"),
                      xaxis=dict(tickformat="%d/%m"),
                      # its own ticks (0, 25, 50, 75, 100 %), not the count axis's grid in %: «0% 16% 32% … 95%»
                      yaxis2=dict(title="Tiêu cực", overlaying="y", side="right", tickformat=".0%", range=[0, 1],
                                  tickmode="linear", tick0=0, dtick=0.25, showgrid=False),
                      legend=dict(orientation="h", yanchor="top", y=-0.15, x=0))
    ev = st.plotly_chart(fig, width="stretch", key="tr_daily", on_select="rerun", selection_mode="points")
    f = drill.from_points(ev, lambda p: day_filter(p, base, days))
    if f:
        ui.open_items(f)
    ui.chart_data(daily_table(daily, days))
    cur = df[pd.to_datetime(df["published_at"]).dt.tz_localize(None) > now - pd.Timedelta(days=days)] \
        if len(df) else df
    left, right = st.columns(2)
    with left:
        _share(cur["outlet"].value_counts().head(10), "Theo cơ quan, kênh", "outlet", {**base, "period": str(days)},
               "tr_outlet")
    with right:
        by_type = cur["source_type"].value_counts()
        _share(by_type.rename(index=lambda k: SOURCE_TYPES.get(k, k)), "Theo loại nguồn", "type",
               {**base, "period": str(days)}, "tr_type", codes=list(by_type.index))


def _share(counts: pd.Series, title: str, param: str, base: dict, key: str, codes: list | None = None) -> None:
    """Share of voice: a horizontal bar per outlet or source type; a click opens its items."""
    st.markdown(f"**{title}** (kỳ này)")
    if not len(counts):
        st.caption("Không có tin.")
        return
    total = int(counts.sum())
    fig = go.Figure(go.Bar(y=[ui.chart_label(k) for k in counts.index], x=counts.to_numpy(), orientation="h",
                           marker_color="#1f5fa8",
                           text=[f"{v / total:.0%}" for v in counts], **ui.BAR_SHARE_TEXT))
    fig.update_layout(separators=ui.SEPARATORS, height=max(160, 26 * len(counts)), margin=dict(l=0, r=0, t=0, b=0),
                      yaxis=dict(autorange="reversed"), xaxis=ui.count_axis(int(counts.max()), title="Số tin"))
    ev = st.plotly_chart(fig, width="stretch", key=key, on_select="rerun", selection_mode="points")
    ui.chart_data(pd.DataFrame({title.removeprefix("Theo ").capitalize(): [str(k) for k in counts.index],
                                "Số tin": counts.astype(int).to_numpy(),
                                "Tỷ lệ": [f"{v / total:.0%}" for v in counts]}))
    keys = codes or list(counts.index)
    for p in drill.points(ev):
        i = p.get("point_index", p.get("point_number"))
        if i is not None and 0 <= int(i) < len(keys):
            ui.open_items({**base, param: str(keys[int(i)])})


def day_filter(p: dict, base: dict, days: int) -> dict | None:
    """A day of the daily chart: this period's bar (curve 1) that day, the paler bar (curve 0) the same day
    one period earlier, the negative-share point (curve 2) that day's negative items."""
    curve, x = p.get("curve_number"), p.get("x")
    if curve not in (0, 1, 2) or not x:
        return None
    d = pd.Timestamp(str(x)) - (pd.Timedelta(days=days) if curve == 0 else pd.Timedelta(0))
    return {**base, **drill.day(d), **({"sent": "negative"} if curve == 2 else {})}
