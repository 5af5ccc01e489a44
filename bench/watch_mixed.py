"""Watchlists and search over names typed with and without diacritics, and mixed (a marked text in which a name
is typed without marks): written items, tagged by the shipped pipeline, stored in a real DuckDB file, then each
query both as a watchlist (detection.watch.match) and as a search (store.search.search). Prints a table: which
items each query finds, the same for both, or says where they differ.

    PYTHONPATH=. .venv/bin/python bench/watch_mixed.py [--db /tmp/watch_mixed.duckdb]

Nothing is sent anywhere; the items are ours (no shipped or eval-only text)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 12, 5, 3, 0)

# key → (text, what it is); every one a title with no summary, as social posts are stored
ITEMS = {
    "VD-mix-cap": ("Sáng nay ở Vang Danh lại mất điện", "marked text, name unmarked, capitals"),
    "VD-mix-unit": ("Sáng nay ở phường vang danh lại mất điện", "marked text, unit word + unmarked name"),
    "VD-mix-low": ("Tối qua ở vang danh lại mất điện", "marked text, unmarked lower-case name after \"ở\""),
    "VD-famed": ("Ngôi chùa vang danh khắp nơi, du khách đông", "marked text, 'vang danh' = famed"),
    "VD-marked": ("Chiều nay ở Vàng Danh lại mất điện", "marked"),
    "VD-plain": ("Sang nay o vang danh lai mat dien", "no diacritics at all"),
    "VD-fewmarks": ("Sang nay o Vang Danh lai mat dien mất nước", "a mark or two, else unmarked"),
    "HB-mix": ("Đường lên hoanh bo bị sạt lở", "marked text, unmarked lower-case name"),
    "HB-marked": ("Đường lên Hoành Bồ bị sạt lở", "marked"),
    "HB-plain": ("Duong len hoanh bo bi sat lo", "no diacritics"),
    "CP-mix-cap": ("Bụi than ở Cam Pha quá", "marked text, name unmarked, capitals"),
    "CP-mix-low": ("Bụi than ở cam pha nhiều quá", "marked text, unmarked lower-case (a word too) after \"ở\""),
    "CP-marked": ("Bụi than ở Cẩm Phả quá", "marked"),
    "CP-plain": ("Bui than o cam pha qua", "no diacritics"),
    "BV-mix": ("Chùa Ba Vang hôm nay đông khách", "marked text, landmark name unmarked, capitals"),
    "UB-mix": ("Dân ở uong bi bức xúc vì bụi", "marked text, unmarked lower-case name (rarely unmarked)"),
    "BT-mix": ("Người dân phản ánh bai thai than sạt lở", "marked text, unmarked common words"),
    "BT-marked": ("Người dân phản ánh bãi thải than sạt lở", "marked"),
    "BT-plain": ("Nguoi dan phan anh bai thai than sat lo", "no diacritics"),
}

QUERIES = ["Vàng Danh", '"Vàng Danh"', "vang danh", '"phường Vàng Danh"', "Vàng Danh mất điện", "Hoành Bồ",
           "hoanh bo", "Cẩm Phả", "cam pha", "bãi thải", "bai thai", '"Chùa Ba Vàng"',
           "Uông Bí", "vàng"]


def build(path: Path) -> "object":
    from collectors.base import Item
    from collectors.textutil import canonical_url, content_hash, sha1
    from nlp.pipeline import Pipeline
    from nlp.service import tag_ids
    from store import items as store_items
    from store.db import Database
    from vocab import config as config_mod

    cfg = config_mod.parse(config_mod.read_toml(config_mod.DEFAULTS_PATH))
    db = Database(path)
    rows = []
    for n, (key, (title, _)) in enumerate(ITEMS.items()):
        url = f"https://mxh.example/{key}"
        canon = canonical_url(url)
        pub = NOW - timedelta(minutes=n + 1)
        rows.append(Item(id=sha1(canon), source="s", collector="rss", source_type="social", outlet="Nhóm", url=url,
                         canonical_url=canon, title=title, summary="", published_at=pub, published_estimated=False,
                         fetched_at=pub, content_hash=content_hash(title, "", canon)))
    with db.write() as cur:
        store_items.insert_items(cur, rows)
    tag_ids(cfg, db, [r.id for r in rows], Pipeline.from_config(cfg), now=NOW)
    return db


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=None)
    args = ap.parse_args()
    from collectors.textutil import canonical_url, sha1
    from detection import watch
    from store import search as S
    from store import watchlists as store_watch

    path = args.db or Path(tempfile.mkdtemp()) / "watch_mixed.duckdb"
    path.unlink(missing_ok=True)
    db = build(path)
    key_of = {sha1(canonical_url(f"https://mxh.example/{k}")): k for k in ITEMS}
    with db.read() as cur:
        docs = watch.docs_of(store_watch.item_docs(cur, list(key_of)).to_dict("records"))
        places = {key_of[r["id"]]: list(r["places"] if r["places"] is not None else [])
                  for r in store_watch.item_docs(cur, list(key_of)).to_dict("records")}
    print("Items (places as tagged):")
    for k, (text, what) in ITEMS.items():
        print(f"  {k:12} {text!r:50} {what}; places: {', '.join(places[k]) or '—'}")
    print()
    print(f"{'query':24} {'watch':60} search")
    differ = 0
    for q in QUERIES:
        wl = watch.compile_watchlist({"id": 1, "name": "t", "query": q})
        w = sorted(key_of[d.item_id] for d in docs if watch.match(wl, d) is not None)
        with db.read() as cur:
            s = sorted(key_of[i] for i in S.search(cur, q, limit=1000).items["id"])
        differ += w != s
        print(f"{q:24} {' '.join(w) or '—':60} {'same' if w == s else ' '.join(s) or '—'}")
    db.close()
    print(f"\nwatch and search differ on {differ} of {len(QUERIES)} queries")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
