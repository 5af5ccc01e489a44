"""Google News RSS search results: one query per place name, the real outlet from `<source>`.

    https://news.google.com/rss/search?q="Uông Bí" OR "Uong Bi" when:7d&hl=vi&gl=VN&ceid=VN:vi
        │ RSS 2.0; each <item> is one article (or a cluster <ol> of related articles)
        │   <title>Headline - Outlet</title>   <link>news.google.com/rss/articles/CBMi…</link>
        │   <source url="https://baoquangninh.vn">Báo Quảng Ninh</source>
        ▼
    map_gnews_entry (pure) ─▶ Item(outlet = the real outlet, title without " - Outlet", flag via:google_news)

The link is Google's redirect, not the outlet's address (Google no longer puts the target in the URL),
so the same article from the outlet's own RSS is matched by text (content hash) only when the text is
the same. Build the query URLs with `collectors.search_feeds.google_news_url` from gazetteer names.

Limits: about 100 items per query; Google asks for personal, non-commercial feed-reader use and
answers heavy polling with 429/503 — poll each query every 30–60 minutes.

options:
  keep_outlet_suffix  bool, default false — keep " - Outlet" at the end of titles.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, Mapping

from collectors import _social
from vocab.item import Item
from collectors.registry import register
from collectors.rss import FeedCollector, map_entry
from collectors.textutil import content_hash, strip_html, tidy
from vocab.config import SourceConfig


def map_gnews_entry(
    entry: Mapping[str, Any], source: SourceConfig, fetched_at: datetime, *, future_tolerance_minutes: float = 60.0
) -> Item:
    """One Google News <item> → Item. Pure. Raises SkipItem with a reason."""
    item = map_entry(entry, source, fetched_at, future_tolerance_minutes=future_tolerance_minutes)
    src = entry.get("source") or {}
    outlet = tidy(src.get("title") if isinstance(src, Mapping) else "")
    flags = list(item.flags) + ["via:google_news"]
    title = item.title
    if outlet:
        suffix = f" - {outlet}"
        if title.endswith(suffix) and not _social.opt(source, "keep_outlet_suffix", False):
            title = title[: -len(suffix)].strip()
    else:
        flags.append("no_outlet")
        outlet = source.outlet
    # The description repeats the headline and the outlet; a cluster lists related headlines.
    desc = strip_html(entry.get("summary") or "")
    for piece in (title, outlet):
        desc = desc.replace(piece, " ")
    desc = tidy(desc)
    summary = desc if len(desc) > 20 else ""
    return replace(
        item,
        title=title,
        summary=summary,
        outlet=outlet,
        flags=tuple(flags),
        content_hash=content_hash(title, summary, item.canonical_url),
    )


@register
class GoogleNewsCollector(FeedCollector):
    kind = "google_news"
    label = "Google Tin tức (tìm kiếm)"
    description = ("Bài báo nhắc tới tên địa bàn (tên cũ và mới, có và không dấu) trên mọi báo. "
                   "Khoảng 100 kết quả mỗi truy vấn; liên kết qua Google; hỏi dày bị chặn (429).")
    map_entry = staticmethod(map_gnews_entry)
