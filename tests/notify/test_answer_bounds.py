"""What a webhook (any URL a signed-in user types), Telegram, Zalo or a complaint channel answers is read by the
scheduler's blocking client (collectors/netguard.guarded_client): httpx read it whole and inflated it with no
bound, so a subscriber's server answering 3 KB as "gzip, gzip" (or an unasked "br") put gigabytes in the serve
process. The answer is now read under [limits] max_answer_mb, decoded stage by stage under the same cap
(collectors/decoding.py); over it the send fails with a clear message. Real server on 127.0.0.1."""

from __future__ import annotations

import gzip
import pytest

from devtools.coded_server import serve_coded
from notify import registry
from notify.base import Message, SendError
from orchestration import notify as orch_notify
from tests.conftest import make_config
from vocab.config import DEFAULT_LIMITS

MSG = Message("Lắng Nghe: cảnh báo", "[Cao] Bùn đất từ bãi thải", ("A000001",), "http://127.0.0.1:8501/alerts")


@pytest.fixture
def hook():
    answers: dict[str, tuple[bytes, str]] = {}

    httpd = serve_coded(answers, "application/json")
    yield answers, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.stop()


def _send(tmp_path, url: str) -> str:
    client = orch_notify._client(make_config(tmp_path, []), 10.0)  # noqa: SLF001 - the channels' own client
    with client:
        return registry.get("webhook").send(url, MSG, {}, client)


@pytest.mark.parametrize("body,coding", [
    (gzip.compress(gzip.compress(b"\0" * (64 << 20), 9), 9), "gzip, gzip"),  # 3 KB → 64 MB
    (gzip.compress(b"\0" * (8 << 20), 9), "gzip"),
    (b"x" * (DEFAULT_LIMITS.answer_bytes + 1), ""),
], ids=["gzip-gzip", "gzip", "plain"])
def test_an_oversized_answer_fails_the_send_with_a_clear_message(tmp_path, monkeypatch, hook, body, coding):
    monkeypatch.setenv("LANGNGHE_WEBHOOK_SECRET", "bi-mat-rat-dai-123")
    answers, base = hook
    answers["/hook"] = (body, coding)
    with pytest.raises(SendError, match="vượt giới hạn"):
        _send(tmp_path, base + "/hook")


def test_the_configured_answer_cap_is_the_one_read_under(tmp_path, monkeypatch, hook):
    """[limits] max_answer_mb reaches the channels' client (round 20: a module constant before): a 4 KB answer is
    read under the shipped 1 MB and refused under 0.002 MB (2 KB), on the wire and once inflated."""
    monkeypatch.setenv("LANGNGHE_WEBHOOK_SECRET", "bi-mat-rat-dai-123")
    answers, base = hook
    answers["/plain"] = (b'{"ok": "' + b"x" * 4_000 + b'"}', "")
    answers["/gzip"] = (gzip.compress(b'{"ok": "' + b"x" * 4_000 + b'"}'), "gzip")
    small = make_config(tmp_path, [], limits={"max_answer_mb": 0.002})
    for path in ("/plain", "/gzip"):
        assert _send(tmp_path, base + path) == "HTTP 200"
        with orch_notify._client(small, 10.0) as client:  # noqa: SLF001
            with pytest.raises(SendError, match="vượt giới hạn 0.002 MB"):
                registry.get("webhook").send(base + path, MSG, {}, client)


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
