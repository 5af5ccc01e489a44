"""Charset decoding: the 'mostly UTF-8' margin on real Vietnamese text, and decode speed.

Usage: .venv/bin/python bench/encoding.py [--chars 200000]
Prints, for the shipped demo corpus written as UTF-8, Windows-1258, Windows-1252 and Latin-1, the share
of invalid UTF-8 sequences among non-ASCII sequences (collectors.encoding.MOSTLY_UTF8_MAX_INVALID_SHARE
decides at 25%), then MB/s of decode_full for a clean UTF-8 body, one with a bad byte per 10 kB, and
a Windows-1258 one.
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from collectors.encoding import MOSTLY_UTF8_MAX_INVALID_SHARE, _Utf8, decode_full  # noqa: E402


def cp1258(text: str, errors: str = "replace") -> bytes:
    """Windows-1258 as sites write it: base letter + combining tone byte where no precomposed byte exists.
    tests/collectors/test_encoding.py uses it too, with errors="strict"."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            keep = "".join(m for m in d[1:] if m in "\u0302\u0306\u031b")
            out += unicodedata.normalize("NFC", d[0] + keep).encode("cp1258", errors=errors)
            out += "".join(m for m in d[1:] if m not in keep).encode("cp1258", errors=errors)
    return bytes(out)


def corpus(chars: int) -> str:
    text = ""
    for path in sorted((ROOT / "demo").rglob("*.jsonl")):
        text += path.read_text(encoding="utf-8")
        if len(text) >= chars:
            break
    return text[:chars]


def share(body: bytes) -> float:
    u = _Utf8(body)
    non_ascii = len(u.text) - (len(body) - u.high)
    return u.invalid / non_ascii if non_ascii else 0.0


def speed(body: bytes, rounds: int = 5) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        decode_full(body)
    return len(body) * rounds / (time.perf_counter() - start) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=200_000)
    args = ap.parse_args()
    text = corpus(args.chars)
    utf8 = text.encode("utf-8")
    bodies = {
        "utf-8": utf8,
        "utf-8, 1 bad byte / 10 kB": b"".join(utf8[i:i + 10_000] + b"\xe1" for i in range(0, len(utf8), 10_000)),
        "windows-1258": cp1258(text),
        "windows-1252": text.encode("cp1252", errors="replace"),
        "latin-1": text.encode("latin-1", errors="replace"),
    }
    print(f"demo corpus: {len(text)} characters; mostly-UTF-8 bar: {MOSTLY_UTF8_MAX_INVALID_SHARE:.0%} invalid")
    for name, body in bodies.items():
        d = decode_full(body)
        print(f"{name:28s} invalid share {share(body):6.1%}  → {d.encoding:7s} replaced {d.replaced:6d}"
              f"  {speed(body):6.1f} MB/s")


if __name__ == "__main__":
    main()
