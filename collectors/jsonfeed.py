"""JSON Feed 1.1 (jsonfeed.org): a site's list of articles as JSON instead of RSS.

    https://example.vn/feed.json   {"version": "https://jsonfeed.org/version/1.1", "items": [Item…]}
        │ Item: id, url, title, content_text / content_html, summary, date_published, authors[{name}]
        ▼
    map_feed_item (pure) ─▶ Item(url, title, text)

options:
  keep_html_only  bool, default true: an item with only content_html is kept (its text without tags).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from collectors import _social
from collectors.base import Batch, CollectContext, SkipItem
from collectors.registry import register
from collectors.textutil import strip_html
from vocab.config import SourceConfig
from vocab.item import Item


def map_feed_item(entry: Any, source: SourceConfig, fetched_at: datetime, *,
                  future_tolerance_minutes: float = 60.0) -> Item:
    """One JSON Feed item → Item. Pure. Raises SkipItem with a reason."""
    if not isinstance(entry, Mapping):
        raise SkipItem("item is not an object")
    text = _social.as_text(entry.get("content_text"))
    if not text and entry.get("content_html"):
        if not _social.opt(source, "keep_html_only", True):
            raise SkipItem("html only")
        text = strip_html(_social.as_text(entry.get("content_html")))
    authors = _social.seq(entry.get("authors"))
    author = _social.as_text(_social.obj(authors[0]).get("name")) if authors else None
    return _social.make_item(
        source, url=_social.as_text(entry.get("url")), title=_social.as_text(entry.get("title")),
        text=text or _social.as_text(entry.get("summary")),
        published=_social.parse_iso(entry.get("date_published")), fetched_at=fetched_at,
        future_tolerance_minutes=future_tolerance_minutes, author=author,
        guid=_social.as_text(entry.get("id")) or None)


@register
class JsonFeedCollector:
    kind = "jsonfeed"
    label = "JSON Feed"
    description = "Danh sách bài của một trang theo chuẩn JSON Feed (jsonfeed.org), thay cho RSS."

    async def collect(self, source: SourceConfig, ctx: CollectContext) -> Batch:
        fetched = await ctx.fetch(source.url, headers=_social.JSON_ACCEPT)
        doc = _social.decode_json(fetched, ctx.limits)
        items = _social.obj(doc).get("items")
        return _social.to_batch(fetched, items if isinstance(items, list) else None, map_feed_item, source, ctx,
                                why_none="response shape changed: no items list")
