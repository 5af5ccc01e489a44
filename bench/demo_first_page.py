"""How soon `make demo` answers a staff member who opens the dashboard as soon as its address is printed.

    PYTHONPATH=. .venv/bin/python bench/demo_first_page.py [--port 18541 --feed-port 18777 --keep 32 --delay 0]

Starts `langnghe -v demo` on spare ports (its own database, var/demo.duckdb of this tree) in its own process group;
when the address is printed, waits `--delay` s, then opens it in headless Chromium (nothing leaves 127.0.0.1), waits
for the login form's run to end, signs in as demo-admin with the password the console printed and waits for the first
page's run to end (bench.office_browser.settle). Prints the seconds, keeps the demo `--keep` s from its start, then
stops it with Ctrl+C (SIGINT to its group). The console's lines go to `--out` with seconds from the start. Run it with
PYTHONDONTWRITEBYTECODE unset, as `make demo` runs (else every start compiles the modules again). docs/SCALE.md.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.office_browser import settle  # noqa: E402
from devtools.screenshots import ARGS, CHROMIUM, keep_local  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=18541)
    ap.add_argument("--feed-port", type=int, default=18777)
    ap.add_argument("--keep", type=float, default=32, help="seconds from the start before the demo is stopped")
    ap.add_argument("--delay", type=float, default=0, help="seconds after the address before the browser opens it")
    ap.add_argument("--out", default="var/demo_first_page.txt")
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    p = subprocess.Popen([sys.executable, "-m", "langnghe.cli", "-v", "demo", "--port", str(a.port),
                          "--feed-port", str(a.feed_port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, env=env, start_new_session=True)
    url_at: list[float] = []
    password: list[str] = []
    out = open(a.out, "w", encoding="utf-8")

    def reader() -> None:
        assert p.stdout is not None
        for line in p.stdout:
            ts = time.monotonic() - t0
            out.write(f"{ts:7.2f} {line}")
            out.flush()
            m = re.search(r"Tài khoản quản trị: demo-admin / Mật khẩu: (\S+)", line)
            if m:
                password.append(m.group(1))
            if "đang chạy: mở" in line and not url_at:
                url_at.append(ts)

    threading.Thread(target=reader, daemon=True).start()
    try:
        while not url_at and p.poll() is None:
            time.sleep(0.1)
        if not url_at:
            print("the demo ended before printing its address; see", a.out)
            return 1
        print(f"address printed {url_at[0]:.2f} s after the start", flush=True)
        time.sleep(a.delay)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            keep_local(page, f"127.0.0.1:{a.port}")
            opened = time.monotonic()
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{a.port}/", wait_until="domcontentloaded", timeout=5000)
                    break
                except Exception:  # the server is not listening yet
                    time.sleep(0.2)
            page.get_by_label("Tên đăng nhập").wait_for(timeout=120_000)
            settle(page)
            login = time.monotonic() - opened
            page.get_by_label("Tên đăng nhập").fill("demo-admin")
            page.get_by_label("Mật khẩu").fill(password[0])
            signed = time.monotonic()
            page.get_by_role("button", name="Đăng nhập").click()
            page.get_by_text("Đăng xuất").first.wait_for(state="attached", timeout=120_000)
            settle(page)
            first = time.monotonic() - signed
            print(f"opened {opened - t0:.2f} s after the start: login form {login:.2f} s, then the first page after "
                  f"signing in {first:.2f} s; drawn {time.monotonic() - t0:.2f} s after the start", flush=True)
            browser.close()
        while time.monotonic() < t0 + a.keep and p.poll() is None:
            time.sleep(0.5)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGINT)  # the demo's own group (start_new_session): Ctrl+C, as staff stop it
            try:
                p.wait(40)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
