"""Round 28's walk (ux32) of the admin's «Gửi thử» and the log: a wrong address, a server that is down, each said in
Vietnamese with what to look at; a good address says where it went."""

from __future__ import annotations

import smtplib
import socket

import httpx
import pytest

from notify import registry
from notify.base import Message, NoAnswer, SendError, unreachable
from notify.channels.email import mail_failure

MSG = Message("Lắng Nghe: tin nhắn thử", "Lắng Nghe: tin nhắn thử", (), "http://127.0.0.1:8501")


def _down(req: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("[Errno 111] Connection refused", request=req)


def test_a_webhook_whose_server_is_down_says_so_in_vietnamese(monkeypatch):
    monkeypatch.setenv("LANGNGHE_WEBHOOK_SECRET", "bi-mat")
    with pytest.raises(SendError) as exc, httpx.Client(transport=httpx.MockTransport(_down)) as client:
        registry.get("webhook").send("http://127.0.0.1:9/hook", MSG, {}, client)
    assert str(exc.value) == ("webhook không kết nối được (máy chủ không chạy, sai địa chỉ hoặc cổng, hoặc tường lửa "
                              "chặn; ConnectError)")  # was «webhook không trả lời: ConnectError»


def test_each_kind_of_no_answer_is_worded():
    req = httpx.Request("POST", "http://127.0.0.1/x")
    timeout = unreachable("Telegram", httpx.ReadTimeout("x", request=req))
    assert isinstance(timeout, NoAnswer) and str(timeout) == "Telegram không trả lời trong thời gian chờ (ReadTimeout)"
    cut = unreachable("Zalo", httpx.RemoteProtocolError("x", request=req))
    assert type(cut) is SendError and str(cut).startswith("Zalo ngắt kết nối giữa chừng")


def test_a_mail_server_that_is_down_or_misnamed_says_which_and_where():
    assert mail_failure(ConnectionRefusedError(111, "Connection refused"), "mail.uongbi.test", 587, "a@b.vn").startswith(
        "máy chủ thư mail.uongbi.test:587 không nhận kết nối (không chạy, hoặc sai cổng)")  # was the errno alone
    assert mail_failure(socket.gaierror(-2, "Name or service not known"), "mail.sai", 25, "a@b.vn").startswith(
        "không tìm thấy máy chủ thư «mail.sai»")
    assert mail_failure(smtplib.SMTPAuthenticationError(535, b"no"), "h", 25, "a@b.vn").startswith(
        "máy chủ thư từ chối đăng nhập")
    assert mail_failure(TimeoutError(), "h", 25, "a@b.vn").startswith("máy chủ thư h:25 không trả lời trong thời gian")

