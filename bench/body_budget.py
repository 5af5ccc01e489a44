"""Peak memory of 16 fetches in flight at once, each near the body cap (collectors/budget.py, `http.max_bodies_mb`).

Usage: .venv/bin/python bench/body_budget.py [--mb 19] [--fetches 16]
  (PYTHONPATH=. from a worktree measures that worktree's code)

Serves from 127.0.0.1 in this process one answer of --mb MB, plain (Content-Length declared) and gzip (its
decoded size known only while reading), and fetches it --fetches times at once in a child process with the
shipped [http] settings (127.0.0.1 allowed, no per-host spacing): once with `max_bodies_mb` so large that it
never binds (the body cap alone, as before the budget), once with the shipped value. Prints the child's peak
RSS (os.wait4), how many fetches succeeded, and the failures' kinds.
"""

from __future__ import annotations

import argparse
import os
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.measure import last_line_of_child  # noqa: E402
from devtools.coded_server import serve_coded  # noqa: E402

MB = 1 << 20

CHILD = r"""
import asyncio, collections, sys
from dataclasses import replace
from collectors.http import Fetcher
from vocab import config
cfg = replace(config.load().http, allow_private_hosts=("127.0.0.1",), per_host_spacing_seconds=0.0,
              fetch_deadline_seconds=120.0)
if sys.argv[3] != "shipped":
    cfg = replace(cfg, max_bodies_mb=float(sys.argv[3]))
async def go():
    async with Fetcher(cfg) as f:
        async def one():
            r = await f.get(sys.argv[1])
            return len(r.body)
        res = await asyncio.gather(*(one() for _ in range(int(sys.argv[2]))), return_exceptions=True)
    kinds = collections.Counter(getattr(r, "kind", type(r).__name__) for r in res if isinstance(r, BaseException))
    print(f"{sum(isinstance(r, int) for r in res)} ok; {dict(kinds) or 'no failure'}; budget {cfg.max_bodies_mb:g} MB")
asyncio.run(go())
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=19, help="decoded size of each answer, MB (under max_body_mb)")
    ap.add_argument("--fetches", type=int, default=16, help="fetches at once (http.max_concurrency)")
    args = ap.parse_args()
    body = os.urandom(256) * (args.mb * MB // 256)
    answers: dict[str, tuple[bytes, str]] = {"/plain": (body, "")}
    c = zlib.compressobj(6, zlib.DEFLATED, 31)
    answers["/gzip"] = (c.compress(body) + c.flush(), "gzip")
    httpd = serve_coded(answers, "application/rss+xml")
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    print(f"{args.fetches} fetches at once of {args.mb} MB each")
    print(f"{'answer':<7} {'max_bodies_mb':>13}  {'peak RSS':>9}  outcome")
    for path in answers:
        for budget in ("100000", "shipped"):
            outcome, rss = last_line_of_child(CHILD, base + path, str(args.fetches), budget)
            print(f"{path[1:]:<7} {budget:>13}  {rss:>6} MB  {outcome[:110]}")
    httpd.shutdown()


if __name__ == "__main__":
    main()
