"""What purging old items in chunks costs, and how soon a stop ends a retention run (round 20).

Usage: PYTHONPATH=. .venv/bin/python bench/retention_stop.py [--items 200000] [--days 1460] [--chunk 5000]

Seeds `--items` synthetic items over `--days` (devtools.synth: items, links, tags, search postings, stories), so
that those older than [retention] items_days (730) are to be purged, and copies the file three times. Then, each on
its own copy: the whole purge in one transaction (store.retention.purge, as before round 20), the chunked run
(orchestration.retention.run_retention, `--chunk` items a transaction), and the chunked run with its stop event set
one second in, timing the seconds from the stop to the run's end. Prints the figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devtools import synth  # noqa: E402
from orchestration import retention  # noqa: E402
from store import retention as store_retention  # noqa: E402
from store.db import Database  # noqa: E402
from vocab import config as config_mod  # noqa: E402

NOW = datetime(2026, 12, 6, 3, 0)


def _cfg(path: Path, chunk: int) -> config_mod.Config:
    cfg = config_mod.load(None)
    return dataclasses.replace(cfg, storage=dataclasses.replace(cfg.storage, db_path=str(path)),
                               retention=dataclasses.replace(cfg.retention, chunk_items=chunk))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=200_000)
    ap.add_argument("--days", type=float, default=1460)
    ap.add_argument("--chunk", type=int, default=5000)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.duckdb"
        t = time.perf_counter()
        with Database(base) as db:
            synth.seed(db, n_items=a.items, n_stories=200, n_alerts=0, days=a.days, now=NOW)
            with db.read() as cur:
                old = store_retention.count_old_items(cur, NOW - timedelta(days=730))
        print(f"seeded {a.items:,} items over {a.days:g} days in {time.perf_counter() - t:.1f} s; "
              f"{old:,} older than 730 days")
        copies = {k: Path(tmp) / f"{k}.duckdb" for k in ("one", "chunks", "stop")}
        for p in copies.values():
            shutil.copy(base, p)

        with Database(copies["one"]) as db:
            t = time.perf_counter()
            with db.write() as cur:
                got = store_retention.purge(cur, NOW, raw_payload_days=30, items_days=730, notify_days=90)
            items = next(p.rows for p in got if p.what == "items")
            print(f"one transaction: {items:,} items purged in {time.perf_counter() - t:.2f} s")

        with Database(copies["chunks"]) as db:
            t = time.perf_counter()
            got = retention.run_retention(_cfg(copies["chunks"], a.chunk), db, now=NOW)
            items = next(p.rows for p in got if p.what == "items")
            took = time.perf_counter() - t
            print(f"chunks of {a.chunk:,}: {items:,} items purged in {took:.2f} s "
                  f"({-(-items // a.chunk)} chunks, {took / max(1, -(-items // a.chunk)):.2f} s a chunk)")

        with Database(copies["stop"]) as db:
            stop = threading.Event()
            out: list = []
            run = threading.Thread(target=lambda: out.append(
                retention.run_retention(_cfg(copies["stop"], a.chunk), db, now=NOW, stop=stop)))
            run.start()
            time.sleep(1.0)
            stop.set()
            t = time.perf_counter()
            run.join()
            waited = time.perf_counter() - t
            got = {p.what: p.rows for p in out[0]}
            print(f"stop 1 s in: the run ended {waited:.2f} s after the stop, {got.get('items', 0):,} items purged, "
                  f"{got.get(store_retention.STOPPED, 0):,} left for the next run")


if __name__ == "__main__":
    main()
