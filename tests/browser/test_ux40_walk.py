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
