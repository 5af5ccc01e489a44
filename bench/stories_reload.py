"""Rebuilding the grouping index: `store.stories.grouped_since` (what `detection.jobs.Detector` reads on every start
and after every merge or purge) at 100k / 300k / 1M stored items.

    PYTHONPATH=. .venv/bin/python bench/stories_reload.py                      # 100000 300000 1000000
    PYTHONPATH=. .venv/bin/python bench/stories_reload.py --sizes 100000

N items over --days days (365: items are kept 730, retention.items_days) in `items` and `story_items` (every item
grouped; social, so each carries a guid); the 72-hour window holds 3/days of them (0.8%; --days 30: a tenth). Prints, per size, the rows read for the window and the time of the read (best and
median of 5, warm). Before round 18 the read joined `items` for each item's guid; run this same script with the
older code first on PYTHONPATH to get the figures before (its add_story_items ignores the guid and thread keys).
Nothing is tagged or vectorised: only the read is timed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa

END = datetime(2026, 11, 30, 0, 0)
WINDOW = timedelta(hours=72)
CHUNK = 100_000


def _items(lo: int, hi: int, n: int, span: timedelta) -> pa.Table:
    """Items lo..hi-1 of n, spread evenly over `span` (the bulk path's columns)."""
    ids = [f"i{k:07d}" for k in range(lo, hi)]
    at = [END - span + span * (k / n) for k in range(lo, hi)]
    text = "mat dien ca khu to 7 bac son tu 5h sang den gio chua co dien, nong qua ae oi " * 3
    return pa.table({
        "id": ids, "canonical_url": [f"https://www.facebook.com/groups/g/posts/{k}/" for k in range(lo, hi)],
        "url": [f"https://www.facebook.com/groups/g/posts/{k}/" for k in range(lo, hi)],
        "content_hash": [f"h{k}" for k in range(lo, hi)], "source": [f"fb-{k % 50}" for k in range(lo, hi)],
        "collector": ["import"] * len(ids), "source_type": ["social"] * len(ids),
        "outlet": [f"fb-{k % 50}" for k in range(lo, hi)], "title": [f"tin {k}" for k in range(lo, hi)],
        "summary": [text] * len(ids), "author": [None] * len(ids), "guid": [f"{k}_0" for k in range(lo, hi)],
        "published_at": pa.array(at, pa.timestamp("us")), "published_estimated": [False] * len(ids),
        "fetched_at": pa.array(at, pa.timestamp("us")),
    })


def build(db, n: int, span: timedelta) -> None:
    from store import items as store_items
    from store import stories as store_stories

    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        t = _items(lo, hi, n, span)
        with db.write() as cur:
            store_items.bulk_load_arrow(cur, t)
            store_stories.add_story_items(cur, [
                {"item_id": i, "story_id": f"s{k // 4}", "published_at": at, "source": src, "outlet": src,
                 "source_type": "social", "title": ti, "folded": "mat dien ca khu to 7 bac son", "mask": ["bac son"],
                 "topics": ["infrastructure"], "sentiment": "negative", "in_area": True, "places": ["phường Bắc Sơn"],
                 "similarity": None, "grouped_at": at, "wards": ["vang danh"], "provinces": ["quang ninh"],
                 "guid": g, "thread": f"fb::{k}"}
                for k, i, at, src, ti, g in zip(range(lo, hi), *(t.column(c).to_pylist() for c in
                                                                 ("id", "published_at", "source", "title", "guid")))])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="*", type=int, default=[100_000, 300_000, 1_000_000])
    ap.add_argument("--days", type=float, default=365, help="days the items are spread over")
    args = ap.parse_args()
    from store import stories as store_stories
    from store.db import Database

    print("items     window rows  grouped_since best / median (s)  build (s)")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            db = Database(str(Path(tmp) / "r.duckdb"))
            t0 = time.perf_counter()
            build(db, n, timedelta(days=args.days))
            built = time.perf_counter() - t0
            times, rows = [], []
            for _ in range(5):
                with db.read() as cur:
                    t1 = time.perf_counter()
                    rows = store_stories.grouped_since(cur, END - WINDOW)
                    times.append(time.perf_counter() - t1)
            guids = sum(1 for r in rows if r.get("guid"))
            db.close()
        print(f"{n:>9,}  {len(rows):>10,}  {min(times):>10.3f} / {statistics.median(times):.3f}"
              f"              {built:.0f}   (rows with a guid: {guids:,})", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, ".")
    main()
