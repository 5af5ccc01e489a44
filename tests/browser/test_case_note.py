"""Phản ánh in real Chromium: a refused 'Lưu' keeps the note staff typed (clear_on_submit emptied it,
which AppTest does not show). On the package's `served` (its answered case: tests/browser/conftest.py)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SERVED_GROUP
from tests.browser.helpers import settle, type_into

pytestmark = [pytest.mark.browser, pytest.mark.slow, SERVED_GROUP]
NOTE = "Đã gọi điện cho tổ trưởng tổ 5"


def test_a_refused_case_change_keeps_the_note_in_chromium(served, served_as, chromium, tmp_path):
    page = chromium.new_context(storage_state=served_as("chuyenvien"),
                                viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{served.base}/cases", wait_until="networkidle")  # by its address: Tổng quan's run first was for nothing
    page.get_by_role("button", name="Đăng xuất").wait_for(timeout=90_000)
    page.get_by_role("heading", level=1).filter(has_text="Phản ánh").first.wait_for(timeout=90_000)
    settle(page)
    page.locator("[data-testid=stButtonGroup]").get_by_text("Đã trả lời / đóng").click()
    settle(page)
    combo = page.locator('[data-testid="stSelectbox"]').filter(has_text="Giao cho").first \
        .get_by_role("combobox")
    options = page.get_by_role("option")
    combo.click()
    if not options.count():
        combo.press("ArrowDown")  # the list opens on the first click or on ↓ once focused
    try:
        options.filter(has_text="Nguyễn Thị Lan").first.click(timeout=10_000)
    except Exception:
        page.screenshot(path=str(tmp_path / "debug.png"), full_page=True)
        raise
    settle(page)
    type_into(page, "Ghi chú nội bộ", NOTE)
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("mở lại trước khi giao").first.wait_for(timeout=20_000)  # refused: said why
    settle(page)
    assert page.get_by_label("Ghi chú nội bộ", exact=True).input_value() == NOTE
