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
import gzip
import json
import re
from collections import Counter
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any, Mapping

import feedparser

from collectors.base import Batch, CollectContext, DocumentError, SkipItem, map_all
from collectors.encoding import Decoded, to_utf8_xml_full
from vocab.item import Item
from collectors.registry import register
from collectors.textutil import canonical_url, content_hash, effective_published, is_http_url, sha1, strip_html, tidy
from vocab.config import SourceConfig

_HTML_HINT = re.compile(rb"<html[\s>]|<!doctype html", re.I)


def parse_feed(body: bytes, content_type: str | None = None) -> feedparser.FeedParserDict:
    """Parse bytes leniently; raise DocumentError when nothing feed-like is there."""
    return parse_feed_full(body, content_type)[0]


def parse_feed_full(body: bytes, content_type: str | None = None) -> tuple[feedparser.FeedParserDict, Decoded]:
    """As parse_feed, with how the bytes were decoded (codec, replaced sequences for source health)."""
    xml, decoded = to_utf8_xml_full(body, content_type)
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
    return parsed, decoded


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


def _entry_time(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
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
    flags: list[str] = []
    published = _entry_time(entry)
    published, estimated, date_flag = effective_published(published, fetched_at, future_tolerance_minutes)
    if date_flag:
        flags.append(date_flag)
    canon = canonical_url(link)
    author = tidy(entry.get("author") or "") or None
    return Item(
        id=sha1(canon),
        source=source.name,
        collector=source.kind,
        source_type=source.source_type,
        outlet=source.outlet,
        url=link,
        canonical_url=canon,
        title=title,
        summary=summary,
        published_at=published,
        published_estimated=estimated,
        fetched_at=fetched_at,
        content_hash=content_hash(title, summary, canon),
        guid=guid,
        author=author,
        flags=tuple(flags),
    )


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
        parsed, decoded = await asyncio.to_thread(parse_feed_full, fetched.body, fetched.headers.get("content-type"))
        mapper = self.map_entry
        items, skipped = map_all(
            parsed.entries,
            lambda e: mapper(e, source, ctx.now, future_tolerance_minutes=ctx.future_tolerance_minutes),
            raw_payload,
        )
        return Batch(
            items=items,
            skipped=skipped,
            http_status=fetched.status,
            etag=fetched.headers.get("etag"),
            last_modified=fetched.headers.get("last-modified"),
            entries_seen=len(parsed.entries),
            decode_replaced=decoded.replaced,
        )


register(FeedCollector)
