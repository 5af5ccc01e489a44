"""An office's year at 30k / 100k / 300k items: every page's render time, and each export's time and peak RSS.

    PYTHONPATH=. .venv/bin/python bench/office_walk.py --items 30000,100000,300000 --dir var/office
    PYTHONPATH=. .venv/bin/python bench/office_walk.py --items 300000 --dir var/office --only-pages overview,alerts
    PYTHONPATH=. .venv/bin/python bench/office_walk.py --items 300000 --dir var/office --load-only   # then serve it:
    PYTHONPATH=. .venv/bin/python -m langnghe --config var/office/office-300000.toml serve --port 18710

1. Loads var/office/office-N.duckdb unless it exists (devtools/office.py: 68 sources over 365 days, stories,
   alerts, complaint cases, watchlists and hits; deterministic for a seed and the day it is loaded), with
   three accounts (xem / chuyenvien / quantri, password `mat-khau-office-1`) and a serve config beside it
   (office-N.toml) whose sources are on 127.0.0.1 and never fetched.
2. Renders every dashboard page in AppTest as the admin, Streamlit's cache cleared before each run, and
   prints the median wall time of `--page-repeat` runs (the first, importing, run is not counted).
3. Runs the read-only CLI commands in a fresh process each (`report weekly` for the last full week, DOCX +
   XLSX, and with PDF; `report rapid` on the newest alert; `search`; `status --json`) and prints the wall
   time and the peak RSS of the Python process (os.wait4; Chromium's own memory is not in it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # AppTest outside a server warns on every cached call
PASSWORD = "mat-khau-office-1"


def load(db_path: Path, n_items: int) -> None:
    """Seed the office database once (reused when it exists) and write its serve config beside it."""
    from devtools import office
    from orchestration.accounts import AuthService, AuthSettings
    from store.db import Database

    cfg_path = db_path.with_suffix(".toml")
    cfg_path.write_text(office.config_text(str(db_path.resolve()), str(db_path.with_suffix(".snap.duckdb").resolve())),
                        encoding="utf-8")
    if db_path.exists():
        print(f"reusing {db_path}", flush=True)
        return
    t0 = time.perf_counter()
    with Database(db_path) as db:
        counts = office.seed_office(db, n_items=n_items)
        auth = AuthService(db, AuthSettings(bcrypt_rounds=4))
        for name, role in (("xem", "viewer"), ("chuyenvien", "analyst"), ("quantri", "admin")):
            auth.create_user(name, PASSWORD, role)
    print(f"loaded {db_path} in {time.perf_counter() - t0:.0f} s: {counts}", flush=True)


def time_pages(cfg_path: Path, repeat: int, only: list[str]) -> dict[str, float]:
    """Median wall ms of each page's AppTest render, cache cleared before each run."""
    import logging

    logging.disable(logging.WARNING)
    from bench.dashboard import page_run_ms
    from dashboard import nav
    from orchestration import runtime
    from store.db import Database
    from vocab import config as config_mod

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    cfg = config_mod.load(cfg_path)
    db = Database(cfg.storage.db_path)
    runtime.install(cfg, db)
    out: dict[str, float] = {}
    try:
        for spec in nav.discover():
            if only and spec.name not in only:
                continue
            ms, failed = page_run_ms(spec.name, repeat, 300)
            if failed:
                print(f"  {spec.name:16} FAILED: {failed}", flush=True)
            elif ms:
                out[spec.name] = statistics.median(ms)
                print(f"  {spec.name:16} {out[spec.name]:8.0f} ms", flush=True)
    finally:
        db.close()
    return out


def _hwm_mb(pid: int) -> float:
    """The process's own peak RSS (VmHWM; getrusage's ru_maxrss of a child keeps this bench's own peak
    across fork + exec, so it cannot be used)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_cli(cfg_path: Path, args: list[str]) -> tuple[float, float, int]:
    """(wall s, peak RSS MB of the Python process, sampled every 50 ms, exit code) of one `langnghe`
    command in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("LANGNGHE_DB", None)
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "langnghe", "--config", str(cfg_path), *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, _hwm_mb(proc.pid))
        time.sleep(0.05)
    wall = time.perf_counter() - t
    code = proc.returncode
    if code:
        print(f"    exit {code}: {proc.stderr.read().decode()[-400:] if proc.stderr else ''}", flush=True)
    return wall, peak, code


def time_exports(cfg_path: Path, out_dir: Path) -> dict[str, tuple[float, float]]:
    from reports.settings import to_local
    from store import alerts as A
    from store.db import Database, utcnow

    last_week = (to_local(utcnow()) - timedelta(days=7)).isocalendar()
    week = f"{last_week[0]}-W{last_week[1]:02d}"
    from vocab import config as config_mod

    with Database(config_mod.load(cfg_path).storage.db_path, read_only=True) as db, db.read() as cur:
        alerts = A.list_alerts(cur, None, 1)
    alert_id = str(alerts.iloc[0]["alert_id"]) if len(alerts) else "A000001"
    runs = {
        f"report weekly {week} docx,xlsx": ["report", "weekly", "--week", week, "--out", str(out_dir / "w1"),
                                            "--format", "docx,xlsx"],
        f"report weekly {week} docx,xlsx,pdf": ["report", "weekly", "--week", week, "--out", str(out_dir / "w2")],
        f"report rapid {alert_id}": ["report", "rapid", "--alert", alert_id, "--out", str(out_dir / "r")],
        "search \"bụi than\"": ["search", '"bụi than"'],
        "status --json": ["status", "--json"],
    }
    out: dict[str, tuple[float, float]] = {}
    for name, args in runs.items():
        wall, rss, _code = run_cli(cfg_path, args)
        out[name] = (wall, rss)
        print(f"  {name:40} {wall:6.1f} s   peak RSS {rss:7.0f} MB", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", default="30000,100000,300000", help="sizes, comma-separated")
    ap.add_argument("--dir", default="var/office", help="where the databases are kept and reused")
    ap.add_argument("--page-repeat", type=int, default=2)
    ap.add_argument("--only-pages", default="", help="page names, comma-separated (default: all)")
    ap.add_argument("--no-pages", action="store_true")
    ap.add_argument("--no-exports", action="store_true")
    ap.add_argument("--load-only", action="store_true")
    a = ap.parse_args(argv)
    d = Path(a.dir)
    d.mkdir(parents=True, exist_ok=True)
    for n in (int(x) for x in a.items.split(",")):
        db_path = d / f"office-{n}.duckdb"
        print(f"\n== {n:,} items ({db_path})", flush=True)
        load(db_path, n)
        if a.load_only:
            continue
        cfg_path = db_path.with_suffix(".toml")
        if not a.no_pages:
            print(f"pages (median of {a.page_repeat} AppTest runs, cache cleared):", flush=True)
            time_pages(cfg_path, a.page_repeat, [x for x in a.only_pages.split(",") if x])
        if not a.no_exports:
            print("CLI reads and exports (fresh process each):", flush=True)
            with tempfile.TemporaryDirectory(prefix="office-exports-") as tmp:
                time_exports(cfg_path, Path(tmp))
    print(f"\nmachine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
