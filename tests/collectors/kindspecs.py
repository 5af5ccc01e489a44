"""Per-kind test material: the real-format fixture, where the local server serves it, and how to break it.

Every registered collector kind must have a spec here (tests/collectors/test_contract.py checks).
"""

from __future__ import annotations

import codecs
import json
import os
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

FIX = Path(__file__).resolve().parents[1] / "fixtures"
NOW = datetime(2024, 11, 21, 0, 0, 0)  # the fixtures were "fetched" just after 20 Nov 2024


def to_cp1258(text: str) -> bytes:
    """Vietnamese text in Windows-1258 the way legacy sites write it: base letters + combining tones."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        rest = []
        for m in marks:
            cand = unicodedata.normalize("NFC", base + m)
            if len(cand) == 1:
                try:
                    cand.encode("cp1258")
                    base = cand
                    continue
                except UnicodeEncodeError:
                    pass
            rest.append(m)
        out.append((base + "".join(rest)).encode("cp1258", errors="replace"))
    return b"".join(out)


def xml_cp1258(body: bytes) -> tuple[bytes, str]:
    text = body.decode("utf-8")
    if text.lstrip().startswith("<?xml"):
        end = text.index("?>") + 2
        text = text[end:]
    return b'<?xml version="1.0" encoding="windows-1258"?>' + to_cp1258(text), "application/xml"


def html_cp1258(body: bytes) -> tuple[bytes, str]:
    text = body.decode("utf-8").replace('charset="utf-8"', 'charset="windows-1258"').replace(
        "charset=utf-8", "charset=windows-1258")
    return to_cp1258(text), "text/html; charset=windows-1258"


def json_utf16(body: bytes) -> tuple[bytes, str]:
    return codecs.BOM_UTF16_LE + body.decode("utf-8").encode("utf-16-le"), "application/json"


@dataclass
class KindSpec:
    kind: str
    fixture: str
    path: str                      # served at this path on the local server
    content_type: str
    n_items: int                   # items from the fixture
    skipped: dict[str, int]        # counted skips from the fixture
    bad_shape: bytes               # right format, unexpected shape → counted skip(s), no crash
    empty: bytes                   # a valid answer with no entries
    reencode: Callable[[bytes], tuple[bytes, str]]
    options: dict[str, Any] = field(default_factory=dict)
    source_type: str = "social"
    robots: bool = False           # checks robots.txt before fetching

    def body(self) -> bytes:
        return (FIX / self.fixture).read_bytes()


RSS_EMPTY = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title></channel></rss>'
RSS_BAD = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
           "<item><title>Bài không có đường dẫn</title><description>Nội dung</description></item>"
           "</channel></rss>").encode("utf-8")
ATOM_EMPTY = (b'<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
              b'xmlns:yt="http://www.youtube.com/xml/schemas/2015"><title>QTV</title></feed>')
ATOM_BAD = ('<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>QTV</title><entry><id>tag:other:1</id><title>Không có videoId</title>"
            '<link rel="alternate" href="https://www.youtube.com/shorts/x"/>'
            "<published>2024-11-20T04:00:12+00:00</published></entry></feed>").encode("utf-8")

PAKN_OPTIONS = {
    "item": "li.pakn-item", "title": "h3.pakn-title a", "link": "h3.pakn-title a", "date": ".pakn-ngay",
    "summary": ".pakn-noidung", "author": ".pakn-nguoigui", "empty": ".pakn-empty",
}

os.environ.setdefault("LANGNGHE_TEST_TOKEN", "ma-thu-nghiem")  # own-channel kinds read a token (vocab/secrets.py)
OWN_CHANNEL = {"token_env": "LANGNGHE_TEST_TOKEN", "min_interval_seconds": 0}
# Kinds that do not speak HTTP have their own contract tests against a local server of their protocol.
NON_HTTP = {"email_inbox": "tests/collectors/test_email_inbox.py"}

SPECS: dict[str, KindSpec] = {
    "facebook_page": KindSpec("facebook_page", "facebook_page/page_feed.json", "/v21.0/104512345678901/feed",
                              "application/json; charset=UTF-8", 3,
                              {"the page's own comment": 1, "comment without text (sticker or photo only)": 1},
                              json.dumps({"data": {"posts": []}}).encode(), json.dumps({"data": []}).encode(),
                              json_utf16, options=OWN_CHANNEL),
    "zalo_oa": KindSpec("zalo_oa", "zalo_oa/listrecentchat.json", "/v2.0/oa/listrecentchat",
                        "application/json; charset=utf-8", 2, {"the OA's own message": 1},
                        json.dumps({"data": {"chats": []}, "error": 0}).encode(),
                        json.dumps({"data": [], "error": 0, "message": "Success"}).encode(),
                        json_utf16, options={**OWN_CHANNEL, "max_users": 0}),
    "rss": KindSpec("rss", "rss/vnexpress_thoi-su_2017-03-25.xml", "/rss/thoi-su.rss",
                    "application/rss+xml; charset=utf-8", 25, {}, RSS_BAD, RSS_EMPTY, xml_cp1258,
                    source_type="press"),
    "google_news": KindSpec("google_news", "google_news/search_uong_bi.xml", "/rss/search",
                            "application/xml; charset=utf-8", 3, {}, RSS_BAD, RSS_EMPTY, xml_cp1258,
                            source_type="press"),
    "bing_news": KindSpec("bing_news", "bing_news/search_uong_bi.xml", "/news/search",
                          "application/rss+xml; charset=utf-8", 2, {}, RSS_BAD, RSS_EMPTY, xml_cp1258,
                          source_type="press"),
    "xenforo": KindSpec("xenforo", "xenforo/voz_f17_index.rss", "/f/chuyen-tro-linh-tinh.17/index.rss",
                        "application/rss+xml; charset=utf-8", 2, {}, RSS_BAD, RSS_EMPTY, xml_cp1258),
    "youtube": KindSpec("youtube", "youtube/qtv_channel_feed.xml", "/feeds/videos.xml",
                        "application/atom+xml; charset=utf-8", 2, {}, ATOM_BAD, ATOM_EMPTY, xml_cp1258),
    "reddit": KindSpec("reddit", "reddit/search_quang_ninh.json", "/search.json", "application/json; charset=UTF-8",
                       2, {"deleted or removed post": 1},
                       json.dumps({"kind": "Listing", "data": {"posts": []}}).encode(),
                       json.dumps({"kind": "Listing", "data": {"after": None, "dist": 0, "children": [],
                                                               "before": None}}).encode(),
                       json_utf16, options={"min_interval_seconds": 0}),
    "mastodon": KindSpec("mastodon", "mastodon/tag_quangninh.json", "/api/v1/timelines/tag/quangninh",
                         "application/json; charset=utf-8", 3, {},
                         json.dumps({"statuses_v2": []}).encode(), b"[]", json_utf16,
                         options={"min_interval_seconds": 0}),
    "bluesky": KindSpec("bluesky", "bluesky/search_posts_quang_ninh.json", "/xrpc/app.bsky.feed.searchPosts",
                        "application/json; charset=utf-8", 2, {},
                        json.dumps({"feed": [{"post": {}}]}).encode(), json.dumps({"posts": []}).encode(),
                        json_utf16, options={"min_interval_seconds": 0}),
    "telegram": KindSpec("telegram", "telegram/s_uongbi24h.html", "/s/uongbi24h", "text/html; charset=utf-8",
                         2, {"service message": 1},
                         b"<!DOCTYPE html><html><body><div class='tgme_page'>Kenh khong cho xem truoc</div></body></html>",
                         b"<!DOCTYPE html><html><body><section class='tgme_channel_history js-message_history'>"
                         b"</section></body></html>",
                         html_cp1258, robots=True),
    "html_list": KindSpec("html_list", "html_list/pakn_quangninh_list.html", "/pakn/danh-sach",
                          "text/html; charset=utf-8", 3, {},
                          "<!DOCTYPE html><html><body><table class='ds-pakn'><tr><td>Giao diện mới</td></tr></table></body></html>".encode(),
                          "<!DOCTYPE html><html><body><ul class='pakn-list'></ul><p class='pakn-empty'>Không có phản ánh</p></body></html>".encode(),
                          html_cp1258, options=PAKN_OPTIONS, robots=True),
}
