"""Building one synthetic item and its tag row, shared by the dev-data generators (synth, sample_reports).

Both generators hand these to the store's own writers (`store.items.insert_items`, `store.tags.save_tags`),
so hand-made items have exactly the shape collection and tagging write.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from vocab.item import Item


def sha1(*parts: object) -> str:
    """Hex SHA-1 of the parts joined by '|': stable ids and content hashes for a given seed."""
    return hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()


def make_item(*, url: str, title: str, summary: str, source: str, outlet: str, source_type: str,
              published_at: datetime, fetched_at: datetime, item_id: str | None = None,
              canonical_url: str | None = None, content_hash: str | None = None, guid: str | None = None,
              author: str | None = None) -> Item:
    """An RSS-collected `Item`; the id defaults to the SHA-1 of the canonical URL, like collection's."""
    canonical = canonical_url or url
    return Item(id=item_id or sha1(canonical), source=source, collector="rss", source_type=source_type,
                outlet=outlet, url=url, canonical_url=canonical, title=title, summary=summary,
                published_at=published_at, published_estimated=False, fetched_at=fetched_at,
                content_hash=content_hash or sha1(title, summary), guid=guid, author=author)


def tag_row(item_id: str, *, topics: Sequence[str], sentiment: str, in_area: bool, places: Sequence[str],
            folded: str, model_version: str, place_details: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """A pipeline output row as `store.tags.save_tags` takes it."""
    return {"id": item_id, "model_version": model_version, "topics": list(topics), "sentiment": sentiment,
            "in_area": in_area, "places": list(places), "place_details": list(place_details), "lang": "vi",
            "no_diacritics": False, "folded": folded}
