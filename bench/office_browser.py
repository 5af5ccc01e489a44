"""Walk every page of a real `langnghe serve` on an office database in headless Chromium; print each page's
time until Streamlit finished its run, and save a full screen of each (var/office/shots/N/<page>.png).

    PYTHONPATH=. .venv/bin/python bench/office_browser.py --items 300000 --port 18710

The database and its config come from bench/office_walk.py (`--load-only`). Signs in as the admin
(quantri / mat-khau-office-1), opens each page by its address, waits for the run to end (the status
attribute Streamlit sets on the app, and no skeleton left), twice: the first visit fills the cache, the
second shows what a colleague sees within the cache's TTL. Nothing leaves 127.0.0.1.
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
from devtools.screenshots import ARGS, CHROMIUM, scroll_main  # noqa: E402 - after sys.path
from devtools.serve_rig import wait_http  # noqa: E402


def settle(page, timeout_ms: int = 120_000) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(300)
    page.wait_for_function(
        """() => { const a = document.querySelector('[data-testid="stApp"]');
                   const s = a && a.getAttribute('data-test-script-state');
                   return s && s !== 'running' && s !== 'rerunRequested'; }""", timeout=timeout_ms)
    page.locator('[data-testid="stSkeleton"]').first.wait_for(state="detached", timeout=timeout_ms)


def _status_mb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) // 1024
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=300_000)
    ap.add_argument("--dir", default="var/office")
    ap.add_argument("--port", type=int, default=18710)
    ap.add_argument("--pages", default="", help="page names, comma-separated (default: all)")
    a = ap.parse_args(argv)
    from dashboard import nav
    from playwright.sync_api import sync_playwright

    cfg = Path(a.dir) / f"office-{a.items}.toml"
    shots = Path(a.dir) / "shots" / str(a.items)
    shots.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    env.pop("LANGNGHE_DB", None)
    log = open(Path(a.dir) / f"serve-{a.items}.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "langnghe", "--config", str(cfg), "serve", "--port", str(a.port),
                             "--host", "127.0.0.1"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{a.port}"
    specs = nav.discover()
    home = specs[0].name  # the default page is served at "/" (its own name answers "Page not found")
    names = [s.name for s in specs if not a.pages or s.name in a.pages.split(",")]
    try:
        wait_http(f"{base}/_stcore/health", timeout=120, interval=0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(base + "/", wait_until="networkidle")
            page.get_by_label("Tên đăng nhập").fill("quantri")
            page.get_by_label("Mật khẩu").fill("mat-khau-office-1")
            page.get_by_role("button", name="Đăng nhập").click()
            page.get_by_role("button", name="Đăng xuất").wait_for(timeout=120_000)
            settle(page)
            print(f"{'page':16} {'first':>8} {'again':>8}", flush=True)
            for name in names:
                took = []
                for _ in range(2):
                    t = time.perf_counter()
                    page.goto(f"{base}/{'' if name == home else name}", wait_until="networkidle")
                    settle(page)
                    took.append(time.perf_counter() - t)
                page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
                for k in (2, 3, 4):  # Streamlit scrolls inside its main section: the screens below too
                    if not scroll_main(page, 800):
                        break
                    page.wait_for_timeout(300)
                    page.screenshot(path=str(shots / f"{name}_{k}.png"))
                errs = page.locator('[data-testid="stException"]').count()
                print(f"{name:16} {took[0]:7.1f}s {took[1]:7.1f}s" + (f"   {errs} exception(s)!" if errs else ""),
                      flush=True)
            browser.close()
        print(f"serve process: {_status_mb(proc.pid, 'VmRSS')} MB now, peak {_status_mb(proc.pid, 'VmHWM')} MB",
              flush=True)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
