"""Cảnh báo / Vấn đề nổi cộm: the alert queue (open first, by severity), one alert's explanation,
timeline, items, outlets and places, and the review actions (analysts): acknowledge, assign, priority,
note, resolve / dismiss with a reason, merge, reopen. Every action is one audited transaction."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.report_buttons import rapid_report_button
from dashboard import actions, data, data_cases, drill, gate, ui
from vocab.cases import STATE_LABELS as CASE_STATES
from detection.queue import allowed_actions
from dashboard.labels import (
    ACTION_LABELS, ALERT_ITEMS, ALERT_ITEMS_HELP, OPEN_STATES, PRIORITY_LABELS, SEVERITY_DOTS, SEVERITY_LABELS, STATE_LABELS, as_list, md,
    names_in_note, number, topics_text,
)
from vocab.alerts import CLOSED_STATES, STATES, state_label
from vocab.casing import cut_at_word
from reports.labels import places_cell

PAGE = {"title": "Cảnh báo", "icon": ":material/notification_important:", "order": 20, "min_role": "viewer"}
QUEUE_ROWS = 2000  # the head of the chosen group's queue, cut in the store (the caption counts them all)

FILTERS = {
    "Đang mở": OPEN_STATES,
    "Đã xử lý / bỏ qua": ("resolved", "dismissed"),
    "Tất cả": None,
}


def render() -> None:
    st.title("Cảnh báo — vấn đề nổi cộm")
    top = st.empty()  # the last action's message when the alert it concerns is not open below (it left the list)
    counts = data.alert_status_counts()
    open_n = sum(counts.get(s, 0) for s in OPEN_STATES)
    # the switch as wide as its three choices, the counts beside it in what is left, under it when nothing is: in
    # st.columns([1.2, 2]) a 768 px tablet upright gave the switch 268 px of its 283 and cut «Tất cả» (round 27)
    bar = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    _forget_link_move(st.query_params.get("alert"))
    ui.keep("alert_filter", "Đang mở")  # kept while another page is open
    missing = _follow_link(st.query_params.get("alert"))
    choice = bar.segmented_control("Hiển thị", list(FILTERS), key="alert_filter", width="content",
                                   on_change=_chosen) or "Đang mở"
    # no alert: no «·» left
    bar.caption(" · ".join(x for x in (f"Đang mở: {number(open_n)}", state_counts(counts)) if x))
    queue = data.alerts(FILTERS[choice], QUEUE_ROWS, "queue")  # sorted and cut in SQL: the cut keeps the head
    wanted = FILTERS[choice]
    total = sum(v for k, v in counts.items() if wanted is None or k in wanted)
    if not len(queue):
        with top.container():
            ui.flash()  # the last open alert dismissed: its message
        if missing:  # a link's unknown code said on an empty group too (review31: only the empty state was)
            st.warning(missing, icon=":material/search_off:")
        ui.empty("Không có cảnh báo nào trong nhóm này." if counts else
                 "Chưa có cảnh báo nào. Cảnh báo được tạo khi một vấn đề nổi lên bất thường trong tin bài.")
        return
    phone = ui.on_phone()
    fit = (ui.fit_table(QUEUE_COLUMNS, "Vấn đề", PHONE_QUEUE_COLUMNS, len(queue), None) if phone
           else ui.desk_grid(QUEUE_WIDTHS, QUEUE_COLUMNS, len(queue), QUEUE_DESK_HEIGHT))
    view = pd.DataFrame({
        "Vấn đề": queue["title"],  # first: the issue is what staff read (on a phone the rest is off the screen)
        "Mức": [SEVERITY_LABELS.get(s, s) for s in queue["severity"]],
        "Mã": queue["alert_id"],
        "Trạng thái": [STATE_LABELS.get(s, s) for s in queue["status"]],
        "Ưu tiên": [PRIORITY_LABELS.get(p, p) for p in queue["priority"]],
        "Giao cho": data.people(queue["assignee"]),  # None: «—»
        COUNT: queue["n_items"],
        "Số nguồn": queue["n_outlets"],
        "Phát hiện lúc": queue["raised_at"],
    })
    if phone:  # a phone's own narrow choice (its grid keeps the other columns, for the eye menu)
        ui.dataframe(view, hide_index=True, width="stretch", placeholder="—", **fit)
    else:  # the desk's nine columns, and a tablet's six (the queue has no selection: «Mở cảnh báo» below picks)
        ui.desk_and_tablet("alert_queue", view, fit,
                           {"column_order": list(QUEUE_TABLET),
                            **ui.desk_grid(QUEUE_TABLET, QUEUE_COLUMNS, len(queue), QUEUE_DESK_HEIGHT)},
                           hide_index=True, width="stretch", placeholder="—")
    if total > len(queue):  # two years of an office: more alerts than the table reads; say so
        st.caption(f"Bảng liệt kê {number(len(queue))} cảnh báo đứng đầu hàng đợi trong {number(total)} "
                   "(đang mở trước, rồi theo mức độ, mức ưu tiên, mới nhất); các cảnh báo còn lại ít quan trọng "
                   "hơn, đã cũ.")
    if missing:
        st.warning(missing, icon=":material/search_off:")
    ids = list(queue["alert_id"])
    titles = dict(zip(queue["alert_id"], queue["title"]))
    sev = dict(zip(queue["alert_id"], queue["severity"]))
    wanted = st.query_params.get("alert")
    beyond = _beyond_cut(wanted, ids, FILTERS[choice])
    if beyond:  # a link to an alert past the table's cut (an old closed one): still a choice, and the one opened
        ids.append(beyond["alert_id"])
        titles[beyond["alert_id"]], sev[beyond["alert_id"]] = beyond["title"], beyond["severity"]
        st.caption(f"Cảnh báo {beyond['alert_id']} (theo liên kết) không nằm trong {number(len(queue))} cảnh báo đứng "
                   "đầu bảng; đã thêm vào «Mở cảnh báo» và mở ở dưới.")
    if wanted in ids and st.session_state.get("alert_pick") not in ids:
        st.session_state["alert_pick"] = wanted
    acted = st.session_state.pop(ACTED, None)
    if acted in ids:  # the alert staff just acted on stays open, wherever the queue's new order put it
        st.session_state["alert_pick"] = acted
    # the alert staff were reading, after its timeline or items opened Tin bài and the menu brought them back
    ui.keep("alert_pick", ids[0] if ids else None, ids)
    alert_id = st.selectbox(
        "Mở cảnh báo", ids, key="alert_pick",
        format_func=lambda a: f"{a} [{SEVERITY_LABELS.get(sev.get(a), '')}] · {' '.join(str(titles.get(a, '')).split())[:110]}",
        placeholder="Chọn cảnh báo",
    )
    if not (alert_id and _detail(alert_id, queue)):
        with top.container():
            ui.flash()


def group_of(status: str) -> str:
    """The choice of «Hiển thị» whose group holds an alert of `status` (a merged alert is only in «Tất cả»)."""
    return next((k for k, v in FILTERS.items() if v is not None and status in v), "Tất cả")


def _follow_link(wanted: str | None) -> str | None:
    """A link to one alert (`?alert=A000011`: a push's, a bookmark), on arriving at the page (no alert picked yet):
    the choice of «Hiển thị» is moved to the group that holds it, so that it is the alert opened; or, when there is no
    such alert, a sentence that says so. Round 31's walk (ux39): a push's link to an alert a colleague had resolved
    meanwhile opened the head of «Đang mở» instead, another alert with its actions, and nothing said so; a mistyped
    or purged one too."""
    if not wanted or "alert_pick" in st.session_state:
        return None
    a = data.alert(wanted)
    if a is None:
        return (f"Không có cảnh báo «{md(wanted, 40)}»: mã không đúng, hoặc cảnh báo đã bị xóa theo thời hạn lưu "
                "trữ. Dưới đây là hàng đợi cảnh báo.")
    group = FILTERS.get(st.session_state.get("alert_filter") or "Đang mở")
    if group is not None and a["status"] not in group:
        st.session_state[LINK_EARLIER] = st.session_state.get("alert_filter") or "Đang mở"
        st.session_state["alert_filter"] = st.session_state[LINK_MOVED] = group_of(a["status"])
    return None


def _beyond_cut(wanted: str | None, ids: list[str], group: tuple[str, ...] | None) -> dict[str, Any] | None:
    """The alert a link names when it is in the group shown but past the table's QUEUE_ROWS (an old resolved alert in
    a two-year office): the page opened the head of the queue and said nothing (round 31's review, ux40). While the
    link is in the address it stays a choice of «Mở cảnh báo»."""
    if not wanted or wanted in ids:
        return None
    a = data.alert(wanted)
    if a is None or (group is not None and a["status"] not in group):
        return None
    return a


# session key: the choice of «Hiển thị» a link moved to (`_follow_link`), until staff choose one themselves. Round 31's
# review (ux40): `ui.keep` held it as any choice, so after one push's link to a closed alert every later visit of the
# page opened on «Đã xử lý / bỏ qua».
LINK_MOVED = "_alert_filter_linked"
# session key: the choice «Hiển thị» had before a link moved it, given back on a later visit (round 32, ux41: a staff
# member's «Đã xử lý / bỏ qua», moved by a link to an open alert to «Đang mở», came back as «Đang mở»)
LINK_EARLIER = "_alert_filter_before_link"


def _chosen() -> None:
    """«Hiển thị»'s on_change: the choice is the user's, held by `ui.keep` as any other."""
    st.session_state.pop(LINK_MOVED, None)
    st.session_state.pop(LINK_EARLIER, None)


def _forget_link_move(wanted: str | None) -> None:
    """On arriving at the page (the switch not drawn in the last run) without a link: the group a link moved to, if
    staff have not chosen since, is dropped, and the page opens on the choice staff had before the link («Đang mở»
    if they had made none)."""
    if wanted or "alert_filter" in st.session_state or LINK_MOVED not in st.session_state:
        return
    moved = st.session_state.pop(LINK_MOVED)
    earlier = st.session_state.pop(LINK_EARLIER, "Đang mở")
    if st.session_state.get(ui.KEPT + "alert_filter") == moved:
        st.session_state.pop(ui.KEPT + "alert_filter", None)
    if earlier != "Đang mở" and earlier in FILTERS:  # ui.keep holds only a choice other than the default
        st.session_state[ui.KEPT + "alert_filter"] = earlier


# session key: the alert the last action was on (`_act`). Round 24's walk: «Tiếp nhận» on the head of the queue moved it
# down, Chromium's box then opened the new head, and the confirmation was drawn at the top of the page, out of sight
# at 1366 × 768: the click seemed to do nothing, and the next click acted on another alert.
ACTED = "_alert_acted"


def state_counts(counts: dict[str, int]) -> str:
    """«Mới: 5 · Đã tiếp nhận: 1 · … · Bỏ qua: 2»: the states in the order an alert goes through them (open ones,
    then closed); sorted by their English codes they read «Đã giao xử lý · Bỏ qua · Mới · Mở lại», in no order."""
    order = [*OPEN_STATES, *CLOSED_STATES, *STATES]
    return " · ".join(f"{STATE_LABELS.get(k, k)}: {number(v)}"
                      for k, v in sorted(counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))


QUEUE_TIME_FORMAT = "DD/MM/YY HH:mm"  # «06/12/26 09:30»: 125 px on a desk (see QUEUE_WIDTHS)
# The whole alert's items, since it was raised: its reason counts those of 24 hours («5 tin, bài trong 24 giờ»), and
# under one word «Số tin» the two read as one figure that disagreed (13 beside 5: ux39's walk, round 31; ux40)
COUNT = ALERT_ITEMS
QUEUE_COLUMNS = {"Vấn đề": st.column_config.TextColumn(width="large"),
                 COUNT: st.column_config.NumberColumn(
                     help=ALERT_ITEMS_HELP),
                 "Phát hiện lúc": st.column_config.DatetimeColumn(format=QUEUE_TIME_FORMAT)}
# The queue on a desk (round 23). At 1366 × 768 the page is 954 px wide, and the nine columns sized by their text (the
# issue «large») ran past it: «Phát hiện lúc» was cut and the grid scrolled sideways. Now each has its pixels, adding
# up to 937, in rows of two lines (a long issue, «Đã giao xử lý», «Bình thường» wrap rather than cut), and the time
# is written with a two-digit year («06/12/26 09:30»). Streamlit stretches them on a wider page.
QUEUE_WIDTHS = {"Vấn đề": 210, "Mức": 80, "Mã": 76, "Trạng thái": 105, "Ưu tiên": 85, "Giao cho": 100, COUNT: 86,
                "Số nguồn": 70, "Phát hiện lúc": 125}
# on a tablet upright (768 px: 734 px of page, ui.TABLET_GRID) the nine were 937 px and scrolled sideways (round 27):
# six, «Mã» (in «Mở cảnh báo» and the alert's heading), «Ưu tiên» and «Số nguồn» left to the desk
QUEUE_TABLET = {"Vấn đề": 200, "Mức": 80, "Trạng thái": 105, "Giao cho": 100, COUNT: 86, "Phát hiện lúc": 125}
QUEUE_DESK_HEIGHT = 420  # px: the header and six rows of two lines, then a scroll
PHONE_QUEUE_COLUMNS = ["Mức", "Trạng thái", COUNT, "Phát hiện lúc"]  # after the issue on a phone


def _detail(alert_id: str, queue: pd.DataFrame) -> bool:
    """The alert's detail and, for analysts, its actions; whether the actions (and the last one's message under their
    buttons, where staff look) were drawn."""
    a = data.alert(alert_id)
    if a is None:
        st.warning(f"Không tìm thấy cảnh báo {alert_id}.")
        return False
    st.divider()
    st.subheader(f"{SEVERITY_DOTS.get(a['severity'], '')} {md(a['alert_id'])} · {md(a['title'], 140)}")
    st.caption(
        f"Mức: {SEVERITY_LABELS.get(a['severity'], a['severity'])} · Trạng thái: "
        f"{STATE_LABELS.get(a['status'], a['status'])} · Ưu tiên: {PRIORITY_LABELS.get(a['priority'], a['priority'])}"
        + data.named(a.get("assignee"), " · Giao cho: {}")
        + f" · Phát hiện: {a['raised_at']:%d/%m/%Y %H:%M}"
        + (f" · Gộp vào: {a['merged_into']}" if a.get("merged_into") else "")
    )
    items = data.alert_items(alert_id)
    # on a phone the long parts are folded (closed), so that the actions come about a screen under the heading, not
    # 2.000 px (round 28); a desk and a tablet draw them open, as before
    phone = ui.on_phone()
    left, right = st.columns([1.6, 1])
    with left:
        _why(a)
        with _folded(phone, f"Tin bài ({number(len(items))})", ":material/article:"):
            _items(alert_id, items, heading=not phone)
    with right:
        _facts(a, items, phone)
        _timeline(alert_id, phone)
    if len(items):
        _complaints(items, phone)
    _history(alert_id, a.get("reason"))
    rapid_report_button(alert_id)
    if gate.can("analyst"):
        _actions(a, queue)
        return True
    st.caption("Tài khoản xem chỉ đọc; chuyên viên mới xử lý được cảnh báo.")
    return False


# The alert's items in its left column: 578 px at 1366 × 768 with the sidebar open. Sized by their text, its eight
# columns were 885 px and scrolled sideways, «Liên kết» (the link staff open to read an item) out of sight at the right
# (round 27). Five columns in pixels, in rows of two lines; the alert's topics and places are in the right column.
ITEMS_WIDTHS = {"Tiêu đề": 200, "Thời gian": 115, "Nguồn": 105, "Sắc thái": 75, "Liên kết": 80}
# a tablet (768 px upright, sidebar folded: the column is about 440 px), four of them
ITEMS_TABLET = {"Tiêu đề": 150, "Thời gian": 115, "Nguồn": 95, "Liên kết": 75}


def _folded(phone: bool, label: str, icon: str) -> Any:
    """Where a long part of an alert is drawn: on a phone an expander, closed (its label says what it holds), elsewhere
    the page itself. Cảnh báo on a 390 px phone: from an alert's heading to «Tiếp nhận» were about 2.000 px (its items'
    grid, topics, places, outlets, the timeline chart, the steps; ux30's walk), scrolled past by staff who had read
    the reason and wanted to act."""
    return st.expander(label, icon=icon) if phone else nullcontext()


def _why(a: dict) -> None:
    """The alert's reason (and why it was closed)."""
    st.markdown("**Vì sao có cảnh báo này**")
    st.text(a["reason"])
    detail = (a.get("details") or {}).get("detail")
    if detail:  # the figures the reason was worded from (alerts raised since round 18; older ones hold them in the reason)
        st.caption(f"Chi tiết: {detail}")
    if a.get("close_reason"):
        st.text(f"Lý do đóng: {a['close_reason']}")


def _items(alert_id: str, items: pd.DataFrame, heading: bool = True) -> None:
    """The alert's items, saying how many the retention removed; `heading`: under a bold «Tin bài» (a phone's expander
    is labelled so)."""
    if heading:
        st.markdown("**Tin bài**")
    gone = data.alert_items_gone(alert_id)
    if len(items):
        ui.items_table(items, height=ui.table_height(len(items), 280), key=f"items_{alert_id}", widths=ITEMS_WIDTHS,
                       tablet=ITEMS_TABLET)
        if gone:
            st.caption(f"{gone} tin khác của cảnh báo đã bị xóa theo thời hạn lưu trữ dữ liệu.")
    else:
        st.caption("Không còn tin nào của cảnh báo này trong cơ sở dữ liệu"
                   + (f" ({gone} tin đã bị xóa theo thời hạn lưu trữ)." if gone else "."))


def _facts(a: dict, items: pd.DataFrame, phone: bool = False) -> None:
    """Topics, places and the outlets that published the alert's items; on a phone the places and outlets folded (a
    story's places, old and new names, were six lines at 390 px, its outlets three)."""
    st.markdown("**Chủ đề:** " + md(topics_text(as_list(a.get("topics"))) or "—"))
    places = as_list(a.get("places"))
    with _folded(phone, "Địa bàn, nguồn đăng", ":material/place:"):
        # as the items' grids name them, «phường Uông Bí (Trưng Vương cũ)»: the tagger's whole wording, «phường Trưng
        # Vương cũ, nay phường Uông Bí (TP Uông Bí cũ)», took two lines a ward on a phone and differed from the grid
        # on the same page (ux34's «Seen and left»; round 29). The item's detail and the reports keep it whole.
        st.markdown("**Địa bàn:** " + (md(places_cell(places)) if places else "—"))
        if len(items):
            outlets = items.groupby("outlet").size().sort_values(ascending=False)
            st.markdown("**Nguồn đăng:** " + md(", ".join(f"{o} ({n})" for o, n in outlets.items())))


def _timeline(alert_id: str, phone: bool = False) -> None:
    """Items per hour of the items that still exist; a click on a bar opens that hour's items. Folded on a phone."""
    per_hour = data.alert_timeline(alert_id).rename(columns={"hour": "h"})
    if not len(per_hour):
        return
    with _folded(phone, "Diễn biến số tin", ":material/bar_chart:"):
        _timeline_chart(alert_id, per_hour)


def _timeline_chart(alert_id: str, per_hour: pd.DataFrame) -> None:
    fig = go.Figure(go.Bar(x=per_hour["h"], y=per_hour["n"], name="Số tin", width=ui.HOUR_MS * 0.8,
                           customdata=[f"{h:%Y-%m-%dT%H}" for h in per_hour["h"]]))
    fig.update_layout(separators=ui.SEPARATORS, height=182, margin=dict(l=0, r=0, t=ui.TITLE_TOP, b=0),
                      title="Diễn biến số tin",
                      xaxis=ui.hour_axis(list(per_hour["h"]), tickformat="%Hh %d/%m"),
                      yaxis=ui.count_axis(per_hour["n"].max(), title="Tin mỗi giờ"))  # its unit (ux39)
    ev = st.plotly_chart(fig, width="stretch", key=f"timeline_{alert_id}", on_select="rerun",
                         selection_mode="points")
    st.caption("Bấm vào một cột để xem các tin của cảnh báo trong giờ đó ở trang Tin bài.")
    f = drill.from_points(ev, lambda p: hour_filter(p, alert_id))
    if f:
        ui.open_items(f)


def _complaints(items: pd.DataFrame, phone: bool = False) -> None:
    """Citizens' complaints linked to the alert's items (answered on Phản ánh); folded on a phone."""
    complaints = data_cases.for_items(tuple(items["item_id"]))
    if not len(complaints):
        return
    label = f"Phản ánh của người dân ({number(len(complaints))})"
    with _folded(phone, label, ":material/forum:"):
        st.markdown(("" if phone else f"**{label}** — ") + "xem và trả lời ở trang Phản ánh")
        ui.dataframe(pd.DataFrame({"Số": complaints["id"], "Nội dung": complaints["title"],
                                   "Trạng thái": [CASE_STATES.get(s, s) for s in complaints["status"]]}),
                     hide_index=True, width="stretch")


def _history(alert_id: str, reason: str | None = None) -> None:
    """Every handling step of the alert: when, who, what, from and to which state, the note."""
    st.markdown("**Diễn biến xử lý**")
    hist = data.alert_history(alert_id)
    if not len(hist):
        return
    if ui.on_phone():
        st.markdown(history_text(hist, reason))
        return
    ui.desk_and_tablet(
        "alert_history",
        pd.DataFrame({
            "Thời gian": hist["at"],
            "Người thực hiện": data.people(hist["username"]),
            "Thao tác": [ACTION_LABELS.get(x, x) for x in hist["action"]],
            "Từ": [state_label(x) or None for x in hist["from_state"]],  # None: «—», not a blank cell (round 26)
            "Sang": [state_label(x) or None for x in hist["to_state"]],
            "Nội dung": [names_in_note(n, data.display_names()) or None for n in hist["note"]],
        }),
        {"column_config": HISTORY_COLUMNS},
        {"column_order": list(HISTORY_TABLET), **ui.desk_grid(HISTORY_TABLET, HISTORY_COLUMNS, len(hist), 420)},
        hide_index=True, width="stretch", placeholder="—",
    )


def history_text(hist: pd.DataFrame, reason: str | None = None) -> str:
    """An alert's steps on a phone, one a line: «- **07/12/2026 13:55** · Nguyễn Thị Lan · Tiếp nhận → Đã tiếp nhận:
    note». The grid (the tablet's five columns, 725 px) scrolled sideways in a 390 px phone's 356, its «Nội dung» (the
    notes staff read before a meeting: what was asked, of whom) out of sight at the right (round 27, ux30).
    The first step, «Phát hiện», whose note is the alert's `reason` as «Vì sao có cảnh báo này» shows it whole above,
    is cut to its first words (`raise_note`; round 28); a reason re-graded since stays whole there."""
    names = data.display_names()
    lines = []
    for at, who, action, to_state, note in zip(hist["at"], data.people(hist["username"]), hist["action"],
                                               hist["to_state"], hist["note"]):
        step = ACTION_LABELS.get(action, action)
        state = state_label(to_state)
        text = names_in_note(note, names)  # "" for none (NULL, read as NaN)
        if action == "raise":
            text = raise_note(text, reason)
        lines.append(f"- **{at:%d/%m/%Y %H:%M}** · {md(who or ui.MISSING)} · {md(step)}"
                     + (f" → {md(state)}" if state else "") + (f": {md(text)}" if text else ""))
    return "\n".join(lines)


PHONE_RAISE_CHARS = 80  # of a first step's note on a phone: two lines of a 356 px column


def raise_note(note: str, reason: str | None) -> str:
    """The note of an alert's first step on a phone: its first words and «…» when it is the `reason` shown whole above
    it (200–400 characters repeated, a phone screen of text; the desk's grid cuts it in its cell); as it is
    otherwise."""
    same = isinstance(reason, str) and " ".join(note.split()) == " ".join(reason.split())
    if not same or len(note) <= PHONE_RAISE_CHARS:
        return note
    return cut_at_word(" ".join(note.split()), PHONE_RAISE_CHARS).rstrip(" ,;:.") + "… (đủ ở «Vì sao có cảnh báo này»)"


HISTORY_COLUMNS = {"Thời gian": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
                   "Nội dung": st.column_config.TextColumn(width="large")}
# an alert's steps on a tablet upright: its six columns sized by their text were 797 px in 734 and scrolled sideways
# (round 27); five in pixels, in rows of two lines (a long note wraps), «Từ» left out (the step before says it)
HISTORY_TABLET = {"Thời gian": 130, "Người thực hiện": 120, "Thao tác": 110, "Sang": 105, "Nội dung": 260}


def _form_key(alert_id: str) -> str:
    """Prefix of the alert's action widgets' keys (`ui.form_key`): new after each successful action."""
    return ui.form_key(f"f_{alert_id}")


def _act(alert_id: str, action: str, **kw: object) -> None:
    try:
        msg = actions.alert_action(data.db(), gate.current_user(), alert_id, action, **kw)  # type: ignore[arg-type]
    except (ValueError, PermissionError) as exc:
        ui.set_flash(str(exc), ok=False)
    else:
        ui.set_flash(msg)
        st.session_state[ACTED] = alert_id
        ui.renew_form(f"f_{alert_id}")
        ui.drafts("alert_note").pop(alert_id, None)  # said with the action: the next box starts empty
    data.refresh()
    st.rerun()


def _actions(a: dict, queue: pd.DataFrame) -> None:
    aid = a["alert_id"]
    fk = _form_key(aid)
    allowed = allowed_actions(a["status"])
    st.markdown("**Xử lý**")
    # typed and not yet sent with an action: kept, per alert and account, while another page or alert is open (a look
    # at Tin bài or Trước giao ban emptied it: Streamlit drops a widget's state in a run that does not draw it; round 27)
    note = st.text_area("Ghi chú (kèm theo thao tác)", value=ui.drafts("alert_note").get(aid, ""), key=f"{fk}note",
                        height=68, on_change=ui.keep_draft, args=("alert_note", aid, f"{fk}note"),
                        placeholder="Ví dụ: đã báo cáo lãnh đạo, đề nghị phường xác minh…",
                        # the limit said before it refuses (ux34): no `max_chars`, whose box drops what is pasted
                        # past it with no word (docs/DASHBOARD.md, «round 28 (`ux34`)»)
                        help=f"Tối đa {number(actions.NOTE_MAX_CHARS)} ký tự.")
    row = ui.button_row()  # together at the left, wrapping on a phone (st.columns(4) stacked them there)
    if row.button("Tiếp nhận", key=f"b_{aid}_ack", disabled="acknowledge" not in allowed, type="primary",
                   icon=":material/task_alt:"):
        _act(aid, "acknowledge", note=note)
    if row.button("Thêm ghi chú", key=f"b_{aid}_note", icon=":material/edit_note:"):
        _act(aid, "note", note=note)
    if row.button("Đã xử lý xong", key=f"b_{aid}_resolve", disabled="resolve" not in allowed,
                   icon=":material/done_all:"):
        _act(aid, "resolve", note=note, reason=note)
    if row.button("Mở lại", key=f"b_{aid}_reopen", disabled="reopen" not in allowed, icon=":material/undo:"):
        _act(aid, "reopen", note=note)
    ui.flash()  # under the buttons: the page's top is out of sight once staff scrolled down to act

    c = st.columns(3)
    with c[0].container(border=True):
        shown = data.display_names()
        users = data.users()
        names = [u for u, on in zip(users["username"], users["active"]) if on] if len(users) else []
        assignee = st.selectbox("Giao cho", names, format_func=lambda u: shown.get(u, u), key=f"{fk}assignee",
                                index=names.index(a["assignee"]) if a.get("assignee") in names else None,
                                placeholder="Chọn cán bộ")
        if st.button("Giao việc", key=f"b_{aid}_assign", disabled="assign" not in allowed,
                     icon=":material/person_add:"):
            _act(aid, "assign", assignee=assignee or "", note=note)
        prios = list(PRIORITY_LABELS)
        prio = st.selectbox("Mức ưu tiên", prios, key=f"{fk}prio", format_func=PRIORITY_LABELS.get,
                            index=prios.index(a["priority"]) if a["priority"] in prios else 1,
                            placeholder="Chọn mức ưu tiên")
        if st.button("Đặt ưu tiên", key=f"b_{aid}_prio", disabled=a["status"] == "merged", icon=":material/flag:"):
            _act(aid, "priority", priority=prio, note=note)
    with c[1].container(border=True):
        reason = st.text_input("Lý do bỏ qua (bắt buộc)", key=f"{fk}reason",
                               placeholder="Ví dụ: tin trùng, không thuộc địa bàn")
        if st.button("Bỏ qua cảnh báo", key=f"b_{aid}_dismiss", disabled="dismiss" not in allowed,
                     icon=":material/block:"):
            _act(aid, "dismiss", reason=reason, note=note)
    with c[2].container(border=True):
        others = [x for x in queue["alert_id"] if x != aid]
        titles = dict(zip(queue["alert_id"], queue["title"]))
        other = st.selectbox("Gộp cảnh báo khác vào cảnh báo này", others, key=f"{fk}merge", index=None,
                             placeholder="Chọn cảnh báo trùng",
                             format_func=lambda x: f"{x} · {' '.join(str(titles.get(x, '')).split())[:60]}")
        if st.button("Gộp", key=f"b_{aid}_merge", disabled="merge" not in allowed or not others,
                     icon=":material/merge:"):
            _act(aid, "merge", other_id=other, note=note)


def hour_filter(point: dict, alert_id: str) -> dict[str, str] | None:
    """An hour of the alert's timeline: the alert's items published in that hour (Vietnam time), every
    item (an alert's items need not be about the watched area)."""
    cd = drill.custom(point)
    if not cd or not cd[0]:
        return None
    return {"alert": alert_id, "hour": str(cd[0]), **drill.EVERY_ITEM}
