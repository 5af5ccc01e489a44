"""AppTest of the Thông báo page: empty state, a user saves a subscription (audited), admins see the log
and send a console test; no secret value is ever drawn."""

from __future__ import annotations

from store import notify as store_notify
from store import users as store_users
from tests.dashboard.conftest import no_exception, texts


def test_user_saves_a_subscription(env):
    env.add_users()
    at = env.page("notifications", "analyst").run()
    no_exception(at)
    assert "chưa đăng ký nhận thông báo" in texts(at)
    at.selectbox[0].set_value("console")
    at.text_input[0].input("chuyenvien")
    [b for b in at.button if b.label == "Lưu đăng ký"][0].click().run()
    no_exception(at)
    with env.db.read() as cur:
        subs = store_notify.subscriptions(cur, "chuyenvien")
        audit = store_users.list_audit(cur)
    assert [(s.channel, s.address, s.min_severity) for s in subs] == [("console", "chuyenvien", "medium")]
    assert audit[0]["action"] == "notify_subscription"
    assert not [e for e in at.subheader if "Quản trị" in e.value]


def test_admin_log_and_test_message(env, monkeypatch):
    env.add_users()
    monkeypatch.setenv("LANGNGHE_TELEGRAM_TOKEN", "khong-duoc-hien")
    at = env.page("notifications", "admin").run()
    no_exception(at)
    assert "Chưa gửi thông báo nào" in texts(at)
    at.selectbox(key="nt_test_ch").set_value("console")
    at.text_input(key="nt_test_to").input("quantri")
    [b for b in at.button if b.label == "Gửi thử"][0].click().run()
    no_exception(at)
    assert "Đã gửi thử" in texts(at) or any("(thử)" in str(v) for d in at.dataframe for v in d.value["Chi tiết"])
    assert "khong-duoc-hien" not in texts(at)
