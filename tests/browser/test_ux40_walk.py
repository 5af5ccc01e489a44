"""Round 31's leftovers (ux40) in real Chromium, on the package's `served`: what only a browser shows.
docs/DASHBOARD.md (`ux40`)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SERVED_GROUP
from tests.browser.helpers import grid_width, settle, wait_for_run

pytestmark = [pytest.mark.browser, pytest.mark.slow, SERVED_GROUP]
DESK = {"viewport": {"width": 1366, "height": 768}}


def test_the_place_table_on_topics_fits_a_desk(served, served_as, chromium):
    """Chủ đề's «Theo địa bàn» table (ux39's walk: its last column cut at 1366 px) and the topic table beside it do not
    scroll sideways at 1366 px. The header's cut itself is drawn on a canvas: tests/dashboard/test_ux40.py holds the
    widths; this holds the frame they were measured against (564 px)."""
    page = chromium.new_context(storage_state=served_as("xem"), **DESK).new_page()
    page.goto(f"{served.base}/topics", wait_until="networkidle")
    wait_for_run(page)
    page.locator(".st-key-place_table .dvn-scroller").first.wait_for(timeout=30_000)
    settle(page)
    columns, frame, _ = grid_width(page, "place_table")
    assert columns <= frame and frame >= 558, (columns, frame)
    columns, frame, _ = grid_width(page, "topic_table")
    assert columns <= frame, (columns, frame)


def test_the_alert_queue_fits_a_desk_with_its_total(served, served_as, chromium):
    """«Tổng số tin» (was «Số tin») is wider; the queue's nine columns still fit 1366 px, header whole."""
    page = chromium.new_context(storage_state=served_as("xem"), **DESK).new_page()
    page.goto(f"{served.base}/alerts", wait_until="networkidle")
    wait_for_run(page)
    page.locator(".st-key-desk-alert_queue .dvn-scroller").first.wait_for(timeout=30_000)
    settle(page)
    columns, frame, _ = grid_width(page, "desk-alert_queue")
    assert columns <= frame, (columns, frame)


ACTIVE_FILTER = """() => [...document.querySelectorAll('[data-testid="stButtonGroup"] button')]
                      .filter(b => b.getAttribute('aria-checked') === 'true' || b.getAttribute('aria-pressed') === 'true'
                                   || b.dataset.testid?.endsWith('Active')).map(b => b.innerText.trim())"""


def test_a_push_links_group_is_not_held_after_the_visit(served, served_as, chromium):
    """A push's link to a closed alert moves «Hiển thị» to «Đã xử lý / bỏ qua»; the menu's «Cảnh báo» later opens on
    «Đang mở» again (ui.keep held the link's move: every later visit opened on closed alerts)."""
    page = chromium.new_context(storage_state=served_as("chuyenvien"), **DESK).new_page()
    page.goto(f"{served.base}/alerts", wait_until="networkidle")  # a closed alert's code, as the queue shows it
    wait_for_run(page)
    page.locator('[data-testid="stButtonGroup"] button').filter(has_text="Đã xử lý / bỏ qua").first.click()
    settle(page)
    heads = page.get_by_role("heading", level=3).all_inner_texts()  # the opened alert's «● A000004 · …»
    closed = next(w for w in " ".join(heads).split() if w.startswith("A") and w[1:].isdigit())
    page.locator('[data-testid="stButtonGroup"] button').filter(has_text="Đang mở").first.click()  # as staff left it
    settle(page)
    page.goto(f"{served.base}/alerts?alert={closed}", wait_until="networkidle")
    wait_for_run(page)
    settle(page)
    assert page.evaluate(ACTIVE_FILTER) == ["Đã xử lý / bỏ qua"]
    for name, title in (("Tổng quan", "Tổng quan"), ("Cảnh báo", "Cảnh báo")):
        page.locator('[data-testid="stSidebarNav"] a').filter(has_text=name).first.click()
        page.get_by_role("heading", level=1).filter(has_text=title).first.wait_for(timeout=30_000)
        settle(page)
    assert page.url.endswith("/alerts"), page.url
    assert page.evaluate(ACTIVE_FILTER) == ["Đang mở"]
