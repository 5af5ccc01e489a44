"""bench/measure.py is where a bench reads its peak memory (round 21): about ten benches divided ru_maxrss by 1024
themselves, with `/` or `//`, one (stories.py) with a helper of its own. One definition, its unit checked here
against the kernel's own figure."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bench.measure import child_peak_mb, peak_rss_mb

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_no_bench_reads_ru_maxrss_but_measure():
    code = re.compile(r"\.ru_maxrss\b")
    found = [p.name for p in sorted(BENCH.glob("*.py")) if p.name != "measure.py" and code.search(p.read_text("utf-8"))]
    assert found == []


def test_peak_rss_is_in_megabytes():
    """The kernel's VmHWM (kB) is the same peak as ru_maxrss (KiB): the helper must say it in MB, not KB or bytes."""
    hwm_kb = next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
                  if line.startswith("VmHWM:"))
    assert abs(peak_rss_mb() - hwm_kb / 1024) < 64


def test_a_childs_own_peak_from_wait4():
    """At least the 64 MB the child holds, in MB: a KB reading of it would be ≥ 65,536. No tighter bound above:
    Linux counts into a child's ru_maxrss the parent's RSS at the fork (1,172 MB under a pytest-xdist worker)."""
    proc = subprocess.Popen([sys.executable, "-c", "b = bytearray(64 << 20)"])
    _, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0 and 64 <= child_peak_mb(usage) < 32_000


def test_one_percentile_for_the_benches():
    """bench/dashboard.py, search_ab.py and chart_queries_ab.py each wrote the same nearest-rank percentile (round 28:
    bench/measure.pct)."""
    from bench.measure import pct

    own = re.compile(r"^def (pct|percentile)\(", re.M)
    assert [p.name for p in sorted(BENCH.glob("*.py")) if p.name != "measure.py" and own.search(p.read_text("utf-8"))] == []
    assert (pct([5, 1, 3, 2, 4], 50), pct([5, 1, 3, 2, 4], 95), pct([7.0], 95)) == (3, 5, 7.0)
