"""Drill-down in real headless Chromium: on Chủ đề & địa bàn, a click on a topic bar opens Tin bài filtered to
that topic, the address bar holds the filter, and the topic is chosen; a click on a unit of the map
opens its items. Screenshots of the map
go to test-artifacts/dashboard/ (docs/img/map_after.png is one of them)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ServerProcess, require_chromium, wait_http
from tests.conftest import free_port
from tests.dashboard.served import prepare
from tests.dashboard.test_browser import _goto, _login, _settle
from vocab.labels import TOPIC_LABELS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = ARTIFACTS / "dashboard"


def test_click_a_topic_bar_opens_the_filtered_list(tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    cfg, pw = prepare(tmp_path, n_items=300)
    port = free_port()
    srv = ServerProcess(["--config", str(cfg), "serve", "--port", str(port)], cwd=tmp_path)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=90)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/", wait_until="networkidle")
            _login(page, "xem", pw["xem"])
            _goto(page, "Chủ đề & địa bàn")
            try:
                page.locator(".js-plotly-plot .scatterlayer .trace").first.wait_for(
                    state="attached", timeout=30_000)
                page.locator('[data-testid="stPlotlyChart"]').nth(1).scroll_into_view_if_needed()
                page.wait_for_timeout(800)
                page.locator('[data-testid="stPlotlyChart"]').nth(1).screenshot(path=str(SHOTS / "map.png"))
                bars = page.locator('[data-testid="stPlotlyChart"]').first.locator(".trace.bars").nth(1)
                bar = bars.locator(".point path").first
                bar.scroll_into_view_if_needed()
                bar.click(force=True)
                page.wait_for_url("**/explorer?**", timeout=30_000)
                _settle(page)
            except Exception:
                page.screenshot(path=str(SHOTS / "drilldown_FAILED.png"), full_page=True)
                print(srv.output[-4000:])
                raise
            qs = parse_qs(urlparse(page.url).query)
            assert qs.get("period", ["7"]) == ["7"] and "prev" not in qs and len(qs.get("topic", [])) == 1, page.url
            label = TOPIC_LABELS[qs["topic"][0]]
            page.get_by_role("heading", level=1).filter(has_text="Tin bài").wait_for(timeout=20_000)
            chosen = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Chủ đề").first
            assert label in chosen.inner_text()
            grid = page.locator('[data-testid="stDataFrame"]').first
            grid.wait_for(timeout=20_000)
            page.screenshot(path=str(SHOTS / "drilldown_explorer.png"))
            assert "Traceback" not in page.inner_text("body")
            # a unit's circle on the map opens the items counted for that unit (as place names)
            _goto(page, "Chủ đề & địa bàn")
            chart = page.locator('[data-testid="stPlotlyChart"]').nth(1)
            chart.scroll_into_view_if_needed()
            dot = chart.locator(".scatterlayer .points path").first
            dot.wait_for(state="attached", timeout=30_000)
            dot.click(force=True)
            page.wait_for_url("**/explorer?**", timeout=30_000)
            _settle(page)
            qs = parse_qs(urlparse(page.url).query)
            assert qs.get("place") or qs.get("unit"), page.url
            page.get_by_role("heading", level=1).filter(has_text="Tin bài").wait_for(timeout=20_000)
            page.screenshot(path=str(SHOTS / "drilldown_unit.png"))
            browser.close()
    finally:
        srv.stop()
