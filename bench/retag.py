"""How long an office's database takes to be re-tagged after an upgrade (a new model or pipeline stamp).

    PYTHONPATH=. .venv/bin/python bench/retag.py [--items 30000] [--batches 6]

Seeds an office database (devtools/office.py: items tagged "synthetic", so every one waits, as after an
upgrade), then runs serve's tag job (`nlp.service.scheduler_hook`: batches of `[nlp] batch_size`, newest first,
for `[nlp] tag_seconds_per_tick` each tick) for a few ticks and prints: items waiting before and after
(`langnghe status`'s count), items, seconds and CPU per tick, peak RSS, and how long the whole database would take
at the default tick. Nothing is fetched.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.measure import peak_rss_mb
from devtools.office import seed_office
from nlp import service
from nlp.version import current_stamp
from store import tags as store_tags
from store.db import Database
from vocab import config as config_mod


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=30_000)
    ap.add_argument("--batches", type=int, default=6)
    args = ap.parse_args()
    cfg = config_mod.parse(config_mod.read_toml(config_mod.DEFAULTS_PATH))
    tick = float(config_mod.section(cfg, "schedule").get("tick_seconds", 20))
    batch = int(config_mod.section(cfg, "nlp").get("batch_size", 500))
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(str(Path(tmp) / "office.duckdb"))
        seed_office(db, n_items=args.items)
        stamp = current_stamp(cfg)
        with db.read() as cur:
            waiting = store_tags.count_to_tag(cur, stamp)
        hook = service.scheduler_hook(cfg, db)
        service.get_pipeline(cfg)  # loading the models is not counted
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.batches):
            hook()
        wall, cpu = (time.perf_counter() - wall) / args.batches, (time.process_time() - cpu) / args.batches
        with db.read() as cur:
            left = store_tags.count_to_tag(cur, stamp)
        per_tick = (waiting - left) / args.batches
        db.close()
    rss = peak_rss_mb()
    print(f"stamp {stamp}; items {args.items:,}; waiting before {waiting:,}, after {args.batches} ticks {left:,}")
    print(f"per tick: {per_tick:,.0f} items (batches of {batch}), {wall:.2f} s wall, {cpu:.2f} s CPU "
          f"({1000 * cpu / max(per_tick, 1):.2f} ms per item); peak RSS {rss:.0f} MB")
    for n in (args.items, 300_000):
        ticks = -(-n // max(int(per_tick), 1))
        print(f"{n:,} items: {ticks} ticks, ≈ {ticks * max(tick, wall) / 3600:.2f} h at tick_seconds = {tick:g}")


if __name__ == "__main__":
    main()
