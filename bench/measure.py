"""How the benches read a process's CPU and peak memory, and a percentile of their timings, one definition each.

CPU: user + system seconds from getrusage, the figure docs/SCALE.md plans with (it does not move with the load of
the machine as wall time does); bench/collect.py, writer.py, fulltext_index.py and tag.py each wrote it again.
Peak RSS in MB: getrusage's ru_maxrss (KiB on Linux) of this process, or of one child from os.wait4 (round 21:
about ten benches wrote `ru_maxrss / 1024` or `// 1024` themselves)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from typing import Sequence


def cpu() -> float:
    """CPU seconds this process has used so far (user + system; a child's are not in it)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory in MB of this process (RUSAGE_CHILDREN: of its largest child waited for so far).
    getrusage's ru_maxrss is in KiB on Linux; ten benches each divided it by 1024 themselves."""
    return resource.getrusage(who).ru_maxrss / 1024


def child_cpu(usage: resource.struct_rusage) -> float:
    """One child's CPU seconds (user + system), from the rusage `os.wait4(pid, 0)` returned for it."""
    return usage.ru_utime + usage.ru_stime


def child_peak_mb(usage: resource.struct_rusage) -> float:
    """One child's own peak RSS in MB, from the rusage `os.wait4(pid, 0)` returned for it (RUSAGE_CHILDREN would
    give the largest of all the children so far)."""
    return usage.ru_maxrss / 1024


def pct(values: Sequence[float], p: float) -> float:
    """The `p`-th percentile of `values` (0–100), the nearest rank, no interpolation: bench/dashboard.py, search_ab.py
    and chart_queries_ab.py each wrote it (round 28)."""
    s = sorted(values)
    return s[max(0, min(len(s) - 1, int(round(p / 100 * (len(s) - 1)))))]


def last_line_of_child(code: str, *args: str) -> tuple[str, int]:
    """Run `python -c CODE ARGS…` (cwd and PYTHONPATH as given: the code measured) and return its last line of output
    (stdout and stderr; «exit N» when it printed nothing) and its own peak RSS in whole MB: bench/body_budget.py and
    http_bombs.py each wrote it (round 28)."""
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read().strip().splitlines() if proc.stdout else []
    return (out[-1] if out else f"exit {status}"), int(child_peak_mb(usage))
