"""Reddit search without credentials: the public `search.json` listing.

    https://www.reddit.com/search.json?q="Quảng Ninh"&sort=new&t=week&limit=100
    https://www.reddit.com/r/VietNam/search.json?q=…&restrict_sr=on&sort=new
        │ {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {title, selftext, author,
        │   permalink, url, created_utc, subreddit, num_comments, over_18, removed_by_category…}}]}}
        ▼
    map_reddit_post (pure) ─▶ Item(url = https://www.reddit.com<permalink>, text = selftext,
                                   author = u/<name> (masked in the UI), flags r/<sub>, replies:N, link:<domain>)

Deleted/removed posts, NSFW posts and non-post children are skipped with a counted reason. A listing
without `data.children` (a changed shape, or an HTML block page) is a counted skip / DocumentError.

Rate limits: without OAuth Reddit allows roughly 10 requests a minute per IP and blocks generic
User-Agents; it answers 429 with X-Ratelimit-Reset (seconds). The gate spaces requests by
`min_interval_seconds` (default 7) and stops when X-Ratelimit-Remaining reaches 0.

options:
  site                  str, default "https://www.reddit.com" — base of permalinks.
  include_nsfw          bool, default false.
  min_interval_seconds  float, default 7.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping
from urllib.parse import urlsplit

from collectors import _social
from collectors.base import Batch, CollectContext, SkipItem
from vocab.item import Item
from collectors.registry import register
from collectors.textutil import tidy
from vocab.config import SourceConfig

GATE = _social.gate("reddit")


def map_reddit_post(
    child: Mapping[str, Any], source: SourceConfig, fetched_at: datetime, *, future_tolerance_minutes: float = 60.0
) -> Item:
    """One listing child ({"kind": "t3", "data": {…}}) → Item. Pure. Raises SkipItem with a reason."""
    if not isinstance(child, Mapping) or child.get("kind") != "t3":
        raise SkipItem("not a post (kind != t3)")
    d = child.get("data")
    if not isinstance(d, Mapping):
        raise SkipItem("post without data")
    author = d.get("author") or ""
    text = d.get("selftext") or ""
    if d.get("removed_by_category") or author == "[deleted]" or text in ("[removed]", "[deleted]"):
        raise SkipItem("deleted or removed post")
    if d.get("over_18") and not _social.opt(source, "include_nsfw", False):
        raise SkipItem("NSFW post")
    permalink = d.get("permalink") or ""
    if not isinstance(permalink, str) or not permalink.startswith("/"):
        raise SkipItem("no permalink")
    site = _social.opt(source, "site", "https://www.reddit.com").rstrip("/")
    flags = []
    sub = d.get("subreddit")
    if sub:
        flags.append(f"r/{sub}")
    n = d.get("num_comments")
    if isinstance(n, int):
        flags.append(f"replies:{n}")
    link = d.get("url") or ""
    if not d.get("is_self") and isinstance(link, str) and link.startswith("http"):
        host = (urlsplit(link).hostname or "").removeprefix("www.")
        if host and host != "reddit.com":
            flags.append(f"link:{host}")
            if not text:
                text = link
    return _social.make_item(
        source,
        url=site + permalink,
        title=d.get("title") or "",
        text=tidy(text) if "\n" not in text else text,
        published=_social.parse_iso(d.get("created_utc")),
        fetched_at=fetched_at,
        future_tolerance_minutes=future_tolerance_minutes,
        author=f"u/{author}" if author else None,
        guid=d.get("name") or None,
        flags=flags,
    )


def children_of(doc: Any) -> list[Any] | None:
    """The listing's children, or None when the shape is not a Reddit listing."""
    if isinstance(doc, Mapping) and isinstance(doc.get("data"), Mapping):
        ch = doc["data"].get("children")
        if isinstance(ch, list):
            return ch
    return None


@register
class RedditCollector:
    kind = "reddit"
    label = "Reddit (tìm kiếm)"
    description = ("Bài đăng công khai có từ khóa. "
                   "Khoảng 10 lượt hỏi/phút khi không đăng nhập; ít người Việt dùng.")

    async def collect(self, source: SourceConfig, ctx: CollectContext) -> Batch:
        fetched, doc = await GATE.fetch_json(ctx, source, 7.0)
        return _social.to_batch(fetched, children_of(doc), map_reddit_post, source, ctx,
                                why_none="response shape changed: no data.children listing")
