"""What a survey's question proposal costs (orchestration.surveys.preview: read the header and a sample, propose the
questionnaire), on the Khảo sát page inside serve and in `langnghe survey import`.
Usage: PYTHONPATH=. .venv/bin/python bench/survey_propose.py [--cases demo,multi,text] [--rows 500] [--root DIR]

Cases (CSV files written to a temporary folder):
  demo   the demo questionnaire's respondents (devtools/demo_survey.py), a real form's shape
  multi  one multiple-choice column whose every answer ticks 4,000 options of its own (~95 KB a cell: hostile34's
         probe; options every answer shares cost a fifth of it)
  text   one free-text column of 20,000-character answers
Each preview runs in its own child process (`--root`: the checkout measured, default this one): seconds inside the
child, its peak RSS (os.wait4), the rows sampled and the sample's characters. Figures: docs/SCALE.md *Surveys*.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.measure import child_peak_mb  # noqa: E402

CHILD = """
import sys, time
from orchestration import surveys
from vocab.config import ImportsConfig
t = time.perf_counter()
with open(sys.argv[1], "rb") as fh:
    pv = surveys.preview(sys.argv[1], fh, ImportsConfig())
s = time.perf_counter() - t
kinds = sorted({q.kind for q in pv.questionnaire.questions})
print(f"{s:.1f} s, {len(pv.questionnaire.questions)} questions ({', '.join(kinds)})")
"""


def write_case(path: Path, case: str, rows: int) -> int:
    """The case's CSV, written row by row (this process stays small: a child's peak RSS from os.wait4 counts the
    memory it forked from)."""
    if case == "demo":
        from devtools import demo_survey as d

        path.write_bytes(d.csv_bytes(d.responses(1, n=rows)))
        return path.stat().st_size
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Dấu thời gian", "Giới tính", "Bạn quan tâm những vấn đề nào?" if case == "multi" else "Góp ý"])
        for i in range(rows):
            if case == "multi":
                cell = ", ".join(f"Ý kiến {i}-{j} phường" for j in range(4000))
            else:
                cell = ("Người dân phản ánh đường Vàng Danh bụi than ngập nước " * 400)[:20_000]
            w.writerow([f"2026-12-0{1 + i % 7} 08:00", "Nam" if i % 2 else "Nữ", cell])
    return path.stat().st_size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default="demo,multi,text")
    ap.add_argument("--rows", type=int, default=500)
    ap.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    for case in args.cases.split(","):
        path = tmp / f"{case}.csv"
        size = write_case(path, case, args.rows)
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], cwd=args.root, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONPATH": args.root})
        _, _, usage = os.wait4(proc.pid, 0)
        out = (proc.stdout.read().strip().splitlines() or ["?"])[-1] if proc.stdout else "?"
        print(f"{case:6} {args.rows} rows, {size / 1e6:.2f} MB: {out}; peak {child_peak_mb(usage):.0f} MB", flush=True)


if __name__ == "__main__":
    main()
