"""Ingest speed with and without 100 active watchlists (detection/watch.py in the ingest path).

    .venv/bin/python bench/watch.py [--items 2000] [--batch 200] [--watchlists 100]

Items: the demo corpus (demo/corpus/quangninh.jsonl, real Vietnamese press and social text, some
without diacritics) repeated under new URLs. Two fresh databases get the same batches, alternately so
both see the same machine load: each batch is stored (store.items.insert_items) and then handed to the
ingest processor (orchestration.ingest: tagging, watchlist matching; full text off, nothing is
fetched). One database has no active watchlist, the other `--watchlists` of them: the area defaults,
the demo's, and phrases and OR/NOT queries made from the corpus's frequent syllable pairs.
Prints items/s for both, the matching step alone, and the hits stored.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def corpus_items(n: int) -> list:
    from collectors.base import Item
    from collectors.textutil import canonical_url, content_hash, sha1
    from store.db import utcnow

    rows = [json.loads(x) for x in (ROOT / "demo/corpus/quangninh.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()]
    now = utcnow()
    out = []
    for k in range(n):
        r = rows[k % len(rows)]
        url = f"https://bench.example/{k}/{r['id']}"
        canon = canonical_url(url)
        title, summary = r.get("title", ""), f"{r.get('summary', '')} ({k})"
        pub = now - timedelta(minutes=n - k)
        out.append(Item(id=sha1(canon), source="bench", collector="rss", source_type=r.get("source_type", "press"),
                        outlet=r.get("feed", "bench"), url=url, canonical_url=canon, title=title, summary=summary,
                        published_at=pub, published_estimated=False, fetched_at=pub,
                        content_hash=content_hash(title, summary, canon)))
    return out


def watch_queries(items: list, n: int) -> list[str]:
    """n queries: phrases of frequent syllable pairs, some with OR and an exclusion."""
    from store.search_query import syllables

    pairs: Counter[str] = Counter()
    for it in items[:2000]:
        s = syllables(f"{it.title} {it.summary}")
        pairs.update(f"{a} {b}" for a, b in zip(s, s[1:]) if a.isalpha() and b.isalpha())
    common = [p for p, _ in pairs.most_common(400)][40:]  # skip the very commonest ("của các")
    out = []
    for k in range(n):
        a, b, c = common[k % len(common)], common[(k * 7 + 3) % len(common)], common[(k * 13 + 5) % len(common)]
        out.append([f'"{a}"', f'"{a}" OR "{b}"', f'"{a}" -"{c}"', f'{a} {b}'][k % 4])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--watchlists", type=int, default=100)
    args = ap.parse_args()
    import logging

    logging.basicConfig(level=logging.WARNING)
    from detection import watch
    from devtools import demo_watch
    from orchestration import ingest
    from store import items as store_items
    from store import watchlists as store_watch
    from store.db import Database, utcnow
    from vocab import config as config_mod

    items = corpus_items(args.items)
    tmp = tempfile.TemporaryDirectory(prefix="langnghe-bench-watch-")
    dbs, procs, took, match_s = {}, {}, {"none": 0.0, "with": 0.0}, 0.0
    for name in took:
        data = config_mod.read_toml(config_mod.DEFAULTS_PATH)
        data = config_mod._merge(data, {"storage": {"db_path": str(Path(tmp.name) / f"{name}.duckdb")},
                                        "fulltext": {"enabled": False}})
        cfg = config_mod.parse(data)
        dbs[name] = Database(cfg.storage.db_path)
        procs[name] = ingest.processor(cfg, dbs[name])
    with dbs["with"].write() as cur:
        now = utcnow()
        cur.execute("UPDATE watchlists SET active = TRUE")  # the area defaults
        n_default = len(store_watch.list_watchlists(cur))
    demo_watch.setup(dbs["with"])
    with dbs["with"].write() as cur:
        for k, q in enumerate(watch_queries(items, max(args.watchlists - n_default - 1, 0))):
            store_watch.create(cur, {"name": f"bench {k}", "query": q, "places": [], "topics": [], "source_types": [],
                                     "min_items": 3, "window_minutes": 60, "severity": "low"}, "bench", now)
        n_wl = len(store_watch.active_watchlists(cur))
    timed = watch.match_new

    def timed_match(db, ids, at, **kw):  # type: ignore[no-untyped-def]  # kw: tagged_since (round 19 catch-up)
        nonlocal match_s
        t = time.perf_counter()
        try:
            return timed(db, ids, at, **kw)
        finally:
            if db is dbs["with"]:
                match_s += time.perf_counter() - t

    watch.match_new = timed_match  # type: ignore[assignment]
    for p in procs.values():  # load the NLP models, outside the timing
        p(["warm-up"])
    for k in range(0, len(items), args.batch):
        batch = items[k:k + args.batch]
        for name in (("none", "with") if (k // args.batch) % 2 == 0 else ("with", "none")):
            t = time.perf_counter()
            with dbs[name].write() as cur:
                new = store_items.insert_items(cur, [replace(it) for it in batch])
            procs[name](new)
            took[name] += time.perf_counter() - t
    with dbs["with"].read() as cur:
        hits = cur.execute("SELECT count(*) FROM watch_hits").fetchone()[0]
        alerts = cur.execute("SELECT count(*) FROM alerts WHERE kind = 'watchlist'").fetchone()[0]
    n = len(items)
    print(f"{n:,} items in batches of {args.batch} (store + tag + watchlists; full text off)")
    print(f"  no active watchlist:        {n / took['none']:8.1f} items/s")
    print(f"  {n_wl:3d} active watchlists:     {n / took['with']:8.1f} items/s "
          f"({(took['with'] / took['none'] - 1) * 100:+.1f}%)")
    print(f"  matching step alone:        {n / match_s:8.1f} items/s ({match_s * 1000 / n:.2f} ms per item)")
    print(f"  hits stored: {hits:,}; watchlist alerts raised: {alerts}")
    for db in dbs.values():
        db.close()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
