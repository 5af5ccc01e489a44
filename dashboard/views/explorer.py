"""Tin bài: the item explorer. Filters (time, source type, outlet, topic, sentiment, place, in-area
only) and search (store.search: whole syllables, with or without diacritics, "phrases", OR, -exclusions;
best or newest first). Each item opens its original link; analysts correct topics, sentiment, places or
the in-area flag, stored as human labels that retraining uses."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from vocab.item import COLLAB_URN, IMPORT_URN, OWN_CHANNEL_URNS
from vocab.privacy import mask_author
from dashboard import actions, data, gate, ui
from vocab.numbers import fmt_num, number
from dashboard.labels import (
    SENTIMENT_LABELS, SOURCE_TYPES, TOPIC_LABELS, as_list, md, safe_link, search_help, sentiment_label, topics_text,
)
from store.search import QueryError
from store.search_query import MAX_QUERY_CHARS
from orchestration.status import Collection

PAGE = {"title": "Tin bài", "icon": ":material/search:", "order": 40, "min_role": "viewer"}

# «Hôm nay» (0): from 0 giờ today, Vietnam time, what Tổng quan's «… hôm nay» figures count and open (round 27; «24 giờ
# qua» is another count, and staff had to pick «Chọn ngày…» with today on both ends)
TODAY = 0
PERIODS = {"Hôm nay": TODAY, "24 giờ qua": 1, "7 ngày qua": 7, "30 ngày qua": 30, "90 ngày qua": 90, "Tất cả": None,
           "Chọn ngày…": -1}
NO_PREVIOUS = (None, -1, TODAY)  # periods without «Lùi về kỳ liền trước»
# the period the page opens on, a link without `period=` names, and the filters' label does not count as a filter
DEFAULT_PERIOD = "7 ngày qua"
TOPIC_CODES = [k for k in TOPIC_LABELS if k != "other"]
SENTIMENT_CODES = [k for k in SENTIMENT_LABELS if k != "unknown"]
# the filters also offer the charts' "Chưa phân loại" / "Chưa rõ" buckets (tagged, but no topic / sentiment);
# a correction never sets them
FILTER_TOPICS = [*TOPIC_CODES, "other"]
FILTER_SENTIMENTS = [*SENTIMENT_CODES, "unknown"]
ORDERS = {"Phù hợp nhất": "relevance", "Mới nhất": "newest"}


def no_link_note(source_type: str, url: str | None) -> str:
    """Why an item has no link to open: a report heard in person or a file row simply has none; only a
    stored link that is not http(s) "cannot be opened"."""
    if source_type == "ctv":
        return "Tin không có liên kết: cộng tác viên nghe, thấy trực tiếp (CTV / trực tiếp)."
    if str(url or "").startswith((COLLAB_URN, IMPORT_URN)):
        return "Tin không có liên kết: báo cáo CTV hoặc dòng nhập từ tệp không kèm đường dẫn."
    if str(url or "").startswith(OWN_CHANNEL_URNS):  # it said «không phải http(s)», a fault, until round 21
        return ("Tin không có liên kết: tin nhắn, thư gửi riêng cho cơ quan (Zalo OA, Messenger, hộp thư), không có "
                "trang công khai để mở; xem và trả lời ở trang Phản ánh.")
    return "Liên kết gốc không phải http(s), không mở được."


def render() -> None:
    st.title("Tin bài")
    ui.flash()
    cfg = data.config()
    opts = data.filter_options()
    _apply_query_params()
    _keep_filters()

    qcol = st.columns([4, 1])
    query = qcol[0].text_input("Tìm trong tiêu đề, tóm tắt và toàn văn (có dấu hoặc không dấu)", key="x_query",
                               placeholder=_search_example(), help=_search_help())
    order = _order(qcol[1], query)
    # folded on a phone, so the items come first (on a 390 px phone the seven filters took two screens above
    # them); open on a desk or a tablet, where they fit above the list (ui.on_phone: the browser's User-Agent,
    # as the tables decide). The label says which are on. Its open state is kept by key: a label that changes (a
    # filter picked inside) makes Streamlit's frontend reset an expander to the `expanded` it is given, so it is
    # given the state it has
    with st.expander(filter_label(active_filters(st.session_state)), key="x_filters", on_change="rerun",
                     expanded=filters_open(st.session_state, ui.on_phone()), icon=":material/filter_list:"):
        r1 = st.columns([1.1, 1, 1.6, 1.6])
        period = r1[0].selectbox("Thời gian", list(PERIODS), key="x_period", placeholder="Chọn khoảng thời gian")
        since, until = _window(r1[0], period)
        types, outlets, topics, sentiments, places, in_area = _filters(r1, opts)
    alert, watch = _scope()

    _write_query_params(query, period, types, outlets, topics, sentiments, places)
    filters = (tuple(types), tuple(outlets), tuple(topics), tuple(sentiments), tuple(places), bool(in_area))
    _results(query, order, since, until, filters, alert, watch, cfg.dashboard.explorer_limit, opts["places"])


ORDER_IDLE_HELP = ("Không tìm từ nào thì danh sách luôn xếp tin mới nhất trước. «Phù hợp nhất» (tin khớp nhiều nhất "
                   "lên đầu) chỉ có nghĩa khi tìm: gõ từ cần tìm vào ô bên cạnh để chọn.")


def _order(col: Any, query: str) -> str:
    """How the list is sorted. Without a query only newest first means anything (relevance ranks matches): the box
    says «Mới nhất», greyed out, and its help why; it was greyed out on «Phù hợp nhất», unexplained (round 26).
    Staff's pick for a search is held under ORDER_PICK meanwhile: the runs that do not draw the box lose its state
    (and `ui.keep` then saw the default)."""
    if not query.strip():
        col.selectbox("Sắp xếp", ["Mới nhất"], key="x_order_idle", disabled=True, help=ORDER_IDLE_HELP,
                      placeholder="Chọn cách sắp xếp")
        return ORDERS["Mới nhất"]
    if st.session_state.get(ORDER_PICK) in ORDERS:
        st.session_state["x_order"] = st.session_state[ORDER_PICK]
    return ORDERS[col.selectbox("Sắp xếp", list(ORDERS), key="x_order", placeholder="Chọn cách sắp xếp",
                                on_change=_hold_order,
                                help="«Phù hợp nhất»: tin khớp nhiều nhất lên đầu; «Mới nhất»: theo giờ đăng.")]


ORDER_PICK = "_x_order_pick"  # the sort staff picked for a search, held while no search draws the box


def _hold_order() -> None:
    st.session_state[ORDER_PICK] = st.session_state.get("x_order")


# what staff set on the page, by session key, with the value the page opens on and (where fixed) the choices;
# kept while another page is open (`_keep_filters`, which adds the period: DEFAULT_PERIOD read when drawn)
KEPT_FILTERS: dict[str, tuple[Any, list[Any] | None]] = {
    "x_query": ("", None), "x_order": (next(iter(ORDERS)), list(ORDERS)),
    "x_prev": (False, None), "x_types": ([], list(SOURCE_TYPES)), "x_outlets": ([], None),
    "x_topics": ([], FILTER_TOPICS), "x_sent": ([], FILTER_SENTIMENTS), "x_places": ([], None),
    "x_in_area": (True, None),  # the page opens on the watched area
    "x_hour_on": (False, None), "x_alert_on": (False, None), "x_watch_on": (False, None),
}


def _keep_filters() -> None:
    """The search, the order and the filters as staff left them when they come back from another page, whose run
    deleted the widgets' state (a click on a Chủ đề bar, then Cảnh báo, then Tin bài in the menu showed the last 7
    days of the area again); the date range is kept where it is drawn (`_window`)."""
    ui.keep("x_period", DEFAULT_PERIOD, list(PERIODS))
    for key, (default, options) in KEPT_FILTERS.items():
        ui.keep(key, default, options)


# the filters the expander holds, by their session key, as its label names them when they are on
FILTER_NAMES = {"x_types": "loại nguồn", "x_outlets": "cơ quan, kênh", "x_topics": "chủ đề", "x_sent": "sắc thái",
                "x_places": "địa bàn"}


def active_filters(state: Any) -> list[str]:
    """What the filters change from the page's opening view (the last 7 days, the watched area, every source,
    topic, sentiment and place), named for the expander's label; read from the session state, so the label is
    right before the widgets are drawn."""
    period = state.get("x_period", DEFAULT_PERIOD)
    on = []
    if period != DEFAULT_PERIOD:
        on.append({"Tất cả": "mọi thời gian", "Chọn ngày…": "khoảng ngày", "Hôm nay": "hôm nay"}.get(period, period))
    if state.get("x_prev") and PERIODS.get(period) not in NO_PREVIOUS:
        on.append("kỳ liền trước")
    on += [name for key, name in FILTER_NAMES.items() if state.get(key)]
    if not state.get("x_in_area", True):
        on.append("cả tin ngoài địa bàn")
    return on


def no_match_text(query: str, on: list[str], period: str) -> str:
    """An empty list says what it searched and what to try: it said only «Không có tin nào khớp bộ lọc.»
    (round 21 walk), whether a word, a filter or the last 7 days had emptied it."""
    tries = []
    if on and on != ["mọi thời gian"]:
        tries.append(f"bỏ bớt bộ lọc đang bật ({', '.join(on)}) ở «Bộ lọc»")
    if period != "Tất cả":
        tries.append("chọn «Thời gian» dài hơn")
    if query.strip():
        tries.append("bớt từ, gõ không dấu để khớp mọi cách viết, hoặc dùng OR giữa các cách gọi khác nhau")
    head = f"Không có tin nào khớp «{md(query, 80)}»" if query.strip() else "Không có tin nào khớp bộ lọc"
    return head + (f". Thử: {'; '.join(tries)}." if tries else ".")


def filters_open(state: Any, phone: bool) -> bool:
    """Whether «Bộ lọc» is drawn open: as the user left it, else open on a desk and folded on a phone."""
    return bool(state.get("x_filters", not phone))


def filter_label(on: list[str]) -> str:
    """«Bộ lọc», or «Bộ lọc (2 đang bật: chủ đề, địa bàn)»: a folded expander still tells what the list shows."""
    return f"Bộ lọc ({len(on)} đang bật: {', '.join(on)})" if on else "Bộ lọc"


def _window(col: Any, period: str) -> tuple[datetime | None, datetime | None]:
    """(since, until) in UTC of the period picked: a day range, the last N days (or the N days before
    them), or one hour of a chart opened from elsewhere; None for no bound."""
    since = until = None
    if PERIODS[period] == -1:
        today = data.local(data.now()).date()
        ui.keep("x_range", (today - timedelta(days=7), today))  # the last 7 days unless staff chose others
        rng = col.date_input("Khoảng ngày", format="DD/MM/YYYY", key="x_range")
        if isinstance(rng, (list, tuple)) and len(rng) == 2:
            since = data.utc_from_local(datetime.combine(rng[0], time.min))
            until = data.utc_from_local(datetime.combine(rng[1], time.min) + timedelta(days=1))
    elif PERIODS[period] == TODAY:  # 0 giờ today to 0 giờ tomorrow (Vietnam), as Tổng quan counts «hôm nay»
        since = data.local_day_start()
        until = since + timedelta(days=1)
    elif PERIODS[period]:
        since = data.now() - timedelta(days=PERIODS[period])
        if col.checkbox("Lùi về kỳ liền trước", key="x_prev",
                        help="Xem cùng độ dài thời gian ngay trước đó (tuần trước, tháng trước) để so sánh."):
            since, until = since - timedelta(days=PERIODS[period]), since
    hour = _hour_window(col, period)
    if hour is not None:  # one hour of a chart (the alert's timeline): narrower than the day picked
        since, until = hour
    return since, until


def _filters(r1: list[Any], opts: dict[str, Any]) -> tuple[list, list, list, list, list, bool]:
    """The source type, outlet, topic, sentiment, place and in-area filters, in their two rows."""
    types = r1[1].multiselect("Loại nguồn", list(SOURCE_TYPES), format_func=SOURCE_TYPES.get, key="x_types",
                              placeholder="Tất cả")
    outlets = r1[2].multiselect("Cơ quan, kênh", _with_chosen(opts["outlets"], "x_outlets"), key="x_outlets",
                                placeholder="Tất cả")
    topics = r1[3].multiselect("Chủ đề", FILTER_TOPICS, format_func=TOPIC_LABELS.get, key="x_topics",
                               placeholder="Tất cả")
    r2 = st.columns([1.1, 2.6, 1.6])
    sentiments = r2[0].multiselect("Sắc thái", FILTER_SENTIMENTS, format_func=SENTIMENT_LABELS.get, key="x_sent",
                                   placeholder="Tất cả")
    places = r2[1].multiselect("Địa bàn (tên cũ và mới)", _with_chosen(opts["places"], "x_places"), key="x_places",
                               placeholder="Tất cả")
    in_area = r2[2].checkbox("Chỉ tin về địa bàn theo dõi", key="x_in_area",
                             help="Trang mở trên tin về địa bàn; bỏ chọn để xem mọi tin, cả tin toàn quốc.")
    return types, outlets, topics, sentiments, places, in_area


def _results(query: str, order: str, since: datetime | None, until: datetime | None, filters: tuple,
             alert: str | None, watch: int | None, limit: int, places: list[str]) -> None:
    """The matching items (or why the query could not run), and the detail of the one picked."""
    # the list's arguments, written once: the new-items check below searches with exactly these (the review's find)
    args = (query, since, until, *filters, order if query.strip() else "newest", limit, alert, watch)
    try:  # one search function for every list: an empty query lists the newest items
        df, total, exact = data.search_text(*args)
    except QueryError as exc:
        st.warning(f"Không tìm được: {exc}")
        with st.expander("Cách tìm"):
            st.markdown(_search_help())
        return
    shown = "phù hợp nhất" if order == "relevance" and query.strip() else "mới nhất"
    st.caption(f"{number(total)}{'' if exact else '+'} tin" + (" khớp" if query.strip() else "")
               + (f" (hiện {number(limit)} tin {shown}; thu hẹp bộ lọc để xem thêm)" if total > len(df) else ""))
    st.fragment(run_every=data.config().dashboard.refresh_seconds)(_new_items)(args, tuple(df["id"]), total,
                                                                               data.local(data.now()))
    if not len(df):
        # a new office is told where items come from (it read only «none in the database»)
        ui.empty(no_match_text(query, active_filters(st.session_state), st.session_state.get("x_period", DEFAULT_PERIOD))
                 if data.totals()["items"] else
                 "Chưa có tin bài nào trong cơ sở dữ liệu. Tin về khi máy chủ thu thập các nguồn ở trang Nguồn tin "
                 "(theo chu kỳ của từng nguồn), hoặc khi nhập tệp xuất từ công cụ khác ở trang Nhập dữ liệu.")
        ui.flash("fix")  # a correction that took the last listed item out of the filters: said here, or never
        return
    ui.items_table(df, height=ITEMS_HEIGHT, key="x_table", widths=ITEMS_WIDTHS, tablet=ITEMS_TABLET,
                   extra={"Đã sửa nhãn": ["✓" if c else "" for c in df["corrected"]]})
    titles = dict(zip(df["id"], df["title"]))
    ui.keep("x_item", df["id"].iloc[0], list(df["id"]))  # kept while another page is open, while still listed
    item_id = st.selectbox("Xem chi tiết tin", list(df["id"]), key="x_item",
                           format_func=lambda i: " ".join(str(titles.get(i, "")).split())[:140], placeholder="Chọn tin")
    if item_id:
        _detail(item_id, places)


def _new_items(args: tuple, shown: tuple[str, ...], total: int, read_at: datetime) -> None:
    """Above the list, re-run on its own every dashboard.refresh_seconds (a fragment: the list, its scroll, the filters
    and a search being typed are left alone): when the list was read, when the server last collected, and the items
    that match the same search and filters since, with a button that reads the list again. Tin bài left open all day
    showed the items of the moment it was read, with no time and no sign that more had come (round 28, ux32)."""
    try:
        now_df, now_total, _exact = data.search_text(*args)
    except QueryError:
        return
    n = new_count(shown, total, list(now_df["id"]), now_total)
    checked_at, collection = data.local(data.now()), data.collection()
    st.caption(list_read_text(read_at, checked_at, data.config().dashboard.refresh_seconds, collection))
    # a server that stopped collecting, or one whose every source fails: said as a warning
    ui.collected_late_warning(collection, checked_at)
    if n and st.button(new_items_label(n), key="x_new_items", icon=":material/refresh:", type="primary",
                       help="Đọc lại danh sách; tìm kiếm và bộ lọc giữ nguyên."):
        st.rerun()


def new_items_label(n: int) -> str:
    return f"Có {number(n)} tin mới khớp tìm kiếm và bộ lọc: hiện lên danh sách"


def new_count(shown: Sequence[str], total: int, now_ids: Sequence[str], now_total: int) -> int:
    """Items matching now that the list did not show: more in all than it counted, or listed now and not then (a list
    cut at explorer_limit counts those that came in past its newest too)."""
    return max(now_total - total, len(set(now_ids) - set(shown)), 0)


def list_read_text(read_at: datetime, checked_at: datetime, every: float, collection: "Collection") -> str:
    """«Danh sách đọc lúc 20:47:02; tự kiểm tra tin mới mỗi 15 giây, lần gần nhất lúc 20:47:32. Máy chủ thu thập
    lần gần nhất lúc 20:46:58.» (Vietnam time): staff tell a list of the moment from a stale one, and a server that
    collects from one that stopped (`collection.late`: the last sentence goes, a warning under the line says it; ux33)
    or whose every source fails (both times said, ux35)."""
    note = ui.collected_note(collection, checked_at)
    return (f"Danh sách đọc lúc {read_at:%H:%M:%S}; tự kiểm tra tin mới mỗi {fmt_num(every, 1)} giây, lần gần nhất "
            f"lúc {checked_at:%H:%M:%S}." + (" " + note if note else ""))


# The items on a desk (round 24's walk): at 1366 × 768 with the sidebar open the page is 954 px, and the title «large»
# with seven columns sized by their text ran past it, «Liên kết» cut to «Mở bài g» and the grid scrolling sideways. Now
# pixels adding up to 935, in rows of two lines (a title cut at its width reads whole), as Tổng quan's «Tin mới
# nhất»; on a tablet (ui.desk_or_tablet) six of them in 730 px: «Sắc thái» and «Đã sửa nhãn» are under the grid.
# «Địa bàn» 120 as Tổng quan's (round 28, ux32): «phường Uông Bí (Trưng Vương cũ)» (ui.items_view) is two lines in
# 104 px of text, three in the 94 of 110 («(Trưng Vương cũ)» 99 px in the grid's 14 px Source Sans)
ITEMS_WIDTHS = {"Tiêu đề": 220, "Thời gian": 115, "Nguồn": 105, "Chủ đề": 125, "Sắc thái": 80, "Địa bàn": 120,
                "Đã sửa nhãn": 90, "Liên kết": 80}
ITEMS_TABLET = {"Tiêu đề": 190, "Thời gian": 115, "Nguồn": 105, "Chủ đề": 120, "Địa bàn": 120, "Liên kết": 80}
ITEMS_HEIGHT = 520  # px: seven rows of two lines, then a scroll inside (330 px held eight rows of one line)

QP_KEYS = ("q", "topic", "place", "unit", "type", "outlet", "sent", "period", "prev", "from", "to", "hour", "all",
           "alert", "watch")
PERIOD_PARAMS = {"today": "Hôm nay", "1": "24 giờ qua", "7": "7 ngày qua", "30": "30 ngày qua", "90": "90 ngày qua",
                 "all": "Tất cả"}


def _qp_signature() -> tuple:
    return tuple(sorted((k, tuple(st.query_params.get_all(k))) for k in st.query_params if k in QP_KEYS))


def _with_chosen(options: list[str], key: str) -> list[str]:
    """Options plus what a shared link chose, so a filter from the address bar is never refused."""
    return list(dict.fromkeys([*(st.session_state.get(key) or []), *options]))


def _apply_query_params() -> None:
    """A drill-down or shared link (…/explorer?topic=moi_truong&place=…) sets the filters once; after that
    the widgets lead and `_write_query_params` keeps the address bar in step."""
    sig = _qp_signature()
    # the same link again after another page (whose run deleted the widgets' state) sets the filters again: they
    # were otherwise what was kept of the last visit, or the defaults, under the link's address
    if not sig or (sig == st.session_state.get("_x_qp") and "x_period" in st.session_state):
        return
    st.session_state["_x_qp"] = sig
    qp = st.query_params
    st.session_state["x_query"] = qp.get("q", "")
    st.session_state["x_topics"] = [t for t in qp.get_all("topic") if t in FILTER_TOPICS]
    st.session_state["x_types"] = [t for t in qp.get_all("type") if t in SOURCE_TYPES]
    st.session_state["x_sent"] = [t for t in qp.get_all("sent") if t in FILTER_SENTIMENTS]
    st.session_state["x_outlets"] = qp.get_all("outlet")
    places = list(qp.get_all("place"))
    units = tuple(qp.get_all("unit"))
    if units:  # a 2025 unit: every place name items carry for it (old wards, the old district…)
        places += data.unit_place_names(units)
    st.session_state["x_places"] = list(dict.fromkeys(places))
    st.session_state["x_period"] = PERIOD_PARAMS.get(qp.get("period", ""), DEFAULT_PERIOD)
    st.session_state["x_prev"] = qp.get("prev") == "1"
    st.session_state["x_in_area"] = qp.get("all") != "1"
    days = _dates(qp.get("from"), qp.get("to"))
    if days:  # a day of a trend chart, or a shared date range
        st.session_state["x_period"] = "Chọn ngày…"
        st.session_state["x_range"] = days
    hour = _hour_start(qp.get("hour"))
    st.session_state["x_hour"] = hour
    st.session_state["x_hour_on"] = hour is not None
    if hour is not None:  # an hour of the alert's timeline: that day, narrowed to the hour
        st.session_state["x_period"] = "Chọn ngày…"
        st.session_state["x_range"] = (hour.date(), hour.date())
    st.session_state["x_alert"] = qp.get("alert") or None
    st.session_state["x_alert_on"] = bool(qp.get("alert"))
    watch = _watch_id(qp.get("watch"))
    st.session_state["x_watch"] = watch
    st.session_state["x_watch_on"] = watch is not None


def _watch_id(text: str | None) -> int | None:
    """A watchlist's id from the address bar, or None: ASCII digits, at most 18 (a BIGINT). `str.isdigit` alone
    let «²» or 5,000 digits through to `int()`, whose ValueError was the page's traceback (round 28, `hostile31`)."""
    text = text or ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


# The days a link may name: those whose Vietnam-time bounds are still datetimes. «from=0001-01-01» or
# «hour=9999-12-31T23» in a crafted address was an OverflowError, the page's traceback (round 28, `hostile31`).
FIRST_LINK_DAY, LAST_LINK_DAY = date.min + timedelta(days=1), date.max - timedelta(days=1)


def _linkable(day: date) -> bool:
    return FIRST_LINK_DAY <= day <= LAST_LINK_DAY


def _hour_start(text: str | None) -> datetime | None:
    """'2026-12-03T14' (Vietnam time) → the start of that hour, or None."""
    try:
        hour = datetime.strptime(text or "", "%Y-%m-%dT%H")
    except ValueError:
        return None
    return hour if _linkable(hour.date()) else None


def _hour_window(box: Any, period: str) -> tuple[datetime, datetime] | None:
    """The hour a chart click chose, as UTC bounds, while the day picked is still that hour's day; a box
    to drop it (once dropped, or once another day is picked, the page forgets the hour)."""
    hour = st.session_state.get("x_hour")
    rng = st.session_state.get("x_range")
    if hour is None:
        return None
    if PERIODS.get(period) != -1 or tuple(rng or ()) != (hour.date(), hour.date()):
        st.session_state["x_hour"] = None
        return None
    if not box.checkbox(f"Chỉ từ {hour:%H}:00 đến {hour:%H}:59", key="x_hour_on"):
        st.session_state["x_hour"] = None  # dropped: the box goes with it
        return None
    start = data.utc_from_local(hour)
    return start, start + timedelta(hours=1)


def _scope() -> tuple[str | None, int | None]:
    """An alert's items or a watchlist's hits, when a chart click asked for them; a box drops each."""
    alert = st.session_state.get("x_alert")
    watch = st.session_state.get("x_watch")
    if alert and not st.checkbox(f"Chỉ các tin của cảnh báo {md(alert, 40)}", key="x_alert_on"):
        alert = st.session_state["x_alert"] = None  # dropped: the box goes with it
    if watch is not None:
        names = {w["id"]: w["name"] for w in data.watchlists()}
        label = f"Chỉ các tin khớp danh sách theo dõi «{md(names.get(watch, watch), 80)}»"
        if not st.checkbox(label, key="x_watch_on"):
            watch = st.session_state["x_watch"] = None
    return alert, watch


def _dates(a: str | None, b: str | None) -> tuple[date, date] | None:
    try:
        first = date.fromisoformat(a or "")
        last = date.fromisoformat(b) if b else first
    except ValueError:
        return None
    return (first, last) if _linkable(first) and _linkable(last) else None


def _write_query_params(query: str, period: str, types: list[str], outlets: list[str], topics: list[str],
                        sentiments: list[str], places: list[str]) -> None:
    """Keep the filters in the address bar so the page can be bookmarked or sent to a colleague."""
    want: dict[str, str | list[str]] = {}
    if query.strip() and len(query.strip()) <= MAX_QUERY_CHARS:  # a refused paste stays out of the address bar
        want["q"] = query.strip()
    for k, v in (("topic", topics), ("type", types), ("outlet", outlets), ("sent", sentiments), ("place", places)):
        if v:
            want[k] = list(v)
    code = {lbl: c for c, lbl in PERIOD_PARAMS.items()}.get(period)
    if code and period != DEFAULT_PERIOD:
        want["period"] = code
    if code and PERIODS[period] not in NO_PREVIOUS and st.session_state.get("x_prev"):
        want["prev"] = "1"
    if not st.session_state.get("x_in_area", True):
        want["all"] = "1"
    rng = st.session_state.get("x_range")
    hour = st.session_state.get("x_hour")
    if PERIODS.get(period) == -1 and isinstance(rng, (list, tuple)) and len(rng) == 2:
        if hour is not None and st.session_state.get("x_hour_on") and tuple(rng) == (hour.date(), hour.date()):
            want["hour"] = f"{hour:%Y-%m-%dT%H}"
        else:
            want["from"], want["to"] = rng[0].isoformat(), rng[1].isoformat()
    if st.session_state.get("x_alert") and st.session_state.get("x_alert_on"):
        want["alert"] = str(st.session_state["x_alert"])
    if st.session_state.get("x_watch") is not None and st.session_state.get("x_watch_on"):
        want["watch"] = str(st.session_state["x_watch"])
    have = {k: st.query_params.get_all(k) for k in st.query_params}
    norm = {k: v if isinstance(v, list) else [v] for k, v in want.items()}
    if have != norm:
        st.query_params.from_dict(want)
    st.session_state["_x_qp"] = _qp_signature()


def _detail(item_id: str, known_places: list[str]) -> None:
    d = data.item_detail(item_id)
    if d is None:
        st.warning("Tin này không còn trong cơ sở dữ liệu.")
        return
    masking = data.author_masking()
    reveal = False
    if d.get("author") and masking["enabled"] and gate.can("analyst"):
        reveal = st.toggle("Hiện tên tác giả để xác minh", key=f"reveal_{item_id}",
                           help="Chỉ dùng khi cần xác minh bài đăng; tên người dân được che mặc định.")
    if reveal:
        d = data.item_detail_as_stored(item_id) or d
    author = mask_author(d.get("author"), source_type=d["source_type"], collector=d.get("collector"),
                         enabled=masking["enabled"], public_authors=masking["public_authors"], reveal=reveal)
    summary = d["summary"]
    with st.container(border=True):
        st.markdown(f"#### {md(d['title'], 200)}")
        if d.get("title_raw") and d.get("title_marks_added"):  # written without diacritics: restored above
            st.caption(f"Dấu tiếng Việt do hệ thống tự thêm; nguyên văn: {md(d['title_raw'], 200)}")
        st.caption(
            f"{d['outlet']} · {SOURCE_TYPES.get(d['source_type'], d['source_type'])} · "
            f"{d['published_at']:%H:%M %d/%m/%Y}" + (" (giờ ước tính)" if d.get("published_estimated") else "")
            + (f" · Tác giả: {md(author, 80)}" if author else "")
        )
        st.text(summary or "(không có tóm tắt)")
        link = safe_link(d["url"])
        if link:
            st.link_button("Mở bài gốc", link, icon=":material/open_in_new:")
        else:
            st.caption(no_link_note(d["source_type"], d["url"]))
        if len(d["links"]) > 1:
            st.caption("Cũng được đăng bởi: " + ", ".join(x["source"] for x in d["links"]))
        st.markdown(
            "**Chủ đề:** " + md(topics_text(as_list(d["topics"])) or "—")
            + " · **Sắc thái:** " + md(sentiment_label(d["sentiment"]) or "—")
            + " · **Địa bàn theo dõi:** " + ("có" if d["in_area"] else "không")
        )
        st.markdown("**Địa danh:** " + md("; ".join(as_list(d["places"])) or "—"))
        if d.get("corrected"):
            st.caption("Nhãn của tin này đã được cán bộ sửa; xem lịch sử bên dưới.")
    if gate.can("analyst"):
        _correct(d, known_places)
    hist = d.get("history") or []
    if hist:
        st.markdown("**Lịch sử sửa nhãn**")
        ui.dataframe(pd.DataFrame({
            "Thời gian": [data.local(h["created_at"]) for h in hist],
            "Người sửa": data.people(h["username"] for h in hist),
            "Trường": [FIELD_LABELS.get(h["field"], h["field"]) for h in hist],
            "Giá trị mới": [_value_text(h["field"], h["value"]) for h in hist],
        }), hide_index=True, width="stretch", placeholder="—",
            column_config={"Thời gian": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")})


FIELD_LABELS = {"topics": "Chủ đề", "sentiment": "Sắc thái", "places": "Địa danh", "in_area": "Thuộc địa bàn"}


def saved_text(fields: list[str], title: object) -> str:
    """«Đã lưu nhãn sửa (chủ đề, sắc thái) của tin «Bụi than phủ kín…».»: which item, as a correction that takes it out
    of the filters (a topic removed under «Chủ đề: Môi trường») shows another item's detail on the next run, under
    which «Đã lưu nhãn sửa: Chủ đề.» read as that item's (round 26's walk)."""
    what = ", ".join(FIELD_LABELS.get(f, f).lower() for f in fields)
    text = " ".join(str(title or "").split())
    # as written: ui.flash escapes what could draw a link or an image (labels.no_links); md() here as well showed its
    # backslashes («TP\\.HCM», «2\\.000») since round 28
    return f"Đã lưu nhãn sửa ({what}) của tin «{text if len(text) <= 80 else text[:79] + '…'}»."


def _value_text(field: str, v: object) -> str:
    if field == "topics":
        return topics_text(as_list(v))
    if field == "sentiment":
        return sentiment_label(v)  # type: ignore[arg-type]
    if field == "in_area":
        return "có" if v else "không"
    return "; ".join(str(x) for x in as_list(v))


def _correct(d: dict, known_places: list[str]) -> None:
    cur_topics = [t for t in as_list(d["topics"]) if t in TOPIC_CODES]
    cur_places = as_list(d["places"])
    with st.expander("Sửa nhãn của tin này (dùng để huấn luyện lại)", expanded=False):
        with st.form(f"fix_{d['id']}", enter_to_submit=False):
            topics = st.multiselect("Chủ đề", TOPIC_CODES, default=cur_topics, format_func=TOPIC_LABELS.get,
                                    placeholder="Chọn chủ đề")
            sents = SENTIMENT_CODES
            sentiment = st.radio("Sắc thái", sents, format_func=SENTIMENT_LABELS.get, horizontal=True,
                                 index=sents.index(d["sentiment"]) if d["sentiment"] in sents else None)
            place_opts = list(dict.fromkeys([*cur_places, *known_places]))
            places = st.multiselect("Địa danh", place_opts, default=cur_places, accept_new_options=True,
                                    placeholder="Chọn hoặc gõ thêm địa danh")
            in_area = st.checkbox("Thuộc địa bàn theo dõi", value=bool(d["in_area"]))
            saved = st.form_submit_button("Lưu nhãn đã sửa", type="primary")
        if saved:
            changes: dict[str, object] = {}
            if sorted(topics) != sorted(cur_topics):
                changes["topics"] = list(topics)
            if sentiment and sentiment != d["sentiment"]:
                changes["sentiment"] = sentiment
            if sorted(places) != sorted(cur_places):
                changes["places"] = list(places)
            if bool(in_area) != bool(d["in_area"]):
                changes["in_area"] = bool(in_area)
            if not changes:
                st.info("Không có thay đổi nào.")
                return
            try:
                fields = actions.correct_labels(data.db(), gate.current_user(), d["id"], changes)
            except (ValueError, PermissionError) as exc:
                ui.set_flash(str(exc), ok=False, where="fix")
            else:
                ui.set_flash(saved_text(fields, d["title"]), where="fix")
            data.refresh()
            st.rerun()
    # under the box, not in it (it opens folded on the next run) nor at the top of the page: at 1366×768 the item's
    # detail is a screen or two below the grid, and «Đã lưu nhãn sửa» drawn at the top went unseen (round 26)
    ui.flash("fix")


def _search_help() -> str:
    """«Cách tìm» with the area's names (labels.search_help; ux42: a Nghệ An office read «Vàng Danh», «ở Vang Danh»)."""
    return search_help(data.area_examples())


def _search_example() -> str:
    """«Ví dụ: "bụi than" Uông Bí -"bổ nhiệm"» in Quảng Ninh; the area's own name elsewhere (ux41)."""
    ex = data.area_examples()
    return f'Ví dụ: "{ex["issue"]}" {ex["town"]} -"bổ nhiệm"'
