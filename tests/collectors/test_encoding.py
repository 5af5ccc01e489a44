"""Charset detection: Windows-1258, mislabelled UTF-8, declared Latin pages, BOMs."""

from __future__ import annotations

import unicodedata

from collectors.encoding import decode, to_utf8_xml
from collectors.rss import parse_feed

VI = "Người dân phường Vàng Danh phản ánh bụi than"


def test_utf8_plain():
    text, enc = decode(VI.encode("utf-8"))
    assert text == VI and enc == "utf-8"


def test_windows_1258_declared():
    body = unicodedata.normalize("NFD", VI).encode("cp1258", errors="strict") if False else None
    raw = _cp1258(VI)
    text, enc = decode(raw, "text/xml; charset=windows-1258")
    assert text == VI and enc == "cp1258"


def test_windows_1258_undeclared_is_detected():
    text, enc = decode(_cp1258(VI))
    assert text == VI and enc == "cp1258"


def test_utf8_mislabelled_as_latin1():
    text, enc = decode(VI.encode("utf-8"), "application/rss+xml; charset=ISO-8859-1")
    assert text == VI and enc == "utf-8"


def test_bom_wins():
    text, enc = decode(b"\xef\xbb\xbf" + VI.encode("utf-8"), "text/xml; charset=windows-1252")
    assert text == VI


def test_output_is_nfc():
    text, _ = decode(unicodedata.normalize("NFD", VI).encode("utf-8"))
    assert unicodedata.is_normalized("NFC", text)


def test_cp1258_feed_parses_to_vietnamese():
    xml = f'<?xml version="1.0" encoding="windows-1258"?><rss version="2.0"><channel><title>T</title><item><title>{VI}</title><link>http://a.vn/1</link></item></channel></rss>'
    parsed = parse_feed(_cp1258(xml))
    assert parsed.entries[0].title == VI


def test_xml_declaration_rewritten_to_utf8():
    out, enc = to_utf8_xml(_cp1258('<?xml version="1.0" encoding="windows-1258"?><rss/>'))
    assert out.startswith(b'<?xml version="1.0" encoding="utf-8"?>') and enc == "cp1258"


def _cp1258(s: str) -> bytes:
    """Encode as Windows-1258 does in the wild: base letter + combining tone mark where needed."""
    out = bytearray()
    for ch in s:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            base, marks = d[0], d[1:]
            comp = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in "\u0302\u0306\u031b"))
            out += comp.encode("cp1258")
            for m in marks:
                if m not in "\u0302\u0306\u031b":
                    out += m.encode("cp1258")
    return bytes(out)
