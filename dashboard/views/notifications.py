"""Thông báo: what reaches me, and how — my subscriptions (channel and address, severity at or above a
level, topics, places, watchlists, immediate or digest, quiet hours); for admins, the send log and a test
message. Notifications go out from the outbox (orchestration/notify.py); secrets are never shown here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, data_notify as dn, gate, ui
from store.notify import Subscription
from vocab.alerts import SEVERITY_LABELS
from vocab.labels import TOPIC_LABELS, topics_text

PAGE = {"title": "Thông báo", "icon": ":material/notifications:", "order": 85, "min_role": "viewer"}
QUEUE_LABELS = {"pending": "chờ gửi", "sending": "đang gửi", "sent": "đã gửi", "failed": "bỏ (lỗi)",
                "partial": "gửi được một phần", "dropped": "không gửi (cảnh báo đã bỏ qua hoặc đăng ký đã tắt)"}
RESULTS = {"sent": "được", "failed": "lỗi", "dropped": "không gửi"}  # the send log's Kết quả column
MODES = {"immediate": "Ngay khi có cảnh báo", "hourly": "Gộp mỗi giờ", "daily": "Gộp mỗi ngày"}


# a new install has no SMTP relay ([notify.email] host ""): «Thư điện tử (SMTP)», the channel the form opens on, was saved
# and then failed at every push, unsaid until the retries gave up (round 26's first-day walk)
NO_SMTP = ("Máy chủ chưa cấu hình gửi thư điện tử (mục [notify.email] host trong langnghe.toml): đăng ký nhận qua "
           "«Thư điện tử (SMTP)» vẫn lưu được nhưng chưa gửi được thư nào cho đến khi quản trị viên cấu hình. Cần nhận "
           "ngay thì chọn kênh khác (Telegram, Zalo OA, webhook).")
# the same for a viewer or analyst, who has no langnghe.toml to open: the config key is the administrator's word
# (review31, ux40: every role read «mục [notify.email] host»)
NO_SMTP_STAFF = ("Máy chủ chưa cấu hình gửi thư điện tử: quản trị viên cần cấu hình máy chủ thư. Đăng ký nhận qua "
                 "«Thư điện tử (SMTP)» vẫn lưu được nhưng chưa gửi được thư nào cho đến khi đó. Cần nhận ngay thì "
                 "chọn kênh khác (Telegram, Zalo OA, webhook).")


def render() -> None:
    st.title("Thông báo cảnh báo")
    st.caption("Nhận cảnh báo qua thư điện tử, Telegram, Zalo OA hoặc webhook ngay khi hệ thống phát hiện, "
               "theo mức độ, chủ đề, địa bàn và danh sách theo dõi bạn chọn.")
    ui.flash()
    user = gate.current_user()
    subs = dn.my_subscriptions(user.username)
    labels = dn.channels()
    if subs:
        ui.dataframe(pd.DataFrame({
            "Kênh": [labels.get(s.channel, s.channel) for s in subs], "Gửi tới": [s.address for s in subs],
            "Từ mức": [SEVERITY_LABELS.get(s.min_severity, s.min_severity) for s in subs],
            "Chủ đề": [topics_text(s.topics) or "tất cả" for s in subs],  # «; »: the labels hold commas
            "Địa bàn": [", ".join(s.places) or "tất cả" for s in subs],
            "Cách gửi": [MODES.get(s.mode, s.mode) + (f" ({s.daily_at})" if s.mode == "daily" else "") for s in subs],
            "Giờ yên lặng": [f"{s.quiet_start}–{s.quiet_end}" if s.quiet_start else None for s in subs],
            "Bật": [s.active for s in subs]}), hide_index=True, width="stretch")
    else:
        ui.empty("Bạn chưa đăng ký nhận thông báo nào. Thêm một đăng ký ở dưới.")
    for t in dn.delivery_trouble(user.username):  # staff must know a push is not reaching them
        st.warning(dn.trouble_text(t, labels), icon=":material/notifications_off:")
        _resend_button(user, t, "resend")
    ui.flash("resend")  # where the warning stood: once resent, its rows wait again and it is gone
    _form(user, dn.offered_channels())  # the console only in the demo or when configured (ux42)
    if subs:
        with st.expander("Xóa một đăng ký"):
            sid = st.selectbox("Đăng ký", [s.id for s in subs], key="nt_del",
                               format_func=lambda i: next(f"{labels.get(s.channel)} → {s.address}" for s in subs if s.id == i),
                               placeholder="Chọn đăng ký")
            if st.button("Xóa", key="nt_del_go"):
                dn.delete(user, int(sid))
                ui.set_flash("Đã xóa đăng ký.", where="delete")
                st.rerun()
    ui.flash("delete")  # outside the expander: after the last subscription is deleted it is not drawn
    if gate.can("admin"):
        _admin(user, labels, dn.offered_channels())


def _form(user, labels: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    wls = dn.watchlists()
    with st.form("nt_form", clear_on_submit=False):
        st.markdown("**Thêm hoặc sửa đăng ký** (cùng kênh và địa chỉ thì sửa)")
        if "email" in labels and not dn.email_configured():  # the first channel offered: a new office's default
            st.info(NO_SMTP if gate.can("admin") else NO_SMTP_STAFF, icon=":material/mail_lock:")  # info: the warnings above are failing pushes
        c = st.columns(3)
        channel = c[0].selectbox("Kênh", list(labels), format_func=labels.get, placeholder="Chọn kênh")
        address = c[1].text_input("Gửi tới", placeholder="thư điện tử, mã nhóm Telegram, địa chỉ webhook…")
        sev = c[2].selectbox("Từ mức", ["low", "medium", "high"], index=1, format_func=SEVERITY_LABELS.get,
                             placeholder="Chọn mức")
        c = st.columns(3)
        topics = c[0].multiselect("Chủ đề (trống: tất cả)", list(TOPIC_LABELS), format_func=TOPIC_LABELS.get,
                                  placeholder="tất cả chủ đề")
        places = c[1].text_input("Địa bàn (trống: tất cả; ngăn bằng dấu phẩy)", placeholder=_places_example())
        watch = c[2].multiselect("Danh sách theo dõi", list(wls), format_func=wls.get, placeholder="không giới hạn")
        c = st.columns(4)
        mode = c[0].selectbox("Cách gửi", list(MODES), format_func=MODES.get, placeholder="Chọn cách gửi")
        daily = c[1].text_input("Giờ gửi gộp ngày", value="07:30")
        q1 = c[2].text_input("Yên lặng từ", placeholder="22:00", help="Trong giờ yên lặng chỉ cảnh báo mức Cao được gửi ngay; cảnh báo khác được gửi gộp "
                                     "lúc hết giờ yên lặng. 00:00 đến 24:00: yên lặng cả ngày, chỉ nhận mức Cao.")
        q2 = c[3].text_input("đến", placeholder="06:00")
        active = st.checkbox("Bật", value=True)
        if st.form_submit_button("Lưu đăng ký", type="primary"):
            try:
                dn.save(user, Subscription(0, user.username, channel, address.strip(), sev, tuple(topics),
                                           tuple(p.strip() for p in places.split(",") if p.strip()), tuple(watch),
                                           mode, daily.strip() or "07:30", q1.strip(), q2.strip(), active))
                ui.set_flash("Đã lưu đăng ký nhận thông báo.", where="form")
            except (ValueError, PermissionError) as exc:
                ui.set_flash(str(exc), ok=False, where="form")
            st.rerun()
    ui.flash("form")  # under the form: with a few subscriptions listed its button is near the fold at 768 px


def _resend_button(user, t: dict, where: str) -> None:  # type: ignore[no-untyped-def]
    """Under a warning with given-up rows: put them back in the queue once the channel is fixed. Said where the
    warnings are (`where`), not at the top of the page (round 26): an admin's list of others' is under the form."""
    if not t["failed"]:
        return
    if st.button("Gửi lại các tin lỗi", key=f"nt_resend_{t['subscription_id']}", icon=":material/send:",
                 help=f"Đưa các tin đã bỏ (trong {dn.TROUBLE_DAYS} ngày qua) của đăng ký này vào hàng đợi, đếm lại số lần thử; "
                      "lượt gửi tới gửi lại chúng, cũ trước mới sau (tin chỉ gửi được một phần thì chỉ gửi tới các địa chỉ chưa nhận)."):
        try:
            n = dn.resend_failed(user, int(t["subscription_id"]))
            ui.set_flash(f"Đã đưa {n} tin lỗi vào hàng đợi; lượt gửi tới sẽ gửi lại chúng.", where=where)
        except (ValueError, PermissionError) as exc:
            ui.set_flash(str(exc), ok=False, where=where)
        st.rerun()


def _result(row) -> str:  # type: ignore[no-untyped-def]
    """«không gửi» for a row dropped on purpose (alert dismissed, subscription off): it read «được» before."""
    return RESULTS["dropped" if row.dropped else "sent" if row.ok else "failed"]


def _admin(user, labels: dict[str, str], offered: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    st.divider()
    st.subheader("Quản trị: nhật ký gửi")
    for t in dn.delivery_trouble():
        if t["username"] != user.username:
            st.warning(data.named(t['username'], '{}: ') + dn.trouble_text(t, labels), icon=":material/notifications_off:")
            _resend_button(user, t, "resend_others")
    ui.flash("resend_others")
    counts = dn.outbox_counts()
    st.caption("Hàng đợi: " + (" · ".join(f"{QUEUE_LABELS.get(k, k)}: {v}" for k, v in counts.items()) or "trống"))
    log = dn.send_log()
    if len(log):
        ui.dataframe(pd.DataFrame({"Lúc": log["logged_at"], "Kênh": [labels.get(c, c) for c in log["channel"]],
                                   "Gửi tới": log["address"], "Kết quả": [_result(r) for r in log.itertuples()],
                                   "Chi tiết": log["detail"]}), hide_index=True, width="stretch",
                     column_config={"Lúc": st.column_config.DatetimeColumn(format=ui.DATE_TIME_FORMAT)})
    else:
        ui.empty("Chưa gửi thông báo nào.")
    with st.form("nt_test"):
        c = st.columns([1, 2, 1])
        ch = c[0].selectbox("Kênh", list(offered), format_func=offered.get, key="nt_test_ch", placeholder="Chọn kênh")
        to = c[1].text_input("Gửi tới", key="nt_test_to")
        if c[2].form_submit_button("Gửi thử"):
            ok, detail = dn.send_test(user, ch, to.strip())
            ui.set_flash(test_answer(ok, labels.get(ch, ch), to.strip(), detail), ok=ok, where="test")
            st.rerun()
    ui.flash("test")


def test_answer(ok: bool, label: str, to: str, detail: str) -> str:
    """«Gửi thử»'s answer: where it went and what the far end said, or why not and what to do. It read «Đã gửi thử:
    accepted» and «Gửi thử không được: webhook không trả lời: ConnectError» (round 28's walk)."""
    # as written, cut: ui.flash escapes what could draw a link or an image (labels.no_links); md() here as well
    # showed its backslashes («ai@uongbi\\.test», the review's find, round 28)
    where = f"tới «{to[:80]}» qua {label}"
    # on one line: the far end's words (a mail server's reply of several lines, a webhook's body) began lines of the
    # markdown, and one starting with «#», «>» or «-» drew a heading, a quote or a list (round 30's sweep; fix31)
    said = " ".join(detail.split()).rstrip(".")[:300]
    return f"Đã gửi thử {where}: {said}." if ok else f"Gửi thử {where} không được: {said}."


def _places_example() -> str:
    """«Vàng Danh, Uông Bí» for Quảng Ninh; the area's own names elsewhere (ux41: a Nghệ An office read Quảng Ninh's)."""
    ex = data.area_examples()
    unit = ex["unit"].split(" ", 1)[-1]
    return "Vàng Danh, Uông Bí" if ex["place"] == "Vàng Danh" else ", ".join(dict.fromkeys((unit, ex["place"])))
