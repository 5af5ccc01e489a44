"""The e-mail channel connects through the public-address guard (collectors/netguard.py), as HTTP requests do:
smtplib opened its own socket to whatever [notify.email] host named, private network or not. Now the name is
resolved once, each address judged ([http] allow_private_hosts lets a relay of the office through), only a
judged address dialled, and TLS still verifies the configured name. Servers run on 127.0.0.1 only."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
import pytest

from collectors import netguard
from notify import registry
from notify.base import Message, SendError
from orchestration import notify as orch_notify
from tests.conftest import free_port, make_config

TLS = Path(__file__).resolve().parents[1] / "fixtures" / "tls"
MSG = Message("Lắng Nghe: cảnh báo Ngập ở Quang Trung", "[Cao] Ngập sâu ở phường Quang Trung", ("A000002",))


class Box:
    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(envelope.content)
        return "250 OK"


def _server_context() -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(TLS / "mail.pem", TLS / "mail.key")  # names mail.noibo.test only, no address
    return ctx


@pytest.fixture(params=["ssl", "starttls"])
def tls_smtp(request, monkeypatch):
    """An SMTP server on 127.0.0.1 with implicit TLS or STARTTLS; the client trusts the test CA."""
    from aiosmtpd.controller import Controller

    box, port = Box(), free_port()
    kw = {"ssl_context": _server_context()} if request.param == "ssl" else {"tls_context": _server_context()}
    ctl = Controller(box, hostname="127.0.0.1", port=port, **kw)
    ctl.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS / "ca.pem"))  # ssl.create_default_context() trusts it
    yield box, port, request.param
    ctl.stop()


def _send(settings: dict) -> str:
    return registry.get("email").send("canbo@example.vn", MSG, settings, httpx.Client())


def test_a_private_smtp_host_is_refused_in_vietnamese_and_never_reached(tmp_path):
    from aiosmtpd.controller import Controller

    box, port = Box(), free_port()
    ctl = Controller(box, hostname="127.0.0.1", port=port)
    ctl.start()
    try:
        cfg = make_config(tmp_path, [], http={"allow_private_hosts": []},  # nothing private allowed: the default
                          notify={"email": {"host": "127.0.0.1", "port": port, "security": "none"}})
        with pytest.raises(SendError) as ei:
            orch_notify.send_one(cfg, "email", "canbo@example.vn", MSG, httpx.Client())
        assert "Chặn truy cập 127.0.0.1" in str(ei.value) and "allow_private_hosts" in str(ei.value)
        assert box.sessions == 0 and box.messages == []
        allowed = make_config(tmp_path, [], http={"allow_private_hosts": [f"127.0.0.1:{port}"]},
                              notify={"email": {"host": "127.0.0.1", "port": port, "security": "none"}})
        orch_notify.send_one(allowed, "email", "canbo@example.vn", MSG, httpx.Client())  # the office's relay
        assert len(box.messages) == 1
    finally:
        ctl.stop()


def test_a_name_resolving_to_a_private_address_is_refused():
    dial = netguard.dialer(frozenset(), resolve=lambda host, port: ["192.168.1.20"], refuse=SendError)
    with pytest.raises(SendError, match=r"smtp\.example\.vn \(192\.168\.1\.20\): địa chỉ mạng nội bộ"):
        _send({"host": "smtp.example.vn", "port": 587, "dial": dial})


def test_without_the_guard_nothing_is_sent():
    with pytest.raises(SendError, match="bộ kiểm tra địa chỉ"):
        _send({"host": "smtp.example.vn", "port": 587})


def test_tls_verifies_the_configured_name_on_the_dialled_address(tls_smtp):
    box, port, security = tls_smtp
    looked_up: list[str] = []

    def resolve(host: str, p: int) -> list[str]:
        looked_up.append(host)
        return ["127.0.0.1"]

    allow = netguard.parse_allow([f"mail.noibo.test:{port}", f"khac.noibo.test:{port}"])
    dial = netguard.dialer(allow, resolve, refuse=SendError)
    assert _send({"host": "mail.noibo.test", "port": port, "security": security, "dial": dial}) == "máy chủ thư đã nhận"
    assert len(box.messages) == 1 and looked_up == ["mail.noibo.test"]
    with pytest.raises(SendError, match="SSLCertVerificationError|certificate"):  # the name, not 127.0.0.1
        _send({"host": "khac.noibo.test", "port": port, "security": security, "dial": dial})
    assert len(box.messages) == 1
