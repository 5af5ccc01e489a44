"""Charset detection: Windows-1258, mislabelled UTF-8, declared Latin pages, BOMs."""

from __future__ import annotations

import unicodedata

from bench.encoding import cp1258
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
    """Windows-1258 as sites write it (bench/encoding.py); a text it cannot encode fails the test, not «?»."""
    return cp1258(s, errors="strict")


def _feed(titles: list[str]) -> bytes:
    items = "".join(f"<item><title>{t}</title><link>http://a.vn/{i}</link></item>" for i, t in enumerate(titles))
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()


TITLES = [VI, "Tin thứ hai về phường Yên Thanh", "Uông Bí mở rộng đường Trần Nhân Tông", "Họp báo quý"]


def _one_bad_byte() -> bytes:
    """A UTF-8 feed whose second title lost the last byte of 'ứ' (E1 BB A9 → E1 BB)."""
    body = _feed(TITLES)
    return body.replace("thứ hai".encode(), b"th\xe1\xbb hai", 1)


def test_one_bad_byte_keeps_the_feed_utf8():
    text, enc = decode(_one_bad_byte())
    assert enc == "utf-8"
    assert "Tin th\ufffd hai về phường Yên Thanh" in text
    for t in (VI, TITLES[2], TITLES[3]):
        assert t in text


def test_one_bad_byte_counted_whatever_the_label():
    from collectors.encoding import decode_full

    for ctype in (None, "application/rss+xml; charset=utf-8", "application/rss+xml; charset=ISO-8859-1"):
        d = decode_full(_one_bad_byte(), ctype)
        assert (d.encoding, d.replaced) == ("utf-8", 1), ctype
        assert VI in d.text


def test_one_bad_byte_feed_parses_to_vietnamese():
    titles = [e.title for e in parse_feed(_one_bad_byte()).entries]
    assert titles[0] == VI and titles[2:] == TITLES[2:] and titles[1] == "Tin th\ufffd hai về phường Yên Thanh"


def test_mostly_utf8_threshold():
    """Below MOSTLY_UTF8_MAX_INVALID_SHARE invalid sequences the body stays UTF-8; above, it is legacy."""
    from collectors.encoding import MOSTLY_UTF8_MAX_INVALID_SHARE, decode_full

    valid = "ếọ" * 15  # 30 valid multi-byte characters
    under = valid.encode() + b" \xe9" * 9  # 9 / 39 = 23 % invalid
    over = valid.encode() + b" \xe9" * 11  # 11 / 41 = 27 % invalid
    assert MOSTLY_UTF8_MAX_INVALID_SHARE == 0.25
    d = decode_full(under)
    assert (d.encoding, d.replaced) == ("utf-8", 9) and d.text.startswith(valid)
    assert decode_full(over).encoding == "cp1252"
    legacy = decode_full(_cp1258(VI * 3))  # 100 % invalid as UTF-8: still Windows-1258, nothing replaced
    assert (legacy.text, legacy.encoding, legacy.replaced) == (VI * 3, "cp1258", 0)


def test_garbled_copy_is_exact():
    from collectors.encoding import is_garbled_copy

    fresh = "Tin thứ hai về bụi than ở phường Vàng Danh"
    mojibake = " ".join(fresh.encode().decode("cp1252", errors="replace").split())  # as stored: tidied
    assert is_garbled_copy(mojibake, fresh)
    assert is_garbled_copy(" ".join(fresh.encode().decode("latin-1").split()), fresh)
    assert is_garbled_copy("Tin th\ufffd hai về bụi than", "Tin thứ hai về bụi than")
    assert is_garbled_copy("Tin th\ufffd\ufffd hai", "Tin thứ hai")
    assert not is_garbled_copy("Tin th\ufffd hai", "Tin thứ ba")  # a real edit, not a repair
    assert not is_garbled_copy("Tin th\ufffd hai", "Tin th hai")
    assert not is_garbled_copy(mojibake, fresh.replace("hai", "ba"))
    assert not is_garbled_copy(fresh, fresh)
    assert not is_garbled_copy("Tin th\ufffd hai", "Tin th\ufffd hai")
    assert not is_garbled_copy("\ufffd\ufffd" * 40 + "x", "ab" * 40 + "y")  # no blow-up, no match


def test_garbled_copy_of_a_body_that_also_had_a_broken_byte():
    """The old decode read the whole body as cp1252, the broken 'ọ' included: still recognised."""
    from collectors.encoding import is_garbled_copy

    stored = " ".join("Họp báo ở Vàng Danh".encode().replace("ọ".encode(), b"\xe1\xbb").decode("cp1252").split())
    assert stored == "Há»p bÃ¡o á»Ÿ VÃ ng Danh"
    assert is_garbled_copy(stored, "Họp báo ở Vàng Danh")
    assert not is_garbled_copy(stored, "Họp báo ở Vàng Danh hôm nay")
    assert not is_garbled_copy("Cà Mau", "Cá Mau")  # correct Latin-1 text, a real edit
