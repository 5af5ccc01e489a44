"""Tổng quan (live): today vs the usual level, sentiment share, open alerts, items over time by topic,
newest items. The live panel is a fragment that re-runs every dashboard.refresh_seconds on its own;
the rest of the page is never reloaded. A click on a bar or a slice opens Tin bài on exactly its items
(dashboard/drill.py): the click reruns the fragment, which switches page (a full run, not a fragment one)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import data, data_notify as dn, drill, gate, ui
from orchestration import status
from vocab.labels import SENTIMENT_ORDER
from vocab.numbers import fmt_num
from dashboard.labels import (
    HEALTH_STATUS, OPEN_STATES, PALETTE, SENTIMENT_COLORS, SEVERITY_DOTS, SEVERITY_LABELS, STATE_LABELS, delta_text, md,
    WHOLE_DAYS_ONLY, number, sentiment_label, too_new_text, topic_label, total_since_text,
)

PAGE = {"title": "Tổng quan", "icon": ":material/dashboard:", "order": 10, "min_role": "viewer"}


def render() -> None:
    cfg = data.config()
    st.title("Tổng quan")
    st.fragment(run_every=cfg.dashboard.refresh_seconds)(_live)()


def _live() -> None:
    cfg = data.config()
    at = data.local(data.now())
    collection = data.collection()
    note = ui.collected_note(collection, at)
    st.caption(live_caption(cfg.area.name, cfg.area.focus, cfg.dashboard.refresh_seconds, at)
               + (" " + note if note else ""))
    # a server that stopped collecting, or one whose every source fails: a warning, not a quiet time
    ui.collected_late_warning(collection, at)
    _push_trouble()
    t = data.totals()
    if t["items"] == 0:
        ui.empty(_no_items_text(bool(data.source_health()), gate.can("admin")))
    today = data.today_vs_usual(cfg.dashboard.baseline_days)
    open_alerts = data.alerts(OPEN_STATES, OPEN_ALERTS_SHOWN, "severity")
    counts = data.alert_status_counts()  # the count, not len() of a capped read: a year's office has hundreds open
    n_open = sum(counts.get(s, 0) for s in OPEN_STATES)
    _metrics(t, today, n_open, cfg.dashboard.baseline_days)
    if ui.on_phone():  # a phone is opened on a push or before a briefing: the alerts and items first, charts after
        _alerts_and_latest(open_alerts, n_open, cfg.dashboard.latest_items, t["items"])
        _charts(t["items"])
    else:
        _charts(t["items"])
        _alerts_and_latest(open_alerts, n_open, cfg.dashboard.latest_items, t["items"])
    _health_line()


def live_caption(area: str, focus: str, refresh_seconds: float, at: datetime) -> str:
    """The line under the title, drawn by the live panel at each of its runs: the area, and when the figures were last
    read. It said «Số liệu tự cập nhật mỗi 30 giây» and no time: a screen left open (a wall screen, a desk all
    morning) looked the same whether it refreshed or had stopped (round 27). The page adds when the server last
    collected (`ui.collected_text`, round 28): it was only in the page's last line, below the charts and items."""
    return (f"Địa bàn theo dõi: {area}" + (f" (trọng điểm: {focus})" if focus else "")
            + f". Số liệu tự cập nhật mỗi {fmt_num(refresh_seconds, 1)} giây, lần gần nhất lúc {at:%H:%M:%S} "
              f"ngày {at:%d/%m/%Y}.")


def _charts(n_items: int) -> None:
    left, right = st.columns([2.2, 1])
    with left:
        drawn = _topics_chart()
    with right:
        drawn = _sentiment_chart(n_items) or drawn
    if drawn:  # under two empty panels the hint told staff to click bars that were not there
        st.caption("Bấm vào một cột hoặc một phần của biểu đồ để xem đúng các tin đó ở trang Tin bài.")


def _alerts_and_latest(open_alerts: pd.DataFrame, n_open: int, latest_items: int, n_items: int) -> None:
    st.subheader("Cảnh báo đang mở")
    _open_alerts(open_alerts, n_open)
    st.subheader("Tin mới nhất")
    _latest(latest_items, n_items)


def _push_trouble() -> None:
    """Staff who rely on pushes must see, where they watch, that pushes are not going out."""
    trouble = dn.delivery_trouble()
    if not trouble:
        return
    waiting = sum(t["waiting"] for t in trouble)
    partial = sum(t.get("partial") or 0 for t in trouble)  # given up for some addresses, the others had it (fix32)
    failed = sum(t["failed"] for t in trouble) - partial
    labels = dn.channels()
    chans = ", ".join(dict.fromkeys(labels.get(t["channel"], t["channel"]) for t in trouble))
    since = min(t["since"] for t in trouble)
    st.warning(
        f"Thông báo đẩy đang lỗi ({chans}): "
        + "; ".join(x for x in (f"{waiting} tin chờ gửi lại" if waiting else "",
                                f"{failed} tin đã bỏ" if failed else "",
                                f"{partial} tin chỉ gửi được một phần" if partial else "") if x)
        + f", từ {data.local(since):%H:%M %d/%m}. Cảnh báo vẫn hiện trên trang này và trang Cảnh báo; "
          "chi tiết ở trang Thông báo.", icon=":material/notifications_off:")


def _metrics(t: dict, today: dict, n_open: int, baseline_days: int) -> None:
    """The five figures: the area today, the country today, negative today, open alerts, all items. In a
    horizontal container, not st.columns: below 640 px Streamlit stacks columns one under another (five
    figures took 568 px of a 390 px phone before the first chart); a container's figures wrap, two a row there,
    all five on a desk."""
    row = st.container(horizontal=True)
    held = today["held_days"]  # whole days collected before today, at most baseline_days (store.baseline)
    usual = (f"so với trung bình cùng khung giờ của {held} ngày trước" + (
        f" (mới thu thập được {held} ngày trọn, chưa đủ {baseline_days} ngày)" if held < baseline_days else "")
        if held else "chưa so sánh: chưa thu thập được một ngày trọn")

    def today_figure(label: str, key: str, meaning: str, untagged: str = "") -> None:
        """Today's `key` beside its usual level (`usual_<key>`); with `untagged`, a figure the NLP decides reads «—»
        while today's items wait for it (none today is 0: it read «—» with a word about the NLP)."""
        if untagged and today["items"] and not today["tagged"]:
            row.metric(label, "—", help=untagged)
        else:
            row.metric(label, number(today[key]), delta=delta_text(today[key], today[f"usual_{key}"]),
                       delta_color="off", help=meaning)

    # the area first: staff watch their area; the national total stands beside it
    today_figure("Tin hôm nay", "in_area", f"Tin về địa bàn theo dõi từ 0 giờ hôm nay, {usual}. Toàn quốc: ô bên cạnh.",
                 "Chưa có kết quả phân tích nội dung (NLP) để biết tin nào về địa bàn.")
    today_figure("Toàn quốc hôm nay", "items", f"Mọi tin từ 0 giờ hôm nay, mọi nguồn, {usual}.")
    today_figure("Tin tiêu cực hôm nay", "negative",
                 f"Tin tiêu cực từ 0 giờ hôm nay, mọi nguồn, mọi địa bàn (trong số ở ô Toàn quốc), {usual}.",
                 "Chưa có kết quả phân tích nội dung (NLP) cho các tin gần đây.")
    row.metric("Cảnh báo đang mở", number(n_open))
    since = today["collecting_since"]
    period, meaning = total_since_text(since and data.local(since), data.local(data.now()))
    row.metric("Tổng số tin", number(t["items"]), help=meaning,
               delta=(f"{period}: b" if period else "B") + f"áo chí {number(t['press'])} · MXH {number(t['social'])}"
               + (f" · CTV trực tiếp {number(t['ctv'])}" if t.get("ctv") else ""), delta_color="off",
               delta_arrow="off")  # a split by source type, not a rise: no "↑" before it
    _today_links()
    if not held and today["items"] + t["items"]:  # a first collection's backlog is no usual level: said, not «-100%»
        st.caption(f"So với thường lệ: {too_new_text(data.local(today['collecting_since']))}; {WHOLE_DAYS_ONLY}.")


# The three «hôm nay» figures, each opening Tin bài on its items (its period «Hôm nay»: from 0 giờ today, Vietnam time):
# they led nowhere, and Tin bài had no «today» (round 27's walk). The link's words, then Tin bài's address bar.
TODAY_LINKS = (
    ("Xem tin hôm nay về địa bàn", {"period": "today"}),  # Tin bài opens on the watched area
    ("Xem mọi tin hôm nay", {"period": "today", **drill.EVERY_ITEM}),
    ("Xem tin tiêu cực hôm nay", {"period": "today", "sent": "negative", **drill.EVERY_ITEM}),
)


def _today_links() -> None:
    """A link under the figures to the items of each «hôm nay» figure, in the figures' order."""
    row = st.container(horizontal=True, gap="medium")
    with row:
        for label, params in TODAY_LINKS:
            ui.page_link("explorer", label, params)


def _topics_chart() -> bool:
    """Items per day by topic (by outlet while nothing is classified); a click opens those items. Whether drawn."""
    over = data.topics_over_time(OVER_DAYS)
    if len(over):
        over = over.assign(series=over["topic"])
        title, param = f"Tin theo chủ đề, {OVER_DAYS} ngày qua", "topic"
    else:
        over = data.items_over_time(OVER_DAYS, "day").rename(columns={"outlet": "series"})
        title, param = f"Tin theo ngày và nguồn, {OVER_DAYS} ngày qua (chưa phân loại chủ đề)", "outlet"
    if len(over):
        label = topic_label if param == "topic" else str
        fig = _stacked_bars(over, title, label)
        ev = st.plotly_chart(fig, width="stretch", key="topics_chart", on_select="rerun",
                             selection_mode="points")
        _open(drill.from_points(ev, lambda p: bar_filter(p, param)))
        ui.chart_data(per_day_table(over, label, "Chủ đề" if param == "topic" else "Nguồn"))
        return True
    # not an empty grid whose axis runs from −1 to 5
    st.markdown(f"**Tin theo ngày, {OVER_DAYS} ngày qua**")
    ui.empty(f"Chưa có tin nào trong {OVER_DAYS} ngày qua.")
    return False


def _sentiment_chart(n_items: int) -> bool:
    """The sentiment share of the last SHARE_DAYS days as bars; a click opens those items. Whether drawn."""
    share = data.sentiment_share(SHARE_DAYS)
    if not len(share):
        st.markdown(f"**Sắc thái tin, {SHARE_DAYS} ngày qua**")
        ui.empty("Chưa có tin nào để phân tích sắc thái." if n_items == 0 else
                 "Chưa có kết quả phân tích sắc thái: bộ phân tích nội dung (NLP) chưa chạy.")
        return False
    share = share.assign(_o=[SENTIMENT_ORDER.index(x) if x in SENTIMENT_ORDER else 9
                             for x in share["sentiment"]]).sort_values("_o")
    codes = list(share["sentiment"])
    labels = [sentiment_label(s) for s in codes]
    total = max(int(share["n"].sum()), 1)
    # bars, not a pie: Streamlit reports no selection for a click on a pie slice
    fig = go.Figure(go.Bar(y=labels, x=share["n"], orientation="h", customdata=codes,
                           text=[f"{n / total:.0%}" for n in share["n"]], **ui.BAR_SHARE_TEXT,
                           marker_color=[SENTIMENT_COLORS.get(x, "#d5d8dc") for x in labels]))
    fig.update_layout(separators=ui.SEPARATORS, title=f"Sắc thái tin, {SHARE_DAYS} ngày qua", height=300,
                      margin=dict(l=0, r=0, t=40, b=0), yaxis=dict(autorange="reversed"),
                      xaxis=ui.count_axis(int(share["n"].max()), title="Số tin"))
    ev = st.plotly_chart(fig, width="stretch", key="sentiment_chart", on_select="rerun",
                         selection_mode="points")
    _open(drill.from_points(ev, slice_filter))
    # the bars' figures in words, their text alternative: the bars carry only the share
    st.caption(" · ".join(f"{lab}: {number(int(n))} tin ({n / total:.0%})" for lab, n in zip(labels, share["n"])))
    return True


def _open_alerts(open_alerts: pd.DataFrame, n_open: int) -> None:
    """The six most severe open alerts (read so from the store), newest first within a level, in two columns;
    `n_open` counts them all."""
    if not len(open_alerts):
        st.caption("Không có cảnh báo nào đang mở.")
        return
    sev_rank = {"high": 0, "medium": 1, "low": 2}
    top = open_alerts.assign(_r=[sev_rank.get(s, 3) for s in open_alerts["severity"]]) \
        .sort_values(["_r", "raised_at"], ascending=[True, False]).head(OPEN_ALERTS_SHOWN)
    # a row of two per pair, not two columns of three: a phone stacks columns one under the other, so the second
    # alert came fourth there, and a lower level could come before a higher one
    for start in range(0, len(top), 2):
        pair, cols = top.iloc[start:start + 2], st.columns(2)
        for k, (_, a) in enumerate(pair.iterrows()):
            _alert_line(cols[k], a)
    if n_open > len(top):
        st.caption(f"… và {number(n_open - len(top))} cảnh báo khác.")
    ui.page_link("alerts", "Xem hàng đợi cảnh báo")


def _alert_line(col: Any, a: pd.Series) -> None:
    """One open alert: its level's dot, code and title, then its level in words, state, items and time. The first line
    opens the alert on Cảnh báo (`?alert=…`): staff watching live clicked a title they read here and nothing happened;
    they had to open the queue and find it again in «Mở cảnh báo» (round 31, ux39)."""
    head = f"{SEVERITY_DOTS.get(a['severity'], '')} **{md(a['alert_id'])}** · {md(a['title'], 80)}"
    # the level in words after its coloured dot (colour alone says nothing to a colour-blind reader or on a grey
    # print), and the year: an alert can stay open past New Year
    facts = (f":gray[Mức {SEVERITY_LABELS.get(a['severity'], a['severity']).lower()} · "
             f"{STATE_LABELS.get(a['status'], a['status'])} · {number(a['n_items'])} tin · "
             f"{a['raised_at']:{ui.DATE_TIME_STRFTIME}}]")
    with col, st.container(key=f"{ui.ALERT_LINE}{a['alert_id']}", gap=None):  # drawn as the text was: ui.BASE_CSS
        if ui.page_link("alerts", head, {"alert": str(a["alert_id"])}, icon=None):
            st.markdown(facts)
        else:  # a page without the navigation (tests): the line as text
            st.markdown(f"{head}  \n{facts}")


# «Tin mới nhất» in pixels that fit the 954 px of a 1366 px page with the sidebar open, in rows of two lines: its
# «small» Chủ đề, Nguồn and Địa bàn (75 px) cut «Môi trường, …» to «Môi trường,» and «Nhóm Uông Bí» to «Nhóm Uông»
# (ux21's walk, round 21)
LATEST_WIDTHS = {"Tiêu đề": 215, "Thời gian": 115, "Nguồn": 105, "Chủ đề": 125, "Sắc thái": 80, "Địa bàn": 120,
                 "Số nguồn đăng": 100, "Liên kết": 80}
# on a tablet (a page narrower than the desk's 946 px: ui.desk_or_tablet) six of them in 730 px: «Sắc thái» and «Số nguồn
# đăng» left to Tin bài; it scrolled sideways at 768 px (round 22)
LATEST_TABLET = {"Tiêu đề": 185, "Thời gian": 115, "Nguồn": 105, "Chủ đề": 125, "Địa bàn": 120, "Liên kết": 80}
LATEST_HEIGHT = 420  # px: five rows of two lines and more than a half, then a scroll inside


def _latest(n: int, n_items: int) -> None:
    """The newest items, of the area only unless the toggle is off; `n_items` all items stored."""
    ui.keep("o_latest_area", True)  # kept while another page is open
    area_only = st.toggle("Chỉ tin về địa bàn theo dõi", key="o_latest_area",
                          help="Tắt để xem tin mới nhất của mọi nguồn, cả tin toàn quốc.")
    latest = data.latest_items(n, area_only)
    if len(latest):
        ui.items_table(latest, height=LATEST_HEIGHT, extra={"Số nguồn đăng": latest["n_sources"]}, widths=LATEST_WIDTHS,
                       tablet=LATEST_TABLET)
    else:
        # no item at all: the switch would show nothing more (it said to turn it off)
        st.caption("Chưa có tin về địa bàn theo dõi; tắt «Chỉ tin về địa bàn theo dõi» để xem mọi tin."
                   if area_only and n_items else "Chưa có tin.")


# A new office's first screen (ux41's walk, round 32): with no source configured it said «Bộ thu thập chạy theo lịch;
# xem «Tình trạng nguồn tin» bên dưới…», and the line below read «chưa cấu hình nguồn nào»: nothing would come, and
# nothing said what to do. With no source it now says who adds one, and where.
NO_ITEMS = ("Chưa có tin bài nào. Bộ thu thập chạy theo lịch; xem «Tình trạng nguồn tin» bên dưới hoặc trang "
            "Nguồn tin để biết nguồn nào đã chạy và lỗi gì.")
NO_SOURCE_ADMIN = ("Chưa có tin bài nào vì chưa cấu hình nguồn tin nào. Thêm nguồn ở trang Nguồn tin («Quản lý nguồn "
                   "tin» → «Thêm nguồn»), hoặc nhập tệp xuất từ công cụ khác ở trang Nhập dữ liệu; tin hiện ra sau "
                   "lượt thu thập đầu tiên của nguồn.")
NO_SOURCE = ("Chưa có tin bài nào vì chưa cấu hình nguồn tin nào. Đề nghị quản trị viên thêm nguồn ở trang Nguồn "
             "tin.")


def _no_items_text(has_sources: bool, admin: bool) -> str:
    """What an empty Tổng quan says: wait for the schedule when sources are configured, else who adds one."""
    if has_sources:
        return NO_ITEMS
    return NO_SOURCE_ADMIN if admin else NO_SOURCE


def _health_line() -> None:
    """One line of source health (how many sources in each state) and the last collection time."""
    counts = status.state_counts(data.source_health())
    parts = [f"{HEALTH_STATUS.get(k, k)}: {v}" for k, v in sorted(counts.items())]
    last = data.last_success_at()  # a failed try is no collection (round 29)
    st.caption(
        "Tình trạng nguồn tin: " + (", ".join(parts) if parts else "chưa cấu hình nguồn nào")
        + (f". Lần thu thập thành công gần nhất: {last:%d/%m/%Y %H:%M:%S}" if last
           else ". Chưa thu thập được lần nào" if data.last_collection_at() else ". Chưa thu thập lần nào")
        + ". Chi tiết ở trang Nguồn tin."
    )


OPEN_ALERTS_SHOWN = 6  # the most severe open alerts the panel shows (the metric counts them all)
OVER_DAYS = 14  # local days of the stacked bars, today included
SHARE_DAYS = 7  # the sentiment share: the last 7 × 24 hours (Tin bài's "7 ngày qua")


def bar_filter(point: dict, param: str) -> dict[str, str] | None:
    """A segment of the stacked bars: its topic (or outlet) on its local day, every item."""
    cd = drill.custom(point)
    if len(cd) < 2 or not cd[0]:
        return None
    return {param: str(cd[0]), **drill.day(cd[1]), **drill.EVERY_ITEM}


def slice_filter(point: dict) -> dict[str, str] | None:
    """A bar of the sentiment share: that sentiment over the same 7 days, every item."""
    cd = drill.custom(point)
    if not cd or not cd[0]:
        return None
    return {"sent": str(cd[0]), "period": str(SHARE_DAYS), **drill.EVERY_ITEM}


def _open(filters: dict[str, str] | None) -> None:
    if filters:
        ui.open_items(filters)


def per_day_table(df: pd.DataFrame, label: object, series_name: str) -> pd.DataFrame:
    """The stacked bars as a table: a row per series (most items first), a column per local day, and the total."""
    piv = df.pivot_table(index="series", columns="bucket", values="n", aggfunc="sum", fill_value=0)
    piv = piv.assign(_t=piv.sum(axis=1)).sort_values("_t", ascending=False)
    out = pd.DataFrame({series_name: [str(label(c)) for c in piv.index]})  # type: ignore[operator]
    for day in [c for c in piv.columns if c != "_t"]:
        out[f"{pd.Timestamp(day):%d/%m}"] = piv[day].astype(int).to_numpy()
    out["Cộng"] = piv["_t"].astype(int).to_numpy()
    return out


LEGEND_ROW = 19  # px a legend entry takes at font size 10
PLOT_HEIGHT = 260  # px of bars, axis and title above the legend


def legend_height(series: int) -> int:
    """The chart's height with its legend below: two entries a row, as on a phone's narrow screen (a wider
    screen fits more a row and leaves a little space)."""
    return PLOT_HEIGHT + LEGEND_ROW * ((series + 1) // 2 + 1)


def _stacked_bars(df: pd.DataFrame, title: str, label: object = str) -> go.Figure:
    """Stacked bars of n per local day and series (graph_objects: several times faster to build than
    express); each segment carries [series code, day] for the drill-down."""
    fig = go.Figure()
    if len(df):
        piv = df.pivot_table(index="bucket", columns="series", values="n", aggfunc="sum", fill_value=0)
        order = piv.sum().sort_values(ascending=False).index
        days = [drill.day_iso(d) for d in piv.index]
        for k, code in enumerate(order):
            fig.add_trace(go.Bar(x=piv.index, y=piv[code], name=str(label(code)),  # type: ignore[operator]
                                 customdata=[[str(code), d] for d in days],
                                 marker_color=PALETTE[k % len(PALETTE)]))
    # the legend under the bars, not beside them: on a phone (390 px) a side legend took half the width and
    # squeezed 14 days of bars into 150 px; tall enough for two entries a row (a phone's width), so none is hidden
    fig.update_layout(separators=ui.SEPARATORS, barmode="stack", title=title, height=legend_height(len(fig.data)),
                      margin=dict(l=0, r=0, t=40, b=0),
                      legend=dict(font=dict(size=10), title_text="", traceorder="normal", orientation="h",
                                  yanchor="top", y=-0.12, x=0),
                      xaxis=dict(tickformat="%d/%m"),
                      yaxis=ui.count_axis(float(df.groupby("bucket")["n"].sum().max()) if len(df) else 0,
                                          title="Số tin"))
    return fig
