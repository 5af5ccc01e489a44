"""Survey import at scale: N respondents (default 100,000) of the demo questionnaire, CSV and XLSX.
Usage: .venv/bin/python bench/survey_import.py [--rows 100000] [--formats csv,xlsx] [--tag]
Each import runs in its own child process on a fresh DuckDB file; prints seconds, respondents/s and the
child's peak RSS (os.wait4). Free-text tagging is off unless --tag (the figure is the import itself).
Rows are the demo generator's (devtools/demo_survey.py), repeated with new seeds.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.measure import child_peak_mb  # noqa: E402


def write_file(path: Path, rows: int, fmt: str) -> None:
    from devtools import demo_survey as d

    out: list[dict] = []
    seed = 0
    while len(out) < rows:
        out += d.responses(1, n=min(4000, rows - len(out)), seed=seed)
        seed += 1
    path.write_bytes(d.csv_bytes(out) if fmt == "csv" else d.xlsx_bytes(out))


def child(path: str, tag: bool) -> None:
    from orchestration import surveys as importer
    from store.db import Database, utcnow
    from tests.conftest import make_config

    tmp = Path(tempfile.mkdtemp())
    cfg = make_config(tmp)
    db = Database(cfg.storage.db_path)
    t = time.perf_counter()
    with open(path, "rb") as f:
        q = importer.preview(path, f, cfg.imports).questionnaire
        res = importer.import_survey(db, cfg, path, f, q, title="bench", username="bench", now=utcnow(), tag=tag)
    dt = time.perf_counter() - t
    print(f"  {res.respondents:,} phiếu, {res.answers:,} câu trả lời trong {dt:.1f} s ({res.respondents / dt:,.0f} phiếu/s)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--formats", default="csv,xlsx")
    ap.add_argument("--tag", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child, a.tag)
        return
    tmp = Path(tempfile.mkdtemp())
    for fmt in a.formats.split(","):
        p = tmp / f"survey.{fmt}"
        write_file(p, a.rows, fmt)
        print(f"{fmt}: {a.rows:,} dòng, tệp {p.stat().st_size / 1e6:.1f} MB")
        pid = os.fork()
        if pid == 0:
            os.execv(sys.executable, [sys.executable, __file__, "--child", str(p)] + (["--tag"] if a.tag else []))
        _, status, ru = os.wait4(pid, 0)
        print(f"  peak RSS {child_peak_mb(ru):.0f} MB, exit {os.waitstatus_to_exitcode(status)}")


if __name__ == "__main__":
    main()
