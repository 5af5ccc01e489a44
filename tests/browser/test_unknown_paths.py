"""Addresses no page answers, in real headless Chromium: an old bookmark (/overview, the first page's own name,
which Streamlit serves only at the root), a typo, a page the role may not open. Each showed Streamlit's English
«Page not found» dialog (its text is the frontend's and cannot be configured); now each lands on the first page
with a Vietnamese word, before and after signing in.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import (
    ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ServerProcess, login_if_asked, require_chromium, wait_http,
)
from tests.conftest import free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIRST_PAGE = "Tình trạng nguồn tin"  # on Tổng quan


def _no_english_dialog(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(2500)  # the dialog comes with the first script run's messages
    body = page.inner_text("body")
    if "Page not found" in body:
        page.screenshot(path=str(ARTIFACTS / f"page_not_found_{name}.png"), full_page=True)
    assert "Page not found" not in body and "Traceback" not in body, name


def test_unknown_addresses_land_on_the_first_page_in_vietnamese(tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    port, feed_port = free_port(), free_port()
    origin = f"http://127.0.0.1:{port}"
    srv = ServerProcess(["demo", "--port", str(port), "--feed-port", str(feed_port)], cwd=tmp_path)
    try:
        srv.wait_for_output(r"Lắng Nghe đang chạy", timeout=120)
        wait_http(f"{origin}/_stcore/health", timeout=60)
        ARTIFACTS.mkdir(exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(f"{origin}/overview", wait_until="networkidle")  # before signing in: the login form
            _no_english_dialog(page, "login_overview")
            login_if_asked(page, srv.output)  # the first account printed: the analyst
            page.get_by_text(FIRST_PAGE).first.wait_for(timeout=90_000)
            _no_english_dialog(page, "overview")
            assert not page.get_by_text("Không có trang").count()  # the first page's own old address: no notice
            page.goto(f"{origin}/khong-co-trang-nay", wait_until="networkidle")
            page.get_by_text("Không có trang «/khong-co-trang-nay»").first.wait_for(timeout=30_000)
            page.get_by_text(FIRST_PAGE).first.wait_for(timeout=30_000)
            _no_english_dialog(page, "typo")
            assert page.url.rstrip("/") == origin  # landed: the address bar shows the first page's
            page.goto(f"{origin}/c%E1%BA%A3nh-b%C3%A1o", wait_until="networkidle")  # typed as /cảnh-báo
            page.get_by_text("Không có trang «/cảnh-báo»").first.wait_for(timeout=30_000)
            _no_english_dialog(page, "vietnamese_typo")
            page.goto(f"{origin}/admin", wait_until="networkidle")
            page.get_by_text(re.compile("cần vai trò Quản trị")).first.wait_for(timeout=30_000)
            _no_english_dialog(page, "admin")
            page.goto(f"{origin}/overview", wait_until="networkidle")  # the old bookmark, signed in already
            page.get_by_text(FIRST_PAGE).first.wait_for(timeout=30_000)
            _no_english_dialog(page, "overview_signed_in")
            page.goto(f"{origin}/alerts", wait_until="networkidle")  # a real page still opens as itself
            page.get_by_text("Cảnh báo — vấn đề nổi cộm").first.wait_for(timeout=30_000)
            _no_english_dialog(page, "alerts")
            browser.close()
    finally:
        srv.stop()
