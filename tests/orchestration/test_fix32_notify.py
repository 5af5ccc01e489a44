"""Round 31 (fix32), what rounds 29–30 left of e-mail pushes. A message a mail server took for some addresses of a
subscription's list and never for others ended «failed» (an address deferred up to [notify] max_attempts, though the
others had it) or «sent» (an address refused for good): it is «gửi được một phần» now (outbox 'partial'), addressed to
those it did not reach, and Thông báo says so and names them. A list whose every address was refused for good (5xx)
was retried with back-off for about a day, as one address was: a 5xx is final, given up at once. A local aiosmtpd on
127.0.0.1 (tests/conftest.py's smtp_server: its box's `refuse` answers 550 at RCPT, `defer` 451)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from orchestration import notify
from store import notify as store_notify
from tests.conftest import database, make_config
from tests.orchestration.test_notify import NOW, raise_one, subscribe

GONE, GONE2, LATER = "nghi-viec@uongbi.test", "chuyen-cong-tac@uongbi.test", "hop-thu-day@uongbi.test"
PASSES = (0, 2, 5, 10, 20, 60, 24 * 60)  # minutes after the alert: past every back-off of max_attempts = 4


@pytest.fixture
def mail(tmp_path, smtp_server):
    """(box, cfg, db, rcpts): every RCPT the server was asked, taken or not, in `rcpts`."""
    box, port = smtp_server
    rcpts: list[str] = []
    answer = box.handle_RCPT

    async def counted(server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        rcpts.append(address)
        return await answer(server, session, envelope, address, rcpt_options)

    box.handle_RCPT = counted  # type: ignore[method-assign]
    cfg = make_config(tmp_path, notify={"public_url": "http://127.0.0.1:8501", "max_attempts": 4,
                                        "retry_base_seconds": 60, "retry_max_seconds": 900,
                                        "email": {"host": "127.0.0.1", "port": port, "security": "none",
                                                  "sender": "lang-nghe@uongbi.test"}})
    db = database(cfg.storage.db_path)
    yield box, cfg, db, rcpts
    db.close()


def _one_alert(mail, address: str, *, refuse=(), defer=()) -> int:  # type: ignore[no-untyped-def]
    """The box refusing `refuse` for good (550) and `defer` for now (451), a subscription to `address`, one alert
    raised: the subscription's id (each test's opening, one helper since fix35)."""
    box, _, db, _ = mail
    box.refuse.update(refuse)
    box.defer.update(defer)
    sid = subscribe(db, channel="email", address=address)
    raise_one(db)
    return sid


def _passes(cfg, db, minutes=PASSES) -> None:  # type: ignore[no-untyped-def]
    for m in minutes:
        notify.deliver(cfg, db, now=NOW + timedelta(minutes=m))


def _state(db):  # type: ignore[no-untyped-def]
    with db.read() as cur:
        trouble = store_notify.delivery_trouble(cur, NOW - timedelta(days=1))
        return store_notify.outbox_counts(cur), trouble, store_notify.recent_log(cur)


@pytest.mark.parametrize("address", [f"{GONE}, {GONE2}", GONE])
def test_addresses_all_refused_for_good_are_given_up_at_once(mail, address):
    box, cfg, db, rcpts = mail
    _one_alert(mail, address, refuse=[GONE, GONE2])
    _passes(cfg, db)
    assert rcpts == [a.strip() for a in address.split(",")]  # one try, not one a back-off for a day
    counts, (trouble,), lines = _state(db)
    assert counts == {"failed": 1} and (trouble["failed"], trouble["partial"]) == (1, 0), trouble
    (line,) = lines
    assert not line["ok"] and f"máy chủ thư từ chối người nhận {GONE} (550 5.1.1 mailbox unavailable)" in line["detail"]
    assert line["detail"].endswith(notify.GIVEN_UP_REFUSED) and "địa chỉ không nhận thư" in line["detail"], line


def test_a_list_refused_part_for_good_part_for_now_tries_again_only_those_for_now(mail):
    """Nothing taken: the 451 is tried again alone, the 550 never; once the 451 takes it, the row is partly sent."""
    box, cfg, db, rcpts = mail
    _one_alert(mail, f"{GONE}, {LATER}", refuse=[GONE], defer=[LATER])
    assert notify.deliver(cfg, db, now=NOW) == {"sent": 0, "retried": 1}
    (line,) = _state(db)[2]
    assert f"từ chối người nhận {GONE} (550 5.1.1 mailbox unavailable): địa chỉ không nhận thư; không thử lại cho " \
           "địa chỉ này" in line["detail"], line
    assert f"tạm từ chối người nhận {LATER} (451 4.2.2 mailbox full, try again later): sẽ thử lại riêng cho địa chỉ " \
           "này theo lịch thử lại" in line["detail"], line
    box.defer.clear()
    _passes(cfg, db, PASSES[1:])
    assert rcpts == [GONE, LATER, LATER] and [r for r, _ in box.messages] == [[LATER]]
    counts, (trouble,), _ = _state(db)
    assert counts == {"partial": 1} and (trouble["partial"], trouble["missed"]) == (1, GONE), trouble


def test_a_row_narrowed_to_an_address_for_now_that_then_refuses_it_for_good_ends_partly_sent_at_once(mail):
    box, cfg, db, rcpts = mail
    _one_alert(mail, f"a@uongbi.test, {LATER}", defer=[LATER])
    notify.deliver(cfg, db, now=NOW)
    box.defer.clear()
    box.refuse.add(LATER)  # the mailbox closed meanwhile: 550
    _passes(cfg, db, PASSES[1:])
    assert rcpts == ["a@uongbi.test", LATER, LATER]  # not tried again after its 550
    counts, (trouble,), lines = _state(db)
    assert counts == {"partial": 1} and trouble["missed"] == LATER, trouble
    assert lines[0]["detail"].endswith(notify.GIVEN_UP_REFUSED), lines[0]


def test_thong_bao_says_partly_sent_and_who_did_not_get_it(mail):
    """Deferred up to max_attempts, the others having it: it said «1 tin đã bỏ, không gửi nữa»."""
    from dashboard.data_notify import trouble_text

    box, cfg, db, rcpts = mail
    _one_alert(mail, f"a@uongbi.test, {GONE}, {LATER}", refuse=[GONE], defer=[LATER])
    _passes(cfg, db)
    assert rcpts.count(LATER) == 4 and rcpts.count(GONE) == 1  # max_attempts tries for the 451, one for the 550
    counts, (trouble,), _ = _state(db)
    assert counts == {"partial": 1}
    said = trouble_text(trouble, {"email": "Thư điện tử (SMTP)"})
    assert f"1 tin chỉ gửi được một phần, không tới `{LATER}`, `{GONE}`" in said, said  # sorted (review31)
    assert "đã bỏ" not in said, said


def test_a_partly_sent_message_resent_on_request_goes_to_those_without_it_alone(mail):
    box, cfg, db, rcpts = mail
    sid = _one_alert(mail, f"a@uongbi.test, {GONE}, {LATER}", refuse=[GONE], defer=[LATER])
    _passes(cfg, db)
    box.refuse.clear()
    box.defer.clear()  # both mailboxes work again; staff press «Gửi lại các tin lỗi»
    later = NOW + timedelta(days=2)
    with db.write() as cur:
        assert len(store_notify.requeue_failed(cur, sid, NOW - timedelta(days=1), later)) == 1
    notify.deliver(cfg, db, now=later)
    assert [r for r, _ in box.messages] == [["a@uongbi.test"], [GONE, LATER]]  # a@ once
    assert _state(db)[0] == {"sent": 1}


def test_the_upgrade_makes_a_row_given_up_after_the_others_had_it_partly_sent(tmp_path, monkeypatch):
    """Migration 153: a row fix30 narrowed (its last error opens with PARTLY_NOTE) and then gave up is 'partial'."""
    import store.db as db_mod

    known = db_mod.migrations()
    path = tmp_path / "c.duckdb"
    with monkeypatch.context() as m:
        m.setattr(db_mod, "migrations", lambda: [x for x in known if x[0] < 153])
        db = db_mod.Database(path)  # not tests' `database`, a copy of a template with every migration
        with db.write() as cur:
            cur.execute("""INSERT INTO outbox (event_key, subscription_id, channel, address, created_at, due_at,
                                               next_attempt_at, status, last_error)
                           VALUES ('alert:A1', 1, 'email', ?, ?, ?, ?, 'failed', ?),
                                  ('alert:A2', 1, 'email', 'x@uongbi.test', ?, ?, ?, 'failed', 'gửi thư không được')""",
                        [LATER, NOW, NOW, NOW, f"{notify.PARTLY_NOTE}{LATER} — lần thử sau: …", NOW, NOW, NOW])
        db.close()
    db = db_mod.Database(path)
    try:
        with db.read() as cur:
            assert store_notify.outbox_counts(cur) == {"partial": 1, "failed": 1}
    finally:
        db.close()


def test_a_partly_sent_row_is_done_for_the_retention_job(mail):
    """'partial' is an end state: purged after [retention] notify_days as 'sent' and 'failed' are, not kept for ever."""
    from store.retention import purge_notify

    box, cfg, db, _ = mail
    _one_alert(mail, f"a@uongbi.test, {GONE}", refuse=[GONE])
    _passes(cfg, db, (0,))
    with db.write() as cur:
        got = {p.what: p.rows for p in purge_notify(cur, NOW + timedelta(days=1), dry_run=False)}
        assert got["notify_outbox"] == 1 and store_notify.outbox_counts(cur) == {}


def test_thong_bao_names_each_missed_address_once_across_rows(mail):
    """Two rows partly sent, their missed addresses overlapping: each named once, in a fixed order (review31: a
    DISTINCT over the rows' address strings named «nghi-viec…, hop-thu-day…, nghi-viec…»)."""
    from tests.orchestration.test_notify import alert

    box, cfg, db, rcpts = mail
    _one_alert(mail, f"a@uongbi.test, {GONE}, {LATER}", refuse=[GONE], defer=[LATER])
    _passes(cfg, db)  # the first: given up for LATER after max_attempts, refused for GONE
    box.defer.clear()
    second = NOW + timedelta(days=1, minutes=1)
    raise_one(db, alert(topics=("health",)), at=second)
    notify.deliver(cfg, db, now=second)  # the second: refused for GONE only
    with db.read() as cur:
        assert store_notify.outbox_counts(cur) == {"partial": 2}
        (trouble,) = store_notify.delivery_trouble(cur, NOW - timedelta(days=1))
    assert trouble["missed"] == f"{LATER}, {GONE}", trouble  # sorted, each once


def test_a_resent_row_is_dated_by_its_new_tries_not_its_first_send(mail):
    """«Gửi lại các tin lỗi» on a partly sent row clears its sent time (review31: retention dated a row resent and
    given up again by the first send, and could purge it early)."""
    box, cfg, db, rcpts = mail
    sid = _one_alert(mail, f"a@uongbi.test, {GONE}", refuse=[GONE])
    _passes(cfg, db, (0,))
    with db.write() as cur:
        assert store_notify.outbox_counts(cur) == {"partial": 1}
        store_notify.requeue_failed(cur, sid, NOW - timedelta(days=1), NOW + timedelta(days=2))
        cur.execute("SELECT status, sent_at FROM outbox")
        assert cur.fetchall() == [("pending", None)]
