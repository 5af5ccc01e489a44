"""Storing one huge batch: n items into a fresh DuckDB file through `store.items.insert_items`.

Usage: .venv/bin/python bench/batch.py [--items 100000 32000] [--chunk 0] [--tmp DIR]
Each size runs in its own child process (so peak RSS is per size) and prints seconds, items/s and
peak RSS. Items carry a raw payload, as collected items do. `--chunk N` writes through `store.items.store_batch` in transactions of N items (0: one
transaction, as a plain `insert_items` call). Then the same batch is stored again (all duplicates).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.measure import peak_rss_mb  # noqa: E402


def make_items(n: int) -> list:
    from collectors.base import Item

    t0 = datetime(2026, 11, 22, 8, 0)
    out = []
    for i in range(n):
        url = f"https://bao.example.vn/tin-{i}.html"
        title = f"Tin {i}: tình hình Quảng Ninh, phường Vàng Danh"
        text = f"Người dân phản ánh về vấn đề số {i} tại địa phương, chính quyền đã vào cuộc."
        out.append(Item(
            id=hashlib.sha1(url.encode()).hexdigest(), source="bench", collector="rss", source_type="press",
            outlet="Báo bench", url=url, canonical_url=url, title=title, summary=text,
            published_at=t0 - timedelta(seconds=i), published_estimated=False, fetched_at=t0,
            content_hash=hashlib.sha1((title + text).encode()).hexdigest(),
            raw=zlib.compress(f"<item><title>{title}</title><link>{url}</link></item>".encode()),
        ))
    return out


def one(n: int, chunk: int, tmp: str) -> None:
    from store import items as store_items
    from store.db import Database

    items = make_items(n)
    path = os.path.join(tmp, f"bench-{n}.duckdb")
    for p in (path, path + ".wal"):
        if os.path.exists(p):
            os.unlink(p)
    with Database(path) as db:
        for label in ("first", "again"):
            t = time.perf_counter()
            if chunk and hasattr(store_items, "store_batch"):
                new = store_items.store_batch(db, items, chunk_items=chunk).new_ids
            else:
                with db.write() as cur:
                    new = store_items.insert_items(cur, items)
            dt = time.perf_counter() - t
            rss = peak_rss_mb()
            print(f"{n:>7} items ({label}): {dt:7.2f} s, {n / dt:9.0f} items/s, {len(new):>7} new, "
                  f"peak RSS {rss:.0f} MB", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, nargs="+", default=[32000, 100000])
    ap.add_argument("--chunk", type=int, default=0, help="items per transaction (0: one transaction)")
    ap.add_argument("--tmp", default=None, help="directory for the DuckDB files (default: a temp dir)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    tmp = args.tmp or tempfile.mkdtemp(prefix="bench-batch-")
    if args.one:
        one(args.one, args.chunk, tmp)
        return
    for n in args.items:
        subprocess.run([sys.executable, __file__, "--one", str(n), "--chunk", str(args.chunk), "--tmp", tmp],
                       check=True)


if __name__ == "__main__":
    main()
