"""fix33: `store.notify.enqueue_for_alert` skips a destination the alert was queued to before («enqueued before, for
another subscription to the same place»). It compared the outbox row's address, which since round 30 is narrowed to
the addresses still to try (fix32: to those it did not reach): a second subscription to the same list, enqueued again
for the alert, got a row of its own and the addresses that had the message a second copy. A local aiosmtpd on
127.0.0.1 (tests/conftest.py's smtp_server: its box's `defer` answers 451 at RCPT)."""

from __future__ import annotations

from datetime import timedelta

from store import notify as store_notify
from tests.orchestration.test_fix32_notify import LATER, _passes, mail  # noqa: F401 - the fixture
from tests.orchestration.test_notify import NOW, alert, raise_one, subscribe

GOT = "van-phong@uongbi.test"


def _rows(db):  # type: ignore[no-untyped-def]
    with db.read() as cur:
        return cur.execute("SELECT subscription_id, address, status FROM outbox ORDER BY id").fetchall()


def test_a_list_narrowed_to_the_addresses_left_is_not_queued_again_for_a_second_subscription(mail):
    box, cfg, db, rcpts = mail
    box.defer.add(LATER)
    first = subscribe(db, channel="email", address=f"{GOT}, {LATER}", mode="hourly")
    aid = raise_one(db)
    _passes(cfg, db, minutes=(60,))                       # the hourly digest: GOT took it, LATER deferred
    assert rcpts == [GOT, LATER] and _rows(db) == [(first, LATER, "pending")]  # narrowed to what is left
    second = subscribe(db, username="truongban", channel="email", address=f"{GOT.upper()}, {LATER}")  # due first now
    with db.write() as cur:                               # the same event enqueued again (a second raise path)
        assert store_notify.enqueue_for_alert(cur, aid, alert(), NOW + timedelta(minutes=61)) == 0
    assert [r[0] for r in _rows(db)] == [first] and second != first
    with db.write() as cur:                               # the first subscription gone: its row still counts
        store_notify.delete_subscription(cur, first, "chuyenvien")
        assert store_notify.enqueue_for_alert(cur, aid, alert(), NOW + timedelta(minutes=62)) == 0
    box.defer.clear()
    _passes(cfg, db, minutes=(70, 120, 24 * 60))
    assert rcpts.count(GOT) == 1 and rcpts.count(LATER) == 2  # GOT never a second copy
    # and the row went to the second subscription (hand_over read the narrowed address too: it was dropped)
    assert _rows(db) == [(second, LATER, "sent")]


def test_another_place_still_gets_its_row(mail):
    box, cfg, db, rcpts = mail
    subscribe(db, channel="email", address=GOT)
    aid = raise_one(db)
    other = subscribe(db, username="truongban", channel="email", address=LATER)
    with db.write() as cur:
        assert store_notify.enqueue_for_alert(cur, aid, alert(), NOW) == 1
    assert {r[0] for r in _rows(db)} >= {other}


def test_the_upgrade_keeps_each_rows_list_from_its_subscription(tmp_path, monkeypatch):
    """Migration 154: a row queued before is taken to have been queued to its subscription's address (a narrowed row
    to its whole list), or, its subscription gone, to its own address."""
    import store.db as db_mod

    known = db_mod.migrations()
    path = tmp_path / "c.duckdb"
    with monkeypatch.context() as m:
        m.setattr(db_mod, "migrations", lambda: [x for x in known if x[0] < 154])
        db = db_mod.Database(path)  # not tests' `database`, a copy of a template with every migration
        sub = subscribe(db, channel="email", address=f"{GOT}, {LATER}")
        with db.write() as cur:
            cur.execute("""INSERT INTO outbox (event_key, subscription_id, channel, address, created_at, due_at,
                                               next_attempt_at)
                           VALUES ('alert:A1', ?, 'email', ?, ?, ?, ?), ('alert:A2', 999, 'email', ?, ?, ?, ?)""",
                        [sub, LATER, NOW, NOW, NOW, "x@uongbi.test", NOW, NOW, NOW])
        db.close()
    db = db_mod.Database(path)
    try:
        with db.read() as cur:
            assert cur.execute("SELECT event_key, address, destination FROM outbox ORDER BY id").fetchall() == [
                ("alert:A1", LATER, f"{GOT}, {LATER}"), ("alert:A2", "x@uongbi.test", "x@uongbi.test")]
    finally:
        db.close()
