"""A text file's bytes as text: which codec, from its first bytes, before any row is read.

    stream ─HEAD_BYTES─▶ sniff_encoding: BOM (UTF-8, UTF-16) · UTF-16 without BOM (NULs on one side) ·
        │                collectors.encoding's choice on whole lines (UTF-8, Windows-1258, …)
        ▼
    decoded(stream): a TextIOWrapper over the stream (bad bytes replaced) and the decoded head (the CSV
        dialect and "is it a JSON array" are read from it); detached afterwards so the stream stays open
"""

from __future__ import annotations

import codecs
import io
from contextlib import contextmanager
from typing import BinaryIO, Iterator

from collectors.encoding import decode
from collectors.imports.caps import HEAD_BYTES


def sniff_encoding(head: bytes) -> str:
    """Codec of a text file from its first bytes: BOM, UTF-16 without BOM (NUL bytes on one side),
    else collectors.encoding's choice (UTF-8, Windows-1258, …) on whole lines of the sample."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    bomless = _utf16_without_bom(head)
    if bomless:
        return bomless
    cut = head.rfind(b"\n")
    sample = head[:cut + 1] if len(head) >= HEAD_BYTES and cut > 0 else head
    return decode(sample)[1]


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text puts a NUL beside every ASCII character (commas, newlines, Latin letters) and
    Vietnamese text is mostly those; UTF-8 and Windows code pages have no NULs."""
    n = len(head) // 2 * 2
    if n < 4:
        return None
    even, odd = head[0:n:2].count(0), head[1:n:2].count(0)
    half = n // 2
    for enc, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= 0.3 * half and other <= 0.05 * half:
            try:
                codecs.getincrementaldecoder(enc)("strict").decode(head[:n])
            except UnicodeDecodeError:
                continue
            return enc
    return None


@contextmanager
def decoded(stream: BinaryIO) -> Iterator[tuple[io.TextIOWrapper, str]]:
    """The stream decoded (codec from its first bytes), detached again afterwards so it stays open."""
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    enc = sniff_encoding(head)
    text = io.TextIOWrapper(stream, encoding=enc, errors="replace", newline="")
    try:
        yield text, head.decode(enc, errors="replace").lstrip("\ufeff")
    finally:
        text.detach()
