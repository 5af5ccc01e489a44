"""Turn fetched bytes into text whatever the site claims: UTF-8, Windows-1258, legacy Latin pages.

Vietnamese sites still serve Windows-1258 (which spells tones as combining marks) and mislabel UTF-8
as ISO-8859-1. Order of trust: BOM, then a declared charset that decodes cleanly (except a Latin-1
label on valid multi-byte UTF-8, a common lie), then UTF-8, then Windows-1258 when its
tone-after-vowel byte pattern shows, else Windows-1252.
Output is always NFC.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']", re.I)
_META = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9._-]+)", re.I)
_LATIN_LABELS = {"iso8859-1", "latin-1", "cp1252", "ascii"}


class DecodeError(ValueError):
    pass


def _norm(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None


def declared_charsets(body: bytes, content_type: str | None) -> list[str]:
    found: list[str] = []
    if content_type:
        m = re.search(r"charset=([^;\s]+)", content_type, re.I)
        if m:
            found.append(m.group(1))
    m = _XML_DECL.match(body[:512])
    if m:
        found.append(m.group(1).decode("ascii"))
    m = _META.search(body[:4096])
    if m:
        found.append(m.group(1).decode("ascii"))
    out = []
    for label in found:
        n = _norm(label)
        if n and n not in out:
            out.append(n)
    return out


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (NFC text, codec used)."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return unicodedata.normalize("NFC", body.decode(enc, errors="replace").lstrip("\ufeff")), enc
    utf8_ok = True
    try:
        utf8 = body.decode("utf-8")
    except UnicodeDecodeError:
        utf8_ok = False
    for enc in declared_charsets(body, content_type):
        if enc in _LATIN_LABELS and utf8_ok and any(b > 0x7F for b in body):
            break  # mislabelled UTF-8
        try:
            return unicodedata.normalize("NFC", body.decode(enc)), enc
        except (UnicodeDecodeError, LookupError):
            continue
    if utf8_ok:
        return unicodedata.normalize("NFC", utf8), "utf-8"
    if _looks_cp1258(body):
        return unicodedata.normalize("NFC", body.decode("cp1258", errors="replace")), "cp1258"
    return unicodedata.normalize("NFC", body.decode("cp1252", errors="replace")), "cp1252"


# Windows-1258 writes five tones as combining bytes after a vowel: grave, acute, tilde, hook, dot below.
_CP1258_TONES = frozenset(b"\xcc\xec\xd2\xde\xf2")
_CP1258_VOWELS = frozenset(b"aeiouyAEIOUY\xe2\xea\xf4\xd5\xdd\xe3\xc2\xca\xd4\xf5\xfd\xc3")


def _looks_cp1258(body: bytes) -> bool:
    """True when most high bytes are tone marks sitting right after a vowel, as Windows-1258 spells them."""
    high = sum(1 for b in body if b > 0x7F)
    if not high:
        return False
    pairs = sum(1 for a, b in zip(body, body[1:]) if b in _CP1258_TONES and a in _CP1258_VOWELS)
    return pairs >= 1 and pairs / high >= 0.2


def to_utf8_xml(body: bytes, content_type: str | None = None) -> tuple[bytes, str]:
    """Decoded, NFC, re-encoded as UTF-8 with the XML declaration saying so; junk before the root dropped."""
    text, enc = decode(body, content_type)
    start = _root_start(text)
    if start > 0:
        text = text[start:]
    text = re.sub(r"^\s*<\?xml[^>]*\?>", '<?xml version="1.0" encoding="utf-8"?>', text, count=1)
    return text.encode("utf-8"), enc


_ROOT = re.compile(r"<\?xml|<rss[\s>]|<feed[\s>]|<rdf:RDF[\s>]", re.I)


def _root_start(text: str) -> int:
    """Index of the XML declaration or feed root, skipping e.g. a browser's 'This XML file…' banner."""
    m = _ROOT.search(text[:20000])
    return m.start() if m else 0
