"""What the after-tagging mark (migration 176, store.tags.save_tags) costs a tagging batch on a big database.

Usage: .venv/bin/python bench/steps_mark.py [--tagged 300000] [--batch 500] [--runs 7]

Loads `--tagged` tag rows (the bulk path: no marks), then times `save_tags` of `--batch` rows, median of `--runs`:
a re-tag of tagged items (no mark written, but the check runs) and first tags of new items (marks written). Run it
on the code before and after (PYTHONPATH) to compare; the tagging of a batch itself (the model) is not included.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyarrow as pa  # noqa: E402

from store import tags  # noqa: E402
from store.db import Database  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tagged", type=int, default=300_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    n, b, now = a.tagged, a.batch, datetime(2026, 12, 1)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "b.duckdb")
        cols = {"item_id": [f"i{k:09d}" for k in range(n)], "model_version": ["m"] * n, "topics": [["x"]] * n,
                "sentiment": ["neutral"] * n, "in_area": [True] * n, "places": [[]] * n, "place_details": ["[]"] * n,
                "lang": ["vi"] * n, "no_diacritics": [False] * n, "folded": ["abc"] * n, "tagged_at": [now] * n}
        with db.write() as cur:
            tags.bulk_load_arrow(cur, pa.table(cols))
        cases = (("re-tag of tagged items", lambda r: [f"i{k:09d}" for k in range(b * r, b * (r + 1))]),
                 ("first tags of new items", lambda r: [f"n{r}-{k:06d}" for k in range(b)]))
        for label, ids_of in cases:
            times = []
            for r in range(a.runs):
                rows = [{"id": i, "model_version": "m2", "topics": ["x"], "places": []} for i in ids_of(r)]
                t = time.perf_counter()
                with db.write() as cur:
                    tags.save_tags(cur, rows, now)
                times.append(time.perf_counter() - t)
            print(f"{label}: {b} rows on {n:,} tagged, save_tags median {statistics.median(times) * 1000:.1f} ms")
        db.close()


if __name__ == "__main__":
    main()
