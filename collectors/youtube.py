"""YouTube channel feeds (no API key): the newest videos of a channel, e.g. QTV Quảng Ninh.

    https://www.youtube.com/feeds/videos.xml?channel_id=UC…   (also ?playlist_id=PL…)
        │ Atom: <entry> with <yt:videoId>, <title>, <published>, <author><name>,
        │ <media:group><media:description>…</media:description><media:statistics views="…"/>
        ▼
    map_youtube_entry (pure) ─▶ Item(url = the entry's watch link (https://www.youtube.com/watch?v=<id>),
                                     text = the video description, author = the channel, flag views:N)

Limits: the feed lists only the newest 15 videos, with no comments and no search; YouTube returns
404 for a wrong channel id and 429/503 when polled too often — every 30–60 minutes is plenty.
The Data API (search, comments) needs a key and a quota, and is not used.

options: none.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, Mapping

from collectors import _social
from collectors.base import SkipItem

from vocab.item import Item
from collectors.registry import register
from collectors.rss import FeedCollector, map_entry
from collectors.textutil import canonical_url, content_hash, is_http_url, sha1, strip_html, tidy
from vocab.config import SourceConfig


def map_youtube_entry(
    entry: Mapping[str, Any], source: SourceConfig, fetched_at: datetime, *, future_tolerance_minutes: float = 60.0
) -> Item:
    """One YouTube Atom <entry> → Item. Pure. Raises SkipItem with a reason."""
    video_id = tidy(entry.get("yt_videoid") or "")
    if not video_id:
        vid = tidy(entry.get("id") or "")
        video_id = vid.split(":", 2)[-1] if vid.startswith("yt:video:") else ""
    if not video_id:
        raise SkipItem("no yt:videoId")
    watch = f"https://www.youtube.com/watch?v={video_id}"
    if not is_http_url(entry.get("link") or ""):
        entry = {**entry, "link": watch}
    item = map_entry(entry, source, fetched_at, future_tolerance_minutes=future_tolerance_minutes)
    url = item.url  # the feed's alternate link: the watch page (or a mirror's page, as in the demo)
    canon = canonical_url(url)
    text = strip_html(entry.get("summary") or "")
    flags = list(item.flags)
    stats = entry.get("media_statistics") or {}
    views = str(stats.get("views", "") if isinstance(stats, Mapping) else "").strip()
    count = _social.as_int(views)  # str.isdigit let «²» and 5,000 digits through to int(): the video lost (round 32)
    if count is not None and count >= 0:
        flags.append(f"views:{count}")
    return replace(
        item,
        id=sha1(canon),
        url=url,
        canonical_url=canon,
        summary=text,
        guid=f"yt:video:{video_id}",
        author=tidy(entry.get("author") or "") or None,
        flags=tuple(flags),
        content_hash=content_hash(item.title, text, canon),
    )


@register
class YouTubeCollector(FeedCollector):
    kind = "youtube"
    label = "Kênh YouTube"
    description = ("Video mới của kênh (QTV…): tiêu đề và mô tả. "
                   "15 video mới nhất; không có bình luận, không tìm kiếm.")
    map_entry = staticmethod(map_youtube_entry)
