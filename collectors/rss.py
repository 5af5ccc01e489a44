"""RSS and Atom feeds (press sections, Google News searches, forums with feeds).

    Fetched bytes ─encoding.to_utf8_xml─▶ UTF-8 XML ─feedparser (worker thread)─▶ entries
    entry ─map_entry (pure)─▶ Item        bad entry ─▶ SkipItem(reason), counted on source health

A feed that yields no entries and looks like HTML is a DocumentError ("not a feed"), not an empty
success, so a site redesign that breaks a feed URL shows up on the health table.

options: none.
"""

from __future__ import annotations

import asyncio
import calendar
import email.utils
import gzip
import json
import re
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator, Mapping

import feedparser

from collectors.base import ENTRIES_CUT, Batch, CollectContext, DocumentError, SkipItem, dated_item, map_all
from collectors.encoding import Decoded, to_utf8_xml_full
from vocab.item import Item
from collectors.registry import register
from collectors.textutil import canonical_url, is_http_url, strip_html, tidy
from vocab.config import DEFAULT_LIMITS, LimitsConfig, SourceConfig
from vocab.numbers import fmt_num

_HTML_HINT = re.compile(rb"<html[\s>]|<!doctype html", re.I)


def parse_feed(body: bytes, content_type: str | None = None) -> feedparser.FeedParserDict:
    """Parse bytes leniently; raise DocumentError when nothing feed-like is there. Under the shipped [limits]
    (DEFAULT_LIMITS): a helper for tests and tools; the collector reads through `parse_feed_bounded` with the
    deployment's."""
    return parse_feed_full(body, content_type)[0]


def parse_feed_full(body: bytes, content_type: str | None = None) -> tuple[feedparser.FeedParserDict, Decoded]:
    """As parse_feed, with how the bytes were decoded (codec, replaced sequences for source health)."""
    parsed, decoded, _cut = parse_feed_bounded(body, content_type, DEFAULT_LIMITS)
    return parsed, decoded


def parse_feed_bounded(body: bytes, content_type: str | None, limits: LimitsConfig
                       ) -> tuple[feedparser.FeedParserDict, Decoded, int]:
    """As parse_feed_full, the feed first held to what feedparser reads in bounded memory (`bounded_xml`);
    also how many entries were left out past `limits` max_entries or max_feed_mb (counted on source health)."""
    cut = 0
    if len(body) > 2 * limits.feed_bytes:  # never decode more than can be kept (UTF-16 is 2 bytes a character)
        end = _char_start(body, 2 * limits.feed_bytes)
        cut = _entries_in(body, end)  # in bytes never decoded (a UTF-16 body's do not show in its bytes)
        body = body[:end]
    xml, decoded = to_utf8_xml_full(body, content_type)
    kept = bounded_xml(xml, limits)  # a prefix of xml; junk before the root, which the decoder dropped, is not counted
    cut += _entries_in(xml, len(kept))
    xml = kept
    xml, impossible = _impossible_charrefs(xml)
    if impossible:
        decoded = replace(decoded, replaced=decoded.replaced + impossible)
    try:
        # We never render feed HTML (summaries are reduced to text), so feedparser's sanitiser is wasted work.
        parsed = feedparser.parse(
            xml,
            response_headers={"content-type": "application/xml; charset=utf-8"},
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except ValueError as exc:  # feedparser's loose parser has more ways to fail than the cases above
        raise DocumentError(f"not a feed: unparseable XML ({type(exc).__name__}: {exc})") from None
    if not parsed.entries:
        version = parsed.get("version") or ""
        if _HTML_HINT.search(body[:4096]) and not version:
            raise DocumentError("not a feed: the address returned an HTML page")
        if parsed.get("bozo") and not version:
            exc = parsed.get("bozo_exception")
            raise DocumentError(f"not a feed: unparseable XML ({type(exc).__name__}: {exc})")
    return parsed, decoded, cut


# What feedparser is given at most. It keeps a Python object per element, text piece and open level, so memory and
# time grow with the tokens of the document, not its bytes: 5 MB of `<a>` nested was +530 MB and 72 s, 5 MB of tiny
# entries +158 MB (bench/hostile_parse.py). Press feeds carry 20–200 entries in well under 1 MB. The entries and
# bytes are [limits] max_entries and max_feed_mb (CollectContext.limits); the depth and the tag count below are
# constants on purpose: no real feed comes near them, and past them feedparser's time and memory grow faster than
# the feed (a safety invariant, not a size an operator tunes).
MAX_XML_DEPTH = 500  # elements open inside each other (real feeds: under 20; Atom XHTML content a few more)
# Tags outside CDATA: 1,000 entries of 20 tags are 20,000. 8 MB of `<b></b>` in one entry (2.3 million tags) was
# +211 MB and 37–46 s of feedparser.
MAX_XML_TAGS = 200_000
# Attributes of one element (real feeds: under 15, `<media:content …>`). feedparser's strict parser looks each
# attribute up by its name in a list of them (xml.sax's AttributesNSImpl.getValueByQName), so an element costs the
# square of its attributes: one `<title>` of 20,000 attributes (209 KB) took 13 s, of 80,000 (869 KB) 138 s, in the
# collectors' process (round 31, `hostile34`). Checked only in a tag longer than LONG_TAG_BYTES.
MAX_XML_ATTRIBUTES = 64
LONG_TAG_BYTES = 256  # a tag of 64 attributes is at least 4 bytes each
_XML_ATTRIBUTE = re.compile(rb"""[^\s=/<>"']+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""")
_ROOT_ELEMENT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]")
_ENTRY_START = re.compile(rb"<(?:item|entry)[\s>/]")
_ENTRY_END = re.compile(rb"</(?:item|entry)\s*>")
_XML_TAG = re.compile(rb"<(/?)[A-Za-z_:][^<>]*?(/?)>|<!\[CDATA\[.*?\]\]>|<!--.*?-->", re.S)
_NESTED_ENTITY = re.compile(rb"<!ENTITY\s+%?\s*[^\s\"'>]+\s+([\"'])[^\"']*&[^#]", re.S)
# A general entity with its replacement text in the DTD (`<!ENTITY e "…">`; an external one, PUBLIC/SYSTEM, is
# never fetched) and a parameter entity with one (`<!ENTITY % p "…">`: a declaration can hide in it, even spelled
# in character references, and no feed needs one).
_INTERNAL_ENTITY = re.compile(rb"<!ENTITY\s+([^\s\"'>%]+)\s+([\"'])(.*?)\2", re.S)
_PARAMETER_ENTITY = re.compile(rb"<!ENTITY\s+%\s*[^\s\"'>]+\s+[\"']", re.S)
# A replacement this short is a character or a word (`&#160;`, "UBND"): at most a few times the bytes of its
# references, which the feed's own size bounds; longer ones are counted where they are used.
SHORT_ENTITY_BYTES = 16
MAX_LONG_ENTITIES = 64  # each is counted through the whole feed once


def _char_start(body: bytes, n: int) -> int:
    """`n`, or the start of the UTF-8 character `n` falls inside (a cut never makes a U+FFFD of its own)."""
    back = 0
    while back < 3 and n - back > 0 and body[n - back] & 0xC0 == 0x80:
        back += 1
    return n - back


def _entries_in(xml: bytes, start: int) -> int:
    """The entries whose start tag ends past `start`: those a cut at `start` leaves out (one cut inside its tag
    too), each counted once."""
    return xml.count(b"<item", max(0, start - 4)) + xml.count(b"<entry", max(0, start - 5))


def bounded_xml(xml: bytes, limits: LimitsConfig) -> bytes:
    """The feed held to `limits` max_entries entries and max_feed_mb, cut after the last whole entry that fits
    (feedparser reads the unclosed rest leniently). A prologue `_check_prologue` refuses, or elements open more
    than MAX_XML_DEPTH deep, more than MAX_XML_TAGS tags or an element of more than MAX_XML_ATTRIBUTES attributes, are
    a DocumentError before any parse."""
    cut_at = len(xml)
    starts = _ENTRY_START.finditer(xml)
    for _ in range(limits.max_entries + 1):
        m = next(starts, None)
        if m is None:
            break
        cut_at = m.start()
    else:  # an entry past the cap starts at cut_at
        xml = xml[:cut_at]
    if len(xml) > limits.feed_bytes:
        end = max((m.end() for m in _ENTRY_END.finditer(xml, 0, limits.feed_bytes)), default=0)
        if not end:
            raise DocumentError(f"bản tin lớn bất thường: không có tin nào trọn vẹn trong "
                                f"{limits.max_feed_mb:g} MB đầu ([limits] max_feed_mb): không đọc")
        xml = xml[:end]
    root = _ROOT_ELEMENT.search(xml)
    _check_prologue(xml[:root.start()] if root else xml, xml, limits)  # the prologue, where a DTD is
    why = _shape_over(xml, MAX_XML_DEPTH, MAX_XML_TAGS)
    if why:
        raise DocumentError(f"bản tin XML {why}: không đọc; bản tin hỏng, hoặc cố ý làm treo trình đọc")
    return xml


def _check_prologue(prologue: bytes, xml: bytes, limits: LimitsConfig) -> None:
    """The one check of the entities the prologue (the DTD) declares, a DocumentError for: an entity declared
    through another (billion laughs); a parameter entity (it can hide a declaration); more than MAX_LONG_ENTITIES
    long ones; long ones referenced in `xml` until they would add more than max_feed_mb to the feed (what
    feedparser is let read as it is). Not nested, an entity still multiplies: expat's guard allows a
    hundredfold, so 7.5 MB of `&e;` (30 KB gzipped on the wire), e a 250-character text, made a 625,000,000-
    character description, 2.6 GB and 16 s in the collectors' process before any cap saw it (round 22). Until
    round 23 the nested case was a second check of the same prologue, before the cut."""
    if _NESTED_ENTITY.search(prologue):
        raise DocumentError("bản tin khai báo thực thể lồng trong thực thể (kiểu «billion laughs»): không đọc")
    if _PARAMETER_ENTITY.search(prologue):
        raise DocumentError("bản tin khai báo thực thể tham số (<!ENTITY % …>) có thể giấu thực thể khác: không đọc")
    long = [(m.group(1), len(m.group(3))) for m in _INTERNAL_ENTITY.finditer(prologue)
            if len(m.group(3)) > SHORT_ENTITY_BYTES]
    if len(long) > MAX_LONG_ENTITIES:
        raise DocumentError(f"bản tin khai báo hơn {MAX_LONG_ENTITIES} thực thể dài: không đọc")
    if not long:
        return
    size_of: dict[bytes, int] = {}
    for name, size in long:  # a name declared twice: the parsers keep the first; the larger is counted, to be safe
        size_of[name] = max(size, size_of.get(name, 0))
    grown = 0
    for ref in _references(xml, list(size_of)):
        grown += size_of[ref.group(1)]
        if grown > limits.feed_bytes:
            raise DocumentError(f"thực thể XML khai báo trong bản tin sẽ nở ra hơn {limits.max_feed_mb:g} MB "
                                "([limits] max_feed_mb; kiểu «billion laughs»): không đọc")


def _references(xml: bytes, names: list[bytes]) -> Iterator[re.Match[bytes]]:
    """Each place a parser reads one of the entities `names` (group 1), in one pass: `&name;` (expat), and `&name`
    before any byte but a letter, digit, `-` or `.` (feedparser's lenient parser, where it falls back on a
    malformed feed: `&e &e&e<`; counting only `&e;` let 300 KB of `&e ` make a 25,000,000-character
    description, round 22 review)."""
    alternatives = b"|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.finditer(b"&(" + alternatives + rb")(?![-.A-Za-z0-9])", xml)


def _shape_over(xml: bytes, max_depth: int, max_tags: int) -> str | None:
    """What is past the bounds, in Vietnamese, or None: elements open more than `max_depth` deep anywhere, more
    than `max_tags` tags (CDATA and comments are text to feedparser: skipped), or an element of more than
    MAX_XML_ATTRIBUTES attributes. One pass, stopped at the first."""
    depth = tags = 0
    for m in _XML_TAG.finditer(xml):
        if m.group(1) is None:  # CDATA or a comment
            continue
        tags += 1
        if tags > max_tags:
            return f"có hơn {fmt_num(max_tags)} thẻ"
        if m.end() - m.start() > LONG_TAG_BYTES and not m.group(1):
            attributes = sum(1 for _ in _XML_ATTRIBUTE.finditer(xml, m.start(), m.end()))
            if attributes > MAX_XML_ATTRIBUTES:
                return f"có thẻ mang {fmt_num(attributes)} thuộc tính (hơn {MAX_XML_ATTRIBUTES})"
        if m.group(2):  # <x/>
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > max_depth:
                return f"lồng nhau quá sâu (hơn {max_depth} thẻ mở lồng nhau)"
    return None


# Numeric character references with 5+ decimal or 4+ hex digits: the only ones that can be out of range.
_BIG_CHARREF = re.compile(rb"&#(?:0*[1-9][0-9]{4,}|[xX]0*[1-9a-fA-F][0-9a-fA-F]{3,});")


def _impossible_charrefs(xml: bytes) -> tuple[bytes, int]:
    """`&#10000000;` or a surrogate (`&#xD800;`) crashes feedparser's loose parser (chr() / UTF-8
    encode), losing the whole feed: each becomes U+FFFD, counted like an invalid byte sequence."""
    count = 0

    def fix(m: re.Match[bytes]) -> bytes:
        nonlocal count
        ref = m.group()[2:-1]
        value = int(ref[1:], 16) if ref[:1] in (b"x", b"X") else int(ref)
        if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            count += 1
            return b"&#xFFFD;"
        return m.group()

    return _BIG_CHARREF.sub(fix, xml), count


# A feed's time written without a zone is the site's own clock, Vietnam's for the sites we read: feedparser read
# «2026-12-07T09:50:00» as UTC (7 hours late: an item fetched soon was «future» and dated at the fetch, one fetched
# later kept a time 7 hours wrong) and gave no time at all for «Mon, 07 Dec 2026 09:50:00», «07/12/2026 09:50» and
# «… GMT+7» (every item of such a feed dated at its fetch: a new source's first poll put a day of items in one
# instant, a burst on Tổng quan and in «mới nhất»); «… ICT» (Indochina Time) read as UTC. Round 32 (hostile35):
# such a time is read here as local time, or at the offset its «GMT+7» / «ICT» names; a zone feedparser reads
# (+0700, Z, GMT, EST…) is left to it.
_NAMED_OFFSET = re.compile(r"\s*\(?\s*(?:GMT|UTC|UT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\s*\)?\s*$", re.I)
_ICT = re.compile(r"\s*\(?\s*ICT\s*\)?\s*$", re.I)
_ENDS_IN_TIME = re.compile(r"(?<![+\-\d])\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*$")
_DATE_ONLY = re.compile(r"^\s*(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})\s*$")
ICT_HOURS = 7.0  # Indochina Time, Vietnam's (vocab.timefmt.VN_OFFSET_HOURS)


def written_local(raw: Any) -> datetime | None:
    """A feed's date string written as local time (no zone, or «GMT+7» / «ICT») → naive UTC; None when it names a
    zone feedparser reads, or cannot be read (feedparser's own parse stands then)."""
    if not isinstance(raw, str) or len(raw) > 200:
        return None
    s = raw.strip()
    if m := _NAMED_OFFSET.search(s):
        offset = (-1 if m.group(1) == "-" else 1) * (int(m.group(2)) + int(m.group(3) or 0) / 60)
        if abs(offset) > 14:
            return None
        s = s[:m.start()]
    elif m := _ICT.search(s):
        offset, s = ICT_HOURS, s[:m.start()]
    elif _ENDS_IN_TIME.search(s) or _DATE_ONLY.match(s):
        offset = ICT_HOURS
    else:
        return None
    rfc = email.utils.parsedate_tz(s)
    if rfc is not None:  # its zone field says 0 when none is written: the patterns above said none is
        try:
            return datetime(*rfc[:6]) - timedelta(hours=offset)
        except (ValueError, OverflowError):
            return None
    from collectors.html_list import parse_vn_date  # ISO without a zone, day first (12/05/2026 09:50)

    try:
        return parse_vn_date(s, utc_offset_hours=offset)
    except (ValueError, OverflowError):
        return None


def _entry_time(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        local = written_local(entry.get(key[:-len("_parsed")]))
        if local is not None:
            return local
        st = entry.get(key)
        if st:
            try:
                return datetime.fromtimestamp(calendar.timegm(st), tz=timezone.utc).replace(tzinfo=None)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def map_entry(
    entry: Mapping[str, Any],
    source: SourceConfig,
    fetched_at: datetime,
    *,
    future_tolerance_minutes: float = 60.0,
) -> Item:
    """One feedparser entry → Item. Pure: same input, same Item. Raises SkipItem with a reason."""
    link = tidy(entry.get("link") or "")
    guid = tidy(entry.get("id") or "") or None
    if not is_http_url(link) and guid and is_http_url(guid):
        link = guid
    if not is_http_url(link):
        raise SkipItem("no http(s) link")
    title = strip_html(entry.get("title") or "")
    summary = strip_html(entry.get("summary") or entry.get("description") or "")
    if not title and not summary:
        raise SkipItem("no title or text")
    if not title:
        title = summary[:120]
    canon = canonical_url(link)
    return dated_item(source, url=link, canonical=canon, title=title, text=summary, published=_entry_time(entry),
                      fetched_at=fetched_at, future_tolerance_minutes=future_tolerance_minutes, outlet=source.outlet,
                      guid=guid, author=tidy(entry.get("author") or "") or None)


def raw_payload(entry: Mapping[str, Any]) -> bytes:
    keep = {k: entry.get(k) for k in ("id", "link", "title", "summary", "published", "updated", "author")}
    return gzip.compress(json.dumps(keep, ensure_ascii=False, default=str).encode("utf-8"))


def map_entries(
    entries: list[Mapping[str, Any]], source: SourceConfig, fetched_at: datetime, future_tolerance_minutes: float
) -> tuple[list[Item], Counter[str]]:
    return map_all(
        entries,
        lambda e: map_entry(e, source, fetched_at, future_tolerance_minutes=future_tolerance_minutes),
        raw_payload,
    )


class FeedCollector:
    """Fetch (conditional GET) → parse off the event loop → map each entry with `map_entry`.

    Feed-based kinds (Google News, Bing, XenForo, YouTube) subclass this and set only `kind` and
    `map_entry`, their pure mapping function with map_entry's signature.
    """

    kind = "rss"
    label = "Báo điện tử (RSS)"
    description = ("Các chuyên mục báo có RSS: Báo Quảng Ninh, VnExpress, Tuổi Trẻ… "
                   "Chỉ tin mới nhất của chuyên mục (20–50 tin mỗi lần).")
    map_entry = staticmethod(map_entry)

    async def collect(self, source: SourceConfig, ctx: CollectContext) -> Batch:
        fetched = await ctx.fetch(source.url, etag=ctx.etag, last_modified=ctx.last_modified)
        if fetched.not_modified:
            return Batch(not_modified=True, http_status=304, etag=ctx.etag, last_modified=ctx.last_modified)
        parsed, decoded, cut = await asyncio.to_thread(parse_feed_bounded, fetched.body,
                                                       fetched.headers.get("content-type"), ctx.limits)
        mapper = self.map_entry
        items, skipped = map_all(
            parsed.entries,
            lambda e: mapper(e, source, ctx.now, future_tolerance_minutes=ctx.future_tolerance_minutes),
            raw_payload,
        )
        if cut:
            skipped[ENTRIES_CUT] += cut
        # A cut answer keeps no validators: kept, the server answered 304 from then on and the entries past the cut
        # were never read; without them the next poll fetches the whole feed again (what was stored dedupes).
        return Batch(
            items=items,
            skipped=skipped,
            http_status=fetched.status,
            etag=None if cut else fetched.headers.get("etag"),
            last_modified=None if cut else fetched.headers.get("last-modified"),
            entries_seen=len(parsed.entries),
            decode_replaced=decoded.replaced,
        )


register(FeedCollector)
