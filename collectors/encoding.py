"""Turn fetched bytes into text whatever the site claims: UTF-8, Windows-1258, legacy Latin pages.

Vietnamese sites still serve Windows-1258 (which spells tones as combining marks) and mislabel UTF-8
as ISO-8859-1. Order of trust: BOM, then a declared charset that decodes cleanly (except a Latin-1
label on mostly-UTF-8 bytes, a common lie), then UTF-8, then Windows-1258 when its
tone-after-vowel byte pattern shows, else Windows-1252.

"Mostly UTF-8": one bad byte in one title must not turn a whole UTF-8 feed into mojibake, so a body
whose invalid UTF-8 sequences are at most MOSTLY_UTF8_MAX_INVALID_SHARE of its non-ASCII sequences
(valid multi-byte characters + invalid sequences) is decoded as UTF-8 with each bad sequence replaced
by U+FFFD. Legacy text almost never forms valid multi-byte UTF-8 by accident (a Windows-1258 or
-1252 page scores close to 100% invalid), while a UTF-8 feed with a pasted legacy title stays far
below the bar. Every replacement is counted (`Decoded.replaced`) and shown on source health, so
diacritics are never lost silently.
Output is always NFC.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']", re.I)
_META = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9._-]+)", re.I)
_LATIN_LABELS = {"iso8859-1", "latin-1", "cp1252", "ascii"}
_ASCII = bytes(range(0x80))
_UTF8_FFFD = "\ufffd".encode("utf-8")

# Largest share of invalid sequences among a body's non-ASCII sequences still decoded as UTF-8.
MOSTLY_UTF8_MAX_INVALID_SHARE = 0.25


@dataclass(frozen=True)
class Decoded:
    """A decoded body: NFC text, the codec used, and how many bad byte sequences became U+FFFD."""

    text: str
    encoding: str
    replaced: int = 0


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
    d = decode_full(body, content_type)
    return d.text, d.encoding


def decode_full(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode with the order of trust in the module docstring; count the replaced sequences."""
    for bom, enc, plain in (
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
    ):
        if body.startswith(bom):
            text = body.decode(enc, errors="replace").lstrip("\ufeff")
            return _decoded(text, enc, _replacements(text, body, plain))
    utf8 = _Utf8(body)
    for enc in declared_charsets(body, content_type):
        if enc in _LATIN_LABELS and utf8.mostly and utf8.high:
            break  # mislabelled UTF-8
        if enc == "utf-8" and utf8.mostly:
            break
        try:
            return _decoded(body.decode(enc), enc, 0)
        except (UnicodeDecodeError, LookupError):
            continue
    if utf8.mostly:
        return _decoded(utf8.text, "utf-8", utf8.invalid)
    enc = "cp1258" if _looks_cp1258(body) else "cp1252"
    text = body.decode(enc, errors="replace")
    return _decoded(text, enc, text.count("\ufffd"))


def _decoded(text: str, enc: str, replaced: int) -> Decoded:
    return Decoded(unicodedata.normalize("NFC", text), enc, max(replaced, 0))


def _replacements(text: str, body: bytes, codec: str) -> int:
    """U+FFFD the decoder added: those in the text minus the ones the body really spelled."""
    return text.count("\ufffd") - body.count("\ufffd".encode(codec))


class _Utf8:
    """The body read as UTF-8 with replacement, and whether it is 'mostly UTF-8' (see module doc)."""

    def __init__(self, body: bytes):
        self.high = len(body.translate(None, _ASCII))
        try:
            self.text, self.invalid = body.decode("utf-8"), 0
        except UnicodeDecodeError:
            self.text = body.decode("utf-8", errors="replace")
            # Each replacement is one U+FFFD; a real U+FFFD in the body is always the valid EF BF BD.
            self.invalid = self.text.count("\ufffd") - body.count(_UTF8_FFFD)
        # ASCII bytes map one to one onto ASCII characters, so the rest are the non-ASCII sequences.
        non_ascii = len(self.text) - (len(body) - self.high)
        valid = non_ascii - self.invalid
        self.mostly = self.invalid == 0 or (
            valid > 0 and self.invalid / non_ascii <= MOSTLY_UTF8_MAX_INVALID_SHARE
        )


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
    xml, d = to_utf8_xml_full(body, content_type)
    return xml, d.encoding


def to_utf8_xml_full(body: bytes, content_type: str | None = None) -> tuple[bytes, Decoded]:
    """As to_utf8_xml, with the whole Decoded (its text is the body before the rewrite)."""
    d = decode_full(body, content_type)
    text = d.text
    start = _root_start(text)
    if start > 0:
        text = text[start:]
    text = re.sub(r"^\s*<\?xml[^>]*\?>", '<?xml version="1.0" encoding="utf-8"?>', text, count=1)
    return text.encode("utf-8"), d


_ROOT = re.compile(r"<\?xml|<rss[\s>]|<feed[\s>]|<rdf:RDF[\s>]", re.I)


def _root_start(text: str) -> int:
    """Index of the XML declaration or feed root, skipping e.g. a browser's 'This XML file…' banner."""
    m = _ROOT.search(text[:20000])
    return m.start() if m else 0


def plan_repairs(stored: Mapping[str, Mapping[str, Any]], items: Iterable[Any]) -> list[dict[str, Any]]:
    """Which stored items a batch repairs, and with what (for store.items.repair_texts).

    `stored` maps canonical URL → the stored id/title/summary/author (store.items.stored_texts). Narrow
    on purpose: same canonical URL, the stored title and summary each equal to the new one or a
    garbled copy of it (is_garbled_copy), at least one garbled. The author is repaired only when it
    is itself a garbled copy. The first item of the batch for a URL is the one compared.
    """
    fixes: list[dict[str, Any]] = []
    done: set[str] = set()
    for it in items:
        old = stored.get(it.canonical_url)
        if old is None or it.canonical_url in done:
            continue
        done.add(it.canonical_url)
        pairs = ((old["title"], it.title), (old["summary"], it.summary))
        if all(o == n for o, n in pairs) or not all(o == n or is_garbled_copy(o, n) for o, n in pairs):
            continue
        author = old["author"]
        if author and it.author and is_garbled_copy(author, it.author):
            author = it.author
        fixes.append({"id": old["id"], "title": it.title, "summary": it.summary,
                      "content_hash": it.content_hash, "author": author})
    return fixes


# What an earlier, wrong decode may have stored instead of UTF-8 text (the fallbacks of decode()).
_GARBLING_CODECS = ("cp1252", "cp1258", "latin-1")
_WS = re.compile(r"\s+")
_FFFD_RUN = re.compile("\ufffd+")


def is_garbled_copy(stored: str, fresh: str) -> bool:
    """True when `stored` is `fresh` damaged by a decode, so `fresh` may replace it. Three readings:

    - mojibake of a clean body: re-doing the wrong legacy decode on `fresh` (plus the NFC and
      whitespace tidy every field gets) gives `stored` exactly;
    - U+FFFD where the body's bytes were broken: `fresh` fills each gap (see _fills_gaps);
    - mojibake of a body that also had broken bytes: `stored` encoded back to the legacy charset and
      read as UTF-8 gives some Vietnamese back and `fresh` fills the gaps left.

    A real edit of the text (anything outside the gaps) never counts as a repair.
    """
    if stored == fresh or "\ufffd" in fresh or not stored:
        return False
    raw = fresh.encode("utf-8")
    if any(_tidy(raw.decode(codec, errors="replace")) == stored for codec in _GARBLING_CODECS):
        return True
    if "\ufffd" in stored and _fills_gaps(stored, fresh):
        return True
    for codec in ("cp1252", "latin-1"):
        undone = _undo(stored, codec)
        if undone is not None and (undone == fresh or _fills_gaps(undone, fresh, lost_space=True)):
            return True
    return False


def _tidy(s: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", s)).strip()


def _undo(stored: str, codec: str) -> str | None:
    """`stored` encoded back to `codec` and read as UTF-8 (U+FFFD stays a gap), when that gives at
    least one multi-byte character back; else None (not mojibake in that codec)."""
    try:
        raw = b"\xff".join(part.encode(codec) for part in stored.split("\ufffd"))  # 0xFF: never UTF-8
    except UnicodeEncodeError:
        return None
    undone = unicodedata.normalize("NFC", raw.decode("utf-8", errors="replace"))
    if not any(ch > "\x7f" and ch != "\ufffd" for ch in undone):
        return None
    return undone


def _fills_gaps(stored: str, fresh: str, *, lost_space: bool = False) -> bool:
    """`fresh` equals `stored` with each run of k U+FFFD standing for 1..k characters of `fresh`
    (one bad sequence is one replacement; a character that lost its lead byte gives one per byte).
    Compared in NFD, where a gap may also be just the tone marks of the letter before it: Windows-1258
    spells 'ã' as 'a' + a tone byte, and only the tone byte is lost. With `lost_space`, a space right
    after a gap may be absent from `fresh`: mojibake turns the 0xA0 byte of 'à' into a no-break space,
    which the whitespace tidy merged or made a plain space. Matched by walking the set of reachable
    positions, so it cannot backtrack exponentially."""
    stored, fresh = unicodedata.normalize("NFD", stored), unicodedata.normalize("NFD", fresh)
    parts = _FFFD_RUN.split(stored)
    runs = [len(m) for m in _FFFD_RUN.findall(stored)]
    if not runs or not fresh.startswith(parts[0]):
        return False
    reach = {len(parts[0])}
    for k, lit in zip(runs, parts[1:]):
        alts = (lit, lit[1:]) if lost_space and lit.startswith(" ") else (lit,)
        nxt = {q + len(a) for p in reach for q in _gap_ends(fresh, p, k) for a in alts if fresh.startswith(a, q)}
        if not nxt:
            return False
        reach = nxt
    return len(fresh) in reach


def _gap_ends(text: str, p: int, k: int) -> set[int]:
    """Where a gap of k units starting at `p` of NFD `text` may end: a unit is one whole character
    (base + its marks, never a space), or the marks alone that continue the character before `p`."""
    ends: set[int] = set()
    q = p
    while q < len(text) and unicodedata.combining(text[q]):
        q += 1
    if q > p:
        ends.add(q)
        k -= 1
    for _ in range(k):
        if q >= len(text) or text[q].isspace():
            break
        q += 1
        while q < len(text) and unicodedata.combining(text[q]):
            q += 1
        ends.add(q)
    return ends
