"""Garbled stored text found by URL: the half of a repair that the collector runner and an import share.

    items of one or more batches ─▶ store.items.stored_texts (one lookup by canonical URL)
        ─▶ collectors.encoding.plan_repairs per batch (each batch sees the repairs planned before it)
        ─▶ UrlRepairs: the fixes per batch + the URLs already stored
    the caller writes the fixes (store.items.repair_texts) with whatever else it found: the runner nothing more, an
    import the rows without a stored URL that it pairs with garbled rows by time and text (orchestration.imports)

It lives here, not in collectors/runner.py nor orchestration/imports.py, because orchestration may import collectors
and not the other way: one plan for both (round 24; before, each wrote its own lookup and plan).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from collectors.encoding import plan_repairs
from store import items as store_items
from vocab.item import Item

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class UrlRepairs:
    """What `plan_url_repairs` found: the fixes of each batch, in order (for store.items.repair_texts), and the
    canonical URLs that were stored before any of them (an item whose URL is not among them is new, or a row an
    import finds by its text)."""

    fixes: list[list[dict[str, Any]]]
    stored: frozenset[str]


def plan_url_repairs(cur: "duckdb.DuckDBPyConnection", batches: list[list[Item]]) -> UrlRepairs:
    """The stored items whose text an old wrong decode garbled that the same URL's fresh copy repairs, for several
    batches in one lookup; each batch sees the repairs of those before it (as if written one after the other).
    Plans only: nothing is written."""
    urls = [it.canonical_url for b in batches for it in b]
    if not urls:
        return UrlRepairs([[] for _ in batches], frozenset())
    stored = store_items.stored_texts(cur, urls)
    known = frozenset(stored)
    url_of = {row["id"]: url for url, row in stored.items()}
    out: list[list[dict[str, Any]]] = []
    for b in batches:
        mine = plan_repairs(stored, b)
        for f in mine:
            stored[url_of[f["id"]]] = {"id": f["id"], "title": f["title"], "summary": f["summary"],
                                       "author": f["author"]}
        out.append(mine)
    return UrlRepairs(out, known)
