"""The login gate: the only Streamlit part of access control (logic lives in dashboard/auth.py).

app.py calls `require_login()` before routing; it returns the signed-in User or draws the login form
and stops the script. Pages ask `current_user()` who is acting and `can(role)` what they may do.
The session token lives in this browser session's state only (reloading the page asks to sign in
again); the database keeps its SHA-256, the expiry and the idle timer.
"""

from __future__ import annotations

import streamlit as st

from dashboard import data, nav, ui
from dashboard.auth import AuthService, AuthSettings, User, role_allows
from dashboard.labels import ROLE_LABELS

_EXPIRED = {
    "expired": "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
    "idle": "Phiên đăng nhập đã kết thúc do lâu không thao tác. Vui lòng đăng nhập lại.",
    "revoked": "Phiên đăng nhập đã bị thu hồi (tài khoản thay đổi quyền hoặc mật khẩu). Vui lòng đăng nhập lại.",
}


def _auth() -> AuthService:
    return AuthService(data.db(), AuthSettings.from_config(data.config()))


def current_user() -> User:
    u = st.session_state.get("user")
    if not u:
        return User("", "", "viewer")
    return User(u["username"], u["display_name"], u["role"])


def can(min_role: str) -> bool:
    return role_allows(current_user().role, min_role)


def _client() -> str | None:
    try:
        ip = st.context.ip_address
    except Exception:
        return None
    return ip if isinstance(ip, str) else None


def _login_form(auth: AuthService) -> None:
    why = st.session_state.get("_login_why")
    _, mid, _ = st.columns([1, 1.2, 1])
    with mid:
        st.title("Lắng Nghe")
        st.caption("Theo dõi báo chí và mạng xã hội, nắm bắt dư luận xã hội")
        if why in _EXPIRED:
            st.info(_EXPIRED[why])
        with st.form("login", enter_to_submit=False):
            username = st.text_input("Tên đăng nhập", key="login_user")
            password = st.text_input("Mật khẩu", type="password", key="login_password")
            submitted = st.form_submit_button("Đăng nhập", type="primary", width="stretch")
        if submitted:
            res = auth.login(username, password, client=_client())
            if res.ok and res.token:
                st.session_state["auth_token"] = res.token
                st.session_state.pop("_login_why", None)
                st.rerun()
            st.error(res.message)
        if not auth.users():
            st.warning(
                "Chưa có tài khoản nào. Tạo quản trị viên đầu tiên trên máy chủ:\n\n"
                "`langnghe users add TÊN --role admin`"
            )


def require_login() -> User:
    st.html(ui.BASE_CSS)
    auth = _auth()
    user, why = auth.check(st.session_state.get("auth_token"))
    if user is not None:
        st.session_state["user"] = {"username": user.username, "display_name": user.display_name, "role": user.role}
        with st.sidebar:
            st.caption(f"Đăng nhập: **{user.display_name}** ({ROLE_LABELS.get(user.role, user.role)})")
            if st.button("Đăng xuất", key="logout", icon=":material/logout:"):
                auth.logout(st.session_state.pop("auth_token", None))
                st.session_state.pop("user", None)
                st.rerun()
        return user

    st.session_state.pop("auth_token", None)
    st.session_state.pop("user", None)
    st.session_state["_login_why"] = why
    # Until sign-in every page address shows the login form (navigation hidden, so Streamlit never lists
    # dashboard/pages/ itself); after it, the same address shows the real page: deep links survive a login.
    login = [
        st.Page(lambda: _login_form(auth), title="Đăng nhập", url_path=s.name, default=(i == 0))
        for i, s in enumerate(nav.discover())
    ]
    st.navigation(login, position="hidden").run()
    st.stop()
    raise RuntimeError("unreachable")  # st.stop() raises
