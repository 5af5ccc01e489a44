"""Weekly report speed and memory for a week with 50,000 items.

Usage: .venv/bin/python bench/report.py [--items 50000] [--in-area-share 0.5] [--prev-ratio 0.8] [--db PATH]
                                        [--no-charts] [--formats docx,xlsx,pdf]
       .venv/bin/python bench/report.py --sizes 0,1,5000 [--formats …]   # one line per week size

1. Seeds a database (unless --db names one that exists) through the owning parts' store functions
   (devtools/sample_reports.py): ITEMS items in ISO week 2026-W47, PREV_RATIO × as many in the week
   before, NLP tags, stories and alerts with their handling.
2. Generates the weekly report (DOCX, XLSX, PDF with charts) in a fresh process, so the figures are the
   report's alone: wall time per phase, CPU time, peak RSS of the Python process, and the peak memory of
   the whole process tree including the Chromium processes (PSS, sampled).

With --sizes, the same for each week size in turn (0 = a new empty database; 1 = one item and nothing the week
before; more = ITEMS items with 40 stories and 12 alerts), one line each: the edges a small office meets (an empty
week, a week with one item) next to a busy one, so their time, memory and file sizes can be compared.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.measure import peak_rss_mb  # noqa: E402
WEEK = "2026-W47"


def measure(db_path: str, out: str, charts: bool, formats: list[str]) -> None:
    """Runs in the child process: one weekly report, figures as JSON on stdout."""
    t0 = time.perf_counter()
    from datetime import datetime

    from vocab import config as C
    from reports import weekly_report
    from reports.settings import ReportSettings
    from store.db import Database

    t_import = time.perf_counter() - t0
    db = Database(db_path, read_only=True)
    s = ReportSettings.from_config(C.load(), charts=charts)
    t1, c1 = time.perf_counter(), time.process_time()
    res = weekly_report(db, s, WEEK, out, now=datetime(2026, 11, 30), formats=formats)
    wall, py_cpu = time.perf_counter() - t1, time.process_time() - c1
    sizes = {k: Path(p).stat().st_size for k, p in res.files.items()}
    pages = None
    if "pdf" in res.files:
        try:
            info = subprocess.run(["pdfinfo", str(res.files["pdf"])], capture_output=True, text=True).stdout
            pages = int(next(x.split()[-1] for x in info.splitlines() if x.startswith("Pages:")))
        except (OSError, StopIteration, ValueError):
            pass
    print(json.dumps({
        "import_s": round(t_import, 2), "report_s": round(wall, 2), "py_cpu_s": round(py_cpu, 2),
        "phases": {k: round(v, 2) for k, v in res.timings.items()},
        "rss_mb": round(peak_rss_mb(), 1),
        "appendix_rows": res.n_items, "sizes": sizes, "pdf_pages": pages, "errors": res.errors,
    }))


def _tree(pid: int) -> list[int]:
    """pid and all its descendants (from /proc/<pid>/task/*/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo.extend(int(x) for x in (task / "children").read_text().split())
            except OSError:
                pass
    return out


def _pss_mb(pids: list[int]) -> float:
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            pass
    return total / 1024


def _cpu_s(pid: int) -> float:
    """utime + stime of one process, in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def run_sampled(cmd: list[str]) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run `cmd`, sampling its whole process tree every 50 ms: peak PSS (MB) and CPU seconds (the sum over
    processes of the last CPU time seen, so a process's final 50 ms may be missed)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    cpu: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            pids = _tree(proc.pid)
            peak = max(peak, _pss_mb(pids))
            for p in pids:
                cpu[p] = max(cpu.get(p, 0.0), _cpu_s(p))
            done.wait(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, err = proc.communicate()
    done.set()
    th.join()
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err), peak, sum(cpu.values())


def seed(db_path: str, items: int, prev_ratio: float, in_area_share: float) -> str:
    """Seed `db_path` with a week of `items` items (none: an empty database); a line saying what was seeded."""
    from devtools.sample_reports import seed_week
    from store.db import Database

    t = time.perf_counter()
    db = Database(db_path)
    if items == 0:
        db.close()
        return "an empty database"
    small = items < 40
    info = seed_week(db, WEEK, n_items=items, prev_ratio=0.0 if items == 1 else prev_ratio,
                     in_area_share=1.0 if small else in_area_share, n_stories=0 if small else 40,
                     n_alerts=0 if small else 12)
    db.close()
    return (f"seeded {info['n_now']:,} items in {WEEK} and {info['n_prev']:,} the week before, "
            f"{len(info['stories'])} stories, {len(info['alerts'])} alerts in {time.perf_counter() - t:.1f} s")


def sizes(args: argparse.Namespace, formats: list[str]) -> int:
    """--sizes: one fresh database and one report per size, a line of figures each."""
    print(f"{'items':>7} {'appendix':>8} {'report s':>8} {'CPU s':>6} {'RSS MB':>7} {'tree MB':>8} {'PDF pp':>6}  files")
    for n in [int(x) for x in args.sizes.split(",") if x.strip()]:
        tmp = tempfile.mkdtemp(prefix=f"langnghe-bench-report-{n}-")
        db_path = os.path.join(tmp, "bench.duckdb")
        seed(db_path, n, args.prev_ratio, args.in_area_share)
        cmd = [sys.executable, __file__, "--measure", db_path, os.path.join(tmp, "out"), "--formats", ",".join(formats)]
        if args.no_charts:
            cmd.append("--no-charts")
        proc, tree_peak, tree_cpu = run_sampled(cmd)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        files = ", ".join(f"{k} {v / 1e3:,.0f} kB" for k, v in r["sizes"].items())
        print(f"{n:>7,} {r['appendix_rows']:>8,} {r['report_s']:>8.2f} {tree_cpu:>6.1f} {r['rss_mb']:>7.0f} "
              f"{tree_peak:>8.0f} {str(r['pdf_pages'] or '-'):>6}  {files}" + (f"  errors: {r['errors']}" if r["errors"] else ""),
              flush=True)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=50_000)
    ap.add_argument("--in-area-share", type=float, default=0.5)
    ap.add_argument("--prev-ratio", type=float, default=0.8)
    ap.add_argument("--db", help="database to use (seeded when it does not exist)")
    ap.add_argument("--no-charts", action="store_true")
    ap.add_argument("--formats", default="docx,xlsx,pdf")
    ap.add_argument("--sizes", help="week sizes to compare, e.g. 0,1,5000 (each in a fresh database)")
    ap.add_argument("--measure", nargs=2, metavar=("DB", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    formats = [f for f in args.formats.split(",") if f]
    if args.measure:
        measure(args.measure[0], args.measure[1], not args.no_charts, formats)
        return 0
    if args.sizes:
        return sizes(args, formats)

    tmp = tempfile.mkdtemp(prefix="langnghe-bench-report-")
    db_path = args.db or os.path.join(tmp, "bench.duckdb")
    if not os.path.exists(db_path):
        print(seed(db_path, args.items, args.prev_ratio, args.in_area_share))
    out = os.path.join(tmp, "out")
    load0 = os.getloadavg()[0]
    cmd = [sys.executable, __file__, "--measure", db_path, out, "--formats", ",".join(formats)]
    if args.no_charts:
        cmd.append("--no-charts")
    t = time.perf_counter()
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc, tree_peak, tree_cpu = run_sampled(cmd)
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = time.perf_counter() - t
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        return proc.returncode
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"weekly report {WEEK}: {r['appendix_rows']:,} items in the appendix, PDF {r['pdf_pages']} pages")
    print(f"  report time:   {r['report_s']:.2f} s  (process incl. imports {total:.2f} s; imports {r['import_s']:.2f} s)")
    print("  phases:        " + ", ".join(f"{k} {v:.2f} s" for k, v in r["phases"].items()))
    print(f"  CPU time:      {max(cpu, tree_cpu):.1f} s (user + system of the process and its browsers: "
          f"{tree_cpu:.1f} s sampled over the process tree, {cpu:.1f} s reaped; the report's Python thread(s) "
          f"{r['py_cpu_s']:.1f} s, the rest is imports and the PDF browser); "
          f"load average before the run {load0:.1f} on {os.cpu_count()} cores")
    print(f"  peak RSS:      {r['rss_mb']:.0f} MB (the Python process); whole process tree with the browsers "
          f"{tree_peak:.0f} MB at its peak (PSS, sampled every 50 ms)")
    print("  files:         " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in r["sizes"].items()))
    if r["errors"]:
        print("  errors:        " + " | ".join(r["errors"]))
    print(f"  output in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
