"""Mastodon public timelines on configured instances: a hashtag, or a search, with no account.

    https://mastodon.social/api/v1/timelines/tag/quangninh?limit=40       (JSON array of Status)
    https://<instance>/api/v2/search?q=Uông+Bí&type=statuses&limit=40     ({"statuses": [Status…]})
        │ Status: id, created_at, url, uri, content (HTML), spoiler_text, visibility, language,
        │         account{acct, url, bot}, reblog (a boost wraps the original), tags[], replies_count…
        ▼
    map_status (pure) ─▶ Item(url = status url, text = spoiler + content as text,
                              author = @user@instance (masked in the UI), flags lang:xx, replies:N, boost,
                              reply when in_reply_to_id is set: a reply, read as a comment)

A boost is mapped to the post it boosts (one item per post, whoever boosted it). Non-public posts
are skipped. Search without a token finds few or no posts on most instances (full-text post search
needs a signed-in user and an instance with search configured) — hashtag timelines are the dependable
route.
Instances may also close public timelines to visitors (401/422): that shows as an error on health.

Rate limits: 300 requests per 5 minutes per IP by default, announced in X-RateLimit-Remaining /
X-RateLimit-Reset (ISO time). The gate spaces requests by `min_interval_seconds` (default 2).

options:
  min_interval_seconds  float, default 2.
  include_sensitive     bool, default true — posts behind a content warning are kept (flag cw).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping
from urllib.parse import urlsplit

from collectors import _social
from collectors.base import Batch, CollectContext, SkipItem
from vocab.item import REPLY_FLAG, Item
from collectors.registry import register
from collectors.textutil import strip_html, tidy
from vocab.config import SourceConfig

GATE = _social.gate("mastodon")


def map_status(
    status: Mapping[str, Any], source: SourceConfig, fetched_at: datetime, *, future_tolerance_minutes: float = 60.0
) -> Item:
    """One Mastodon Status → Item. Pure. Raises SkipItem with a reason."""
    if not isinstance(status, Mapping):
        raise SkipItem("status is not an object")
    flags: list[str] = []
    if isinstance(status.get("reblog"), Mapping):
        status = status["reblog"]
        flags.append("boost")
    if status.get("visibility") not in (None, "public", "unlisted"):
        raise SkipItem("not a public post")
    if "content" not in status or "created_at" not in status:
        raise SkipItem("status without content or created_at")
    url = status.get("url") or status.get("uri") or ""
    if not isinstance(url, str) or not url.startswith("http"):
        raise SkipItem("no http(s) link")
    text = strip_html(status.get("content") or "")
    cw = tidy(status.get("spoiler_text") or "")
    if status.get("sensitive") or cw:
        if not _social.opt(source, "include_sensitive", True):
            raise SkipItem("behind a content warning")
        flags.append("cw")
    media = status.get("media_attachments") or []
    alt = " ".join(tidy(m.get("description") or "") for m in media if isinstance(m, Mapping))
    full = " ".join(p for p in (cw, text, alt.strip()) if p)
    account = status.get("account") or {}
    acct = tidy(account.get("acct") or "") if isinstance(account, Mapping) else ""
    if acct and "@" not in acct:
        acct = f"{acct}@{urlsplit(url).hostname or ''}"
    if isinstance(account, Mapping) and account.get("bot"):
        flags.append("bot")
    lang = status.get("language")
    if lang:
        flags.append(f"lang:{lang}")
    n = status.get("replies_count")
    if isinstance(n, int):
        flags.append(f"replies:{n}")
    if status.get("in_reply_to_id"):  # a reply in a thread: read as the comment it is (nlp.steps.COMMENT_FLAGS)
        flags.append(REPLY_FLAG)
    return _social.make_item(
        source,
        url=url,
        title=_social.title_from_text(text or full),
        text=full,
        published=_social.parse_iso(status.get("created_at")),
        fetched_at=fetched_at,
        future_tolerance_minutes=future_tolerance_minutes,
        author=f"@{acct}" if acct else None,
        guid=status.get("uri") or None,
        flags=flags,
    )


def statuses_of(doc: Any) -> list[Any] | None:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, Mapping) and isinstance(doc.get("statuses"), list):
        return doc["statuses"]
    return None


@register
class MastodonCollector:
    kind = "mastodon"
    label = "Mastodon (hashtag)"
    description = ("Bài công khai gắn hashtag trên máy chủ đã cấu hình. "
                   "300 lượt hỏi/5 phút; tìm theo nội dung cần đăng nhập.")

    async def collect(self, source: SourceConfig, ctx: CollectContext) -> Batch:
        fetched, doc = await GATE.fetch_json(ctx, source, 2.0)
        why = "response shape changed: not a list of statuses"
        if isinstance(doc, Mapping) and doc.get("error"):
            why = f"instance answered an error: {str(doc['error'])[:80]}"
        return _social.to_batch(fetched, statuses_of(doc), map_status, source, ctx, why_none=why)
