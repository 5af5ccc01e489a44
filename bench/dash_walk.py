"""Walk every page as provincial staff would, on a real `langnghe serve` in headless Chromium: on an empty database
and on the browser tests' demo database (tests/dashboard/served.py), at desk width (1366 px) and on a phone
(390 px, a phone's User-Agent). Prints, per page, the time until Streamlit finished its run (page load included),
browser console errors, requests to any host but 127.0.0.1 (aborted), words of English or raw codes in the
visible text; saves a screenshot and the page's text (var/dash_walk/<db>-<width>/<page>.png|.txt).

    PYTHONPATH=. .venv/bin/python bench/dash_walk.py [--pages topics,reports] [--dbs empty,demo] [--items 800]
    PYTHONPATH=. .venv/bin/python bench/dash_walk.py --dbs demo --apptest 3 --no-browser   # the scripts alone

Signs in as the admin (quantri), who may open every page. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.office_browser import settle  # noqa: E402 - after sys.path
from devtools.screenshots import ARGS, CHROMIUM, PHONE_AGENT, keep_local  # noqa: E402

WIDTHS = {"desk": dict(viewport={"width": 1366, "height": 900}),
          "phone": dict(viewport={"width": 390, "height": 844}, user_agent=PHONE_AGENT, is_mobile=True,
                        has_touch=True, device_scale_factor=2)}
# words staff should not meet: Streamlit's or Plotly's English, and internal codes of our vocabularies
ENGLISH = re.compile(r"\b(Choose|options?|select|No data|No results|Download|Upload|Browse|Search|None|nan|NaN|"
                     r"True|False|null|Loading|Running|Error|Page not found|Show|Hide|Press Enter|Clear|Deploy)\b")
CODES = re.compile(r"\b(negative|positive|neutral|public_order|environment|health|education|land|economy|"
                   r"infrastructure|other|press|social|forum|ctv|open|acknowledged|assigned|resolved|dismissed|"
                   r"high|medium|low|weekly|rapid|viewer|analyst|admin|rss|html|youtube)\b")


def empty_db(tmp: Path) -> Path:
    """A config on a database with the three accounts and nothing else (a new office)."""
    from orchestration.accounts import AuthService, AuthSettings
    from store.db import Database
    from tests.dashboard.served import PASSWORDS, write_config
    from vocab import config as config_mod

    cfg_path = write_config(tmp, tmp / "empty.duckdb")
    cfg = config_mod.load(cfg_path)
    with Database(tmp / "empty.duckdb") as db:
        auth = AuthService(db, AuthSettings.from_config(cfg))
        for name, role in (("chuyenvien", "analyst"), ("quantri", "admin"), ("xem", "viewer")):
            auth.create_user(name, PASSWORDS[name], role, display_name=name.title())
    return cfg_path


def walk(port: int, label: str, names: list[str], home: str, out: Path, titles: dict[str, str]) -> list[str]:
    """Every page at both widths; returns the lines to print."""
    from playwright.sync_api import sync_playwright
    from tests.dashboard.served import PASSWORDS

    base = f"127.0.0.1:{port}"
    lines: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width, opts in WIDTHS.items():
            shots = out / f"{label}-{width}"
            shots.mkdir(parents=True, exist_ok=True)
            ctx = browser.new_context(**opts)
            page = ctx.new_page()
            outside = keep_local(page, base)
            console: list[str] = []
            page.on("console", lambda m: console.append(m.text[:200]) if m.type == "error"
                    and not m.text.startswith("Failed to load resource") else None)  # the response names it
            page.on("response", lambda r: console.append(f"{r.status} {urlsplit(r.url).path}") if r.status >= 400 else None)
            page.on("pageerror", lambda e: console.append(f"pageerror: {str(e)[:200]}"))
            page.goto(f"http://{base}/", wait_until="networkidle")
            page.get_by_label("Tên đăng nhập").fill("quantri")
            page.get_by_label("Mật khẩu").fill(PASSWORDS["quantri"])
            page.get_by_role("button", name="Đăng nhập").click()
            page.get_by_text("Đăng xuất").first.wait_for(state="attached", timeout=120_000)  # a phone folds the sidebar
            settle(page)
            for name in names:
                console.clear()
                outside.clear()
                nav = ""
                if width == "desk":  # as staff go: a click in the sidebar, the app already loaded
                    t = time.perf_counter()
                    page.locator('[data-testid="stSidebarNav"]').get_by_text(titles[name], exact=True).click()
                    settle(page)
                    nav = f" (menu {time.perf_counter() - t:4.1f}s)"
                t = time.perf_counter()
                page.goto(f"http://{base}/{'' if name == home else name}", wait_until="networkidle")
                settle(page)
                took = time.perf_counter() - t
                page.wait_for_timeout(500)
                text = page.locator('[data-testid="stMain"]').inner_text()
                (shots / f"{name}.txt").write_text(text, encoding="utf-8")
                page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
                eng = sorted(set(ENGLISH.findall(text)))
                codes = sorted(set(CODES.findall(text)))
                errs = page.locator('[data-testid="stException"]').count()
                lines.append(f"{label:6} {width:6} {name:14} {took:5.1f}s{nav}"
                             + (f"  {errs} exception(s)" if errs else "")
                             + (f"  console: {console[:3]}" if console else "")
                             + (f"  outside: {outside[:3]}" if outside else "")
                             + (f"  english: {eng}" if eng else "") + (f"  codes: {codes}" if codes else ""))
                print(lines[-1], flush=True)
            ctx.close()
        browser.close()
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", default="", help="page names, comma-separated (default: all)")
    ap.add_argument("--dbs", default="empty,demo")
    ap.add_argument("--items", type=int, default=800)
    ap.add_argument("--out", default="var/dash_walk")
    ap.add_argument("--apptest", type=int, default=0,
                    help="also time each page's script alone: median of N AppTest runs, cache cleared (the browser's "
                         "figure adds the page load and the websocket)")
    ap.add_argument("--no-browser", action="store_true")
    a = ap.parse_args(argv)
    from dashboard import nav
    from tests.dashboard.served import prepare, serving

    specs = nav.discover()
    home = specs[0].name
    names = [s.name for s in specs if not a.pages or s.name in a.pages.split(",")]
    out = Path(a.out)
    with tempfile.TemporaryDirectory() as d:
        for label in a.dbs.split(","):
            tmp = Path(d) / label
            tmp.mkdir()
            cfg = empty_db(tmp) if label == "empty" else prepare(tmp, n_items=a.items)[0]
            if a.apptest:
                from bench.office_walk import time_pages
                print(f"{label}: page scripts (AppTest, median of {a.apptest}, cache cleared)", flush=True)
                time_pages(cfg, a.apptest, names)
            if not a.no_browser:
                with serving(cfg, tmp) as (_srv, port):
                    walk(port, label, names, home, out, {sp.name: sp.title for sp in specs})
    return 0


if __name__ == "__main__":
    sys.exit(main())
