"""The dashboard on a phone (round 15), in real headless Chromium as a 390×844 phone (its User-Agent, touch):
Tin bài's first item is on the first screen (its seven filters took two screens above it), folded under «Bộ lọc»
(open on a 1366×768 desk);
Tổng quan's figures go two a row, not one under another. Screenshots in test-artifacts/phone/."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, login_if_asked, wait_for_run,
)
from tests.browser.conftest import DEMO_GROUP
from dashboard.ui import PHONE_ROW_HEIGHT

pytestmark = [pytest.mark.browser, pytest.mark.slow, DEMO_GROUP]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "user_agent": "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/126.0.0.0 Mobile Safari/537.36"}
SHOTS = ARTIFACTS / "phone"
# where an element starts in Streamlit's main section (the page itself does not scroll; the section does)
TOP = """(sel) => { const m = document.querySelector('[data-testid="stMain"]');
                    const e = m && m.querySelector(sel); if (!e) return null;
                    return e.getBoundingClientRect().top - m.getBoundingClientRect().top + m.scrollTop; }"""


@pytest.fixture
def demo(demo_server):  # type: ignore[no-untyped-def]
    """The package's demo (tests/browser/conftest.py): (server, base address)."""
    srv, port = demo_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    return srv, f"http://127.0.0.1:{port}"


def test_on_a_phone_tin_bai_shows_its_first_item_on_the_first_screen(demo):
    from playwright.sync_api import sync_playwright

    srv, base = demo
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(**PHONE).new_page()
        page.goto(f"{base}/", wait_until="networkidle")
        login_if_asked(page, srv.output)
        page.locator('[data-testid="stMetric"]').nth(1).wait_for(timeout=90_000)
        wait_for_run(page)
        page.screenshot(path=str(SHOTS / "overview-390.png"))
        first, second = (page.locator('[data-testid="stMetric"]').nth(k).bounding_box() for k in (0, 1))
        assert first and second and abs(first["y"] - second["y"]) < 2, "the figures are stacked, not side by side"

        page.goto(f"{base}/explorer", wait_until="networkidle")
        grid = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first
        grid.wait_for(timeout=90_000)
        wait_for_run(page)
        page.screenshot(path=str(SHOTS / "explorer-390.png"))
        summary = page.locator('[data-testid="stExpander"] summary').first
        assert "Bộ lọc" in summary.inner_text()
        assert not page.evaluate("() => document.querySelector('[data-testid=\"stExpander\"] details').open")
        top = page.evaluate(TOP, '[data-testid="stDataFrame"]')
        row = PHONE_ROW_HEIGHT  # the header row is about 35 px
        assert top is not None and top + 35 + row <= PHONE["viewport"]["height"], f"first item at {top} px"
        browser.close()


def test_on_a_desk_tin_bai_opens_its_filters(demo):
    """Round 17: a 1366×768 desk (no "Mobi" in its User-Agent) sees the seven filters without a click."""
    from playwright.sync_api import sync_playwright

    srv, base = demo
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        page.goto(f"{base}/", wait_until="networkidle")
        login_if_asked(page, srv.output)
        page.goto(f"{base}/explorer", wait_until="networkidle")
        page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first.wait_for(timeout=90_000)
        wait_for_run(page)
        page.screenshot(path=str(SHOTS / "explorer-1366.png"))
        assert page.evaluate("() => document.querySelector('[data-testid=\"stExpander\"] details').open")
        assert page.locator('[data-testid="stMultiSelect"]').first.is_visible()
        browser.close()
