"""Bing News RSS search results, with the article's real address and outlet.

    https://www.bing.com/news/search?q="Uông Bí"&format=rss&setlang=vi&cc=VN
        │ RSS 2.0 with a `News:` namespace
        │   <link>http://www.bing.com/news/apiclick.aspx?…&url=https%3a%2f%2fbaoquangninh.vn%2f….html&…</link>
        │   <News:Source>Báo Quảng Ninh</News:Source>
        ▼
    map_bing_entry (pure) ─▶ Item(url = the outlet's own address from `url=`, outlet = News:Source)

Because the real address is in the link, a Bing result and the outlet's own RSS item become one item
(same canonical URL). Limits: about 10–20 results per query; Bing throttles heavy polling (429) —
poll each query every 30–60 minutes.

options: none.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, Mapping
from urllib.parse import parse_qs, urlsplit

from vocab.item import Item
from collectors.registry import register
from collectors.rss import FeedCollector, map_entry
from collectors.textutil import canonical_url, content_hash, is_http_url, sha1, tidy
from vocab.config import SourceConfig


def real_url(link: str) -> str | None:
    """The target of a Bing `apiclick.aspx?…&url=…` redirect, or None."""
    parts = urlsplit(link or "")
    if "apiclick" not in parts.path:
        return None
    target = parse_qs(parts.query).get("url", [""])[0]
    return target if is_http_url(target) else None


def map_bing_entry(
    entry: Mapping[str, Any], source: SourceConfig, fetched_at: datetime, *, future_tolerance_minutes: float = 60.0
) -> Item:
    """One Bing News <item> → Item. Pure. Raises SkipItem with a reason."""
    item = map_entry(entry, source, fetched_at, future_tolerance_minutes=future_tolerance_minutes)
    flags = list(item.flags) + ["via:bing_news"]
    outlet = tidy(entry.get("news_source") or "")
    if not outlet:
        flags.append("no_outlet")
    target = real_url(item.url)
    if target:
        canon = canonical_url(target)
        item = replace(item, url=target, canonical_url=canon, id=sha1(canon),
                       content_hash=content_hash(item.title, item.summary, canon))
    return replace(item, outlet=outlet or source.outlet, flags=tuple(flags))


@register
class BingNewsCollector(FeedCollector):
    kind = "bing_news"
    label = "Bing News (tìm kiếm)"
    description = ("Bài báo nhắc tới địa bàn; có địa chỉ gốc của bài. "
                   "10–20 kết quả mỗi truy vấn.")
    map_entry = staticmethod(map_bing_entry)
