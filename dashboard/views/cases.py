"""Phản ánh: every citizen's opinion from the office's own channels (fanpage, Zalo OA, complaints
mailbox) and flagged complaints, tracked until answered — the queue (overdue first), one case with its
item, story and alert, the workflow (assign, in progress, answer, close, notes, due date) and the reply
(sent through the channel's API where it has one). Figures: received, handled on time, overdue, median
time to answer, by channel and by unit. No SQL here."""

from __future__ import annotations

import re
from datetime import datetime, time

import pandas as pd
import streamlit as st

from dashboard import data, data_cases as dc, gate, ui
from dashboard.actions import NOTE_MAX_CHARS, REPLY_MAX_CHARS
from dashboard.labels import md, safe_link
from vocab.cases import ACTION_LABELS, ALLOWED, CHANNEL_LABELS, OPEN_STATES, REPLY_CHANNELS, STATE_LABELS
from vocab.numbers import fmt_num

PAGE = {"title": "Phản ánh", "icon": ":material/inbox:", "order": 25, "min_role": "viewer"}
FILTERS = {"Đang mở": OPEN_STATES, "Đã trả lời / đóng": ("answered", "closed"), "Tất cả": None}
# where a reply that answered a case is confirmed: under «Xem phản ánh», where the case's detail starts (the case leaves
# «Đang mở» and the picker moves to the next one, or the queue empties); at the top it was out of sight (round 26)
ANSWERED = "answered"


def _leaves_list(to: str) -> bool:
    """Whether moving a case to `to` takes it out of the queue the page shows («Đang mở», «Đã trả lời / đóng»)."""
    shown = FILTERS.get(st.session_state.get("case_filter") or "Đang mở")
    return bool(to) and shown is not None and to not in shown


def reply_status(status: object) -> str:
    """The stored reply status ('sent (ref)', 'manual', 'failed: …') in Vietnamese."""
    s = str(status or "")
    if s.startswith("sent"):
        return "đã gửi"
    if s == "manual":
        return "đã ghi nhận"
    if s.startswith("failed"):
        return "gửi không được: " + s.removeprefix("failed:").strip()
    return s


def event_note(action: str, note: object) -> str:
    """A history note as staff read it: the assignee by display name, the new due date in Vietnam time, the
    reply's channel and outcome in Vietnamese (the store keeps them as written: login name, UTC, codes)."""
    text = note if isinstance(note, str) else ""
    if action == "assign":
        return re.sub(r"^giao cho (\S+?)(?=:|$)", lambda m: f"giao cho {data.person(m.group(1))}", text)
    if action == "due":
        m = re.fullmatch(r"hạn mới (\d{4}-\d\d-\d\d \d\d:\d\d) UTC", text)
        if m:
            return f"hạn mới {data.local(datetime.strptime(m.group(1), '%Y-%m-%d %H:%M')):%H:%M %d/%m/%Y}"
    if action == "reply":
        via, _, status = text.partition(": ")
        if via in ("api", "manual"):
            return ("qua kênh" if via == "api" else "trả lời trực tiếp") + f": {reply_status(status)}"
    return text


def render() -> None:
    st.title("Phản ánh của người dân")
    st.caption("Bình luận, tin nhắn trên fanpage và Zalo OA của cơ quan, thư gửi hộp thư phản ánh, báo cáo cộng tác "
               "viên và tệp nhập đánh dấu là phản ánh. Mỗi phản ánh được theo dõi đến khi trả lời; quá hạn xếp đầu.")
    ui.flash()
    _figures()
    c1, c2 = st.columns([1.2, 2])
    ui.keep("case_filter", "Đang mở", list(FILTERS))  # both kept while another page is open
    choice = c1.segmented_control("Hiển thị", list(FILTERS), key="case_filter") or "Đang mở"
    ui.keep("case_channels", [], list(CHANNEL_LABELS))
    channels = c2.multiselect("Kênh", list(CHANNEL_LABELS), format_func=CHANNEL_LABELS.get, key="case_channels",
                              placeholder="Tất cả các kênh")
    df, total = dc.queue(FILTERS[choice], tuple(channels) or None, None)
    if not len(df):
        # none at all (the page opens on «Đang mở»: a new office must learn where cases come from), or none here
        ever = total if FILTERS[choice] is None and not channels else dc.queue(None, None, None, 1)[1]
        ui.empty("Không có phản ánh nào trong nhóm này." if ever else
                 "Chưa có phản ánh nào. Phản ánh đến từ các nguồn fanpage, Zalo OA, hộp thư của cơ quan (trang Nguồn "
                 "tin) và từ tệp nhập hoặc báo cáo cộng tác viên đánh dấu là phản ánh.")
        ui.flash(ANSWERED)  # the last open case just answered
        return
    ui.dataframe(pd.DataFrame({
        "Số": df["id"], "Quá hạn": ["⚠ quá hạn" if o else "" for o in df["overdue"]],
        "Kênh": [CHANNEL_LABELS.get(c, c) for c in df["channel"]], "Nội dung": df["title"],
        "Trạng thái": [STATE_LABELS.get(s, s) for s in df["status"]], "Giao cho": data.people(df["assignee"]),
        "Hạn trả lời": df["due_at"], "Nhận lúc": df["opened_at"]}),
        hide_index=True, width="stretch", placeholder=ui.MISSING,
        **({"column_config": QUEUE_COLUMNS, "height": ui.table_height(len(df), 300)} if ui.on_phone()  # scrolls sideways
           else ui.desk_grid(QUEUE_WIDTHS, QUEUE_COLUMNS, len(df), 300)))
    if total > len(df):  # a year's office has more cases than the table holds: say so, not a silent cut
        st.caption(f"Bảng liệt kê {fmt_num(len(df))} phản ánh đầu hàng đợi trong {fmt_num(total)}; chọn kênh "
                   "hoặc nhóm để thu hẹp.")
    cid = st.selectbox("Xem phản ánh", list(df["id"]), key="case_pick",
                       format_func=lambda i: pick_label(i, df.loc[df["id"] == i, "title"].iloc[0]),
                       placeholder="Chọn phản ánh")
    ui.flash(ANSWERED)
    _detail(int(cid))


def pick_label(cid: int, title: object) -> str:
    """A case as «Xem phản ánh» lists it: plain text, as a box's options are not markdown. `md()` escaped it, and staff
    read «#2 · Phản ánh số 21\\: đèn đường…» (round 26)."""
    text = " ".join(str(title or "").split())
    return f"#{cid} · " + (text if len(text) <= 90 else text[:89] + "…")


def channel_text(channel: str, outlet: str) -> str:
    """«Zalo OA (Zalo OA Phường Uông Bí)»: the channel, then the outlet it came through unless it only repeats the
    channel (an imported file's outlet is «Tệp nhập», which read «Tệp nhập (Tệp nhập)», round 26)."""
    label = CHANNEL_LABELS.get(channel, channel)
    return label if not outlet or outlet.strip().casefold() == label.casefold() else f"{label} ({md(outlet, 80)})"


QUEUE_TIME_FORMAT = "DD/MM/YY HH:mm"  # «06/12/26 09:30»: fits 120 px, as Cảnh báo's queue (alerts.QUEUE_TIME_FORMAT)
QUEUE_COLUMNS = {"Hạn trả lời": st.column_config.DatetimeColumn(format=QUEUE_TIME_FORMAT),
                 "Nhận lúc": st.column_config.DatetimeColumn(format=QUEUE_TIME_FORMAT),
                 "Nội dung": st.column_config.TextColumn(width="large")}
# The queue at 1366 × 768 (954 px of page): sized by their text the eight columns ran past it and «Nhận lúc» was cut at
# the right (round 26). Each has its pixels, 925 in all, in rows of two lines (a long content or «Đã giao xử lý» wraps).
QUEUE_WIDTHS = {"Số": 50, "Quá hạn": 80, "Kênh": 100, "Nội dung": 240, "Trạng thái": 105, "Giao cho": 100,
                "Hạn trả lời": 125, "Nhận lúc": 125}


def actor(username: object, action: str, channel: str) -> str:
    """Who a history row names: the staff member; the system's own steps «Hệ thống», the opening one with the
    channel the case came in through («Hệ thống (từ Zalo OA)»); «—» when nobody is known. The opening row's cell was
    blank: its login «hệ thống» is no account (round 26)."""
    who = data.person(username)  # «Hệ thống» for the system's logins (data.SYSTEM_LOGINS)
    if action == "opened" and who in ("", "Hệ thống") and channel:
        return f"Hệ thống (từ {CHANNEL_LABELS.get(channel, channel)})"
    return who or ui.MISSING


def _figures() -> None:
    f = dc.figures(30, "channel")
    if not len(f):
        return
    received, handled, on_time, overdue = (int(f[k].sum()) for k in ("received", "handled", "on_time", "overdue"))
    c = st.columns(4)
    c[0].metric("Tiếp nhận (30 ngày)", fmt_num(received))
    c[1].metric("Đã trả lời", f"{fmt_num(handled)} ({round(100 * handled / received) if received else 0}%)")
    c[2].metric("Đúng hạn", fmt_num(on_time))
    c[3].metric("Quá hạn (đang mở)", fmt_num(overdue))
    with st.expander("Số liệu 30 ngày theo kênh và theo địa bàn"):
        for by, label, fmt in (("channel", "Kênh", CHANNEL_LABELS.get), ("place", "Địa bàn", lambda k: k or "Chưa rõ")):
            t = f if by == "channel" else dc.figures(30, "place")
            ui.dataframe(pd.DataFrame({label: [fmt(k) for k in t["key"]], "Tiếp nhận": t["received"],
                                       "Đã trả lời": t["handled"], "Đúng hạn": t["on_time"], "Quá hạn": t["overdue"],
                                       "Trung vị (giờ)": pd.to_numeric(t["median_hours"]).round(1)}), hide_index=True, width="stretch")


def _detail(cid: int) -> None:
    c = dc.case(cid)
    if c is None:
        st.warning(f"Không tìm thấy phản ánh #{cid}.")
        return
    st.divider()
    st.subheader(f"#{cid} · {md(c['title'], 120)}")
    st.caption(f"Kênh: {channel_text(c['channel'], c.get('outlet') or c['source'])} · Trạng thái: "
               f"{STATE_LABELS.get(c['status'], c['status'])} · Nhận: {c['opened_at']:%H:%M %d/%m/%Y} · Hạn: "
               f"{c['due_at']:%d/%m/%Y}" + data.named(c.get("assignee"), " · Giao cho: {}")
               + (f" · Địa bàn: {c['place']}" if c.get("place") else ""))
    st.text(c.get("text") or c["title"])
    link = safe_link(c.get("url"))
    if link:  # a button, never a markdown link built from feed text
        st.link_button("Mở bài gốc", link, icon=":material/open_in_new:")
    else:
        st.caption("Tin nhắn hoặc thư riêng: không có liên kết công khai.")
    if c.get("story_title"):
        st.caption(f"Thuộc vấn đề «{md(c['story_title'], 160)}»"
                   + (f", cảnh báo {c['story_alert']}." if c.get("story_alert") else " (chưa phát sinh cảnh báo)."))
        if c.get("story_alert"):
            ui.page_link("alerts", f"Mở cảnh báo {c['story_alert']}", {"alert": str(c["story_alert"])})
    if c.get("reply_text"):
        st.info(f"Đã trả lời ({'qua API của kênh' if c['reply_via'] == 'api' else 'ghi nhận trả lời trực tiếp'}, "
                f"{reply_status(c['reply_status'])}): {c['reply_text']}")
    ev = dc.events(cid)
    if len(ev):
        ui.dataframe(pd.DataFrame({"Thời gian": ev["at"],
                                   "Người thực hiện": [actor(u, a, c.get("channel") or "")
                                                       for u, a in zip(ev["username"], ev["action"])],
                                   "Thao tác": [ACTION_LABELS.get(a, a) for a in ev["action"]],
                                   "Sang": [STATE_LABELS.get(x, x) if x else None for x in ev["to_state"]],
                                   "Ghi chú": [event_note(a, n) or None for a, n in zip(ev["action"], ev["note"])]}),
                     hide_index=True, width="stretch",
                     column_config={"Thời gian": st.column_config.DatetimeColumn(format=ui.DATE_TIME_FORMAT)})
    if gate.can("analyst"):
        _actions(c)


def _actions(c: dict) -> None:
    user = gate.current_user()
    cid = int(c["id"])
    users = data.users()
    names = list(users["username"]) if len(users) else []
    keys = {"to": f"case_to_{cid}", "who": f"case_who_{cid}", "note": f"case_note_{cid}"}
    if st.session_state.pop(f"_case_saved_{cid}", False):  # emptied only once saved: a refusal keeps the note
        for k in keys.values():  # set, not deleted: the browser would send its old value back
            st.session_state[k] = ""
    with st.form(f"case_act_{cid}"):
        cols = st.columns(3)
        to = cols[0].selectbox("Chuyển sang", ["", *ALLOWED.get(c["status"], ())], key=keys["to"],
                               format_func=lambda s: STATE_LABELS.get(s, "—"), placeholder="Chọn trạng thái")
        who = cols[1].selectbox("Giao cho", ["", *names], key=keys["who"],
                                format_func=lambda u: "—" if not u else str(users.loc[users["username"] == u, "display_name"].iloc[0] or u),
                                placeholder="Chọn người xử lý")
        due = cols[2].date_input("Hạn trả lời", value=c["due_at"].date(), format="DD/MM/YYYY")
        note = st.text_input("Ghi chú nội bộ", key=keys["note"], help=f"Tối đa {fmt_num(NOTE_MAX_CHARS)} ký tự.")
        if st.form_submit_button("Lưu", type="primary"):
            try:
                if who:
                    dc.act(user, cid, "assign", assignee=who, note=note or None)
                if to:
                    dc.act(user, cid, "status", to=to, note=note or None)
                if note and not (who or to):
                    dc.act(user, cid, "note", note=note)
                if due != c["due_at"].date():
                    dc.act(user, cid, "due", due=datetime.combine(due, time(23, 59, 59)))
                # a status the list shown does not hold takes the case out of it, as an answer does: said where
                # the case's detail starts, not under a form that is gone (the reviewer's find, round 26)
                ui.set_flash(f"Đã cập nhật phản ánh #{cid}.", where=ANSWERED if _leaves_list(to) else "act")
                st.session_state[f"_case_saved_{cid}"] = True
            except Exception as exc:  # CaseError, PermissionError: said in Vietnamese
                ui.set_flash(str(exc), ok=False, where="act")
            st.rerun()
    # each form's message under it, not at the top of the page: the case's detail is under the queue, below the fold
    # at 1366×768 (round 26)
    ui.flash("act")
    if c["status"] in ("answered", "closed"):
        return
    can_send = c["channel"] in REPLY_CHANNELS
    # emptied only after a reply is sent or recorded (ui.renew_form): `clear_on_submit` emptied the box on a refusal
    # too (a reply past 5.000 characters, a channel that failed), and the reply typed was lost (round 28's review)
    scope = f"case_reply_{cid}"
    with st.form(scope):
        text = st.text_area("Nội dung trả lời", key=ui.form_key(scope) + "text",
                            help="Gửi qua fanpage/Zalo OA của cơ quan khi kênh cho phép; nếu "
                                 "không, ghi nhận là đã trả lời trực tiếp (điện thoại, gặp mặt, thư). "
                                 f"Tối đa {fmt_num(REPLY_MAX_CHARS)} ký tự.")
        manual = st.checkbox("Đã trả lời trực tiếp, chỉ ghi nhận", value=not can_send, disabled=not can_send)
        if st.form_submit_button("Gửi trả lời" if can_send else "Ghi nhận đã trả lời"):
            try:
                status = dc.reply(user, cid, text, manual=manual or not can_send)
                failed = status.startswith("failed")
                ui.set_flash(f"Phản ánh #{cid}: " + ("đã gửi trả lời." if status.startswith("sent") else
                                                    "đã ghi nhận trả lời." if status == "manual" else
                                                    f"gửi không được — {status.removeprefix('failed: ')}"),
                             # answered, the case leaves «Đang mở» and the picker shows the next one (or none):
                             # said where the case's detail starts (ANSWERED), a refusal under the form
                             ok=not failed, where="reply" if failed else ANSWERED)
                if not failed:
                    ui.renew_form(scope)
            except Exception as exc:
                ui.set_flash(str(exc), ok=False, where="reply")
            st.rerun()
    ui.flash("reply")
