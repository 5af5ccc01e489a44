"""Bluesky without an account: post search (`searchPosts`) and accounts' feeds (`getAuthorFeed`).

    https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts?q=Quảng Ninh&sort=latest&limit=50
        │ {"posts": [PostView{uri "at://did/app.bsky.feed.post/<rkey>", author{handle, did},
        │   record{$type app.bsky.feed.post, text, createdAt, langs, embed}, replyCount, indexedAt…}],
        │  "cursor": "…", "hitsTotal": N}
        ▼
    map_post (pure) ─▶ Item(url = https://bsky.app/profile/<handle>/post/<rkey>, text = record.text
                            (+ linked article title), author = @handle (masked in the UI), flags lang, replies,
                            reply when the record has `reply`: a reply, read as a comment)

    https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=<handle>&limit=50
        │ {"feed": [{"post": PostView, "reason"?: repost}], "cursor": "…"}   (same mapping per post)

Limits, honestly: since January 2025 Bluesky has mostly switched off unauthenticated post search on its
public AppView (403 "Request forbidden by administrative rules"; the lexicon now says searchPosts is
not always publicly available), and `cursor` paging never worked without an account. A 403 shows as
an HTTP error on the source's health. Following accounts with getAuthorFeed (official pages, local
outlets) works without an account. Rate limits: about 3,000 requests per 5 minutes per IP, announced
in `ratelimit-remaining` / `ratelimit-reset` (epoch seconds).

options:
  min_interval_seconds  float, default 1.
  web_base              str, default "https://bsky.app" — where post links point.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from collectors import _social
from collectors.base import Batch, CollectContext, SkipItem
from vocab.item import REPLY_FLAG, Item
from collectors.registry import register
from collectors.textutil import tidy
from vocab.config import SourceConfig

GATE = _social.gate("bluesky")


def map_post(
    post: Mapping[str, Any], source: SourceConfig, fetched_at: datetime, *, future_tolerance_minutes: float = 60.0
) -> Item:
    """One PostView → Item. Pure. Raises SkipItem with a reason."""
    if not isinstance(post, Mapping):
        raise SkipItem("post is not an object")
    uri = post.get("uri") or ""
    record = post.get("record")
    author = post.get("author")
    if not isinstance(uri, str) or not uri.startswith("at://") or "/app.bsky.feed.post/" not in uri:
        raise SkipItem("no at:// post uri")
    if not isinstance(record, Mapping) or not isinstance(author, Mapping):
        raise SkipItem("post without record or author")
    if record.get("$type") not in (None, "app.bsky.feed.post"):
        raise SkipItem(f"not a post record ({record.get('$type')})")
    rkey = uri.rsplit("/", 1)[-1]
    handle = tidy(author.get("handle") or "")
    did = tidy(author.get("did") or uri[5:].split("/", 1)[0])
    who = handle if handle and handle != "handle.invalid" else did
    base = _social.opt(source, "web_base", "https://bsky.app").rstrip("/")
    text = (record.get("text") or "").strip()
    embed = record.get("embed") if isinstance(record.get("embed"), Mapping) else {}
    ext = embed.get("external") if isinstance(embed, Mapping) else None
    flags: list[str] = []
    if isinstance(ext, Mapping) and ext.get("uri"):
        ext_title = tidy(ext.get("title") or "")
        text = "\n".join(p for p in (text, ext_title) if p)
        flags.append("link")
    for lang in record.get("langs") or []:
        flags.append(f"lang:{lang}")
    n = post.get("replyCount")
    if isinstance(n, int):
        flags.append(f"replies:{n}")
    if isinstance(record.get("reply"), Mapping):  # {root, parent}: a reply, read as a comment (nlp.steps.COMMENT_FLAGS)
        flags.append(REPLY_FLAG)
    return _social.make_item(
        source,
        url=f"{base}/profile/{who}/post/{rkey}",
        title=_social.title_from_text(text),
        text=text,
        published=_social.parse_iso(record.get("createdAt") or post.get("indexedAt")),
        fetched_at=fetched_at,
        future_tolerance_minutes=future_tolerance_minutes,
        author=f"@{handle}" if handle else did,
        guid=uri,
        flags=flags,
    )


def posts_of(doc: Any) -> list[Any] | None:
    """PostViews of a searchPosts answer or of a getAuthorFeed answer; None for another shape."""
    if not isinstance(doc, Mapping):
        return None
    if isinstance(doc.get("posts"), list):
        return doc["posts"]
    if isinstance(doc.get("feed"), list):
        return [f.get("post") if isinstance(f, Mapping) else f for f in doc["feed"]]
    return None


@register
class BlueskyCollector:
    kind = "bluesky"
    label = "Bluesky"
    description = ("Tìm bài công khai; bài của các tài khoản theo dõi. "
                   "Tìm kiếm không đăng nhập thường bị Bluesky tắt (403); theo dõi tài khoản vẫn được.")

    async def collect(self, source: SourceConfig, ctx: CollectContext) -> Batch:
        fetched, doc = await GATE.fetch_json(ctx, source, 1.0)
        why = "response shape changed: no posts list"
        if isinstance(doc, Mapping) and doc.get("error"):
            why = f"AppView answered an error: {str(doc.get('error'))[:40]} {str(doc.get('message') or '')[:60]}"
        return _social.to_batch(fetched, posts_of(doc), map_post, source, ctx, why_none=why.strip())
