"""Chart queries, old against new, interleaved so both see the same machine load (2 shared cores): the
Tổng quan and Chủ đề charts now count effective tags (staff corrections over the model's) so that a click
opens exactly their items on Tin bài; this measures what that costs.

    git show 6617790:store/dashboard.py > /tmp/old_dashboard.py
    .venv/bin/python bench/chart_queries_ab.py --db var/bench-dashboard.duckdb --old /tmp/old_dashboard.py

`--db` is a database loaded by bench/dashboard.py (--db ...). Prints wall p50/p95 and median CPU per query
and version, and the load average.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.measure import pct  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--old", required=True, help="an earlier store/dashboard.py")
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()

    from store import dashboard as new
    from store.db import Database, utcnow

    spec = importlib.util.spec_from_file_location("old_dashboard", args.old)
    old = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(old)  # type: ignore[union-attr]
    with Database(Path(args.db)) as db:
        with db.read() as cur:
            now = cur.execute("SELECT max(published_at) FROM items").fetchone()[0]
        now = now or utcnow()
        d = {k: now - timedelta(days=k) for k in (7, 14, 90, 180)}
        queries = {
            "sentiment_share_7d": lambda m, cur: m.sentiment_share(cur, d[7]),
            "topics_over_time_14d": lambda m, cur: m.topics_over_time(cur, d[14], "day", 7),
            "topic_trends_7d": lambda m, cur: m.topic_trends(cur, d[14], d[7], now),
            "topic_trends_90d": lambda m, cur: m.topic_trends(cur, d[180], d[90], now),
            # the map and unit table (effective places since r5-map: git show 0715ecb:store/dashboard.py)
            "place_trends_7d": lambda m, cur: m.place_trends(cur, d[14], d[7], now),
            "place_trends_90d": lambda m, cur: m.place_trends(cur, d[180], d[90], now),
        }
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.repeat):
            for name, fn in queries.items():
                for label, mod in (("old", old), ("new", new)):
                    with db.read() as cur:
                        w0, c0 = time.perf_counter(), time.process_time()
                        fn(mod, cur)
                        times.setdefault((name, label), []).append(
                            ((time.perf_counter() - w0) * 1000, (time.process_time() - c0) * 1000))
    print(f"load average {os.getloadavg()[0]:.1f}; {args.repeat} runs each")
    print(f"{'query':24} {'old p50/p95 ms':>16} {'old CPU':>8} {'new p50/p95 ms':>16} {'new CPU':>8}")
    for name in queries:
        row = [name]
        for label in ("old", "new"):
            w = [t[0] for t in times[(name, label)]]
            c = [t[1] for t in times[(name, label)]]
            row += [f"{pct(w, 50):.0f} / {pct(w, 95):.0f}", f"{statistics.median(c):.0f}"]
        print(f"{row[0]:24} {row[1]:>16} {row[2]:>8} {row[3]:>16} {row[4]:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
