"""Local stand-ins for the servers notifications go to, on 127.0.0.1: an SMTP server (aiosmtpd) and one
HTTP server answering like the Telegram Bot API (POST /bot<token>/sendMessage) and the Zalo OA API
(POST /v3.0/oa/message/cs). Used by the end-to-end test of `serve` and by bench/notify_serve.py.

    SmtpStandIn / ApiStandIn
        .refuse = True   answer "try later" (SMTP 451, HTTP 502): the message stays in the outbox
        .received        every message accepted: Received(at, channel, address, text, key)
        .wait_for(pred)  poll until enough has arrived (no fixed sleeps)

`at` is the wall-clock time (time.time()) the stand-in accepted the message; `key` is the delivery key
(e-mail Message-ID, or the X-LangNghe-Delivery header) that makes a repeated message recognisable.
"""

from __future__ import annotations

import email
import json
import socket
import threading
import time
from dataclasses import dataclass
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler
from typing import Any, Callable

from devtools.demo_server import QuietHTTPServer


@dataclass(frozen=True)
class Received:
    at: float
    channel: str
    address: str
    text: str
    key: str = ""
    subject: str = ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Box:
    """What the stand-ins share: the received list, the refusal switch, a wait helper."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refused = 0
        self.refuse = False
        self._lock = threading.Lock()

    def _add(self, r: Received) -> None:
        with self._lock:
            self.received.append(r)

    def of(self, channel: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.channel == channel]

    def wait_for(self, pred: Callable[[], bool], timeout: float, why: str = "") -> None:
        deadline = time.monotonic() + timeout
        while not pred():
            if time.monotonic() > deadline:
                raise TimeoutError(f"not within {timeout:.0f} s: {why}; received {self.received!r}")
            time.sleep(0.05)


class SmtpStandIn(_Box):
    """aiosmtpd on 127.0.0.1; refuses with 451 (a temporary error, so the sender retries) while `refuse`."""

    def __init__(self) -> None:
        super().__init__()
        from aiosmtpd.controller import Controller

        box = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
                if box.refuse:
                    box.refused += 1
                    return "451 4.3.0 stand-in: try again later"
                msg = email.message_from_bytes(envelope.original_content or envelope.content)
                body = msg.get_payload(decode=True).decode(msg.get_content_charset() or "utf-8")
                subject = str(make_header(decode_header(msg.get("Subject", ""))))
                for rcpt in envelope.rcpt_tos:
                    box._add(Received(time.time(), "email", rcpt, body, msg.get("Message-ID", ""), subject))
                return "250 OK"

        self.port = free_port()  # aiosmtpd's start-up check connects to the port it was given: not 0
        self._ctl = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._ctl.start()

    def stop(self) -> None:
        self._ctl.stop()


class ApiStandIn(_Box):
    """Telegram Bot API and Zalo OA message API in one HTTP server; 502 while `refuse`."""

    def __init__(self, telegram_token: str = "", zalo_token: str = "") -> None:
        super().__init__()
        box = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a: Any) -> None:
                pass

            def _json(self, status: int, obj: Any) -> None:
                body = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # noqa: N802
                data = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                key = self.headers.get("X-LangNghe-Delivery", "")
                if box.refuse:
                    box.refused += 1
                    self._json(502, {"ok": False, "error": -1, "description": "stand-in: try again later"})
                elif self.path == f"/bot{telegram_token}/sendMessage":
                    box._add(Received(time.time(), "telegram", str(data.get("chat_id")), data.get("text", ""), key))
                    self._json(200, {"ok": True, "result": {"message_id": len(box.received)}})
                elif self.path == "/v3.0/oa/message/cs" and self.headers.get("access_token") == zalo_token:
                    box._add(Received(time.time(), "zalo", str(data["recipient"]["user_id"]),
                                      data["message"]["text"], key))
                    self._json(200, {"error": 0, "message": "Success", "data": {"message_id": str(len(box.received))}})
                else:
                    self._json(404, {"ok": False, "error": -124, "description": "unknown path or token"})

        self._httpd = QuietHTTPServer(("127.0.0.1", 0), H)
        self.port = int(self._httpd.server_address[1])
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._httpd.serve_in_thread("notify-standin")

    def stop(self) -> None:
        self._httpd.stop()
