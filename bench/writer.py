"""DuckDB writer cost: `store.items.insert_items` + `store.tags.save_tags` into a fresh file.

    .venv/bin/python bench/writer.py [--items 20000] [--batch 40] [--windows 4] [--dup 0.1]
                                     [--prefill 0] [--db PATH]

Writes synthetic items the way the runner and the tagger do: one transaction per source batch of
`--batch` items (an RSS feed carries ~40), items + links + a gzip raw payload, then the batch's tags
in a second transaction (as nlp/service.py does after the runner commits). `--dup` of each batch are
re-sightings of items already stored (same URL from another feed), which only add links.
`--prefill N` first loads N synthetic items (devtools/synth.py, bulk, not timed) so the cost of a
batch can be read at a realistic table size: the dedupe and the primary-key checks grow with it.

Prints, per window of items, CPU seconds per item (process CPU from getrusage, which includes
DuckDB's threads) and items/s of wall time, so growth with the table size shows; then the totals,
the file size per million items and peak RSS. Wall figures are unreliable on a shared machine; CPU
seconds are the figure to plan with.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.measure import cpu, peak_rss_mb  # noqa: E402
from store import items as store_items
from store import tags as store_tags
from store.db import Database
from vocab.item import Item

WORDS = ["người", "dân", "phản", "ánh", "tình", "hình", "giao", "thông", "tại", "phường", "Vàng", "Danh", "thành", "phố", "Uông", "Bí", "tỉnh", "Quảng", "Ninh", "chính", "quyền", "địa", "phương", "đã", "vào", "cuộc", "kiểm", "tra", "xử", "lý", "vi", "phạm", "môi", "trường", "khai", "thác", "than", "đất", "đai", "dự", "án", "đầu", "tư", "công", "học", "sinh", "bệnh", "viện", "giá", "điện", "nước", "sạch", "mưa", "lũ", "sạt", "lở"]
PLACES = ["quang-ninh", "quang-ninh/uong-bi", "quang-ninh/ha-long", "ha-noi", "hai-phong"]
TOPICS = ["moi-truong", "giao-thong", "dat-dai", "y-te", "giao-duc", "kinh-te"]


def sha1(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()


def make_item(rng: random.Random, n: int, source: str, t0: datetime) -> Item:
    """One press-like item: ~80-char title, ~300-char summary, gzip raw entry like collectors/rss.py."""
    title = " ".join(rng.choices(WORDS, k=14)).capitalize()[:120] + f" ({n})"
    summary = " ".join(rng.choices(WORDS, k=60))[:400]
    url = f"https://bao{n % 500}.vn/tin-{n}.html"
    at = t0 + timedelta(seconds=n * 2)
    raw = gzip.compress(json.dumps({"id": url, "link": url, "title": title, "summary": summary,
                                    "published": at.isoformat()}, ensure_ascii=False).encode("utf-8"))
    return Item(id=sha1(url), source=source, collector="rss", source_type="press", outlet=f"Báo {n % 500}",
                url=url, canonical_url=url, title=title, summary=summary, published_at=at,
                published_estimated=False, fetched_at=at, content_hash=sha1(title + summary), raw=raw)


def tag_row(rng: random.Random, it: Item) -> dict:
    places = rng.sample(PLACES, k=rng.randint(0, 2))
    return {"id": it.id, "model_version": "bench", "topics": rng.sample(TOPICS, k=rng.randint(1, 2)),
            "sentiment": rng.choice(["neg", "neu", "pos"]), "in_area": bool(places),
            "places": places, "place_details": [{"code": p, "span": [0, 5]} for p in places],
            "lang": "vi", "no_diacritics": False, "folded": (it.title + " " + it.summary).lower()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=20_000, help="new items to write through insert_items")
    ap.add_argument("--batch", type=int, default=40, help="items per source batch (one transaction)")
    ap.add_argument("--windows", type=int, default=4, help="report CPU/item per this many slices")
    ap.add_argument("--dup", type=float, default=0.1, help="share of each batch that re-sights stored items")
    ap.add_argument("--prefill", type=int, default=0, help="bulk-load this many items first (untimed)")
    ap.add_argument("--db", help="database file (default: a fresh temporary file)")
    a = ap.parse_args(argv)

    path = Path(a.db) if a.db else Path(tempfile.mkdtemp()) / "writer.duckdb"
    if path.exists():
        sys.exit(f"{path} exists; the bench needs a fresh file")
    rng = random.Random(7)
    t0 = datetime(2026, 11, 1)
    n_new = 0
    stored: list[Item] = []
    per_window = a.items // a.windows
    print(f"bench/writer: {a.items:,} items in batches of {a.batch} (+{a.dup:.0%} re-sightings), "
          f"items+links+raw then tags, into {path}")
    print(f"{'items in table':>16} {'CPU ms/item':>12} {'items/s wall':>13}")
    tot_cpu = tot_wall = 0.0
    with Database(path) as db:
        if a.prefill:
            from devtools.synth import seed

            w0 = time.perf_counter()
            seed(db, n_items=a.prefill, n_stories=0, n_alerts=0, days=365)
            print(f"prefilled {a.prefill:,} items (with links and tags) in {time.perf_counter() - w0:.0f} s, untimed", flush=True)
        for w in range(a.windows):
            c0, w0 = cpu(), time.perf_counter()
            target = (w + 1) * per_window
            while n_new < target:  # n_new counts only this bench's own items
                k = min(a.batch, target - n_new)
                src = f"f{n_new // a.batch % 500}"
                batch = [make_item(rng, n_new + j, src, t0) for j in range(k)]
                if stored and a.dup > 0:  # re-sightings from another feed: only a link is added
                    batch += [replace_source(x, src) for x in rng.sample(stored, k=min(len(stored),
                                                                                      int(k * a.dup)))]
                with db.write() as cur:
                    new_ids = store_items.insert_items(cur, batch)
                new = set(new_ids)
                rows = [tag_row(rng, it) for it in batch if it.id in new]
                with db.write() as cur:
                    store_tags.save_tags(cur, rows)
                n_new += len(new_ids)
                stored.extend(batch[:k][-2:])  # a few candidates for later re-sightings
            dc, dw = cpu() - c0, time.perf_counter() - w0
            tot_cpu += dc
            tot_wall += dw
            print(f"{a.prefill + target:>16,} {dc / per_window * 1000:>12.3f} {per_window / dw:>13,.0f}", flush=True)
        with db.read() as cur:
            cur.execute("CHECKPOINT")  # so the file size includes everything written
            n_items = store_items.count_items(cur)
            n_links = cur.execute("SELECT count(*) FROM item_links").fetchone()[0]
    size = sum(f.stat().st_size for f in path.parent.glob(path.name + "*"))
    peak = peak_rss_mb()
    print(f"written: {n_new:,} items; CPU {tot_cpu:.1f} s = {tot_cpu / n_new * 1000:.3f} ms/item; "
          f"wall {tot_wall:.1f} s = {n_new / tot_wall:,.0f} items/s; table now {n_items:,} items, {n_links:,} links")
    print(f"file: {size / 2**20:.0f} MiB = {size / n_items * 1e6 / 2**30:.2f} GiB per million items "
          f"(items, links, tags; raw payloads only for the bench's own items); peak RSS {peak:.0f} MB")
    print(f"load average during the run (other processes share these cores): {os.getloadavg()[0]:.1f}")
    if not a.db:
        for f in path.parent.glob(path.name + "*"):
            f.unlink()
    return 0


def replace_source(it: Item, source: str) -> Item:
    from dataclasses import replace

    return replace(it, source=source, raw=None)


if __name__ == "__main__":
    sys.exit(main())
