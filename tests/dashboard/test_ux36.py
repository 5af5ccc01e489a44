"""Round 29's dashboard changes walked in Chromium (ux36): what the walk found, each test failing without its fix."""

from __future__ import annotations

from tests.dashboard.test_ux35_alerts import _case_with_a_long_reply


def test_a_refusals_toast_stays_long_enough_to_be_read(env):
    """Chromium at 1366×768 and 390×844, «Gửi thử» to «khong-phai-email»: the toast showed about 110 characters before
    «xem thêm» and was gone at 5 s (Streamlit's «short», 4 s), before staff could read them or open the rest. A
    refusal's toast stays 10 s («long»); the message under the form is unchanged."""
    at = _case_with_a_long_reply(env)
    toasts = list(at.toast)
    assert toasts and all("5.001 ký tự" in t.value for t in toasts), [t.value for t in toasts]
    assert [t.proto.duration for t in toasts] == [10], [t.proto.duration for t in toasts]
