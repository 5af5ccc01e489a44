"""Compressed answers are decoded under the body cap, stage by stage (collectors/http.py, BodyDecoder).

httpx decodes Content-Encoding with no output bound: a 3 KB answer sent as "gzip, gzip", or 2 KB sent as "br"
(which we never ask for), unpacked to gigabytes in one step before the body cap could count a byte. Memory
figures are in bench/http_bombs.py; here the behaviour: the cap is on the decoded size, at every stage,
unasked codings are refused, and a corrupt stream is a clear error. Traffic stays on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import zlib
from dataclasses import replace

import pytest

from collectors.base import DocumentError, FetchError, TooLargeError
from collectors.http import Fetcher
from tests.conftest import send
from kindhelpers import fresh_gates, http_cfg, kserver, server  # noqa: F401

pytestmark = pytest.mark.usefixtures("fresh_gates")

FEED = b"<rss><channel><title>T\xc3\xa1</title></channel></rss>" * 50


def fetch(url: str, max_body_mb: float = 1.0):  # type: ignore[no-untyped-def]
    async def go():  # type: ignore[no-untyped-def]
        async with Fetcher(replace(http_cfg(), max_body_mb=max_body_mb)) as f:
            return await f.get(url)

    return asyncio.run(go())


def serve(server, body: bytes, encoding: str, extra: dict[str, str] | None = None) -> str:
    server.routes["/f"] = lambda r: send(r, 200, body, "application/rss+xml",
                                         {"Content-Encoding": encoding, **(extra or {})})
    return server.url("/f")


def raw_deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return c.compress(data) + c.flush()


@pytest.mark.parametrize("body,encoding", [
    (gzip.compress(FEED), "gzip"),
    (gzip.compress(FEED), "x-gzip"),
    (zlib.compress(FEED), "deflate"),
    (raw_deflate(FEED), "deflate"),  # the raw form some servers send for "deflate"
    (FEED, "identity"),
    (gzip.compress(gzip.compress(FEED)), "gzip, gzip"),
    (gzip.compress(FEED), "GZIP "),
    (FEED, "UTF-8"),  # a misconfigured server's charset in the wrong header: ignored, as httpx did
], ids=["gzip", "x-gzip", "deflate", "raw-deflate", "identity", "gzip-gzip", "upper-case", "not-a-coding"])
def test_ordinary_compressed_answers_still_decode(server, body, encoding):
    assert fetch(serve(server, body, encoding)).body == FEED


def test_a_gzip_bomb_is_stopped_at_the_cap_of_the_decoded_size(server):
    body = gzip.compress(b"\0" * (8 << 20), 9)  # 8 KB on the wire, 8 MB decoded
    with pytest.raises(TooLargeError, match="giải nén"):
        fetch(serve(server, body, "gzip"), max_body_mb=1)


def test_a_double_gzip_bomb_is_stopped_at_the_first_stage_that_passes_the_cap(server):
    inner = gzip.compress(b"\0" * (64 << 20), 9)  # 64 KB → 64 MB
    with pytest.raises(TooLargeError, match="giải nén"):
        fetch(serve(server, gzip.compress(inner, 9), "gzip, gzip"), max_body_mb=1)


def test_a_coding_we_never_asked_for_is_refused(server):
    with pytest.raises(DocumentError, match="br"):
        fetch(serve(server, b"\x0b\x02\x80hello\x03", "br"))


def test_more_than_two_codings_are_refused(server):
    body = gzip.compress(gzip.compress(gzip.compress(FEED)))
    with pytest.raises(DocumentError, match="Content-Encoding"):
        fetch(serve(server, body, "gzip, gzip, gzip"))


@pytest.mark.parametrize("body", [b"not gzip at all", gzip.compress(FEED)[:40]], ids=["garbage", "truncated"])
def test_a_corrupt_or_truncated_gzip_body_is_a_clear_error(server, body):
    with pytest.raises(FetchError) as err:
        fetch(serve(server, body, "gzip"))
    assert err.value.kind == "document"
    assert "gzip" in str(err.value)
