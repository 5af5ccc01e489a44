"""Nothing leaves the machine, and the last English is gone (issue 15), in real headless Chromium.

Every request the browser makes is checked: one to a host other than the dashboard's fails the test
(it is aborted, so the test also passes offline). Seen before the fix: the favicon came from
fonts.gstatic.com (Streamlit's ":material/…" page icon).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import (
    ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ServerProcess, login_if_asked, require_chromium, wait_http,
)
from tests.conftest import free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ("", "explorer", "alerts", "sources", "imports", "collaborator")
ENGLISH = ("200MB per file", "per file", "Browse files", "Drag and drop", "Download plot", "Upload")


def test_the_browser_talks_only_to_the_dashboard_and_sees_no_english(tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    port, feed_port = free_port(), free_port()
    origin = f"127.0.0.1:{port}"
    outside: list[str] = []
    srv = ServerProcess(["demo", "--port", str(port), "--feed-port", str(feed_port)], cwd=tmp_path)
    try:
        srv.wait_for_output(r"Lắng Nghe đang chạy", timeout=120)
        wait_http(f"http://{origin}/_stcore/health", timeout=60)
        ARTIFACTS.mkdir(exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})

            def guard(route):  # type: ignore[no-untyped-def]
                url = route.request.url
                if url.startswith(("data:", "blob:")) or urlsplit(url).netloc == origin:
                    route.continue_()
                else:
                    outside.append(url)
                    route.abort()

            page.route("**/*", guard)
            page.goto(f"http://{origin}/", wait_until="networkidle")
            login_if_asked(page, srv.output)  # the first account printed: the analyst
            page.get_by_text("Tình trạng nguồn tin").first.wait_for(timeout=90_000)
            for name in PAGES:
                page.goto(f"http://{origin}/{name}", wait_until="networkidle")
                page.wait_for_timeout(2500)
                body = page.inner_text("body")
                assert "Traceback" not in body, name
                found = [w for w in ENGLISH if w in body]
                if found:
                    page.screenshot(path=str(ARTIFACTS / f"english_{name or 'overview'}.png"), full_page=True)
                assert not found, f"/{name}: {found}"
            page.goto(f"http://{origin}/imports", wait_until="networkidle")
            button = page.locator('[data-testid="stFileUploaderDropzone"] button span[data-has-shortcut]').first
            button.wait_for(timeout=30_000)
            assert "Chọn tệp" in button.evaluate("e => getComputedStyle(e, '::after').content")
            page.screenshot(path=str(ARTIFACTS / "imports_upload_box.png"))
            page.goto(f"http://{origin}/admin", wait_until="networkidle")
            page.get_by_text(re.compile("cần vai trò Quản trị")).first.wait_for(timeout=30_000)
            browser.close()
    finally:
        srv.stop()
    assert not outside, f"requests left the machine: {sorted(set(outside))[:5]}"
    assert "You can now view" not in srv.output and "full text:" not in srv.output  # the console stays short
    assert re.search(r"nhật ký chi tiết: \S+langnghe-serve\.log", srv.output)
