"""Quản trị (admins): users and roles, retention settings, and the audit log viewer (alert review,
dashboard changes, logins)."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from dashboard import actions, data, gate, ui
from orchestration.accounts import DISPLAY_NAME_MAX, ROLES, AuthService, AuthSettings, check_password_strength
from dashboard.labels import ACTION_LABELS, ROLE_LABELS, SEVERITY_LABELS, SOURCE_TYPES, TOPIC_LABELS
from vocab.alerts import state_change
from vocab.numbers import number

PAGE = {"title": "Quản trị", "icon": ":material/admin_panel_settings:", "order": 90, "min_role": "admin"}
# a new office has only the first admin's account: the next step is the staff's own. Said above the tabs (round 26):
# in «Người dùng và quyền» it was out of sight, as the page opens on «Nhật ký thao tác»
ONE_ACCOUNT = ("Mới có một tài khoản quản trị. Tạo tài khoản riêng cho từng người ở thẻ «Người dùng và quyền» → "
               "«Thêm người dùng»: Chuyên viên xử lý cảnh báo và sửa nhãn, Xem chỉ đọc; mọi thao tác được ghi theo "
               "tài khoản.")
# who acted, where no account did: the command line, the demo's seeding, detection («(cli)» was shown as it is stored)
ACTORS = {"(cli)": "Dòng lệnh (langnghe)", "(demo)": "Dữ liệu mẫu (demo)", "system": "hệ thống"}
AUDIT_ROWS = 1000  # rows of the audit table (the caption counts every action of the period)


def _auth() -> AuthService:
    return AuthService(data.db(), AuthSettings.from_config(data.config()))


# The four roles of «Vai trò» (the line named three: «Cộng tác viên», first in the box, was not said; ux41's walk)
ROLES_TEXT = ("Cộng tác viên: chỉ gửi «Báo cáo CTV». Xem: chỉ đọc. Chuyên viên: xử lý cảnh báo, sửa nhãn tin, nhập "
              "dữ liệu. Quản trị: thêm quản lý người dùng, nguồn tin và thiết lập.")
# A new account is told to nobody (no mail is sent): a new office's admin read «Đã tạo tài khoản …» and no next step
HAND_OVER = ("Hệ thống không tự gửi gì: trao cho người dùng tên đăng nhập, mật khẩu ban đầu và địa chỉ của bảng điều "
             "khiển (địa chỉ trang này). Sau lần đăng nhập đầu, người dùng tự đổi mật khẩu ở mục «Đổi mật khẩu» "
             "bên trái.")  # ux42: the sidebar's own change


def render() -> None:
    st.title("Quản trị")
    ui.flash()
    if not gate.can("admin"):
        st.error("Trang này chỉ dành cho quản trị viên.")
        return
    if len(data.users()) <= 1:
        ui.empty(ONE_ACCOUNT)
    # keyed, as every tab set (tests/dashboard/test_tabs_keyed.py): the message an action leaves above them made
    # keyless tabs new ones, back on the first, after each «Lưu»
    t_audit, t_users, t_ret = ui.tabs(["Nhật ký thao tác", "Người dùng và quyền", "Lưu trữ dữ liệu"], key="admin_tab")
    with t_audit:
        _audit()
    with t_users:
        _users()
    with t_ret:
        _retention()


def _users() -> None:
    users = data.users()
    me = gate.current_user()
    if len(users):
        ui.dataframe(pd.DataFrame({
            "Tên đăng nhập": users["username"],
            "Họ tên": users["display_name"],
            "Vai trò": [ROLE_LABELS.get(r, r) for r in users["role"]],
            "Trạng thái": ["hoạt động" if a else "đã khóa" for a in users["active"]],
            "Đăng nhập gần nhất": users["last_login_at"],
            "Tạo lúc": users["created_at"],
        }), hide_index=True, width="stretch", placeholder="—",
            column_config={"Đăng nhập gần nhất": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
                           "Tạo lúc": st.column_config.DatetimeColumn(format="DD/MM/YYYY")})
    st.caption(ROLES_TEXT)
    left, right = st.columns(2)
    if st.session_state.pop("_user_added", False):  # emptied only once created: a refusal keeps what was typed
        for k in ("ua_name", "ua_display", "ua_pw"):
            st.session_state[k] = ""
    with left:
        with st.form("user_add", enter_to_submit=False):
            st.markdown("**Thêm người dùng**")
            name = st.text_input("Tên đăng nhập (chữ thường không dấu)", key="ua_name")
            display = st.text_input("Họ tên hiển thị", key="ua_display", max_chars=DISPLAY_NAME_MAX)
            role = st.selectbox("Vai trò", ROLES, format_func=ROLE_LABELS.get, placeholder="Chọn vai trò")
            pw = st.text_input("Mật khẩu ban đầu", type="password", key="ua_pw")
            if st.form_submit_button("Tạo tài khoản", type="primary"):
                def add() -> None:
                    actions.create_user(data.db(), _auth(), me, name, pw, role, display or None)
                    st.session_state["_user_added"] = True
                ui.save_and_rerun(add, f"Đã tạo tài khoản {name.strip().lower()}. {HAND_OVER}", data.refresh, "add")
        ui.flash("add")
    with right:
        if len(users):
            who = st.selectbox("Sửa tài khoản", list(users["username"]), key="user_pick", placeholder="Chọn tài khoản")
            row = users[users["username"] == who].iloc[0]
            with st.form(f"user_edit_{who}", enter_to_submit=False):
                new_role = st.selectbox("Vai trò", ROLES, index=list(ROLES).index(row["role"]),
                                        format_func=ROLE_LABELS.get, placeholder="Chọn vai trò")
                active = st.checkbox("Cho phép đăng nhập", value=bool(row["active"]))
                new_pw = st.text_input("Đặt lại mật khẩu (để trống nếu không đổi)", type="password")
                if st.form_submit_button("Lưu"):
                    def go() -> None:
                        if new_pw:  # before any change: a refused password left the new role saved, unsaid
                            check_password_strength(new_pw, _auth().s.min_password_length)
                        actions.update_user(data.db(), _auth(), me, who, role=new_role, active=active)
                        if new_pw:
                            actions.reset_password(data.db(), _auth(), me, who, new_pw)
                    ui.save_and_rerun(go, f"Đã cập nhật tài khoản {who}.", data.refresh, "edit")
            ui.flash("edit")
    _lockouts()


def _lockouts() -> None:
    """Accounts locked out of logging in (too many wrong passwords from one address), and the way out."""
    locked = _auth().lockouts()
    st.markdown("**Tạm khóa đăng nhập**")
    ui.flash("unlock")  # above the table, not under the button: once the last account is unlocked neither is drawn
    if not locked:
        st.caption("Không có tài khoản nào đang bị tạm khóa đăng nhập.")
        return
    ui.dataframe(pd.DataFrame({
        "Tên đăng nhập": [p["username"] for p in locked],
        "Địa chỉ": [p["client"] or "không rõ" for p in locked],
        "Số lần sai liên tiếp": [int(p["failures"]) for p in locked],
        "Khóa đến": [data.local(p["until"]) for p in locked],
    }), hide_index=True, width="stretch",
        column_config={"Khóa đến": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")})
    names = sorted({p["username"] for p in locked})
    c1, c2 = st.columns([2, 1])
    who = c1.selectbox("Mở khóa tài khoản", names, key="unlock_pick", placeholder="Chọn tài khoản")
    if c2.button("Mở khóa", key="unlock_go", icon=":material/lock_open:"):
        ui.save_and_rerun(lambda: actions.unlock_user(data.db(), _auth(), gate.current_user(), who),
                          f"Đã mở khóa đăng nhập cho {who}.", data.refresh, "unlock")


def _retention() -> None:
    cfg = data.config()
    settings = data.ui_settings()
    current = {
        "items_days": settings.get("retention.items_days", cfg.retention.items_days),
        "raw_payload_days": settings.get("retention.raw_payload_days", cfg.retention.raw_payload_days),
        "mask_author_handles": settings.get("retention.mask_author_handles", cfg.retention.mask_author_handles),
    }
    st.caption("Giá trị mặc định lấy từ langnghe.toml; thay đổi ở đây được lưu trong cơ sở dữ liệu và ghi nhật ký.")
    with st.form("retention", enter_to_submit=False):
        items_days = st.number_input("Giữ tin bài (ngày)", min_value=30, max_value=3650, value=int(current["items_days"]))
        raw_days = st.number_input("Giữ dữ liệu gốc tải về (ngày)", min_value=1, max_value=365,
                                   value=int(current["raw_payload_days"]))
        mask = st.checkbox("Che tên tài khoản cá nhân trên giao diện và báo cáo", value=bool(current["mask_author_handles"]))
        if st.form_submit_button("Lưu thiết lập lưu trữ", type="primary"):
            ui.save_and_rerun(lambda: actions.save_retention(data.db(), gate.current_user(), current,
                                                             {"items_days": items_days, "raw_payload_days": raw_days,
                                                              "mask_author_handles": mask}),
                              "Đã lưu thiết lập lưu trữ.", data.refresh, "retention")
    ui.flash("retention")


KEY_LABELS = {"role": "vai trò", "display_name": "họ tên", "active": "cho phép đăng nhập", "password": "mật khẩu",
              "since": "từ", "held_at": "lúc", "topics": "chủ đề", "sentiment": "sắc thái", "places": "địa danh",
              "in_area": "thuộc địa bàn", "enabled": "đang thu thập", "url": "địa chỉ", "outlet": "cơ quan",
              "kind": "loại", "interval_minutes": "chu kỳ (phút)", "source_type": "loại nguồn", "options": "tùy chọn",
              "items_days": "giữ tin (ngày)", "raw_payload_days": "giữ dữ liệu gốc (ngày)",
              "mask_author_handles": "che tên tài khoản", "name": "tên", "removed": "đã xóa",
              "query": "từ khóa", "source_types": "loại nguồn", "min_items": "số tin tối thiểu",
              "window_minutes": "trong vòng (phút)", "severity": "mức độ"}


def _value_text(key: str, v: object) -> str:
    """A value of an audit row in Vietnamese: codes by their labels, lists joined, yes / no, '—' for nothing
    (the Quản trị log showed "severity: high", "source_types: []", "bật: True")."""
    if isinstance(v, bool):
        return "có" if v else "không"
    if isinstance(v, (list, tuple)):
        return ", ".join(_value_text(key, x) for x in v) or "—"
    if v is None or v == "":
        return "—"
    labels = {"role": ROLE_LABELS, "severity": SEVERITY_LABELS, "mức tối thiểu": SEVERITY_LABELS,
              "source_types": SOURCE_TYPES, "source_type": SOURCE_TYPES, "topics": TOPIC_LABELS}.get(key, {})
    return str(labels.get(v, v)) if isinstance(v, str) else str(v)


def _detail_text(s: object) -> str:
    try:
        d = json.loads(s) if isinstance(s, str) else (s or {})
    except ValueError:
        return str(s)
    if not isinstance(d, dict):
        return str(d)
    out = []
    for k, v in d.items():
        label = KEY_LABELS.get(k, k)
        if isinstance(v, dict) and set(v) == {"trước", "sau"}:
            out.append(f"{label}: {_value_text(k, v['trước'])} → {_value_text(k, v['sau'])}")
        else:
            out.append(f"{label}: {_value_text(k, v)}")
    return "; ".join(out)


def _audit() -> None:
    ui.keep("audit_days", 7)  # kept while another page is open
    days = st.segmented_control("Khoảng thời gian", [1, 7, 30, 365], key="audit_days",
                                format_func=lambda d: f"{d} ngày") or 7
    show_system = st.checkbox("Hiện cả thao tác tự động của hệ thống (phát hiện cảnh báo)", key="audit_system")
    log = data.audit(days, AUDIT_ROWS, show_system)
    rows = []
    al = log["alerts"]
    for _, r in al.iterrows():
        rows.append({"Thời gian": r["at"], "Người thực hiện": ACTORS.get(r["username"], r["username"]),
                     "Thao tác": ACTION_LABELS.get(r["action"], r["action"]), "Đối tượng": f"Cảnh báo {r['alert_id']}",
                     "Thay đổi": state_change(r["from_state"], r["to_state"]), "Nội dung": r["note"] if isinstance(r["note"], str) else ""})
    dash = log["dashboard"]
    for _, r in dash.iterrows():
        rows.append({"Thời gian": r["at_time"], "Người thực hiện": ACTORS.get(r["username"], r["username"]),
                     "Thao tác": ACTION_LABELS.get(r["action"], r["action"]), "Đối tượng": r["target"] or "",
                     "Thay đổi": _detail_text(r["detail"]), "Nội dung": ""})
    n_lock = int((dash["action"] == "login.lockout").sum()) if len(dash) else 0
    if n_lock:
        st.caption(f"{n_lock} lần tạm khóa đăng nhập do nhập sai mật khẩu trong {days} ngày qua.")
    df = pd.DataFrame(rows, columns=["Thời gian", "Người thực hiện", "Thao tác", "Đối tượng", "Thay đổi", "Nội dung"])
    # the newest AUDIT_ROWS of both logs together (each log was read up to AUDIT_ROWS); the count is of them all
    df = df.sort_values("Thời gian", ascending=False).head(AUDIT_ROWS) if len(df) else df
    total = int(log["total"])
    st.caption(f"{number(total)} thao tác trong {days} ngày qua"
               + (f"; bảng liệt kê {number(len(df))} thao tác mới nhất." if total > len(df) else "."))
    if not len(df):
        ui.empty("Chưa có thao tác nào trong khoảng thời gian này.")
    else:
        st.markdown("**Thao tác gần đây**")
        recent = df.head(15).assign(**{"Thời gian": [f"{t:%d/%m/%Y %H:%M:%S}" for t in df.head(15)["Thời gian"]]})
        st.table(recent.set_index("Thời gian"))
        if len(df) > 15:
            with st.expander(f"Nhật ký ({number(len(df))} thao tác): lọc, sắp xếp, tải về"):
                ui.dataframe(df, hide_index=True, width="stretch", placeholder="—", height=420,
                             column_config={"Thời gian": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm:ss"),
                                            "Nội dung": st.column_config.TextColumn(width="large")})
    logins = log["logins"]
    with st.expander(f"Lịch sử đăng nhập ({len(logins)})"):
        if len(logins):
            ui.dataframe(pd.DataFrame({
                "Thời gian": logins["at_time"], "Tên đăng nhập": logins["username"],
                "Địa chỉ": logins["client"].fillna("máy chủ"), "Kết quả": ["thành công" if o else "sai" for o in logins["ok"]],
            }), hide_index=True, width="stretch", placeholder="—",
                column_config={"Thời gian": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm:ss")})
