"""What a snapshot and a backup cost as the database grows: `Database.snapshot` (serve's, every
`storage.snapshot_every_minutes`; its copy holds the write lock, so collection and dashboard writes wait that long,
and the flush to the disk follows outside the lock), `store.db.backup_database` (`langnghe backup` with serve
stopped: a checkpoint and a file copy), `store.db.copy_published` (`langnghe backup` while serve runs: a plain file
copy of serve's snapshot, read through before it takes its name: `check_copy`, timed on its own too) and
`store.db.copy_database` (table by table: a source that cannot be opened for writing,
and the copy `langnghe restore` checks every block with; until round 17 also the backup while serve runs).

    .venv/bin/python bench/snapshot.py [--items 100000] [--db PATH] [--repeat 3]

`--items` synthetic items (devtools/synth.py: items, links, tags) are loaded first into a fresh file, or
`--db` names an existing one (copied first, never changed). Prints the file size, then the wall seconds of
each copy (best and worst of `--repeat`) and MB/s. Wall time on a shared machine varies with its load:
the load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable

from store.db import Database, backup_database, check_copy, copy_database, copy_published


def _timed(fn, repeat: int) -> tuple[float, float]:
    took = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        took.append(time.perf_counter() - t)
    return min(took), max(took)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, default=100_000, help="synthetic items to load into a fresh file")
    ap.add_argument("--db", help="an existing database file to measure (a copy of it)")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "langnghe.duckdb"
        if a.db:
            shutil.copyfile(a.db, src)
        else:
            from devtools.synth import seed

            with Database(src) as db:
                t = time.perf_counter()
                seed(db, n_items=a.items, n_stories=0, n_alerts=0, days=365)
                print(f"loaded {a.items:,} items in {time.perf_counter() - t:.0f} s (untimed)", flush=True)
        with Database(src) as db:
            with db.write() as cur:
                n = cur.execute("SELECT count(*) FROM items").fetchone()[0]
            db._con.execute("CHECKPOINT")
            mb = src.stat().st_size / 1e6
            print(f"{n:,} items, file {mb:,.0f} MB, load average {os.getloadavg()[0]:.1f}")
            snap = Path(tmp) / "snap.duckdb"
            lo, hi = _timed(lambda: db.snapshot(snap), a.repeat)
            print(f"Database.snapshot (copy + fsync):      {lo:6.2f}–{hi:6.2f} s  {mb / lo:5.0f} MB/s")

            def lock_only() -> None:
                with db._write_lock:
                    db._copy_to_tmp(snap)

            lo, hi = _timed(lock_only, a.repeat)
            print(f"  of which the write lock is held:     {lo:6.2f}–{hi:6.2f} s")
        dest = Path(tmp) / "backup.duckdb"
        for label, copy in (("backup_database (langnghe backup, serve stopped)", backup_database),
                            ("copy_published (langnghe backup while serve runs: the snapshot's file)", copy_published),
                            ("copy_database (table by table: a source it may not write; restore)", copy_database)):
            lo, hi = _timed(lambda: _fresh_copy(copy, src, dest), a.repeat)
            print(f"{label}: {lo:6.2f}–{hi:6.2f} s  {mb / lo:5.0f} MB/s; copy {dest.stat().st_size / 1e6:,.0f} MB, "
                  f"load average {os.getloadavg()[0]:.1f}")
        lo, hi = _timed(lambda: check_copy(src), a.repeat)
        print(f"check_copy alone (copy_published reads its copy through: every table, a hash of every value): {lo:6.2f}–{hi:6.2f} s  "
              f"{mb / lo:5.0f} MB/s")


def _fresh_copy(copy: Callable[[Path, Path], object], src: Path, dest: Path) -> None:
    """One timed copy, onto a destination removed first: every run copies to a new file."""
    dest.unlink(missing_ok=True)
    copy(src, dest)


if __name__ == "__main__":
    main()
