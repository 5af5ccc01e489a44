"""Content-Encoding undone under the body cap, at every stage (what httpx's decoders do without a bound).

    raw bytes (resp.aiter_raw) ──▶ stage per coding, last applied first ──▶ the body
                                   each stage's output counted: over the cap ──▶ TooLargeError

httpx inflates each network read whole, so a 64 KB read of a gzip bomb became ~64 MB at once, a
"gzip, gzip" answer of 3 KB became gigabytes in one step, and "br" (brotli, which we never ask for but
httpx decodes when the package is installed) 2 KB → 3 GB — all before the Fetcher counted a byte
(bench/http_bombs.py). Here zlib is asked for at most what is left of the cap plus one byte, so memory
stays within the cap per stage whatever the ratio. Only the codings the Fetcher asks for (gzip, deflate)
are decoded, at most two stacked; a corrupt or truncated stream is a DocumentError, never a silent part.
"""

from __future__ import annotations

import zlib
from typing import Iterator

from collectors.base import DocumentError, TooLargeError

ASKED = "gzip, deflate"  # the Accept-Encoding the Fetcher sends
# Constants, not [limits] settings: no server stacks more than two codings for a real answer (three or more is a
# bomb's shape), and PIECE is how finely a cap is enforced, not a size anyone tunes.
MAX_CODINGS = 2
PIECE = 1 << 20  # most bytes one inflate step yields before the reader counts them
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


# Compression codings we never ask for: refused rather than passed on compressed (or, as httpx did for br,
# inflated without a bound). Any other token (a misconfigured "Content-Encoding: UTF-8") is ignored, as httpx
# ignored it, so such a site keeps working.
_UNASKED = {"br", "zstd", "compress", "x-compress", "bzip2", "x-bzip2", "lzma", "xz", "pack200-gzip", "exi",
            "aes128gcm"}


def codings(header: str | None) -> list[str]:
    """The compression codings of a Content-Encoding header in the order they were applied (identity and
    unknown tokens left out); one we did not ask for, or more than MAX_CODINGS, is a DocumentError."""
    names = [n.strip().lower() for n in (header or "").split(",")]
    names = [n for n in names if n in _WBITS or n in _UNASKED]
    for name in names:
        if name not in _WBITS:
            raise DocumentError(f"máy chủ gửi nội dung nén kiểu «{name}» (Content-Encoding) mà Lắng Nghe không "
                                f"yêu cầu (chỉ nhận {ASKED}): không giải nén")
    if len(names) > MAX_CODINGS:
        raise DocumentError(f"nội dung nén {len(names)} lớp (Content-Encoding: {header}); chỉ nhận tối đa "
                            f"{MAX_CODINGS} lớp: không giải nén")
    return names


class _Stage:
    """One coding undone, its whole output bounded by `limit` bytes."""

    def __init__(self, name: str, limit: int, cap_label: str) -> None:
        self.name, self.limit, self.cap_label = name, limit, cap_label
        self.total = 0
        self.fed = False
        self._d = zlib.decompressobj(_WBITS[name])
        self._may_be_raw = name == "deflate"  # some servers send raw deflate without the zlib header

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The output of `data`, in pieces of at most PIECE bytes (a reader counts each before the next
        is inflated: a 64 KB read of a bomb is never 20 MB at once)."""
        while data:
            try:
                out = self._d.decompress(data, min(PIECE, self.limit - self.total + 1))  # never past the cap + 1
            except zlib.error as exc:
                if not (self._may_be_raw and not self.fed):
                    raise DocumentError(f"nội dung nén {self.name} bị hỏng ({exc})") from None
                self._may_be_raw = False
                self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            data = self._d.unconsumed_tail
            self.fed = True
            self.total += len(out)
            if self.total > self.limit:
                raise TooLargeError(f"nội dung sau khi giải nén ({self.name}) vượt giới hạn {self.cap_label}: "
                                    "ngừng đọc (có thể là bom nén)")
            if out:
                yield out
            elif not data or self._d.eof:
                return

    def finish(self) -> None:
        if self.fed and not self._d.eof:
            raise DocumentError(f"nội dung nén {self.name} bị cắt cụt hoặc hỏng (thiếu phần cuối)")


class BodyDecoder:
    """Feed raw body bytes, get decoded bytes; every stage's total output stays within `limit`."""

    def __init__(self, header: str | None, limit: int, cap_label: str) -> None:
        self.stages = [_Stage(n, limit, cap_label) for n in reversed(codings(header))]

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decoded pieces of `data`, each at most PIECE bytes when a coding is undone (else `data` itself)."""
        return self._through(data, 0)

    def _through(self, data: bytes, i: int) -> Iterator[bytes]:
        if i == len(self.stages):
            if data:
                yield data
            return
        for piece in self.stages[i].feed(data):
            yield from self._through(piece, i + 1)

    def finish(self) -> None:
        """Raise DocumentError if a compressed stream ended before its end marker (a truncated body)."""
        for stage in self.stages:
            stage.finish()
