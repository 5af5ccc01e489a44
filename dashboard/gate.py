"""The login gate: the only Streamlit part of access control (logic lives in orchestration/accounts.py).

app.py calls `require_login()` before routing; it returns the signed-in User or draws the login form
and stops the script. Pages ask `current_user()` who is acting and `can(role)` what they may do.
The session token lives in this browser session's state and, with auth.remember_in_browser, in a
cookie, so that reloading the page keeps the user signed in (Streamlit starts a new session on every
reload; the cookie arrives with the new websocket in st.context.cookies). The database keeps only the
token's SHA-256, the expiry and the idle timer, and checks them on every run; signing out revokes the
token and clears the cookie.
"""

from __future__ import annotations

import re

import streamlit as st

from dashboard import data, nav, ui
from orchestration.accounts import SESSION_COOKIE, AuthService, AuthSettings, User, client_address, role_allows
from dashboard.labels import ROLE_LABELS, md

_EXPIRED = {
    "expired": "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
    "idle": "Phiên đăng nhập đã kết thúc do lâu không thao tác. Vui lòng đăng nhập lại.",
    "revoked": "Phiên đăng nhập đã bị thu hồi (tài khoản thay đổi quyền hoặc mật khẩu). Vui lòng đăng nhập lại.",
}


COOKIE = SESSION_COOKIE
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,100}$")  # secrets.token_urlsafe: safe to put in a script


def _auth() -> AuthService:
    return AuthService(data.db(), AuthSettings.from_config(data.config()))


def current_user() -> User:
    u = st.session_state.get("user")
    if not u:
        return User("", "", "viewer")
    return User(u["username"], u["display_name"], u["role"])


def can(min_role: str) -> bool:
    return role_allows(current_user().role, min_role)


def _client(trusted_proxies: tuple[str, ...]) -> str:
    """The address logins are throttled by: the connection's, or X-Forwarded-For's when the connection
    comes from a trusted proxy; loopback (one shared bucket) when unknown. See auth.client_address."""
    try:
        ip = st.context.ip_address
        forwarded = st.context.headers.get_all("X-Forwarded-For")
    except Exception:  # no browser behind this run (AppTest)
        ip, forwarded = None, []
    return client_address(ip if isinstance(ip, str) else None, forwarded or [], trusted_proxies)


def _cookie_token() -> str | None:
    """The token the browser sent with this session's websocket, unless this session dropped it."""
    if st.session_state.get("_cookie_dropped"):
        return None
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no browser behind this run (AppTest)
        return None
    return value if isinstance(value, str) and _TOKEN_RE.match(value) else None


def _write_cookie(token: str | None, max_age_s: int) -> None:
    """Set (or, with no token, clear) the session cookie in the browser. Only our own token, checked
    against _TOKEN_RE, is ever put in the script."""
    value = token if token and _TOKEN_RE.match(token) else ""
    age = max_age_s if value else 0
    st.html(
        f"<script>document.cookie = '{COOKIE}={value}; Path=/; Max-Age={age}; SameSite=Strict'"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


LOGIN_EMPTY = "Nhập cả tên đăng nhập và mật khẩu rồi bấm «Đăng nhập» (hoặc Enter)."


def _login_form(auth: AuthService) -> None:
    why = st.session_state.get("_login_why")
    _, mid, _ = st.columns([1, 1.2, 1])
    with mid:
        st.title("Lắng Nghe")
        st.caption("Theo dõi báo chí và mạng xã hội, nắm bắt dư luận xã hội")
        if why in _EXPIRED:
            st.info(_EXPIRED[why])
        # Enter signs in, as on every sign-in form (ux39: typed with the keyboard alone, the password then Enter did
        # nothing, and nothing said why); a box left empty is asked for, not tried (a try counts towards a lockout)
        with st.form("login", enter_to_submit=True):
            username = st.text_input("Tên đăng nhập", key="login_user")
            password = st.text_input("Mật khẩu", type="password", key="login_password")
            submitted = st.form_submit_button("Đăng nhập", type="primary", width="stretch")
        if submitted and not (username.strip() and password):
            st.session_state.pop("login_password", None)
            st.error(LOGIN_EMPTY)
        elif submitted:
            res = auth.login(username, password, client=_client(auth.s.trusted_proxies))
            if res.ok and res.token:
                st.session_state["auth_token"] = res.token
                st.session_state["_cookie_write"] = res.token
                st.session_state.pop("_login_why", None)
                st.rerun()
            st.session_state.pop("login_password", None)  # a refused password does not stay in the state (fix38)
            st.error(res.message)
        if not auth.users():
            st.warning(
                "Chưa có tài khoản nào. Tạo quản trị viên đầu tiên trên máy chủ:\n\n"
                "`langnghe users add TÊN --role admin`"
            )


def require_login() -> User:
    st.html(ui.BASE_CSS)
    auth = _auth()
    remember = auth.s.remember_in_browser
    token = st.session_state.get("auth_token")
    from_cookie = not token and remember and (token := _cookie_token()) is not None
    user, why = auth.check(token)
    with st.sidebar:
        if "_cookie_write" in st.session_state:  # until a run has drawn it to the end (cookie_sent)
            written = st.session_state["_cookie_write"]
            if remember or not written:
                _write_cookie(written, int(auth.s.session_hours * 3600))
    if user is not None:
        st.session_state["auth_token"] = token
        st.session_state["user"] = {"username": user.username, "display_name": user.display_name, "role": user.role}
        with st.sidebar:
            st.caption(signed_in_text(user.display_name, ROLE_LABELS.get(user.role, user.role)))
            if st.button("Đăng xuất", key="logout", icon=":material/logout:"):
                auth.logout(st.session_state.pop("auth_token", None))
                st.session_state.pop("user", None)
                st.session_state["_cookie_dropped"] = True
                st.session_state["_cookie_write"] = None  # clear it in the browser
                st.rerun()
            _password_form(auth, user)
        return user

    if from_cookie:  # a stale cookie: forget it here and in the browser
        st.session_state["_cookie_dropped"] = True
        with st.sidebar:
            _write_cookie(None, 0)
        if why == "revoked":
            why = "none"  # signed out in another tab, most likely: nothing to explain
    st.session_state.pop("auth_token", None)
    st.session_state.pop("user", None)
    st.session_state["_login_why"] = why
    # Until sign-in every page address shows the login form (navigation hidden); after it, the same address
    # shows the real page: deep links survive a login. The page modules live in dashboard/views/, not
    # pages/: a pages/ folder beside app.py made a fresh server run pages/<name>.py itself for a deep link
    # opened before any session had run app.py (a blank page, and no gate).
    # The root and every page's name are login pages (the first page's own /overview too: see nav.HOME_PATH),
    # and so is any other address, so none shows Streamlit's English «Page not found» before the form.
    names = [s.name for s in nav.discover()]
    login = [st.Page(lambda: _login_form(auth), title="Đăng nhập", url_path=nav.HOME_PATH, default=True)]
    asked = nav.unknown_name(st.context.url, names)
    login += [st.Page(lambda: _login_form(auth), title="Đăng nhập", url_path=name)
              for name in names + ([asked] if asked else [])]
    st.navigation(login, position="hidden").run()
    cookie_sent()  # the login form drawn to the end: a sign-out's clearing script is not sent again on every run
    st.stop()
    raise RuntimeError("unreachable")  # st.stop() raises


PASSWORD_CHANGED = ("Đã đổi mật khẩu. Lần đăng nhập sau dùng mật khẩu mới; bạn vẫn đăng nhập ở đây, các nơi khác "
                    "(máy, trình duyệt khác) phải đăng nhập lại.")


def _password_form(auth: AuthService, user: User) -> None:
    """«Đổi mật khẩu» in the sidebar, for whoever is signed in (ux42, round 32: only an admin's «Đặt lại mật khẩu» or
    `langnghe users passwd` changed one, so the first password the admin typed stayed the user's). The rules, the
    lockout and the audit are the account service's (`AuthService.change_own_password`). Done, every session of hers
    ends, this one too, and the page keeps the new one the service opens, in this session and in the cookie
    (fix38: a thief of the old cookie is signed out as well). Refused, the three boxes' values leave the session's
    state (fix38: they stayed there until the form closed).
    A button opens the form: no password box is on a signed-in page until asked for (the walks, and a password
    manager, take one for the sign-in form)."""
    from orchestration.accounts import AuthError

    done = st.session_state.pop("_pw_done", None)
    if done:
        st.success(done)
    if not st.session_state.get("_pw_open"):
        if st.button("Đổi mật khẩu", key="pw_open", icon=":material/key:"):
            st.session_state["_pw_open"] = True
            st.rerun()
        return
    with st.form("own_password", clear_on_submit=True, enter_to_submit=True):
        st.markdown("**Đổi mật khẩu**")
        current = st.text_input("Mật khẩu hiện tại", type="password", key="pw_current")
        new = st.text_input(f"Mật khẩu mới (ít nhất {auth.s.min_password_length} ký tự)", type="password",
                            key="pw_new")
        again = st.text_input("Nhập lại mật khẩu mới", type="password", key="pw_again")
        c = st.columns(2)
        submitted = c[0].form_submit_button("Lưu", type="primary", width="stretch")
        closed = c[1].form_submit_button("Đóng", width="stretch")
    if closed:
        st.session_state.pop("_pw_open", None)
        st.rerun()
    if submitted:
        for key in ("pw_current", "pw_new", "pw_again"):
            st.session_state.pop(key, None)
        try:
            token = auth.change_own_password(user.username, current, new, again,
                                             client=_client(auth.s.trusted_proxies))
        except AuthError as exc:
            st.error(str(exc))
            return
        st.session_state["auth_token"] = token        # the old token is revoked: this session goes on with the new
        st.session_state["_cookie_write"] = token     # and the browser's cookie too (written by the next run)
        st.session_state.pop("_pw_open", None)
        st.session_state["_pw_done"] = PASSWORD_CHANGED
        st.rerun()


def cookie_sent() -> None:
    """The run that wrote the session cookie's script has drawn its page to the end: app.py calls it after the page.
    Until then every run writes the script again. A run cut short by a rerun loses what it drew: signed in at
    /overview, the run after the form wrote the script and then landed (st.switch_page), and the next run's first
    sidebar element took the script's place, often before the browser had drawn it (messages arriving together on
    a loaded machine; 4 of 7 sign-ins in Chromium with them delivered in 400 ms bursts). No cookie, so the next
    address opened showed the login form: test_local_only's 90 s wait for «Không có trang «/…»» (round 27)."""
    st.session_state.pop("_cookie_write", None)


def signed_in_text(display_name: str, role_label: str) -> str:
    """The sidebar's «Đăng nhập: **Trần Thị Bình** (Chuyên viên)»; the role only once when the name begins with
    it (the demo's «Chuyên viên (demo) (Chuyên viên)», round 21 walk; «Cán bộ xem» still gets «(Xem)»)."""
    said = display_name.casefold().startswith(role_label.casefold())
    return f"Đăng nhập: **{md(display_name)}**" + ("" if said else f" ({role_label})")
