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
    # the refused form's password left the session's state (fix38); a browser's box still holds it and sends it
    # again, AppTest has no such box: it is typed again here
    at.text_input(key="login_password").set_value(PASSWORD)
    at.button[0].click().run()
    assert not at.error
    with demo_env.db.read() as cur:
        assert [r["ok"] for r in store_users.recent_logins(cur)] == [True]


def test_the_total_on_overview_says_since_when(demo_env):
    """Tổng quan's «Tổng số tin» (every item stored) stood among four «hôm nay» figures with no period: «601» of what
    time? Its split now starts with the day the oldest item kept was collected, and its help says what it counts."""
    from dashboard.data import local

    with demo_env.db.read() as cur:
        first = cur.execute("SELECT min(fetched_at) FROM items").fetchone()[0]
    at = demo_env.page("overview", "viewer").run()
    (total,) = [m for m in at.metric if m.label == "Tổng số tin"]
    day = local(first)
    assert total.proto.delta.startswith(f"Từ {day:%d/%m}") and ": báo chí " in total.proto.delta, total.proto.delta
    assert f"thu thập từ ngày {day:%d/%m/%Y} đến nay" in total.proto.help, total.proto.help


def test_the_total_names_the_year_only_when_it_is_another():
    from datetime import datetime

    from dashboard.labels import total_since_text

    now = datetime(2026, 12, 8, 9, 0)
    assert total_since_text(datetime(2026, 11, 24, 7, 0), now)[0] == "Từ 24/11"
    assert total_since_text(datetime(2025, 11, 24, 7, 0), now)[0] == "Từ 24/11/2025"
    assert total_since_text(None, now) == ("", "Mọi tin, bài hệ thống đang lưu, mọi nguồn và địa bàn.")


def _statuses(env) -> dict[str, str]:
    with env.db.read() as cur:
        return dict(cur.execute("SELECT alert_id, status FROM alerts").fetchall())


def test_a_link_to_a_closed_alert_opens_that_alert(demo_env):
    """A push's link, «/alerts?alert=A…», to an alert a colleague has resolved since: the page opened the head of
    «Đang mở» instead (another alert, with its actions) and said nothing. Now «Hiển thị» moves to the group that holds
    it and it is the alert opened."""
    closed = sorted(a for a, s in _statuses(demo_env).items() if s in ("resolved", "dismissed"))
    assert closed, "the seeded database has a closed alert"
    at = demo_env.page("alerts", "analyst")
    at.query_params["alert"] = closed[0]
    at.run()
    assert not at.exception
    assert at.selectbox(key="alert_pick").value == closed[0]
    assert at.session_state["alert_filter"] == "Đã xử lý / bỏ qua"
    assert not at.warning


def test_a_link_to_no_alert_says_so(demo_env):
    at = demo_env.page("alerts", "viewer")
    at.query_params["alert"] = "A999999"
    at.run()
    assert not at.exception
    (said,) = [w.value for w in at.warning if "A999999" in w.value]
    assert said.startswith("Không có cảnh báo «A999999»: mã không đúng"), said


def test_an_open_alert_link_and_the_groups():
    from dashboard.views.alerts import group_of

    assert [group_of(s) for s in ("new", "reopened", "resolved", "dismissed", "merged")] == [
        "Đang mở", "Đang mở", "Đã xử lý / bỏ qua", "Đã xử lý / bỏ qua", "Tất cả"]


def test_the_alerts_hourly_chart_says_its_unit(demo_env):
    """Cảnh báo's «Diễn biến số tin»: bars of 1 and 2 against an axis with no word, beside a reason that counts items in
    24 hours and a «Số tin» of the whole alert. Its axis now says «Tin mỗi giờ»."""
    import json

    from tests.dashboard.test_ux31 import _open_alert

    at, _ = _open_alert(demo_env)
    layouts = [json.loads(c.proto.spec)["layout"] for c in at.get("plotly_chart")]
    (timeline,) = [lay for lay in layouts if (lay.get("title") or {}).get("text") == "Diễn biến số tin"]
    assert timeline["yaxis"]["title"]["text"] == "Tin mỗi giờ"


def test_the_briefing_held_message_has_its_marks():
    """«Đánh dấu đã giao ban» said «Trang nay tính từ thời điểm này»: «nay» for «này», a slip staff read each week."""
    from datetime import datetime

    from dashboard.views.briefing import held_text

    said = held_text(datetime(2026, 12, 8, 4, 44), datetime(2026, 12, 1, 4, 44))
    assert "Trang nay " not in said and "Trang này từ nay tính từ lúc đó;" in said, said
    assert said.endswith("chọn «Từ ngày» 01/12/2026 và «Từ giờ» 04:44.")


def test_a_link_to_no_alert_says_so_on_an_empty_office_too(env):
    """Nothing open and a wrong code: the page said only «Không có cảnh báo nào…», never that the code names no alert
    (review31: the warning was drawn after the empty group's early return)."""
    env.add_users()
    at = env.page("alerts", "viewer")
    at.query_params["alert"] = "A999999"
    at.run()
    assert not at.exception
    assert any(w.value.startswith("Không có cảnh báo «A999999»") for w in at.warning), [w.value for w in at.warning]


def test_thong_bao_draws_a_mail_server_answer_inert():
    """A mail server's words in the warning cannot draw an image or a link (review31)."""
    from dashboard.data_notify import trouble_text

    said = trouble_text({"waiting": 0, "failed": 1, "partial": 0, "channel": "email", "address": "a@uongbi.test",
                         "last_error": "550 ![x](http://198.51.100.7/p.png) [bấm](http://198.51.100.7/)"}, {})
    assert "![x](" not in said and "[bấm](" not in said, said
    assert "\\!\\[x\\]" in said or "!\\[x\\]" in said, said
