"""Round 29's sweep left (fix29): an e-mail subscription to a comma list where the mail server takes some addresses
and refuses one. smtplib then sends to the others and returns the refusals; the channel raised a SendError, so the
message was retried with back-off for about a day, and the addresses that had taken it got it again at every try
(the same Message-ID). Now it is sent once, and the refused address is logged as refused, in Vietnamese, not retried.
A local aiosmtpd on 127.0.0.1 (tests/conftest.py's smtp_server)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from orchestration import notify
from store import notify as store_notify
from tests.conftest import database, make_config
from tests.orchestration.test_notify import NOW, raise_one, subscribe

REFUSED = "nghi-viec@uongbi.test"


@pytest.fixture
def picky_smtp(smtp_server):
    """The SMTP server refusing one recipient (550, as a mailbox that no longer exists) and taking the rest."""
    box, port = smtp_server
    box.refuse.add(REFUSED)
    return box, port


def test_a_list_with_one_address_refused_is_sent_once_and_the_refusal_logged(tmp_path, picky_smtp):
    box, port = picky_smtp
    cfg = make_config(tmp_path, notify={"public_url": "http://127.0.0.1:8501",
                                        "email": {"host": "127.0.0.1", "port": port, "security": "none",
                                                  "sender": "lang-nghe@uongbi.test"}})
    db = database(cfg.storage.db_path)
    try:
        subscribe(db, channel="email", address=f"a@uongbi.test, {REFUSED}, b@uongbi.test")
        raise_one(db)
        first = notify.deliver(cfg, db, now=NOW)
        for minutes in (2, 10, 60, 24 * 60):  # later passes, past every back-off
            notify.deliver(cfg, db, now=NOW + timedelta(minutes=minutes))
        assert [rcpt for rcpt, _ in box.messages] == [["a@uongbi.test", "b@uongbi.test"]]  # once, not at each try
        assert first == {"sent": 1, "retried": 0}
        with db.read() as cur:
            # round 31 (fix32): «gửi được một phần», addressed to the one it did not reach (it read «sent»)
            assert store_notify.outbox_counts(cur) == {"partial": 1}
            (trouble,) = store_notify.delivery_trouble(cur, NOW - timedelta(days=1))
            assert (trouble["partial"], trouble["missed"]) == (1, REFUSED), trouble
            lines = store_notify.recent_log(cur)
        assert len(lines) == 2, lines
        (took,), (refused,) = [x for x in lines if x["ok"]], [x for x in lines if not x["ok"]]
        assert took["detail"] == "máy chủ thư đã nhận cho 2 địa chỉ"
        assert refused["detail"].startswith(f"máy chủ thư từ chối người nhận {REFUSED} (550 5.1.1 mailbox "
                                            "unavailable): không gửi lại cho địa chỉ này"), refused["detail"]
    finally:
        db.close()


def test_the_admins_test_to_such_a_list_says_which_address_was_refused(tmp_path, picky_smtp):
    box, port = picky_smtp
    cfg = make_config(tmp_path, notify={"email": {"host": "127.0.0.1", "port": port, "security": "none"}})
    db = database(cfg.storage.db_path)
    try:
        ok, detail = notify.send_test(cfg, db, "email", f"a@uongbi.test, {REFUSED}", "quantri")
    finally:
        db.close()
    assert not ok and f"từ chối người nhận {REFUSED}" in detail and "các địa chỉ khác đã nhận thư" in detail, detail
    assert [rcpt for rcpt, _ in box.messages] == [["a@uongbi.test"]]


def _zalo_env(tmp_path, monkeypatch, refresh: str | None):
    from vocab import secrets

    monkeypatch.setattr(secrets, "_dir", str(tmp_path / "secrets"))  # no file left by another run is read
    monkeypatch.delenv("LANGNGHE_ZALO_TOKEN", raising=False)
    if refresh is None:
        monkeypatch.delenv("LANGNGHE_ZALO_REFRESH", raising=False)
    else:
        monkeypatch.setenv("LANGNGHE_ZALO_REFRESH", refresh)
    cfg = make_config(tmp_path, notify={"public_url": "http://127.0.0.1:8501",
                                        "zalo": {"base_url": "http://127.0.0.1:9"}})
    return cfg, database(cfg.storage.db_path)


def _never_called() -> "object":
    import httpx

    def boom(req):  # type: ignore[no-untyped-def]
        raise AssertionError(f"no request without a token: {req.url}")

    return httpx.Client(transport=httpx.MockTransport(boom))


def test_a_zalo_push_without_a_token_or_a_way_to_renew_it_is_given_up_at_once(tmp_path, monkeypatch):
    """ux35 gave the other channels' missing settings up at once and left Zalo retried for a day, because the
    zalo_token_refresh job renews its token. Without a refresh token nothing renews it: given up at once too."""
    cfg, db = _zalo_env(tmp_path, monkeypatch, refresh=None)
    try:
        subscribe(db, channel="zalo", address="5566")
        raise_one(db)
        assert notify.deliver(cfg, db, client_factory=_never_called, now=NOW) == {"sent": 0, "retried": 1}
        for minutes in (2, 60):
            notify.deliver(cfg, db, client_factory=_never_called, now=NOW + timedelta(minutes=minutes))
        with db.read() as cur:
            assert store_notify.outbox_counts(cur) == {"failed": 1}
            (line,) = store_notify.recent_log(cur)
        assert line["detail"].startswith("chưa có mã truy cập Zalo OA (và không có mã làm mới để tự làm mới) trên máy "
                                         "chủ: quản trị viên cần đặt biến môi trường LANGNGHE_ZALO_TOKEN"), line
        assert notify.GIVEN_UP_UNSET in line["detail"]
    finally:
        db.close()


def test_a_zalo_push_waiting_for_its_token_renewal_is_retried(tmp_path, monkeypatch):
    cfg, db = _zalo_env(tmp_path, monkeypatch, refresh="ma-lam-moi")
    try:
        subscribe(db, channel="zalo", address="5566")
        raise_one(db)
        notify.deliver(cfg, db, client_factory=_never_called, now=NOW)
        with db.read() as cur:
            assert store_notify.outbox_counts(cur) == {"pending": 1}  # the renewal may bring the token
            (line,) = store_notify.recent_log(cur)
        assert "chờ việc làm mới mã" in line["detail"] and "ma-lam-moi" not in line["detail"]
    finally:
        db.close()
