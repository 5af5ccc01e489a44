"""What a year of fetch_log costs, and what the retention job's purge of it leaves (fix33).

Usage: PYTHONPATH=. .venv/bin/python bench/fetch_log_retention.py [--sources 68] [--every 15] [--days 365] [--keep 90]

Writes a year of synthetic fetches (`--sources` sources, one fetch every `--every` minutes, one in 20 an error with a
message as the collectors write them) into a new database in a temporary folder, then: the file and the blocks in use
after a CHECKPOINT; the first purge (store.retention.purge_fetch_log, cutoff `--keep` days, one statement as the
retention job runs it) timed; the blocks in use and the file after it; then one more day of fetches and the next
day's purge, timed, and the file again (DuckDB reuses freed blocks but does not shrink the file; a backup or snapshot
copies the blocks in use only). Prints the figures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from store import retention as store_retention  # noqa: E402
from store.db import Database  # noqa: E402

NOW = datetime(2026, 12, 7, 3, 0)
_FILL = """
INSERT INTO fetch_log (source, started_at, finished_at, outcome, http_status, entries_seen, items_new, skipped,
                       error_kind, error)
SELECT 'nguon-' || (n % ?)::VARCHAR,
       ?::TIMESTAMP + to_minutes(((n // ?) * ?)::BIGINT) + to_seconds((n % ?)::BIGINT),
       ?::TIMESTAMP + to_minutes(((n // ?) * ?)::BIGINT) + to_seconds((n % ? + 2)::BIGINT),
       CASE WHEN n % 20 = 7 THEN 'error' WHEN n % 3 = 0 THEN 'not_modified' ELSE 'ok' END,
       CASE WHEN n % 20 = 7 THEN 503 WHEN n % 3 = 0 THEN 304 ELSE 200 END,
       CASE WHEN n % 3 = 0 OR n % 20 = 7 THEN 0 ELSE 20 END,
       CASE WHEN n % 3 = 0 OR n % 20 = 7 THEN 0 ELSE n % 4 END,
       0,
       CASE WHEN n % 20 = 7 THEN 'http' END,
       CASE WHEN n % 20 = 7 THEN 'máy chủ trả lời 503 Service Unavailable (lần thử ' || (n % 9)::VARCHAR || ')' END
FROM range(?) t(n)
"""


def _fill(db: Database, sources: int, every: int, start: datetime, fetches: int) -> None:
    with db.write() as cur:
        cur.execute(_FILL, [sources, start, sources, every, sources, start, sources, every, sources, fetches])


def _sizes(db: Database, path: Path) -> tuple[int, float, float]:
    """(rows, MB of blocks in use, MB of the file) after a CHECKPOINT."""
    with db.write() as cur:
        cur.execute("CHECKPOINT")
        rows = cur.execute("SELECT count(*) FROM fetch_log").fetchone()[0]
        size = cur.execute("SELECT block_size, used_blocks FROM pragma_database_size()").fetchone()
    return int(rows), size[0] * size[1] / 2**20, path.stat().st_size / 2**20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=int, default=68)
    ap.add_argument("--every", type=int, default=15, help="minutes between two fetches of a source")
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--keep", type=int, default=90, help="[retention] fetch_log_days")
    a = ap.parse_args()
    per_day = a.sources * 24 * 60 // a.every
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fetch_log.duckdb"
        db = Database(path)
        empty = _sizes(db, path)
        t = time.perf_counter()
        _fill(db, a.sources, a.every, NOW - timedelta(days=a.days), per_day * a.days)
        fill_s = time.perf_counter() - t
        year = _sizes(db, path)
        print(f"empty database: {empty[1]:.1f} MB in use, file {empty[2]:.1f} MB")
        print(f"{a.days} days, {a.sources} sources every {a.every} min: {year[0]:,} rows, "
              f"{year[1] - empty[1]:.1f} MB of blocks for them ({year[1]:.1f} in use), file {year[2]:.1f} MB "
              f"(written in {fill_s:.1f} s)")
        with db.write() as cur:
            t = time.perf_counter()
            dry = store_retention.purge_fetch_log(cur, NOW - timedelta(days=a.keep), dry_run=True)
            dry_s = time.perf_counter() - t
            t = time.perf_counter()
            done = store_retention.purge_fetch_log(cur, NOW - timedelta(days=a.keep))
            first_s = time.perf_counter() - t
        after = _sizes(db, path)
        print(f"first purge (keep {a.keep} days): dry run counted {dry.rows:,} in {dry_s:.2f} s; purged {done.rows:,} "
              f"in {first_s:.2f} s; left {after[0]:,} rows, {after[1] - empty[1]:.1f} MB of blocks for them "
              f"({after[1]:.1f} in use), file {after[2]:.1f} MB")
        _fill(db, a.sources, a.every, NOW, per_day)
        with db.write() as cur:
            t = time.perf_counter()
            day = store_retention.purge_fetch_log(cur, NOW + timedelta(days=1) - timedelta(days=a.keep))
            day_s = time.perf_counter() - t
        steady = _sizes(db, path)
        print(f"next day: +{per_day:,} fetches, purged {day.rows:,} in {day_s:.2f} s; {steady[0]:,} rows, "
              f"{steady[1]:.1f} MB in use, file {steady[2]:.1f} MB")
        db.close()


if __name__ == "__main__":
    main()
