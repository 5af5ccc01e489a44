"""Round 31's walk (ux39): what an AppTest can hold. The browser's side is tests/browser/test_ux39_walk.py."""

from __future__ import annotations

from store import users as store_users


def test_an_empty_box_on_the_sign_in_form_is_asked_for_not_tried(demo_env):
    """Enter now signs in (the form's `enter_to_submit`): Enter in the name box, before the password, must not spend
    one of the tries before a lockout. The form asks for both boxes, records no attempt; a filled form signs in."""
    from dashboard.gate import LOGIN_EMPTY
    from tests.dashboard.conftest import PASSWORD

    at = demo_env.app().run()
    at.text_input(key="login_user").set_value("xem")
    at.button[0].click().run()
    assert [e.value for e in at.error] == [LOGIN_EMPTY]
    at.text_input(key="login_user").set_value("  ")
    at.text_input(key="login_password").set_value(PASSWORD)
    at.button[0].click().run()
    assert [e.value for e in at.error] == [LOGIN_EMPTY]
    with demo_env.db.read() as cur:
        assert store_users.recent_logins(cur) == []
    at.text_input(key="login_user").set_value("xem")
    at.button[0].click().run()
    assert not at.error
    with demo_env.db.read() as cur:
        assert [r["ok"] for r in store_users.recent_logins(cur)] == [True]
