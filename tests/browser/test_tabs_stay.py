"""A tab staff were working in stays open after they act in it (dash6's walk, in headless Chromium against `langnghe
serve`): Nguồn tin's «Thêm nguồn» and Quản trị's «Người dùng và quyền» went back to their first tab after a submit,
because the message the action leaves is drawn above the tabs and Streamlit's frontend took the keyless tabs, one
element further down, for new ones. Every `st.tabs` of the dashboard has a key (tests/dashboard/test_tabs_keyed.py).
On the way, Nguồn tin's tables are measured at 1366 px: none scrolls sideways (round 21). On the package's `served`."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SERVED_GROUP
from tests.browser.helpers import ARTIFACTS, grid_widths, wait_for_run

pytestmark = [pytest.mark.browser, pytest.mark.slow, SERVED_GROUP]


def test_the_tab_staff_acted_in_stays_open_after_a_submit_and_another_page(served, served_as, chromium):
    page = chromium.new_context(storage_state=served_as("quantri"),
                                viewport={"width": 1366, "height": 768}).new_page()
    page.goto(f"{served.base}/sources", wait_until="networkidle")  # signed in: no form, no click to come back
    page.get_by_role("button", name="Đăng xuất").wait_for(timeout=90_000)
    page.get_by_role("tab", name="Thêm nguồn").wait_for(timeout=60_000)
    wait_for_run(page)
    # round 21: the health table's columns were 1,749 px wide in a 954 px page; each group of them fits now
    grids = grid_widths(page)
    assert len(grids) >= 2 and all(w <= s + 1 for w, s in grids), grids
    page.get_by_text("Xem chi tiết lần tải").first.click()
    wait_for_run(page)
    grids = grid_widths(page)
    assert len(grids) >= 2 and all(w <= s + 1 for w, s in grids), grids
    page.get_by_role("tab", name="Thêm nguồn").click()
    page.get_by_role("textbox", name="Tùy chọn riêng của loại nguồn (JSON)").last.fill("[]")  # refused: not an object
    page.get_by_role("button", name="Thêm nguồn").click()
    page.get_by_text("Tùy chọn phải là một đối tượng JSON").first.wait_for(timeout=30_000)
    wait_for_run(page)
    page.screenshot(path=str(ARTIFACTS / "tabs_stay_sources.png"))
    assert page.get_by_role("tab", selected=True).all_inner_texts() == ["Thêm nguồn"]
    _visit(page, "Tổng quan")  # another page, then back by the sidebar as staff go
    _visit(page, "Nguồn tin")
    page.get_by_role("tab", name="Thêm nguồn").wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "tabs_stay_sources_back.png"))
    assert page.get_by_role("tab", selected=True).all_inner_texts() == ["Thêm nguồn"]


def _visit(page, title: str) -> None:  # type: ignore[no-untyped-def]
    """A click on a page's name in the sidebar, until its run has ended."""
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click()
    page.wait_for_timeout(500)
    wait_for_run(page)
