"""Theo dõi: watchlists (named queries in the search syntax, narrowed by place, topic and source type),
their hits over time and the newest matching items; analysts create, edit, pause and resume them, every
change audited (dashboard.actions). Matching runs in the ingest path (detection/watch.py); hits raise
ordinary alerts, reviewed on the Cảnh báo page."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import actions, data, drill, gate, ui
from dashboard.labels import PALETTE, watch_help
from dashboard.labels import SOURCE_TYPES, TOPIC_LABELS
from store.search_query import MAX_PHRASE_SYLLABLES, MAX_QUERY_CHARS, MAX_TERM_COUNT
from vocab.alerts import SEVERITIES, SEVERITY_LABELS
from vocab.numbers import number

PAGE = {"title": "Theo dõi", "icon": ":material/visibility:", "order": 35, "min_role": "viewer"}
TOPIC_CODES = [k for k in TOPIC_LABELS if k != "other"]
DAYS = {"7 ngày": 7, "30 ngày": 30, "90 ngày": 90}
SHIPPED = "(mặc định)"  # created_by of the example watchlists the database is created with (migration 080)


def render() -> None:
    st.title("Theo dõi từ khóa")
    ui.flash()
    wls = data.watchlists()
    ui.keep("w_days", list(DAYS)[1])  # kept while another page is open (a click on a bar opens Tin bài)
    period = st.selectbox("Thời gian", list(DAYS), key="w_days", placeholder="Chọn khoảng thời gian")
    counts, totals = data.watch_counts(DAYS[period])
    if not wls:
        ui.empty("Chưa có danh sách theo dõi nào.")
    else:
        ui.dataframe(pd.DataFrame({
            "Tên": [w["name"] for w in wls],
            "Từ khóa": [w["query"] for w in wls],
            "Trạng thái": ["Đang theo dõi" if w["active"] else "Tạm dừng" for w in wls],
            f"Số tin ({period})": [int(totals.get(w["id"], 0)) for w in wls],
            "Cảnh báo khi": [_rule(w) for w in wls],
            "Thu hẹp": [_narrowing(w) for w in wls],
        }), hide_index=True, width="stretch")
        if len(counts):
            ev = st.plotly_chart(_counts_chart(counts), width="stretch", key="watch_counts", on_select="rerun",
                                 selection_mode="points")
            st.caption("Bấm vào một cột để xem các tin khớp danh sách đó trong ngày đó ở trang Tin bài.")
            ui.chart_data(counts_table(counts))
            f = drill.from_points(ev, day_filter)
            if f:
                ui.open_items(f)
        elif any(w["active"] for w in wls):
            st.caption(f"Chưa có tin nào khớp trong {period} qua.")
        else:
            examples = all(w["created_by"] == SHIPPED for w in wls)
            ui.empty(f"Chưa có tin nào khớp trong {period} qua. {paused_text(gate.can('analyst'), examples)}")
        names = {w["id"]: w["name"] for w in wls}
        ui.keep("w_pick", first_with_hits(wls, totals), list(names))  # kept while another page is open
        pick = st.selectbox("Xem tin khớp của", list(names), format_func=names.get, key="w_pick",
                            placeholder="Chọn danh sách")
        hits = data.watch_hits(pick)
        if len(hits):
            ui.dataframe(pd.DataFrame({
                "Lúc đăng": hits["published_at"], "Nguồn": hits["outlet"], "Tiêu đề": hits["title"],
                "Từ khớp": [", ".join(w) for w in hits["words"]],
                "Cảnh báo": hits["alert_id"].fillna("chưa đủ ngưỡng"),
            }), hide_index=True, width="stretch",
                column_config={"Lúc đăng": st.column_config.DatetimeColumn(format=ui.DATE_TIME_FORMAT)})
        else:
            active = next((w["active"] for w in wls if w["id"] == pick), True)
            st.caption("Chưa có tin nào khớp danh sách này." if active else
                       "Danh sách này đang tạm dừng: tin mới không được đối chiếu, nên chưa có tin nào khớp.")
    if gate.can("analyst"):
        _manage(wls)


def paused_text(can_edit: bool, examples: bool) -> str:
    """Every watchlist paused, as a new office finds them (the three examples the database is created with): what
    that means and the next step. It said only «Mọi danh sách đang tạm dừng: tin mới không được đối chiếu.», in grey,
    and a new office did not know the lists were examples waiting to be turned on (round 26)."""
    step = ("Bật một danh sách ở «Quản lý danh sách theo dõi» bên dưới (chọn nó rồi bấm «Tiếp tục theo dõi»), hoặc "
            "thêm danh sách của đơn vị ở thẻ «Thêm danh sách»." if can_edit else
            "Chuyên viên bật danh sách hoặc thêm danh sách của đơn vị ở trang này.")
    which = " (các danh sách có sẵn khi cài đặt là danh sách mẫu)" if examples else ""
    return f"Mọi danh sách đang tạm dừng{which}: tin mới không được đối chiếu. {step}"


def first_with_hits(wls: list[dict], totals: dict) -> int:
    """The watchlist whose hits open first: the one with the most hits in the period, else the first active one
    (it opened on the first in the list, a paused default with nothing, under a chart full of hits)."""
    best = max(wls, key=lambda w: (int(totals.get(w["id"], 0)), bool(w["active"])))
    return int(best["id"])


def _counts_chart(counts: pd.DataFrame) -> go.Figure:
    """Hits per local day, stacked by watchlist; each bar carries [watchlist id, day]."""
    fig = go.Figure()
    for k, (wid, g) in enumerate(counts.groupby("watchlist_id", sort=False)):
        fig.add_trace(go.Bar(x=g["t"], y=g["n"], name=ui.chart_label(g["name"].iloc[0]), marker_color=PALETTE[k % len(PALETTE)],
                             customdata=[[int(wid), drill.day_iso(t)] for t in g["t"]]))
    fig.update_layout(separators=ui.SEPARATORS, height=280, margin=dict(l=0, r=0, t=10, b=0), legend_title_text="", barmode="stack",
                      xaxis=dict(tickformat="%d/%m"),
                      yaxis=ui.count_axis(counts.groupby("t")["n"].sum().max() if len(counts) else 0, title="Số tin"))
    return fig


def counts_table(counts: pd.DataFrame) -> pd.DataFrame:
    """The hits chart as a table (its text alternative): a row per local day with hits, newest first, and a column
    per watchlist."""
    piv = counts.pivot_table(index="t", columns="name", values="n", aggfunc="sum", fill_value=0).sort_index(ascending=False)
    out = pd.DataFrame({"Ngày": [f"{pd.Timestamp(t):%d/%m/%Y}" for t in piv.index]})
    for name in piv.columns:
        out[f"{name} (tin)"] = piv[name].astype(int).to_numpy()
    return out


def day_filter(point: dict) -> dict[str, str] | None:
    """A bar of the hits chart: that watchlist's hits published that local day, every item (a watchlist
    narrows by place itself)."""
    cd = drill.custom(point)
    if len(cd) < 2 or cd[0] is None:
        return None
    return {"watch": str(int(cd[0])), **drill.day(cd[1]), **drill.EVERY_ITEM}


def _rule(w: dict[str, Any]) -> str:
    sev = SEVERITY_LABELS.get(w["severity"], w["severity"])
    if int(w["min_items"]) <= 1:
        return f"có tin đầu tiên (mức {sev})"
    return f"{number(w['min_items'])} tin trong {span(int(w['window_minutes']))} (mức {sev})"


def span(minutes: int) -> str:
    """A watch window as staff say it: «6 giờ», «24 giờ», «90 phút» (the table said «1440 phút»)."""
    return f"{number(minutes // 60)} giờ" if minutes >= 60 and minutes % 60 == 0 else f"{number(minutes)} phút"


def _narrowing(w: dict[str, Any]) -> str:
    parts = [*(w["places"] or []), *(TOPIC_LABELS.get(t, t) for t in (w["topics"] or [])),
             *(SOURCE_TYPES.get(t, t) for t in (w["source_types"] or []))]
    return ", ".join(parts) or "—"


def _manage(wls: list[dict[str, Any]]) -> None:
    st.subheader("Quản lý danh sách theo dõi")
    st.caption(watch_help(data.area_examples()))  # the area's place (ux42: Quảng Ninh's «Vàng Danh» everywhere)
    tab_edit, tab_add = ui.tabs(["Sửa / tạm dừng", "Thêm danh sách"], key="w_tab")
    user = gate.current_user()
    with tab_edit:
        if not wls:
            st.caption("Chưa có danh sách nào.")
        else:
            by_id = {w["id"]: w for w in wls}
            wid = st.selectbox("Danh sách", list(by_id), format_func=lambda i: by_id[i]["name"], key="w_edit_pick",
                               placeholder="Chọn danh sách")
            w = by_id[wid]
            over = actions.query_over_limits(w["query"])
            if over:
                st.warning(f"Từ khóa đã lưu của danh sách này vượt giới hạn tìm kiếm hiện nay: {over} Danh sách "
                           "vẫn chạy, và vẫn lưu được khi chỉ đổi tên, địa bàn, chủ đề, loại nguồn, ngưỡng hay mức "
                           "độ; muốn sửa từ khóa thì phải rút gọn cho đủ giới hạn (tối đa "
                           f"{number(MAX_QUERY_CHARS)} ký tự, {MAX_TERM_COUNT} từ hoặc "
                           f"cụm từ, mỗi cụm {MAX_PHRASE_SYLLABLES} âm tiết).")
            label = "Tạm dừng" if w["active"] else "Tiếp tục theo dõi"
            if st.button(label, key=f"w_toggle_{wid}"):
                # each write's message is drawn under the control clicked, not out of sight at the page's top
                ui.save_and_rerun(lambda: actions.set_watchlist_active(data.db(), user, wid, not w["active"]),
                                  f"Đã {'tạm dừng' if w['active'] else 'bật lại'} «{w['name']}».", data.refresh,
                                  "toggle")
            ui.flash("toggle")
            new = _form(f"w_form_{wid}", w)
            if new is not None:
                ui.save_and_rerun(lambda: actions.save_watchlist(data.db(), user, new, wid), f"Đã lưu «{new['name']}».",
                                  data.refresh, "edit")
            ui.flash("edit")
    with tab_add:
        new = _form("w_form_new", None, "Thêm danh sách")
        if new is not None:
            ui.save_and_rerun(lambda: actions.save_watchlist(data.db(), user, new), f"Đã thêm «{new['name']}».",
                              data.refresh, "add")
        ui.flash("add")


def _form(key: str, w: dict[str, Any] | None, submit: str = "Lưu thay đổi") -> dict[str, Any] | None:
    """The watchlist form; the typed fields once submitted, else None."""
    w = w or {"name": "", "query": "", "places": [], "topics": [], "source_types": [], "min_items": 1,
              "window_minutes": 60, "severity": "medium"}
    places = data.filter_options()["places"]
    with st.form(key, enter_to_submit=False):
        name = st.text_input("Tên", value=w["name"])
        query = st.text_input("Từ khóa", value=w["query"], placeholder=f"Ví dụ: {data.area_examples()['watch']}")
        c = st.columns(3)
        sel_places = c[0].multiselect("Địa bàn", sorted(set(places) | set(w["places"] or [])),
                                      default=list(w["places"] or []), placeholder="Tất cả")
        topics = c[1].multiselect("Chủ đề", TOPIC_CODES, default=[t for t in (w["topics"] or []) if t in TOPIC_CODES],
                                  format_func=TOPIC_LABELS.get, placeholder="Tất cả")
        types = c[2].multiselect("Loại nguồn", list(SOURCE_TYPES), default=list(w["source_types"] or []),
                                 format_func=SOURCE_TYPES.get, placeholder="Tất cả")
        c = st.columns(3)
        min_items = c[0].number_input("Cảnh báo khi có (số tin)", min_value=1, value=int(w["min_items"]), step=1,
                                      help="1: cảnh báo ngay ở tin đầu tiên.")
        window = c[1].number_input("trong vòng (phút)", min_value=1, value=int(w["window_minutes"]), step=30)
        severity = c[2].selectbox("Mức độ", list(SEVERITIES), index=list(SEVERITIES).index(w["severity"]),
                                  format_func=SEVERITY_LABELS.get, placeholder="Chọn mức độ")
        if not st.form_submit_button(submit, type="primary"):
            return None
    return {"name": name, "query": query, "places": sel_places, "topics": topics, "source_types": types,
            "min_items": int(min_items), "window_minutes": int(window), "severity": severity}
