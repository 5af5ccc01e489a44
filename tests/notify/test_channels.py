"""Contract over every notification channel: registered by name (duplicates refused), delivers a Vietnamese
message to a local stand-in on 127.0.0.1 (SMTP via aiosmtpd; Telegram, Zalo and webhook via httpx
MockTransport), fails with SendError — never a secret in the message — when the far end refuses."""

from __future__ import annotations

import dataclasses
import email.policy
import hashlib
import hmac
import json

import httpx
import pytest

from notify import registry
from notify.base import Message, SendError

MSG = Message("Lắng Nghe: cảnh báo Bùn đất tràn vào nhà dân", "[Cao] Bùn đất từ bãi thải\nVì sao: 3 tin từ 3 nguồn",
              ("A000001",), "http://127.0.0.1:8501/alerts?alert=A000001")
SECRET = "bi-mat-rat-dai-123"


def test_every_channel_is_registered_once():
    assert registry.names() == ["console", "email", "telegram", "webhook", "zalo"]
    with pytest.raises(registry.DuplicateChannel):
        @registry.register
        class Other:  # noqa: F811
            name = "console"


def mock(handler):
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_webhook_is_signed(monkeypatch):
    monkeypatch.setenv("LANGNGHE_WEBHOOK_SECRET", SECRET)
    seen = {}

    def h(req):
        seen["sig"], seen["body"] = req.headers["x-langnghe-signature"], req.content
        seen["delivery"] = req.headers.get("x-langnghe-delivery")
        return httpx.Response(204)

    registry.get("webhook").send("http://127.0.0.1/hook", dataclasses.replace(MSG, key="langnghe.1.7"), {}, mock(h))
    assert seen["sig"] == "sha256=" + hmac.new(SECRET.encode(), seen["body"], hashlib.sha256).hexdigest()
    assert json.loads(seen["body"])["alerts"] == ["A000001"]
    assert seen["delivery"] == "langnghe.1.7"  # the same on a repeat: the receiver can drop it


def test_telegram_and_zalo(monkeypatch):
    monkeypatch.setenv("LANGNGHE_TELEGRAM_TOKEN", SECRET)
    monkeypatch.setenv("LANGNGHE_ZALO_TOKEN", SECRET)
    calls = []

    def h(req):
        calls.append((req.url.path, json.loads(req.content), dict(req.headers)))
        if "telegram" in req.url.host:
            return httpx.Response(200, json={"ok": True, "result": {"message_id": 7}})
        return httpx.Response(200, json={"error": 0, "message": "Success", "data": {"message_id": "z1"}})

    assert registry.get("telegram").send("-100123", MSG, {"base_url": "http://telegram.test"}, mock(h)) == "message_id 7"
    assert registry.get("zalo").send("5566", MSG, {"base_url": "http://zalo.test"}, mock(h)) == "message_id z1"
    assert calls[0][0] == f"/bot{SECRET}/sendMessage" and calls[0][1]["chat_id"] == "-100123"
    assert calls[1][0] == "/v3.0/oa/message/cs" and calls[1][2]["access_token"] == SECRET


def test_refusals_are_send_errors_without_secrets(monkeypatch):
    monkeypatch.setenv("LANGNGHE_TELEGRAM_TOKEN", SECRET)
    with pytest.raises(SendError) as ei:
        registry.get("telegram").send("1", MSG, {"base_url": "http://t.test"},
                                      mock(lambda r: httpx.Response(401, json={"ok": False, "description": "Unauthorized"})))
    assert SECRET not in str(ei.value) and "Unauthorized" in str(ei.value)

    def boom(req):
        raise httpx.ConnectError(f"cannot reach {req.url}")

    with pytest.raises(SendError) as ei:
        registry.get("telegram").send("1", MSG, {"base_url": "http://t.test"}, mock(boom))
    assert SECRET not in str(ei.value)
    monkeypatch.delenv("LANGNGHE_WEBHOOK_SECRET", raising=False)
    with pytest.raises(SendError, match="khoá ký"):
        registry.get("webhook").send("http://x", MSG, {}, mock(lambda r: httpx.Response(200)))


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    class Box:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            self.messages.append((envelope.rcpt_tos, envelope.content))
            return "250 OK"

    from tests.conftest import free_port

    box, port = Box(), free_port()
    ctl = Controller(box, hostname="127.0.0.1", port=port)
    ctl.start()
    yield box, port
    ctl.stop()


def test_email_over_a_local_smtp_server(smtp_server):
    box, port = smtp_server
    settings = {"host": "127.0.0.1", "port": port, "security": "none", "sender": "lang-nghe@example.vn"}
    keyed = dataclasses.replace(MSG, key="langnghe.20261204030000000000.7")
    for m in (keyed, keyed, MSG):  # a repeat of one outbox message, then the admin's test (no key)
        registry.get("email").send("canbo@example.vn", m, settings, mock(lambda r: None))
    (to, raw), *_ = box.messages
    assert to == ["canbo@example.vn"]
    parsed = [email.message_from_bytes(raw, policy=email.policy.default) for _, raw in box.messages]
    assert parsed[0]["Subject"] == MSG.subject and "Bùn đất từ bãi thải" in parsed[0].get_content()
    ids = [m["Message-ID"] for m in parsed]
    assert ids[0] == ids[1] == "<langnghe.20261204030000000000.7@example.vn>"  # a repeat is recognisable
    assert ids[2] and ids[2] != ids[0]


def test_console_prints(capsys):
    registry.get("console").send("demo", MSG, {}, mock(lambda r: None))
    assert "Bùn đất từ bãi thải" in capsys.readouterr().out
