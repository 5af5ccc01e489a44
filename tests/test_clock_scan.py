"""Functions that take `now` use it: scripts/clock_scan.py finds none reading the wall clock beside it
(the notify bug's class; docs/ARCHITECTURE.md, Conventions: the clock)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCAN = str(ROOT / "scripts" / "clock_scan.py")


def test_no_function_reads_the_wall_clock_beside_its_now():
    res = subprocess.run([sys.executable, SCAN], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr


def test_the_scan_catches_a_pass_scheduled_by_the_wall_clock(tmp_path):
    """The notify bug's shape is caught; the fallbacks and a marked call are not (the scan is not vacuous)."""
    (tmp_path / "orchestration").mkdir()
    (tmp_path / "orchestration" / "x.py").write_text(
        "from datetime import timedelta\n"
        "from store.db import utcnow\n"
        "def deliver(db, now=None):\n"
        "    now = now or utcnow()\n"
        "    return now, utcnow() + timedelta(seconds=60)\n"
        "def finish(now):\n"
        "    # wall clock: the run's real end\n"
        "    return now, utcnow()\n", encoding="utf-8")
    res = subprocess.run([sys.executable, SCAN, "--root", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert res.returncode == 1
    assert res.stdout.splitlines() == ["orchestration/x.py:5: deliver(now) reads the wall clock: utcnow()"]
