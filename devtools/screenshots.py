"""Screenshots of the running demo for the docs (docs/img/), in headless Chromium, nothing off 127.0.0.1.

    .venv/bin/python -m devtools.screenshots [--pages surveys,cases] [--wait-minutes 5] [--out docs/img]

Starts `langnghe demo` on free ports in a temporary folder, signs in with the demo admin the console
prints, waits (the demo releases its items over minutes: the burst alert comes ~8 minutes in, the
third complaint at +4), then opens each page by its address and saves <out>/<page>.png (full page).
`--click TEXT` clicks a tab or button with that text on every page before the shot (e.g. a tab name).
`--width 390 --height 844 --phone` looks as an Android phone does (its User-Agent, touch: the pages fit their
tables to a phone by it) and prints, per page, how far down the first table starts (docs/DASHBOARD.md
*On a phone*).
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[1]
PHONE_AGENT = ("Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/126.0.0.0 Mobile Safari/537.36")
# px from the top of Streamlit's main section (which scrolls, not the page) to the first table, or null
FIRST_TABLE = """() => { const m = document.querySelector('[data-testid="stMain"]');
  const e = m && m.querySelector('[data-testid="stDataFrame"]'); if (!e) return null;
  return Math.round(e.getBoundingClientRect().top - m.getBoundingClientRect().top + m.scrollTop); }"""


def keep_local(page, origin: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Abort every request of `page` to a host other than `origin` ("127.0.0.1:PORT"; data: and blob: stay) and
    return the list the aborted addresses are added to. One guard for the walks and the local-only test: nothing
    leaves the machine, and a request that tries is named."""
    outside: list[str] = []

    def guard(route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).netloc == origin:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", guard)
    return outside


def scroll_main(page, pixels: int) -> bool:  # type: ignore[no-untyped-def]
    """Scroll Streamlit's main section (the page itself does not scroll) by `pixels`; False at its end."""
    return page.evaluate(
        """(px) => { const m = document.querySelector('[data-testid="stMain"]');
                     if (!m) return false; const before = m.scrollTop;
                     m.scrollBy(0, px); return m.scrollTop > before; }""", pixels)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_demo(cwd: Path, port: int, feed_port: int) -> tuple[subprocess.Popen, list[str]]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1",  # this tree first: a relative PYTHONPATH names nothing in cwd
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    env.pop("LANGNGHE_DB", None)
    proc = subprocess.Popen([sys.executable, "-m", "langnghe.cli", "demo", "--port", str(port), "--feed-port",
                             str(feed_port)], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, bufsize=1)
    lines: list[str] = []
    threading.Thread(target=lambda: [lines.append(x) for x in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
    return proc, lines


def credentials(output: str, user: str = "demo-admin") -> tuple[str, str]:
    for m in re.finditer(r"[Tt]ài khoản[^:\n]*:\s*(\S+)\s*/\s*[Mm]ật khẩu[^:\n]*:\s*(\S+)", output):
        if m.group(1) == user:
            return m.group(1), m.group(2)
    raise RuntimeError(f"the demo printed no account {user}:\n{output[-2000:]}")


def login(page, user: str, password: str) -> None:  # type: ignore[no-untyped-def]
    for attempt in range(3):  # a loaded machine may need a reload before Streamlit draws the form
        for _ in range(120):
            if page.locator("input[type=password]").count():
                break
            page.wait_for_timeout(500)
        if page.locator("input[type=password]").count():
            break
        page.reload(wait_until="networkidle")
    page.locator("input[type=text]").first.fill(user)
    page.locator("input[type=password]").first.fill(password)
    page.get_by_role("button").filter(has_text=re.compile("Đăng nhập")).first.click()
    # attached, not visible: at a phone's width Streamlit opens with the sidebar (and its «Đăng xuất») collapsed
    page.get_by_text("Đăng xuất").first.wait_for(state="attached", timeout=60_000)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", default="surveys,cases")
    ap.add_argument("--wait-minutes", type=float, default=5.0)
    ap.add_argument("--out", default=str(ROOT / "docs" / "img"))
    ap.add_argument("--click", action="append", default=[])
    ap.add_argument("--width", type=int, default=1366)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--phone", action="store_true", help="a phone's User-Agent and touch")
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from devtools.serve_rig import wait_http

    port, feed_port = free_port(), free_port()
    proc, lines = start_demo(Path(tempfile.mkdtemp(prefix="langnghe-shots-")), port, feed_port)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and "demo-admin" not in "".join(lines):
            time.sleep(0.5)
        user, password = credentials("".join(lines))
        wait_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=120)  # the accounts print before it listens
        time.sleep(a.wait_minutes * 60)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            phone = {"user_agent": PHONE_AGENT, "is_mobile": True, "has_touch": True} if a.phone else {}
            page = browser.new_context(viewport={"width": a.width, "height": a.height}, **phone).new_page()
            page.goto(f"http://127.0.0.1:{port}/", wait_until="networkidle")
            login(page, user, password)
            for name in a.pages.split(","):
                page.goto(f"http://127.0.0.1:{port}/{name}", wait_until="networkidle")
                page.wait_for_timeout(4000)
                for text in a.click:
                    loc = page.get_by_text(text, exact=True)
                    if loc.count():
                        loc.first.click()
                        page.wait_for_timeout(2500)
                path = out / f"{name}.png"
                page.screenshot(path=str(path), full_page=True)
                print(path, f"first table at {page.evaluate(FIRST_TABLE)} px")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
