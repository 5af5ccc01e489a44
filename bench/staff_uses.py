"""The three ways staff use the dashboard, walked on a real `langnghe serve` in headless Chromium (dash6), on the
browser tests' demo database: they **watch it live** (Tổng quan left open past its refresh, a switch and a folded
table changed first: do they survive the refresh?), they **review alerts before the briefing** (Trước giao ban as an
analyst: the reasons, the printed A4 copy, «Đánh dấu đã giao ban»), and they **export** (Báo cáo: the weekly report
generated and its DOCX downloaded; a rapid report from Cảnh báo). Desk width (1366 px) or a phone (390 px). Prints
each step's time, console errors, requests off 127.0.0.1 (aborted), and what went wrong; screenshots in --out.

    PYTHONPATH=. .venv/bin/python bench/staff_uses.py [--width desk|phone] [--items 800] [--out var/staff_uses]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.dash_walk import WIDTHS  # noqa: E402 - after sys.path
from bench.office_browser import settle  # noqa: E402
from devtools.screenshots import ARGS, CHROMIUM, keep_local  # noqa: E402


class Walk:
    """One signed-in page and what it logged."""

    def __init__(self, page, base: str, out: Path) -> None:  # type: ignore[no-untyped-def]
        self.page, self.base, self.out = page, base, out
        self.console: list[str] = []
        self.outside = keep_local(page, base)
        page.on("console", lambda m: self.console.append(m.text[:200]) if m.type == "error"
                and not m.text.startswith("Failed to load resource") else None)
        page.on("response", lambda r: self.console.append(f"{r.status} {urlsplit(r.url).path}")
                if r.status >= 400 else None)
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {str(e)[:200]}"))
        self.findings: list[str] = []

    def step(self, name: str, t0: float) -> None:
        self.page.screenshot(path=str(self.out / f"{name}.png"))
        print(f"{name:28} {time.perf_counter() - t0:5.1f}s"
              + (f"  console: {self.console[:3]}" if self.console else "")
              + (f"  outside: {self.outside[:3]}" if self.outside else ""), flush=True)
        self.console.clear()
        self.outside.clear()

    def check(self, ok: bool, what: str) -> None:
        if not ok:
            self.findings.append(what)
            print(f"  !! {what}", flush=True)

    def menu(self, title: str) -> None:
        nav = self.page.locator('[data-testid="stSidebarNav"]')
        if not nav.is_visible():  # a phone folds the sidebar
            self.page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button'
                              ).first.click()
        nav.get_by_text(title, exact=True).click()
        settle(self.page)


def sign_in(page, base: str, user: str) -> None:  # type: ignore[no-untyped-def]
    from tests.dashboard.served import PASSWORDS

    page.goto(f"http://{base}/", wait_until="networkidle")
    page.get_by_label("Tên đăng nhập").fill(user)
    page.get_by_label("Mật khẩu").fill(PASSWORDS[user])
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Đăng xuất").first.wait_for(state="attached", timeout=120_000)
    settle(page)


def watch_live(w: Walk, refresh_s: float) -> None:
    """Tổng quan left open: unfold the chart's table and turn the «Chỉ tin về địa bàn» switch off, then wait past
    the live panel's refresh: both should stay as staff left them, and the panel should not blank."""
    p = w.page
    t = time.perf_counter()
    w.menu("Tổng quan")
    w.step("live-open", t)
    table = p.get_by_text("Số liệu của biểu đồ (bảng)").first
    if table.count():
        table.click()
    switch = p.get_by_text("Chỉ tin về địa bàn theo dõi").first
    switch.click()
    settle(p)
    t = time.perf_counter()
    p.wait_for_timeout(int((refresh_s + 5) * 1000))
    settle(p)
    w.step("live-after-refresh", t)
    checked = p.locator('[data-testid="stCheckbox"] input, [role="switch"]').first
    w.check(not checked.is_checked(), "Tổng quan: the switch went back on at the live refresh")
    w.check(p.get_by_text("Tin theo chủ đề").count() > 0, "Tổng quan: the topic chart is gone after the refresh")
    if table.count():
        w.check(p.locator('[data-testid="stExpander"] details[open]').count() > 0,
                "Tổng quan: the chart's table folded again at the live refresh")


def review(w: Walk, out: Path) -> None:
    """Trước giao ban as an analyst: each alert's reason is on the screen and on paper; mark the briefing held."""
    import subprocess

    p = w.page
    t = time.perf_counter()
    w.menu("Trước giao ban")
    p.get_by_text("III. Tin tiêu cực đáng chú ý").wait_for(timeout=60_000)
    w.step("review-open", t)
    t = time.perf_counter()
    p.emulate_media(media="print")
    pdf = out / "briefing.pdf"
    p.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    p.emulate_media(media="screen")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    print(f"  printed: {text.count('Vì sao:')} «Vì sao» lines, "
          f"{next((ln.split()[-1] for ln in pages.splitlines() if ln.startswith('Pages:')), '?')} A4 pages", flush=True)
    w.check(text.count("Vì sao:") > 0, "Trước giao ban: no reason on paper")
    w.step("review-print", t)
    t = time.perf_counter()
    p.get_by_role("button", name="Đánh dấu đã giao ban").click()
    p.get_by_text("Đã ghi nhận buổi giao ban lúc").wait_for(timeout=30_000)
    settle(p)
    w.step("review-held", t)


def export(w: Walk, out: Path) -> None:
    """Báo cáo: generate the weekly report, download its DOCX through the session's link; then a rapid report."""
    p = w.page
    t = time.perf_counter()
    w.menu("Báo cáo")
    w.step("export-open", t)
    t = time.perf_counter()
    p.get_by_role("button", name="Tạo báo cáo (DOCX, XLSX, PDF)").click()
    p.get_by_text("Đã tạo báo cáo trong").wait_for(timeout=180_000)
    settle(p)
    w.step("export-weekly", t)
    t = time.perf_counter()
    link = p.get_by_role("link", name="Tải DOCX (Word)").first
    w.check(link.count() > 0, "Báo cáo: no «Tải DOCX» link after generating")
    if link.count():
        with p.expect_download(timeout=60_000) as dl:
            link.click()
        path = out / dl.value.suggested_filename
        dl.value.save_as(str(path))
        print(f"  downloaded {path.name}: {path.stat().st_size // 1024} KB", flush=True)
        w.check(path.stat().st_size > 10_000, "Báo cáo: the DOCX downloaded is (nearly) empty")
    w.step("export-download", t)
    t = time.perf_counter()
    w.menu("Cảnh báo")
    p.get_by_text("Vì sao có cảnh báo này").first.wait_for(timeout=60_000)
    p.get_by_role("button", name="Tạo báo cáo nhanh").first.click()
    settle(p)
    go = p.get_by_role("button", name="Lưu và tạo tệp")
    if go.count():
        go.click()
        p.get_by_role("link", name="Tải DOCX (Word)").first.wait_for(timeout=180_000)
        settle(p)
    else:
        w.check(False, "Cảnh báo: no «Lưu và tạo tệp» after «Tạo báo cáo nhanh»")
    w.step("export-rapid", t)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--width", default="desk", choices=list(WIDTHS))
    ap.add_argument("--items", type=int, default=800)
    ap.add_argument("--uses", default="live,review,export")
    ap.add_argument("--out", default="var/staff_uses")
    a = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright
    from tests.dashboard.served import prepare, serving
    from vocab import config as config_mod

    out = Path(a.out) / a.width
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        cfg = prepare(tmp, n_items=a.items)[0]
        refresh = config_mod.load(cfg).dashboard.refresh_seconds
        with serving(cfg, tmp) as (_srv, port), sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            ctx = browser.new_context(accept_downloads=True, **WIDTHS[a.width])
            page = ctx.new_page()
            base = f"127.0.0.1:{port}"
            w = Walk(page, base, out)
            sign_in(page, base, "chuyenvien")
            uses = a.uses.split(",")
            if "live" in uses:
                watch_live(w, refresh)
            if "review" in uses:
                review(w, out)
            if "export" in uses:
                export(w, out)
            browser.close()
    print(f"{len(w.findings)} finding(s)" + "".join(f"\n- {f}" for f in w.findings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
