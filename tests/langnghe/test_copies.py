"""langnghe.commands._copies.read_back: what `langnghe backup` and `langnghe restore` say a file holds (round 26)."""

from __future__ import annotations

from collectors.textutil import canonical_url, content_hash, sha1
from langnghe.commands._copies import CopyFacts, read_back
from store import items as store_items
from store.db import Database, utcnow
from vocab.item import Item


def _item(n: int) -> Item:
    url, now = f"https://baoquangninh.example/tin/{n}", utcnow()
    return Item(id=sha1(canonical_url(url)), source="s", collector="rss", source_type="press", outlet="Báo", url=url,
                canonical_url=canonical_url(url), title=f"Tin {n}", summary="", published_at=now,
                published_estimated=False, fetched_at=now, content_hash=content_hash(f"Tin {n}", "", url))


def test_read_back_counts_the_items_and_names_the_schema_version_without_migrating(tmp_path):
    path = tmp_path / "copy.duckdb"
    with Database(str(path)) as db:
        with db.write() as cur:
            store_items.insert_items(cur, [_item(1), _item(2), _item(3)])
        version = db.schema_version()
    assert read_back(path) == CopyFacts(items=3, schema_version=version)
    assert read_back(str(path)).items == 3  # a path as text too (restore passes storage.db_path)
