"""Storing one huge batch: n items into a fresh DuckDB file through `store.items.insert_items`.

Usage: .venv/bin/python bench/batch.py [--items 100000 32000] [--chunk 0] [--tmp DIR]
       .venv/bin/python bench/batch.py --single 200 [--items 2000]
Each size runs in its own child process (so peak RSS is per size) and prints seconds, items/s and
peak RSS. Items carry a raw payload, as collected items do. `--chunk N` writes through `store.items.store_batch` in transactions of N items (0: one
transaction, as a plain `insert_items` call). Then the same batch is stored again (all duplicates).

`--single N`: N inserts of one item each, one transaction each (the collaborators' form, a one-item import, a
replay step), into a file first holding `--items` items (untimed). Prints the SQL statements one such
`insert_items` runs (counted by a cursor wrapper: every `execute` call), the median wall and CPU milliseconds of a
call, and the statements of the last call with their milliseconds; then the same for a re-sighting (a known URL).
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


def make_items(n: int, start: int = 0) -> list:
    from collectors.base import Item

    t0 = datetime(2026, 11, 22, 8, 0)
    out = []
    for i in range(start, start + n):
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


def fresh(tmp: str, name: str) -> str:
    """The path of a database file `name` in `tmp`, removed with its .wal if a run left one."""
    path = os.path.join(tmp, name)
    for p in (path, path + ".wal"):
        if os.path.exists(p):
            os.unlink(p)
    return path


def one(n: int, chunk: int, tmp: str) -> None:
    from store import items as store_items
    from store.db import Database

    items = make_items(n)
    with Database(fresh(tmp, f"bench-{n}.duckdb")) as db:
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


class Counted:
    """A cursor that counts and times the statements run through it (a DuckDB connection takes no new attribute,
    so it is wrapped, not patched)."""

    def __init__(self, cur) -> None:
        self._cur = cur
        self.statements: list[tuple[str, float]] = []

    def _timed(self, run, sql: str, *args):
        t = time.perf_counter()
        res = run(sql, *args)
        self.statements.append((" ".join(sql.split()), time.perf_counter() - t))
        return res

    def execute(self, sql: str, *args):
        return self._timed(self._cur.execute, sql, *args)

    def executemany(self, sql: str, *args):
        return self._timed(self._cur.executemany, sql, *args)

    def __getattr__(self, name: str):
        return getattr(self._cur, name)


def single(n: int, prefill: int, tmp: str) -> None:
    """`--single`: n one-item inserts, each in its own transaction, counted and timed."""
    from statistics import median

    from bench.measure import cpu
    from store import items as store_items
    from store.db import Database

    with Database(fresh(tmp, "bench-single.duckdb")) as db:
        with db.write() as cur:
            store_items.insert_items(cur, make_items(prefill))
        for label, items in (("new item", make_items(n, start=prefill)), ("re-sighting", make_items(n))):
            counts, walls, cpus = [], [], []
            for it in items:
                c0, w0 = cpu(), time.perf_counter()
                with db.write() as cur:
                    counted = Counted(cur)
                    store_items.insert_items(counted, [it])
                walls.append(time.perf_counter() - w0)
                cpus.append(cpu() - c0)
                counts.append(len(counted.statements))
            print(f"one {label}: {min(counts)}–{max(counts)} statements an insert_items call, median "
                  f"{median(walls) * 1000:.1f} ms wall, {median(cpus) * 1000:.1f} ms CPU (with the commit; "
                  f"{n} calls onto {prefill:,} items)", flush=True)
            for sql, dt in counted.statements:
                print(f"    {dt * 1000:6.2f} ms  {sql[:100]}")
    print(f"load average (other processes share these cores): {os.getloadavg()[0]:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, nargs="+", default=[32000, 100000])
    ap.add_argument("--chunk", type=int, default=0, help="items per transaction (0: one transaction)")
    ap.add_argument("--tmp", default=None, help="directory for the DuckDB files (default: a temp dir)")
    ap.add_argument("--single", type=int, metavar="N",
                    help="N one-item inserts, counted and timed, onto --items items (the first size)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    tmp = args.tmp or tempfile.mkdtemp(prefix="bench-batch-")
    if args.single:
        single(args.single, args.items[0], tmp)
        return
    if args.one:
        one(args.one, args.chunk, tmp)
        return
    for n in args.items:
        subprocess.run([sys.executable, __file__, "--one", str(n), "--chunk", str(args.chunk), "--tmp", tmp],
                       check=True)


if __name__ == "__main__":
    main()
