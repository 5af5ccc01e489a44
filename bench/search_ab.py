"""Search speed, old against new, interleaved so both see the same machine load (2 shared cores).

    .venv/bin/python bench/search_ab.py --db /tmp/search-bench-1m.duckdb --old /tmp/oldsearch.py --repeat 15

`--db` is a database loaded by bench/dashboard.py (--db ...); `--old` a copy of an earlier
store/search.py (e.g. `git show COMMIT:store/search.py > /tmp/oldsearch.py`), run against `--old-db`
when its index has another schema (a copy of the database from before a search migration; both are
opened read-only, so neither is migrated). Each round runs every query once with each version, in
turn; prints wall p50/p95 and CPU p50/p95 per query and version, and the load average (other jobs on
the machine inflate wall times much more than CPU times).

Issue 14 (doc numbers, migration 160), before → after:

    git show 6617790:store/search.py > /tmp/mainsearch.py
    cp /tmp/search-bench-1m.duckdb /tmp/s1m/orig.duckdb   # the old schema, kept for --old-db
    .venv/bin/python bench/search_ab.py --db /tmp/search-bench-1m.duckdb --old /tmp/mainsearch.py \
        --old-db /tmp/s1m/orig.duckdb --repeat 20
"""

from __future__ import annotations

import argparse
import os
import importlib.util
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.measure import pct  # noqa: E402

QUERIES = {
    "one_word_all": ("than", {}),
    "one_word_7d": ("than", {"days": 7}),
    "boolean_3_terms_all": ('"bụi than" OR "ô nhiễm" -"Cẩm Phả"', {}),
    "boolean_3_terms_7d": ('"bụi than" OR "ô nhiễm" -"Cẩm Phả"', {"days": 7}),
    "plain_words_newest_30d": ("o nhiem uong bi", {"days": 30, "order": "newest"}),
    # round 15: a place name typed with marks first asks item_tags.place_reads (store.search._read_docs)
    "place_name_all": ("Uông Bí ô nhiễm", {}),
    "place_phrase_30d": ('"phường Vàng Danh" OR "Uông Bí"', {"days": 30}),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--old", help="an earlier store/search.py to compare with")
    ap.add_argument("--old-db", help="the database the old version reads (default: --db)")
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    from store import search as new
    from store.db import Database, utcnow

    versions = {"new": new}
    if args.old:
        spec = importlib.util.spec_from_file_location("oldsearch", args.old)
        old = importlib.util.module_from_spec(spec)
        sys.modules["oldsearch"] = old
        spec.loader.exec_module(old)  # type: ignore[union-attr]
        versions = {"old": old, "new": new}
    now = utcnow()
    ms: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}  # CPU of this process (all DuckDB threads): less load-bound
    dbs = {v: Database(Path(args.old_db if v == "old" and args.old_db else args.db), read_only=True)
           for v in versions}
    try:
        for r in range(args.repeat + 1):
            for name, (q, kw) in QUERIES.items():
                kw = dict(kw)
                days = kw.pop("days", None)
                since = now - timedelta(days=days) if days else None
                for v, mod in versions.items():
                    with dbs[v].read() as cur:
                        t, c = time.perf_counter(), time.process_time()
                        res = mod.search(cur, q, since=since, limit=500, **kw)
                        took, cpu_ms = (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000
                    if r:  # the first round warms the buffer
                        ms.setdefault((name, v), []).append(took)
                        cpu.setdefault((name, v), []).append(cpu_ms)
                    else:
                        print(f"  {name} ({v}): {res.total:,} matches", flush=True)
    finally:
        for d in dbs.values():
            d.close()
    print(f"\nms, {args.repeat} runs each: wall p50/p95, CPU p50/p95 (all threads)\n{'query':28}"
          + "".join(f"{v + ' wall50':>12}{v + ' wall95':>12}{v + ' cpu50':>11}{v + ' cpu95':>11}" for v in versions))
    for name in QUERIES:
        print(f"{name:28}" + "".join(
            f"{statistics.median(ms[(name, v)]):12.0f}{pct(ms[(name, v)], 95):12.0f}"
            f"{statistics.median(cpu[(name, v)]):11.0f}{pct(cpu[(name, v)], 95):11.0f}" for v in versions))
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
