"""map_entry is a pure function; tested on the real VnExpress fixtures and on edge cases."""

from __future__ import annotations

from datetime import datetime

import pytest

from collectors.base import DocumentError, SkipItem
from collectors.rss import map_entries, map_entry, parse_feed
from collectors.textutil import canonical_url, strip_html
from vocab.config import SourceConfig
from tests.conftest import FIXTURES, rss_doc

SRC = SourceConfig(name="vne", kind="rss", url="http://x/", outlet="VnExpress")
NOW = datetime(2026, 11, 22, 3, 0, 0)


def fixture(name: str) -> bytes:
    return (FIXTURES / "rss" / name).read_bytes()


def test_real_feed_maps_all_items():
    parsed = parse_feed(fixture("vnexpress_thoi-su_2017-03-25.xml"))
    items, skipped = map_entries(parsed.entries, SRC, NOW, 60)
    assert len(items) == 25 and not skipped
    first = items[0]
    assert first.title == "Bộ Nông nghiệp kiểm tra vết rạn nứt trên thân đập dâng ở Hà Tĩnh"
    assert "<" not in first.summary and first.summary  # HTML (img, </br>) stripped
    assert first.url.startswith("http") and "\n" not in first.url
    assert first.published_at == datetime(2017, 3, 25, 12, 40, 38)  # +0700 → UTC
    assert not first.published_estimated
    assert len({i.id for i in items}) == 25


def test_malformed_browser_prefix_feed_is_recovered():
    """Chrome's 'This XML file does not appear…' banner before <rss>: recovered, junk entry skipped."""
    parsed = parse_feed(fixture("vnexpress_tin-moi-nhat_2017-11-14_browser-prefix_MALFORMED.xml"))
    items, skipped = map_entries(parsed.entries, SRC, NOW, 60)
    assert len(items) == 24
    assert skipped == {"no http(s) link": 1}


def test_malformed_unescaped_ampersand_feed_is_recovered():
    parsed = parse_feed(fixture("vnexpress_the-gioi_2025-02-06_single-item_unescaped-amp_MALFORMED.xml"))
    items, _ = map_entries(parsed.entries, SRC, NOW, 60)
    assert len(items) == 1
    assert items[0].title.startswith("Israel")


def test_html_page_is_not_a_feed():
    with pytest.raises(DocumentError, match="HTML"):
        parse_feed(b"<!doctype html><html><head><title>Trang chu</title></head><body>Xin chao</body></html>")


def test_garbage_is_not_a_feed():
    with pytest.raises(DocumentError):
        parse_feed(b"\x00\x01 this is not xml at all {")


def _entry(**kw):
    parsed = parse_feed(rss_doc([kw]))
    return parsed.entries[0]


def test_missing_date_falls_back_to_fetch_time_and_flags():
    it = map_entry(_entry(title="Tin A", link="https://a.vn/1"), SRC, NOW)
    assert it.published_at == NOW and it.published_estimated and "no_date" in it.flags


def test_future_date_is_flagged():
    e = _entry(title="Tin B", link="https://a.vn/2", pubDate="Wed, 01 Jan 2031 10:00:00 +0700")
    it = map_entry(e, SRC, NOW, future_tolerance_minutes=60)
    assert it.published_at == NOW and "future_date" in it.flags


def test_slightly_future_date_within_tolerance_is_kept():
    e = _entry(title="Tin C", link="https://a.vn/3", pubDate="Sun, 22 Nov 2026 10:30:00 +0700")  # 03:30Z
    it = map_entry(e, SRC, NOW, future_tolerance_minutes=60)
    assert it.published_at == datetime(2026, 11, 22, 3, 30) and not it.published_estimated


def test_entry_without_link_is_skipped_with_reason():
    with pytest.raises(SkipItem, match="link"):
        map_entry(_entry(title="Không có link"), SRC, NOW)


def test_javascript_link_is_skipped():
    with pytest.raises(SkipItem):
        map_entry(_entry(title="x", link="javascript:alert(1)"), SRC, NOW)


def test_impossible_character_references_do_not_lose_the_feed():
    """Found by tests/test_feed_fuzz.py: feedparser's chr()/encode raised ValueError for the whole feed."""
    doc = rss_doc([{"title": "Tin một", "link": "https://a.vn/1", "description": "Mã &#10000000; và &#xD800; lạ"},
                   {"title": "Tin hai &#7897;", "link": "https://a.vn/2"}])
    parsed = parse_feed(doc)
    assert [e.title for e in parsed.entries] == ["Tin một", "Tin hai ộ"]
    assert parsed.entries[0].summary == "Mã \ufffd và \ufffd lạ"
    from collectors.rss import parse_feed_full

    assert parse_feed_full(doc)[1].replaced == 2  # counted on source health like bad bytes


@pytest.mark.parametrize("link", ["https://[bao.vn/tin-0", "https://bao.vn:99999/tin", "http://bao.vn:abc/"])
def test_unparseable_link_is_skipped_with_reason(link):
    """Found by tests/test_feed_fuzz.py: urlsplit's ValueError escaped the mapper."""
    with pytest.raises(SkipItem, match="link"):
        map_entry(_entry(title="Địa chỉ hỏng", link=link), SRC, NOW)


def test_guid_used_when_link_missing():
    it = map_entry(_entry(title="Tin D", guid="https://a.vn/d"), SRC, NOW)
    assert it.url == "https://a.vn/d"


def test_text_is_nfc_and_entities_unescaped():
    decomposed = "Quảng Ninh".encode("utf-8").decode("utf-8")
    import unicodedata

    nfd = unicodedata.normalize("NFD", decomposed)
    it = map_entry(_entry(title=nfd + " &amp; Uông Bí", link="https://a.vn/e"), SRC, NOW)
    assert unicodedata.is_normalized("NFC", it.title)
    assert it.title == "Quảng Ninh & Uông Bí"


def test_mapping_is_pure():
    e = _entry(title="Tin E", link="https://a.vn/e2", pubDate="Sun, 22 Nov 2026 08:00:00 +0700")
    assert map_entry(e, SRC, NOW) == map_entry(e, SRC, NOW)


def test_duplicate_guids_in_one_feed_share_one_id():
    doc = rss_doc([
        {"title": "Tin F", "link": "https://a.vn/f?utm_source=rss", "guid": "g1"},
        {"title": "Tin F", "link": "https://www.a.vn/f#top", "guid": "g1"},
    ])
    items, _ = map_entries(parse_feed(doc).entries, SRC, NOW, 60)
    assert len(items) == 2 and items[0].id == items[1].id


def test_canonical_url():
    assert canonical_url("HTTP://WWW.Vnexpress.net/a-1.html?utm_source=x&b=2&a=1#c") == "https://vnexpress.net/a-1.html?a=1&b=2"
    assert canonical_url("https://a.vn:443/x") == "https://a.vn/x"


def test_strip_html_drops_scripts():
    assert strip_html("<p>Xin <b>chào</b></p><script>alert(1)</script>") == "Xin chào"
