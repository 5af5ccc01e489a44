"""Round 32's leftovers (ux41) in real Chromium, on the package's `served`: what only a browser shows.
docs/DASHBOARD.md (`ux41`)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SERVED_GROUP
from tests.browser.helpers import grid_width, settle, wait_for_run
from tests.browser.test_phone import PHONE
from tests.browser.test_ux40_walk import ACTIVE_FILTER, DESK

pytestmark = [pytest.mark.browser, pytest.mark.slow, SERVED_GROUP]


def test_on_a_phone_the_topic_and_place_tables_do_not_scroll_sideways(served, served_as, chromium):
    """Chủ đề at 390 × 844: the place table was 560 px in 356 (ux40 left it), the topic table 434; each now shows its
    name, this period, the change and the negatives, and fits."""
    page = chromium.new_context(storage_state=served_as("xem"), **PHONE).new_page()
    page.goto(f"{served.base}/topics", wait_until="networkidle")
    wait_for_run(page)
    page.locator(".st-key-place_table .dvn-scroller").first.wait_for(timeout=30_000)
    settle(page)
    for key in ("topic_table", "place_table"):
        columns, frame, _ = grid_width(page, key)
        assert columns <= frame, (key, columns, frame)
    assert page.get_by_text("được ẩn: hiện lại bằng nút «Ẩn/hiện cột»").first.is_visible()


def test_the_briefings_alert_grid_fits_a_desk_with_its_total(served, served_as, chromium):
    """Trước giao ban's section I at 1366 px with «Tổng số tin» (86 px, was «Số tin» in 52): no sideways scroll."""
    page = chromium.new_context(storage_state=served_as("xem"), **DESK).new_page()
    page.goto(f"{served.base}/briefing", wait_until="networkidle")
    wait_for_run(page)
    page.locator(".st-key-desk-brief_alerts .dvn-scroller").first.wait_for(timeout=30_000)
    settle(page)
    columns, frame, _ = grid_width(page, "desk-brief_alerts")
    assert columns <= frame, (columns, frame)


def test_a_links_move_gives_back_the_earlier_choice(served, served_as, chromium):
    """Staff on «Đã xử lý / bỏ qua»; an open alert's line on Tổng quan (a link to /alerts?alert=…, in the same
    session) moves «Hiển thị» to «Đang mở»; the menu's «Cảnh báo» later opens on «Đã xử lý / bỏ qua» again (it
    opened on the default, «Đang mở»). A push's link opens a new tab, a new session: nothing earlier to give back."""
    page = chromium.new_context(storage_state=served_as("chuyenvien"), **DESK).new_page()
    page.goto(f"{served.base}/alerts", wait_until="networkidle")
    wait_for_run(page)
    page.locator('[data-testid="stButtonGroup"] button').filter(has_text="Đã xử lý / bỏ qua").first.click()
    settle(page)
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Tổng quan").first.click()
    page.get_by_role("heading", level=1).filter(has_text="Tổng quan").first.wait_for(timeout=30_000)
    settle(page)
    line = page.locator('[class*="st-key-alertline-"] a').first
    line.wait_for(timeout=30_000)
    line.click()
    page.get_by_role("heading", level=1).filter(has_text="Cảnh báo").first.wait_for(timeout=30_000)
    settle(page)
    assert "alert=" in page.url and page.evaluate(ACTIVE_FILTER) == ["Đang mở"], page.url
    for name, title in (("Tổng quan", "Tổng quan"), ("Cảnh báo", "Cảnh báo")):
        page.locator('[data-testid="stSidebarNav"] a').filter(has_text=name).first.click()
        page.get_by_role("heading", level=1).filter(has_text=title).first.wait_for(timeout=30_000)
        settle(page)
    assert page.url.endswith("/alerts"), page.url
    assert page.evaluate(ACTIVE_FILTER) == ["Đã xử lý / bỏ qua"]
