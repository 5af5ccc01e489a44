"""Round 30 (fix30): an e-mail subscription to a comma list where the mail server takes some addresses, refuses one
for good (550) and another for now (451: a full mailbox, greylisting). fix29 sent the message once and gave up every
refused address alike; RFC 5321 makes a 4xx temporary. Now the 4xx address alone is tried again, by the outbox's own
retry rules (back-off, [notify] max_attempts), with the same Message-ID; the addresses that took it get it once, and
the 550 stays refused. A local aiosmtpd on 127.0.0.1 (tests/conftest.py's smtp_server, its box's `defer`)."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes

import pytest

from orchestration import notify
from store import notify as store_notify
from tests.conftest import database, make_config
from tests.orchestration.test_notify import NOW, raise_one, subscribe

GONE, LATER = "nghi-viec@uongbi.test", "hop-thu-day@uongbi.test"
LIST = f"a@uongbi.test, {GONE}, {LATER}, b@uongbi.test"


@pytest.fixture
def mail(tmp_path, smtp_server):
    box, port = smtp_server
    box.refuse.add(GONE)
    box.defer.add(LATER)
    cfg = make_config(tmp_path, notify={"public_url": "http://127.0.0.1:8501", "max_attempts": 4,
                                        "retry_base_seconds": 60, "retry_max_seconds": 900,
                                        "email": {"host": "127.0.0.1", "port": port, "security": "none",
                                                  "sender": "lang-nghe@uongbi.test"}})
    db = database(cfg.storage.db_path)
    yield box, cfg, db
    db.close()


def test_an_address_refused_for_now_is_tried_again_alone_and_gets_it(mail):
    box, cfg, db = mail
    subscribe(db, channel="email", address=LIST)
    raise_one(db)
    assert notify.deliver(cfg, db, now=NOW) == {"sent": 0, "retried": 1}  # the row waits for its retry (review30)
    assert [rcpt for rcpt, _ in box.messages] == [["a@uongbi.test", "b@uongbi.test"]]
    with db.read() as cur:
        assert store_notify.outbox_counts(cur) == {"pending": 1}  # not given up: its 451 is «try again later»
        lines = store_notify.recent_log(cur)
    (took,), (refused,) = [x for x in lines if x["ok"]], [x for x in lines if not x["ok"]]
    assert took["detail"] == "máy chủ thư đã nhận cho 2 địa chỉ"
    assert refused["detail"].startswith(f"máy chủ thư từ chối người nhận {GONE} (550 5.1.1 mailbox unavailable): "
                                        "không gửi lại cho địa chỉ này"), refused["detail"]
    assert f"máy chủ thư tạm từ chối người nhận {LATER} (451 4.2.2 mailbox full, try again later): sẽ gửi lại riêng " \
           "cho địa chỉ này theo lịch thử lại" in refused["detail"], refused["detail"]

    notify.deliver(cfg, db, now=NOW + timedelta(seconds=30))  # before its back-off (60 s): nothing
    assert len(box.messages) == 1
    box.defer.clear()  # the mailbox has room again
    assert notify.deliver(cfg, db, now=NOW + timedelta(minutes=2)) == {"sent": 1, "retried": 0}
    for minutes in (10, 60, 24 * 60):  # later passes: nothing more, to anyone
        notify.deliver(cfg, db, now=NOW + timedelta(minutes=minutes))
    assert [rcpt for rcpt, _ in box.messages] == [["a@uongbi.test", "b@uongbi.test"], [LATER]]
    first, again = (message_from_bytes(raw) for _, raw in box.messages)
    assert first["Message-ID"] == again["Message-ID"] and again["To"] == LATER  # the same message, to it alone
    with db.read() as cur:  # the 550 never had it: «gửi được một phần», addressed to it (fix32; it read «sent»)
        assert store_notify.outbox_counts(cur) == {"partial": 1}
        (trouble,) = store_notify.delivery_trouble(cur, NOW - timedelta(days=1))
    assert (trouble["partial"], trouble["missed"]) == (1, GONE), trouble


def test_an_address_refused_for_now_every_time_is_given_up_by_the_outbox_rules(mail):
    box, cfg, db = mail
    subscribe(db, channel="email", address=LIST)
    raise_one(db)
    for minutes in (0, 2, 5, 10, 20, 60, 24 * 60):
        notify.deliver(cfg, db, now=NOW + timedelta(minutes=minutes))
    # [notify] max_attempts = 4: the first try (sent to a and b) and three more to the deferred address alone
    assert [rcpt for rcpt, _ in box.messages] == [["a@uongbi.test", "b@uongbi.test"]]
    with db.read() as cur:  # the others had it: «gửi được một phần», not «failed» (fix32), to the two without it
        assert store_notify.outbox_counts(cur) == {"partial": 1}
        lines = store_notify.recent_log(cur)
        (trouble,) = store_notify.delivery_trouble(cur, NOW - timedelta(days=1))
    assert (trouble["failed"], trouble["partial"], trouble["missed"]) == (1, 1, f"{LATER}, {GONE}"), trouble  # sorted (review31)
    # Thông báo's «đang lỗi» says the others had it, and who is left, through the later tries (review30)
    assert trouble["last_error"].startswith(f"các địa chỉ khác của đăng ký đã nhận tin; chỉ còn gửi lại cho {LATER} — "
                                            "lần thử sau: "), trouble["last_error"]
    # each address with the server's answer, not smtplib's dict («{'hop-thu-day@…': (451, b'4.2.2 …')}»)
    assert trouble["last_error"].endswith(f"gửi thư không được: máy chủ thư tạm từ chối người nhận {LATER} (451 4.2.2 "
                                          "mailbox full, try again later): sẽ thử lại theo lịch thử lại"), \
        trouble["last_error"]
    assert sum(1 for x in lines if x["ok"]) == 1 and sum(1 for x in lines if LATER in x["address"]
                                                         and x["address"] != LIST) == 3, lines


def test_a_list_refused_for_good_is_sent_once_as_before(mail):
    """fix29's case, unchanged: a 550 alone is not tried again."""
    box, cfg, db = mail
    box.defer.clear()
    subscribe(db, channel="email", address=LIST)
    raise_one(db)
    for minutes in (0, 2, 10, 60, 24 * 60):
        notify.deliver(cfg, db, now=NOW + timedelta(minutes=minutes))
    assert [rcpt for rcpt, _ in box.messages] == [["a@uongbi.test", LATER, "b@uongbi.test"]]
    with db.read() as cur:  # «gửi được một phần» since fix32 (it read «sent»: Thông báo said nothing of the 550)
        assert store_notify.outbox_counts(cur) == {"partial": 1}
