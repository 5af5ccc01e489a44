"""fix38 (review36's optional findings on «Đổi mật khẩu», ux42): a password change ends every session of the user,
the one it was made in too, and signs her in again with a new token (a stolen cookie is no use after it); and a
refused change or sign-in leaves no password in the session's state."""

from __future__ import annotations

from dashboard import gate
from tests.dashboard.conftest import PASSWORD

BOXES = ("pw_current", "pw_new", "pw_again")


def _sign_in(at, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    at.text_input(key="login_user").set_value("xem")
    at.text_input(key="login_password").set_value(password)
    at.button[0].click().run()
    return at


def _change(at, current: str, new: str = "mat-khau-moi-cua-xem") -> None:  # type: ignore[no-untyped-def]
    at.text_input(key="pw_current").set_value(current)
    at.text_input(key="pw_new").set_value(new)
    at.text_input(key="pw_again").set_value(new)
    next(b for b in at.button if b.label == "Lưu").click().run()


def _kept(at) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """What of the password boxes' values the session's state still holds, non-empty."""
    return {k: at.session_state[k] for k in (*BOXES, "login_password")
            if k in at.session_state and at.session_state[k]}


def test_a_refused_change_or_sign_in_keeps_no_password_in_the_session_state(demo_env):
    at = _sign_in(demo_env.app().run(), "sai-mat-khau-nhe")
    assert at.error and "login_password" not in _kept(at)
    _sign_in(at)
    at.sidebar.button(key="pw_open").click().run()
    _change(at, "khong-dung-dau")
    assert [e.value for e in at.sidebar.error] == ["Mật khẩu hiện tại không đúng."]
    assert _kept(at) == {}
    _change(at, PASSWORD, new="ngan")  # refused before the current one is checked: the same
    assert at.sidebar.error and _kept(at) == {}


def test_a_password_change_ends_the_session_it_was_made_in_and_signs_in_again(demo_env):
    at = _sign_in(demo_env.app().run())
    old = at.session_state["auth_token"]
    assert demo_env.auth.check(old)[1] == "ok"
    at.sidebar.button(key="pw_open").click().run()
    _change(at, PASSWORD)
    assert not at.error and [s.value for s in at.sidebar.success] == [gate.PASSWORD_CHANGED]
    new = at.session_state["auth_token"]
    assert new != old and demo_env.auth.check(old)[1] == "revoked"  # a stolen cookie's token is no use now
    assert demo_env.auth.check(new)[1] == "ok"
    assert at.session_state["user"]["username"] == "xem" and not [t for t in at.text_input if t.key == "login_user"]
    cookie = [h.proto.body for h in at.get("html") if "document.cookie" in h.proto.body]
    assert len(cookie) == 1 and f"={new};" in cookie[0]  # the browser's cookie: the new token, for a reload
    at.run()  # the next run is still signed in, with the new token
    assert at.session_state["auth_token"] == new and not [t for t in at.text_input if t.key == "login_user"]
