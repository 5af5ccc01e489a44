"""Saving full texts with their search postings: SQL statements, seconds and CPU per item.

Usage: .venv/bin/python bench/fulltext_index.py [--n 1000 10000 100000] [--batch 50] [--mode single batch]
                                                [--single-max 10000] [--tmp DIR]

Each size runs in its own child process: a fresh DuckDB file gets n press items (`store.items.insert_items`,
indexed for search, not timed), then every item gets a ~1,500-character article text, `--batch` items per
transaction, as the full-text step writes them. `single`: one `store.fulltext.save_many` of one row per item (the
path before batches); `batch`: one `store.fulltext.save_many` per transaction. Prints the SQL statements sent (counted
on the cursor), statements per item, wall seconds, items/s, CPU seconds per 1,000 items and peak RSS.
`single` is skipped above `--single-max` items (≈ 9 statements an item: 100k items took too long to wait for).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.batch import make_items  # noqa: E402 - after sys.path; the same items as the batch insert's bench
from bench.measure import cpu, peak_rss_mb  # noqa: E402

WORDS = ("người dân phản ánh tình hình giao thông tại phường Vàng Danh thành phố Uông Bí tỉnh Quảng Ninh "
         "chính quyền địa phương đã vào cuộc kiểm tra xử lý vi phạm môi trường khai thác than bụi than "
         "đất đai dự án đầu tư công học sinh bệnh viện giá điện nước sạch mưa lũ sạt lở").split()


class Counting:
    """A cursor that counts the statements sent through it."""

    def __init__(self, cur):  # noqa: ANN001
        self._cur = cur
        self.n = 0

    def execute(self, *a, **kw):  # noqa: ANN002, ANN003
        self.n += 1
        return self._cur.execute(*a, **kw)

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._cur, name)


def article(i: int) -> str:
    words = [WORDS[(i * 7 + k * 13) % len(WORDS)] for k in range(330)]
    return f"Bài {i}. " + " ".join(words) + "."


def one(n: int, batch: int, mode: str, tmp: str) -> None:
    from store import fulltext as store_fulltext
    from store import items as store_items
    from store.db import Database

    items = make_items(n)
    path = os.path.join(tmp, f"bench-ft-{mode}-{n}.duckdb")
    for p in (path, path + ".wal"):
        if os.path.exists(p):
            os.unlink(p)
    now = datetime(2026, 11, 22, 9, 0)
    with Database(path) as db:
        for k in range(0, n, 10_000):
            with db.write() as cur:
                store_items.insert_items(cur, items[k:k + 10_000])
        statements, t, c = 0, time.perf_counter(), cpu()
        for k in range(0, n, batch):
            rows = [(it.id, article(k + j), it.url) for j, it in enumerate(items[k:k + batch])]
            with db.write() as raw:
                cur = Counting(raw)
                if mode == "single":
                    for item_id, text, url in rows:
                        store_fulltext.save_many(cur, [store_fulltext.Extracted(item_id, text, "ok", url)], now=now)
                else:
                    store_fulltext.save_many(cur, [store_fulltext.Extracted(i, x, "ok", u) for i, x, u in rows],
                                             now=now)
                statements += cur.n
        dt, dc = time.perf_counter() - t, cpu() - c
        with db.read() as cur:
            postings = cur.execute("SELECT count(*) FROM search_postings WHERE field = 1").fetchone()[0]
    rss = peak_rss_mb()
    print(f"{mode:>6} {n:>7} items, batch {batch}: {statements:>8} statements ({statements / n:5.2f} an item), "
          f"{dt:8.2f} s, {n / dt:7.0f} items/s, CPU {1000 * dc / n:6.2f} s per 1k items, "
          f"{postings} body postings, peak RSS {rss:.0f} MB", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--batch", type=int, default=50, help="items per transaction ([fulltext] max_per_run is 50)")
    ap.add_argument("--mode", nargs="+", default=["single", "batch"], choices=["single", "batch"])
    ap.add_argument("--single-max", type=int, default=10_000)
    ap.add_argument("--tmp", default=None, help="directory for the DuckDB files (default: a temp dir)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    tmp = args.tmp or tempfile.mkdtemp(prefix="bench-ft-")
    if args.one:
        one(args.one, args.batch, args.mode[0], tmp)
        return
    for n in args.n:
        for mode in args.mode:
            if mode == "single" and n > args.single_max:
                print(f"{mode:>6} {n:>7} items: skipped (--single-max {args.single_max})", flush=True)
                continue
            subprocess.run([sys.executable, __file__, "--one", str(n), "--batch", str(args.batch), "--mode", mode,
                            "--tmp", tmp], check=True)


if __name__ == "__main__":
    main()
