"""Round 31 (fix32): a push a mail server took for some addresses of a list and never for others is «gửi được một
phần» (outbox 'partial'): Thông báo says so and who did not get it, the admin's queue names the state, and Tổng quan's
line says them apart from the pushes given up."""

from __future__ import annotations

from store import notify as store_notify
from tests.dashboard.conftest import no_exception

GONE = "nghi-viec@uongbi.test"


def test_a_partly_sent_push_is_said_as_such_with_who_did_not_get_it(env):
    from store import alerts as store_alerts
    from store.db import utcnow
    from vocab.alerts import NewAlert

    env.add_users()
    with env.db.write() as cur:
        store_notify.save_subscription(cur, store_notify.Subscription(0, "quantri", "email", f"a@uongbi.test, {GONE}"))
        store_alerts.raise_alert(cur, NewAlert.of("Bụi than ở Vàng Danh", "high", "3 tin", n_items=3, n_outlets=2),
                                 utcnow())
        # what the delivery pass leaves after a 550 for GONE (tests/orchestration/test_fix32_notify.py)
        cur.execute("UPDATE outbox SET status = 'partial', reached = TRUE, refused = ?, address = ?, attempts = 1, "
                    "sent_at = ?, last_error = 'máy chủ thư từ chối người nhận nghi-viec@uongbi.test (550 …)'",
                    [GONE, GONE, utcnow()])
    at = env.page("notifications", "admin").run()
    no_exception(at)
    (warn,) = [w.value for w in at.warning]
    assert f"1 tin chỉ gửi được một phần, không tới `{GONE}`" in warn and "đã bỏ" not in warn, warn
    assert any("gửi được một phần: 1" in c.value for c in at.caption), [c.value for c in at.caption]
    assert any(b.label == "Gửi lại các tin lỗi" for b in at.button)  # to the one without it alone
    at = env.page("overview", "viewer").run()
    no_exception(at)
    assert any("Thông báo đẩy đang lỗi" in w.value and "1 tin chỉ gửi được một phần" in w.value
               and "đã bỏ" not in w.value for w in at.warning), \
        [w.value for w in at.warning]
