"""Toy: a JSON-lines file served over HTTP, one post per line.

options: none.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Mapping

from collectors import _social
from collectors.base import Batch, CollectContext, SkipItem
from collectors.registry import register
from vocab.config import SourceConfig
from vocab.item import Item


def map_line(entry: Any, source: SourceConfig, fetched_at: datetime, *, future_tolerance_minutes: float = 60.0) -> Item:
    """One JSON object → Item. Pure."""
    if not isinstance(entry, Mapping):
        raise SkipItem("not an object")
    return _social.make_item(source, url=entry.get("url") or "", title=entry.get("title") or "",
                             text=entry.get("text") or "", published=_social.parse_iso(entry.get("published")),
                             fetched_at=fetched_at, future_tolerance_minutes=future_tolerance_minutes)


@register
class JsonlFeedCollector:
    kind = "jsonl_feed"

    async def collect(self, source: SourceConfig, ctx: CollectContext) -> Batch:
        fetched = await ctx.fetch(source.url)
        lines = [ln for ln in fetched.decoded.text.splitlines() if ln.strip()]
        try:
            entries = [json.loads(ln) for ln in lines]
        except json.JSONDecodeError:
            entries = None
        return _social.to_batch(fetched, entries, map_line, source, ctx, why_none="not JSON lines")
