"""A text file's bytes as text: which codec, from its first bytes, before any row is read.

    stream ─HEAD_BYTES─▶ sniff_encoding: BOM (UTF-8, UTF-16) · UTF-16 without BOM (NULs on one side) ·
        │                collectors.encoding's choice on whole lines (UTF-8, Windows-1258, …)
        ▼
    decoded(stream, notes): a TextIOWrapper over the stream and the decoded head (the CSV dialect and "is it a
        JSON array" are read from it); detached afterwards so the stream stays open. Each byte sequence the
        sniffed codec cannot read becomes U+FFFD, and each line holding one is counted in notes["replaced_bytes"]
        as it is decoded (a file that changes encoding part-way: two exports joined)

The count is taken by the codec's error handler (`_replace_counted`), the one place the bytes are decoded: a U+FFFD
the file itself holds is text, not a lost byte. Until round 23 each reader (CSV, JSON) counted the rows holding
U+FFFD, one layer up and twice.
"""

from __future__ import annotations

import codecs
import io
from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
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


@dataclass
class _Decoding:
    """Where the error handler is in the chunk it decodes: a line with several unreadable sequences counts once."""

    notes: Counter[str]
    chunk: bytes = b""  # held (one chunk, a few KB) so that `is` tells a new chunk from the same one
    pos: int = 0
    line: int = 0
    counted_line: int = -1


# The file being decoded in this thread (or task): the error handler's only way to its file, since codecs name
# error handlers globally. Set by `decoded` for its block.
_DECODING: ContextVar[_Decoding | None] = ContextVar("langnghe_import_decoding", default=None)
ERRORS = "langnghe-import-replace"


def _replace_counted(exc: UnicodeError) -> tuple[str, int]:
    """As errors="replace" (one U+FFFD for the unreadable sequence); each line holding one counted once in the
    decoding file's notes["replaced_bytes"] (lines told by b"\\n" in the chunk: exact for UTF-8 and the Windows
    code pages; a line cut between two chunks with a bad byte on each side counts twice)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    at = _DECODING.get()
    if at is not None:
        if at.chunk is not exc.object or exc.start < at.pos:
            at.chunk, at.pos, at.line, at.counted_line = exc.object, 0, 0, -1
        at.line += exc.object.count(b"\n", at.pos, exc.start)
        at.pos = exc.start
        if at.line != at.counted_line:
            at.counted_line = at.line
            at.notes["replaced_bytes"] += 1
    return "\ufffd", exc.end


codecs.register_error(ERRORS, _replace_counted)


@contextmanager
def decoded(stream: BinaryIO, notes: Counter[str]) -> Iterator[tuple[io.TextIOWrapper, str]]:
    """The stream decoded (codec from its first bytes), detached again afterwards so it stays open; the byte
    lines with a sequence the codec could not read counted in `notes["replaced_bytes"]` while the block reads."""
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    enc = sniff_encoding(head)
    text = io.TextIOWrapper(stream, encoding=enc, errors=ERRORS, newline="")
    token = _DECODING.set(_Decoding(notes))
    try:
        yield text, head.decode(enc, errors="replace").lstrip("\ufeff")
    finally:
        _DECODING.reset(token)
        text.detach()
