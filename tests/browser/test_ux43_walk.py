"""ux43 (round 32): the grids ux41 left wider than a phone, in real Chromium on the package's `served`.
docs/DASHBOARD.md (`ux43`). Widths are read in the DOM (the grid's scroller: its columns' width against its frame's)."""

from __future__ import annotations

import json
import os

import pytest

from tests.browser.conftest import SERVED_GROUP
from tests.browser.helpers import grid_widths, settle, wait_for_run
from tests.browser.test_phone import PHONE
from tests.browser.test_ux40_walk import DESK

pytestmark = [pytest.mark.browser, pytest.mark.slow, SERVED_GROUP]

# Tổng quan's «Tin mới nhất», Tin bài's list, Trước giao ban's alerts and negative items, Nguồn tin's health
PAGES = {"overview": "Tổng quan", "explorer": "Tin bài", "briefing": "Trước giao ban", "sources": "Nguồn tin"}
# each drawn grid (display: none copies read 0 × 0) as [columns, frame] px; UX43_LOG=file writes them there (a line a
# page) and a screenshot of each grid beside it
DRAWN = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')]
                 .filter(e => e.clientWidth > 0).map(e => [e.scrollWidth, e.clientWidth])"""


def _widths(chromium, served, served_as, size: dict, path: str) -> list[list[int]]:  # type: ignore[no-untyped-def]
    page = chromium.new_context(storage_state=served_as("quantri"), **size).new_page()
    page.goto(f"{served.base}/{path}", wait_until="networkidle")
    wait_for_run(page)
    page.locator('[data-testid="stDataFrame"] .dvn-scroller').first.wait_for(timeout=30_000)
    settle(page)
    drawn = page.evaluate(DRAWN)
    page_wide = page.evaluate("() => { const m = document.querySelector('section.stMain, [data-testid=\"stMain\"]');"
                              " return m ? [m.scrollWidth, m.clientWidth] : null; }")
    if os.environ.get("UX43_LOG"):
        with open(os.environ["UX43_LOG"], "a", encoding="utf-8") as f:
            f.write(json.dumps({"size": size["viewport"]["width"], "page": path, "grids": drawn, "main": page_wide})
                    + "\n")
        grids = page.locator('[data-testid="stDataFrame"]')
        for i in range(grids.count()):
            if grids.nth(i).is_visible():
                grids.nth(i).screenshot(path=f"{os.environ['UX43_LOG']}-{path}-{size['viewport']['width']}-{i}.png")
    page.context.close()
    assert drawn, f"no grid drawn on {path}"
    assert page_wide is None or page_wide[0] <= page_wide[1], (path, page_wide)
    return drawn


@pytest.mark.parametrize("path", list(PAGES))
def test_on_a_phone_the_item_and_health_grids_fit(served, served_as, chromium, path):
    """390 × 844, a phone's User-Agent: ux41 measured «Tin mới nhất», Tin bài and Trước giao ban's items at 500 px and
    Nguồn tin's health at 675, in a 356 px frame, each scrolling sideways. Every grid drawn now fits its frame."""
    for columns, frame in _widths(chromium, served, served_as, PHONE, path):
        assert columns <= frame, (path, columns, frame)


@pytest.mark.parametrize("path", list(PAGES))
def test_on_a_desk_the_same_grids_still_fit(served, served_as, chromium, path):
    """1366 × 768: the desk's grids are as they were (each fits its frame; the page does not scroll sideways)."""
    for columns, frame in _widths(chromium, served, served_as, DESK, path):
        assert columns <= frame, (path, columns, frame)
