"""Property sweep of the pure mapping functions and the import readers (round 19, `hostile4`): whatever shape an
entry has, a `map_*` function gives an Item or raises SkipItem (its documented way to say an entry is unusable,
counted with its reason); whatever bytes a file holds, the import reader gives rows or raises ImportFormatError (a
Vietnamese message). Another exception was still caught by `map_all`, but counted as a bare «mapping error:
TypeError» rather than a reason, and the entry lost.

Found by this sweep and fixed: `collectors.textutil.visible`/`tidy`/`strip_html` raised TypeError on a value that
is no string (a list or an object where feedparser or an extractor gives text: rss, google_news, bing_news,
xenforo, youtube), telegram's map_message on such a `post`, `text_html` or `href`, and html_list's map_row on
such an `author` (a regex on a list). The JSON kinds' mappers
(reddit, mastodon, bluesky, facebook_page, zalo_oa), html_list's and the imports' map_row raised nothing else,
nor did the CSV, JSON, JSONL and XLSX readers on random bytes, text built from separators and quotes, or
zips of workbook part names."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors import bing_news, bluesky, google_news, html_list, imports, mastodon, reddit, rss, telegram, xenforo, \
    youtube, zalo_oa
from collectors import facebook_page as fb
from collectors.base import SkipItem
from collectors.imports import ImportFormatError
from collectors.imports.items import map_row
from vocab.config import SourceConfig

NOW = datetime(2026, 12, 6)
SWEEP = settings(max_examples=120, deadline=None, database=None, derandomize=True,
                 suppress_health_check=list(HealthCheck))
KEYS = ["id", "message", "created_time", "permalink_url", "from", "name", "kind", "data", "title", "selftext",
        "author", "permalink", "url", "created_utc", "subreddit", "num_comments", "over_18", "removed_by_category",
        "is_self", "content", "spoiler_text", "visibility", "language", "account", "acct", "bot", "reblog", "tags",
        "replies_count", "in_reply_to_id", "uri", "created_at", "sensitive", "post", "record", "text", "createdAt",
        "indexedAt", "handle", "displayName", "replyCount", "reply", "embed", "link", "summary", "published",
        "updated", "published_parsed", "updated_parsed", "links", "href", "guid", "date", "message_id", "src",
        "time", "type", "from_id", "from_display_name", "to_id", "yt_videoid", "media_statistics", "views", "term",
        "news_source", "text_html", "datetime", "signed", "owner", "service", "has_media"]
LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                 st.text(max_size=20), st.sampled_from(["https://bao.vn/a", "/r/a", "2024-11-20T03:00:00+0000", "t3",
                                                          "public", "\ud83d", "1e999", "", "-1", "kenh/12",
                                                          "99999999999999999999", "at://did:plc:x/app.bsky.feed.post/1"]))
VALUE = st.recursive(LEAF, lambda ch: st.one_of(st.lists(ch, max_size=4), st.dictionaries(st.sampled_from(KEYS), ch,
                                                                                             max_size=6)), max_leaves=20)
ENTRY = st.dictionaries(st.sampled_from(KEYS), VALUE, max_size=12)


def src(kind: str) -> SourceConfig:
    url = {"facebook_page": "https://graph.facebook.com/v21.0/123/feed",
           "zalo_oa": "https://openapi.zalo.me/v2.0/oa/listrecentchat"}.get(kind, "https://bao.vn/x")
    return SourceConfig(name="f", kind=kind, url=url, outlet="F", source_type="social")


IMPORT_MAPPING = {"title": "title", "text": "message", "published_at": "date", "author": "author", "url": "url",
                  "id": "id", "outlet": "name", "place": "handle", "source_type": "type"}
MAPPERS = {
    "reddit": lambda d: reddit.map_reddit_post(d, src("reddit"), NOW),
    "mastodon": lambda d: mastodon.map_status(d, src("mastodon"), NOW),
    "bluesky": lambda d: bluesky.map_post(d, src("bluesky"), NOW),
    "facebook_post": lambda d: fb.map_post(d, src("facebook_page"), NOW),
    "facebook_comment": lambda d: fb.map_comment(d, src("facebook_page"), NOW, post_id="1", parent_id="2"),
    "facebook_message": lambda d: fb.map_message(d, src("facebook_page"), NOW),
    "zalo_oa": lambda d: zalo_oa.map_message(d, src("zalo_oa"), NOW),
    "rss": lambda d: rss.map_entry(d, src("rss"), NOW),
    "google_news": lambda d: google_news.map_gnews_entry(d, src("google_news"), NOW),
    "bing_news": lambda d: bing_news.map_bing_entry(d, src("bing_news"), NOW),
    "xenforo": lambda d: xenforo.map_xenforo_entry(d, src("xenforo"), NOW),
    "youtube": lambda d: youtube.map_youtube_entry(d, src("youtube"), NOW),
    "html_list": lambda d: html_list.map_row(d, src("html_list"), NOW),
    "telegram": lambda d: telegram.map_message(d, src("telegram"), NOW),
    "import": lambda d: map_row(d, IMPORT_MAPPING, imports.ImportSettings(src("import")), NOW),
}


@pytest.mark.parametrize("name", sorted(MAPPERS))
def test_a_mapping_function_gives_an_item_or_a_skip_whatever_the_entry(name):
    @SWEEP
    @given(ENTRY)
    def check(entry):
        try:
            MAPPERS[name](entry)
        except SkipItem:
            pass

    check()


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for part, data in parts.items():
            z.writestr(part, data)
    return out.getvalue()


TEXTY = st.lists(st.sampled_from(list('ab,;"\n\r\t\x00{}[]:é đ\ufeff=+-@') + ["title", "text", "\\", "1e999", "null",
                                                                             "\ud800"]), max_size=120).map(
    lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))
JSON_DOC = st.recursive(st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=10)),
                        lambda c: st.one_of(st.lists(c, max_size=4),
                                            st.dictionaries(st.sampled_from(["title", "text", "a"]), c, max_size=4)),
                        max_leaves=20).map(lambda v: json.dumps(v).encode())
WORKBOOK_PARTS = st.dictionaries(st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                                                  "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
                                                  "word/document.xml", "a.txt"]), st.binary(max_size=200),
                                 max_size=5).map(_zip)
FILES = {"csv": st.one_of(st.binary(max_size=300), TEXTY), "jsonl": st.one_of(st.binary(max_size=300), TEXTY),
         "json": st.one_of(st.binary(max_size=300), TEXTY, JSON_DOC), "xlsx": st.one_of(st.binary(max_size=300),
                                                                                      WORKBOOK_PARTS)}


@pytest.mark.parametrize("ext", sorted(FILES))
def test_an_import_file_gives_rows_or_a_vietnamese_format_error_whatever_it_holds(ext):
    @SWEEP
    @given(FILES[ext])
    def check(data):
        try:
            rows, _ = imports.read_bytes(f"tep.{ext}", data)
        except ImportFormatError as exc:
            assert str(exc)
            return
        for row in rows:  # and each row maps to an Item or a counted skip
            try:
                map_row(row, IMPORT_MAPPING, imports.ImportSettings(src("import")), NOW)
            except SkipItem:
                pass

    check()
