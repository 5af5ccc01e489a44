"""Round 31's walk (ux39, a staff member's week) in real Chromium, on the package's `served`: what only a browser
shows. docs/DASHBOARD.md (`ux39`)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SERVED_GROUP
from tests.browser.helpers import settle, wait_for_run

pytestmark = [pytest.mark.browser, pytest.mark.slow, SERVED_GROUP]
DESK = {"viewport": {"width": 1366, "height": 768}}


def test_a_page_opened_right_after_a_search_keeps_no_search_in_its_address(served, served_as, chromium):
    """Tin bài, a search typed (no Enter), then «Cảnh báo» in the sidebar at once: the page changed (round 30's
    NAV_AFTER_COMMIT), but its address kept Tin bài's search, «/alerts?q=…», 4 times in 6 before `ui.address_of`.
    Four tries: a lucky ordering passes one."""
    page = chromium.new_context(storage_state=served_as("chuyenvien"), **DESK).new_page()
    page.goto(f"{served.base}/explorer", wait_until="networkidle")
    wait_for_run(page)
    addresses = []
    for n in range(4):
        if n:
            page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Tin bài").first.click()
            page.get_by_role("heading", level=1).filter(has_text="Tin bài").first.wait_for(timeout=30_000)
            settle(page)
        box = page.locator('[data-testid="stTextInputField"]').first
        box.click()
        box.fill(f"ô nhiễm {n}")  # typed, not committed: the box still has the focus
        page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Cảnh báo").first.click()
        page.get_by_role("heading", level=1).filter(has_text="Cảnh báo").first.wait_for(timeout=30_000)
        settle(page)
        page.wait_for_timeout(1000)  # a late query, if any, is written after the run has ended
        addresses.append(page.url.removeprefix(served.base))
    assert addresses == ["/alerts"] * 4, addresses
    # a page opened with an address of its own keeps it: Tổng quan's link to today's negative items
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Tổng quan").first.click()
    page.get_by_role("heading", level=1).filter(has_text="Tổng quan").first.wait_for(timeout=30_000)
    settle(page)
    page.get_by_role("link", name="Xem tin tiêu cực hôm nay").click()
    page.get_by_role("heading", level=1).filter(has_text="Tin bài").first.wait_for(timeout=30_000)
    settle(page)
    page.wait_for_timeout(1000)
    assert "/explorer?" in page.url and "sent=negative" in page.url and "period=today" in page.url, page.url
