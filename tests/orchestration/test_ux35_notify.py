"""Round 29 (ux35): a push whose channel lacks a setting on this server (a webhook without LANGNGHE_WEBHOOK_SECRET, a
Telegram bot without its token, e-mail without a mail server) is given up at once with a Vietnamese reason in the send
log, and «Gửi thử» says the same before any request; the other subscriptions' pushes go as before. It was retried with
back-off until [notify] max_attempts (about a day), each try logging the same reason."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx

from notify.base import NotConfigured
from orchestration import notify
from store import notify as store_notify
from tests.conftest import database, make_config
from tests.orchestration.test_notify import NOW, TOKEN, Telegram, raise_one, subscribe


def _env(tmp_path, monkeypatch):
    from vocab import secrets

    monkeypatch.delenv("LANGNGHE_WEBHOOK_SECRET", raising=False)
    monkeypatch.setattr(secrets, "_dir", str(tmp_path / "secrets"))  # no file left by another run is read
    monkeypatch.setenv("LANGNGHE_TELEGRAM_TOKEN", TOKEN)
    cfg = make_config(tmp_path, http={"allow_private_hosts": ["127.0.0.1"]},
                      notify={"public_url": "http://127.0.0.1:8501",
                              "telegram": {"base_url": "http://127.0.0.1:9", "token_env": "LANGNGHE_TELEGRAM_TOKEN"}})
    return cfg, database(cfg.storage.db_path)


class Both:
    """The far ends: Telegram's API and a webhook receiver (which must never be called without the secret)."""

    def __init__(self) -> None:
        self.telegram = Telegram()
        self.hook: list[dict] = []

    def __call__(self, req: httpx.Request) -> httpx.Response:
        if "/hook" in req.url.path:
            self.hook.append(json.loads(req.content))
            return httpx.Response(200)
        return self.telegram(req)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


def test_a_webhook_without_its_secret_is_given_up_at_once_and_the_rest_goes(tmp_path, monkeypatch):
    cfg, db = _env(tmp_path, monkeypatch)
    try:
        hook_sub = subscribe(db, channel="webhook", address="http://127.0.0.1:9/hook")
        subscribe(db)  # Telegram, configured
        raise_one(db)
        far = Both()
        res = notify.deliver(cfg, db, client_factory=far.client, now=NOW)
        assert res == {"sent": 1, "retried": 1} and far.hook == [] and len(far.telegram.sent) == 1
        with db.read() as cur:
            assert store_notify.outbox_counts(cur) == {"sent": 1, "failed": 1}  # given up after one try, not pending
            (line,) = [r for r in store_notify.recent_log(cur) if r["channel"] == "webhook"]
            trouble = store_notify.delivery_trouble(cur, NOW.replace(hour=0))
        assert not line["ok"]
        assert line["detail"].startswith("chưa có khóa ký webhook trên máy chủ: quản trị viên cần đặt biến môi trường "
                                         "LANGNGHE_WEBHOOK_SECRET cho serve"), line["detail"]
        assert "«Gửi lại các tin lỗi» ở trang Thông báo" in line["detail"]
        assert [(t["subscription_id"], t["failed"], t["waiting"]) for t in trouble] == [(hook_sub, 1, 0)]
        # later passes do not try it again: one line in the log, not one a back-off for a day
        for hours in (1, 5, 30):
            notify.deliver(cfg, db, client_factory=far.client, now=NOW + timedelta(hours=hours))
        with db.read() as cur:
            assert len([r for r in store_notify.recent_log(cur) if r["channel"] == "webhook"]) == 1
        # the secret set (a file in the secrets folder: read at each send), «Gửi lại các tin lỗi»: it goes
        (tmp_path / "secrets").mkdir()
        key = tmp_path / "secrets" / "LANGNGHE_WEBHOOK_SECRET"
        key.write_text("khoa-ky", encoding="utf-8")
        key.chmod(0o600)
        later = NOW + timedelta(hours=2)
        with db.write() as cur:
            store_notify.requeue_failed(cur, hook_sub, NOW.replace(hour=0), later)
        assert notify.deliver(cfg, db, client_factory=far.client, now=later)["sent"] == 1 and len(far.hook) == 1
    finally:
        db.close()


def test_send_test_says_what_is_missing_before_any_request(tmp_path, monkeypatch):
    cfg, db = _env(tmp_path, monkeypatch)
    calls: list[httpx.Request] = []

    def far(req: httpx.Request) -> httpx.Response:
        calls.append(req)
        return httpx.Response(200)

    try:
        ok, detail = notify.send_test(cfg, db, "webhook", "http://127.0.0.1:9/hook", "quantri",
                                      client_factory=lambda: httpx.Client(transport=httpx.MockTransport(far)))
        assert not ok and calls == []
        assert detail.startswith("chưa có khóa ký webhook trên máy chủ: quản trị viên cần đặt biến môi trường "
                                 "LANGNGHE_WEBHOOK_SECRET"), detail
        with db.read() as cur:
            assert store_notify.recent_log(cur)[0]["detail"].startswith("(thử) chưa có khóa ký webhook")
    finally:
        db.close()


def test_the_channels_that_lack_a_setting_say_it_as_not_configured(tmp_path, monkeypatch):
    """Webhook, Telegram and e-mail; Zalo's token is renewed by a job (it may come back alone): still retried."""
    from notify import registry
    from tests.notify.test_ux32 import MSG
    from vocab import secrets

    monkeypatch.delenv("LANGNGHE_WEBHOOK_SECRET", raising=False)
    monkeypatch.delenv("LANGNGHE_TELEGRAM_TOKEN", raising=False)
    monkeypatch.setattr(secrets, "_dir", str(tmp_path / "secrets"))
    with httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200))) as client:
        for channel, address, settings in (("webhook", "http://127.0.0.1:9/hook", {}),
                                           ("telegram", "-1001", {"token_env": "LANGNGHE_KHONG_CO_TOKEN"}),
                                           ("email", "a@uongbi.test", {"host": ""})):
            try:
                registry.get(channel).send(address, MSG, settings, client)
            except NotConfigured as exc:
                assert str(exc).startswith("chưa c"), (channel, str(exc))
            else:
                raise AssertionError(f"{channel} sent without its setting")
