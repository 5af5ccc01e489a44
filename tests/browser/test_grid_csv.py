"""A grid's CSV download writes what the grid shows (round 24), in headless Chromium on the package's `served`: Trước
giao ban's alert grid at 1366 × 768 (its desk copy), downloaded through the table's own toolbar and read back with
`csv`. Streamlit writes the file in the browser from the columns it was sent; until round 24 the desk copy was sent
«Mức», «Phát sinh», «Trạng thái» and «Ưu tiên» beside «Tình trạng», which the toolbar's eye menu showed again and the
download then wrote. The file starts with a UTF-8 BOM (Streamlit's own), so Excel on Windows reads the Vietnamese
right: kept as it is. In AppTest: tests/dashboard/test_ux24.py. Round 25: the toolbar's buttons are found by their
Vietnamese names (dashboard.server.TOOLBAR_LABELS), and the download's hover hint says it in Vietnamese too."""

from __future__ import annotations

import csv
import io

import pytest

from dashboard.server import TOOLBAR_WORDS
from dashboard.views.briefing import DESK_WIDTHS
from tests.browser.conftest import SERVED_GROUP
from tests.browser.helpers import wait_for_run

pytestmark = [pytest.mark.browser, pytest.mark.slow, SERVED_GROUP]

# Streamlit saves through the File System Access API when the browser has it (a save dialog headless Chromium never
# answers); without it, through a download, which Playwright catches
NO_SAVE_PICKER = "delete window.showSaveFilePicker; delete Window.prototype.showSaveFilePicker;"
# the table search's count once a match is selected, renamed by the page (dashboard.server.SEARCH_COUNT)
SEARCH_COUNTED = """() => /^\\d+ \\/ \\d+ kết quả$/.test(
    document.querySelector('.gdg-search-bar [data-testid="search-result-area"]')?.textContent || '')"""
# the search has run over what was typed («3 kết quả»): an Enter before it (under load) selected no match
SEARCH_DONE = """() => /kết quả$/.test(
    document.querySelector('.gdg-search-bar [data-testid="search-result-area"]')?.textContent || '')"""
SEARCH_TEXT = """() => document.querySelector('.gdg-search-bar [data-testid="search-result-area"]')?.textContent"""


def _search_says(page, shape: str) -> None:  # type: ignore[no-untyped-def]
    """Until the search's count has `shape` (a JS test), or fail saying what it read."""
    try:
        page.wait_for_function(shape, timeout=10_000)
    except Exception:
        raise AssertionError(f"the search's count: {page.evaluate(SEARCH_TEXT)!r}") from None


def test_the_briefing_grid_downloads_the_columns_it_shows_as_utf8_with_bom(served, served_as, chromium):
    context = chromium.new_context(storage_state=served_as("chuyenvien"), viewport={"width": 1366, "height": 768},
                                   accept_downloads=True)
    context.add_init_script(NO_SAVE_PICKER)
    page = context.new_page()
    page.goto(f"{served.base}/briefing", wait_until="networkidle")
    wait_for_run(page)
    box = page.locator(".st-key-desk-brief_alerts")
    box.locator('[data-testid="stDataFrame"]').first.hover()
    # the eye menu offers only the shown columns (and Streamlit's own «Select all», «(index)»): a column hidden there
    # but sent could be turned on and downloaded
    toolbar = box.locator('[data-testid="stElementToolbar"]')
    names = toolbar.locator("button").evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")
    assert names == [TOOLBAR_WORDS[n] for n in ("Show/hide columns", "Download as CSV", "Search", "Fullscreen")], names
    toolbar.locator('button[aria-label="Ẩn/hiện cột"]').click()
    menu = page.locator('[data-testid="stDataFrameColumnVisibilityMenu"]')
    page.wait_for_function("() => document.querySelector('[data-testid=\"stDataFrameColumnVisibilityMenu\"]')"
                           ".innerText.includes('Chọn tất cả')", timeout=10_000)
    offered = [t for t in menu.inner_text().splitlines() if t.strip() and t not in ("Chọn tất cả", "(index)")]
    assert offered == list(DESK_WIDTHS), offered
    page.keyboard.press("Escape")
    grid = box.locator('[data-testid="stDataFrame"]').first
    at = grid.bounding_box()
    first = next(iter(DESK_WIDTHS.values()))
    page.mouse.move(at["x"] + 40, at["y"] + 15)  # over the first column's header: its menu button shows at the right
    page.mouse.click(at["x"] + first - 14, at["y"] + 15)
    column_menu = page.locator('[data-testid="stDataFrameColumnMenu"]')
    column_menu.wait_for(timeout=10_000)
    page.wait_for_function("() => document.querySelector('[data-testid=\"stDataFrameColumnMenu\"]')"
                           ".innerText.includes('Sắp xếp tăng dần')", timeout=10_000)
    said = column_menu.inner_text()
    assert all(w in said for w in ("Sắp xếp giảm dần", "Ẩn cột")) and "Sort" not in said and "column" not in said, said
    page.keyboard.press("Escape")
    grid.hover()
    toolbar.locator('button[aria-label="Tìm trong bảng"]').click()  # the search box's buttons, renamed too
    page.locator('.gdg-search-bar button[aria-label="Đóng ô tìm"]').wait_for(state="attached", timeout=10_000)
    # round 26: its count in Vietnamese too (Streamlit writes «Type to search», then «1 of 3 results»)
    page.locator(".gdg-search-status", has_text="Gõ để tìm").wait_for(state="attached", timeout=10_000)
    page.locator('.gdg-search-bar [data-testid="search-input"]').fill("Mức")
    _search_says(page, SEARCH_DONE)
    page.keyboard.press("Enter")
    _search_says(page, SEARCH_COUNTED)
    page.keyboard.press("Escape")
    grid.hover()
    download = box.locator('[data-testid="stElementToolbar"] button[aria-label="Tải bảng về máy (CSV)"]')
    download.hover()  # its hint, after Streamlit's 1 s delay, in Vietnamese
    page.locator('[data-testid="stTooltipContent"]', has_text="Tải bảng về máy (CSV)").wait_for(timeout=10_000)
    assert "Download" not in page.locator('[data-testid="stTooltipContent"]').first.inner_text()
    with page.expect_download(timeout=30_000) as got:
        download.click()
    raw = open(got.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:20]  # the BOM: Excel on Windows opens it as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == list(DESK_WIDTHS), rows[0]  # the shown columns, in the shown order, under their shown names
    assert len(rows) > 2 and all(len(r) == len(rows[0]) for r in rows)
    assert any("Mức" in r[2] and "ưu tiên" in r[2] for r in rows[1:])  # «Tình trạng» as the grid shows it, NFC text
