"""What a webhook (any URL a signed-in user types), Telegram, Zalo or a complaint channel answers is read by the
scheduler's blocking client (collectors/netguard.guarded_client): httpx read it whole and inflated it with no
bound, so a subscriber's server answering 3 KB as "gzip, gzip" (or an unasked "br") put gigabytes in the serve
process. The answer is now read under netguard.ANSWER_MAX_BYTES, decoded stage by stage under the same cap
(collectors/decoding.py); over it the send fails with a clear message. Real server on 127.0.0.1."""

from __future__ import annotations

import gzip
import pytest

from collectors import netguard
from devtools.coded_server import serve_coded
from notify import registry
from notify.base import Message, SendError
from orchestration import notify as orch_notify
from tests.conftest import make_config

MSG = Message("Lắng Nghe: cảnh báo", "[Cao] Bùn đất từ bãi thải", ("A000001",), "http://127.0.0.1:8501/alerts")


@pytest.fixture
def hook():
    answers: dict[str, tuple[bytes, str]] = {}

    httpd = serve_coded(answers, "application/json")
    yield answers, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _send(tmp_path, url: str) -> str:
    client = orch_notify._client(make_config(tmp_path, []), 10.0)  # noqa: SLF001 - the channels' own client
    with client:
        return registry.get("webhook").send(url, MSG, {}, client)


@pytest.mark.parametrize("body,coding", [
    (gzip.compress(gzip.compress(b"\0" * (64 << 20), 9), 9), "gzip, gzip"),  # 3 KB → 64 MB
    (gzip.compress(b"\0" * (8 << 20), 9), "gzip"),
    (b"x" * (netguard.ANSWER_MAX_BYTES + 1), ""),
], ids=["gzip-gzip", "gzip", "plain"])
def test_an_oversized_answer_fails_the_send_with_a_clear_message(tmp_path, monkeypatch, hook, body, coding):
    monkeypatch.setenv("LANGNGHE_WEBHOOK_SECRET", "bi-mat-rat-dai-123")
    answers, base = hook
    answers["/hook"] = (body, coding)
    with pytest.raises(SendError, match="vượt giới hạn"):
        _send(tmp_path, base + "/hook")


def test_an_unasked_coding_fails_the_send(tmp_path, monkeypatch, hook):
    monkeypatch.setenv("LANGNGHE_WEBHOOK_SECRET", "bi-mat-rat-dai-123")
    answers, base = hook
    answers["/hook"] = (b"\x0b\x02\x80{}\x03", "br")
    with pytest.raises(SendError, match="br"):
        _send(tmp_path, base + "/hook")


def test_an_ordinary_compressed_answer_still_reads(tmp_path, monkeypatch, hook):
    monkeypatch.setenv("LANGNGHE_WEBHOOK_SECRET", "bi-mat-rat-dai-123")
    answers, base = hook
    answers["/hook"] = (gzip.compress(b'{"ok": true}'), "gzip")
    assert _send(tmp_path, base + "/hook") == "HTTP 200"
    client = orch_notify._client(make_config(tmp_path, []), 10.0)  # noqa: SLF001
    with client:
        assert client.post(base + "/hook", content=b"{}").json() == {"ok": True}
