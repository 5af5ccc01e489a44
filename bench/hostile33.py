"""Round 30's hostile sweep (`hostile33`): time and peak RSS (os.wait4) of a child per input, for the pure-text paths
that outside words reach. docs/SECURITY.md, «Round 30 sweep (`hostile33`)».

Usage: PYTHONPATH=. .venv/bin/python bench/hostile33.py [--only NAME]
  (from a worktree measures that worktree's code; nothing is fetched, nothing written)

- `labels.md` / `no_links` (Báo cáo, Khảo sát, Phản ánh, toasts): a URL followed by 40,000 or 1,000,000 «)», 150,000
  addresses, one word of 1 MB;
- `nlp.evidence.evidence`: 1 MB of one function word with spaces, the same with none, and what the pipeline gives it
  (`classify_text`: 1,500 characters of text and a title of at most 1,000) of function words only, per item;
- `import` alone: the modules, as a baseline for the peaks.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.measure import child_peak_mb  # noqa: E402

HEAD = "import sys, time; sys.path.insert(0, '.'); from dashboard.labels import md, no_links; " \
       "from nlp.evidence import evidence; t = time.perf_counter(); "
TAIL = "; print(f'{time.perf_counter() - t:.3f}')"
CASES = {
    "baseline (imports)": "pass",
    "md: URL + 40,000 «)»": "md('https://a.vn/' + ')' * 40_000)",
    "no_links: URL + 40,000 «)»": "no_links('https://a.vn/' + ')' * 40_000)",
    "md: URL + 1,000,000 «)»": "md('https://a.vn/' + ')' * 1_000_000)",
    "md: 150,000 addresses": "md('a@b.vn ' * 150_000)",
    "md: one word of 1 MB": "md('https://' + 'a' * 1_000_000)",
    "evidence: 1 MB «của »": "evidence('của ' * 250_000)",
    "evidence: 1 MB «của» without spaces": "evidence('của' * 333_333)",
    "evidence: 1,000 items of 3,000 characters of function words": "[evidence('của ' * 750 + str(i)) for i in range(1000)]",
    "evidence: 1,000 ordinary items": "[evidence('Người dân phản ánh ngập úng kéo dài ' * 60 + str(i)) for i in range(1000)]",
}


def run(name: str, body: str) -> None:
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", HEAD + body + TAIL], cwd=ROOT, stdout=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    inner = proc.stdout.read().decode().strip() if proc.stdout else ""
    print(f"{name}: exit {os.waitstatus_to_exitcode(status)}, {inner} s in the call ({time.perf_counter() - t:.1f} s "
          f"with start-up), peak {child_peak_mb(usage):.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    for name, body in CASES.items():
        if args.only.lower() in name.lower():
            run(name, body)


if __name__ == "__main__":
    main()
