"""Peak memory of `langnghe tag --pending --batch B` over N waiting items (round 29, `hostile32`).

    PYTHONPATH=. .venv/bin/python bench/tag_batch_rss.py 20000 default 10000

Seeds an office database once (devtools/office.py: every item tagged "synthetic", so every one waits), then for
each B runs the command in a child process on a copy and prints its exit, wall time and peak RSS (`os.wait4`).
Any B above `langnghe.commands.tag.MAX_BATCH` is refused (exit 2). Nothing is fetched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import child_peak_mb


def main() -> None:
    n, batches = int(sys.argv[1]), sys.argv[2:] or ["default"]
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "seed.duckdb"
        from devtools.office import seed_office
        from store.db import Database

        db = Database(str(seed))
        seed_office(db, n_items=n)
        db.close()
        for b in batches:
            run = Path(tmp) / "run.duckdb"
            shutil.copy(seed, run)
            env = dict(os.environ, LANGNGHE_DB=str(run), PYTHONPATH=".")
            env.pop("LANGNGHE_CONFIG", None)
            args = [sys.executable, "-m", "langnghe", "tag", "--pending"] + ([] if b == "default" else ["--batch", b])
            t = time.monotonic()
            p = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            err = p.stderr.read().decode() if p.stderr else ""
            _, status, usage = os.wait4(p.pid, 0)
            last = err.strip().splitlines()[-1][:150] if err.strip() else ""
            print(f"N={n} batch={b}: exit {os.waitstatus_to_exitcode(status)}, {time.monotonic() - t:.0f} s, "
                  f"peak RSS {child_peak_mb(usage):.0f} MB; {last}", flush=True)


if __name__ == "__main__":
    main()
