"""Drill-down in real headless Chromium. On Tổng quan (inside the live fragment), a click on a segment of
the topics-over-time bars opens Tin bài on that topic and day with every item, the address bar holds the
filter and the list counts what the bar drew; a sentiment bar likewise. On Chủ đề & địa bàn, a click on a
topic bar opens Tin bài filtered to that topic; a click on a unit of the map opens its items; with «Tuần báo cáo», a
click on a topic bar lists its items on the page, and a phone-width page does not scroll sideways. Screenshots
go to test-artifacts/dashboard/ (docs/img/map_after.png is one of them). On the package's `served`, whose items are
tagged when it starts (tests/dashboard/served.py): the counts do not move under the clicks."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import SERVED_GROUP
from tests.browser.helpers import ARTIFACTS, goto, open_filters, settle
from vocab.labels import TOPIC_LABELS

pytestmark = [pytest.mark.browser, pytest.mark.slow, SERVED_GROUP]
SHOTS = ARTIFACTS / "dashboard"


def _opened(served, served_as, chromium, path: str, heading: str):  # type: ignore[no-untyped-def]
    """/`path` signed in as «xem» (the package's cookie), its heading drawn and its run ended."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg = chromium.new_context(storage_state=served_as("xem"), viewport={"width": 1366, "height": 900}).new_page()
    pg.goto(f"{served.base}/{path}", wait_until="networkidle")
    pg.get_by_role("button", name="Đăng xuất").wait_for(timeout=90_000)
    pg.get_by_role("heading", level=1).filter(has_text=heading).first.wait_for(timeout=90_000)
    settle(pg)
    return pg


@pytest.fixture
def page(served, served_as, chromium):  # type: ignore[no-untyped-def]
    """Tổng quan, signed in as «xem», its run ended."""
    return _opened(served, served_as, chromium, "", "Tổng quan")


@pytest.fixture
def topics_page(served, served_as, chromium):  # type: ignore[no-untyped-def]
    """Chủ đề & địa bàn opened by its address (the walks that start there opened Tổng quan first, then clicked to
    it: a run of the dashboard's heaviest page for nothing, 10–30 s under load)."""
    return _opened(served, served_as, chromium, "topics", "Chủ đề")


def _click_until_explorer(page, point) -> None:  # type: ignore[no-untyped-def]
    """Click a chart point and wait for Tin bài; click again if the chart was redrawn under the first
    click (the live fragment re-runs on its own)."""
    for attempt in range(3):
        point.scroll_into_view_if_needed()
        point.click(force=True)
        try:
            page.wait_for_url("**/explorer?**", timeout=10_000)
            break
        except Exception:
            if attempt == 2:
                raise
    page.get_by_role("heading", level=1).filter(has_text="Tin bài").wait_for(timeout=20_000)
    settle(page)


def _listed(page) -> int:  # type: ignore[no-untyped-def]
    """The "N tin" count Tin bài shows."""
    line = page.locator('[data-testid="stCaptionContainer"]').filter(has_text=re.compile(r"^\d+ tin"))
    line.first.wait_for(timeout=20_000)
    return int(re.match(r"^(\d+) tin", line.first.inner_text()).group(1))


def _biggest_point(page, chart_index: int) -> tuple[int, int, list]:  # type: ignore[no-untyped-def]
    """(trace, point, [y, customdata]) of the tallest bar segment of the n-th chart, read from the figure."""
    return page.evaluate("""(n) => {
        const gd = document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')[n];
        let best = [0, 0, -1, null];
        gd._fullData.forEach((t, i) => {  // decoded arrays (the figure's own hold numpy's base64)
            const vals = Array.from(t.orientation === 'h' ? t.x : t.y);
            vals.forEach((v, j) => { if (v > best[2]) best = [i, j, v, t.customdata[j]]; });
        });
        return [best[0], best[1], [best[2], best[3]]];
    }""", chart_index)


def test_click_on_overview_bars_opens_exactly_their_items(page):
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.locator(".trace.bars .point path").first.wait_for(state="attached", timeout=30_000)
    try:
        trace, idx, (n, (topic, day)) = _biggest_point(page, 0)
        _click_until_explorer(page, chart.locator(".trace.bars").nth(trace).locator(".point path").nth(idx))
        qs = parse_qs(urlparse(page.url).query)
        assert qs.get("topic") == [topic] and qs.get("from") == qs.get("to") == [day], page.url
        assert qs.get("all") == ["1"], page.url
        assert _listed(page) == n, (page.url, n)
        open_filters(page)
        chosen = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Chủ đề").first
        assert TOPIC_LABELS.get(topic, "Chưa phân loại") in chosen.inner_text()
        assert not page.get_by_role("checkbox", name="Chỉ tin về địa bàn theo dõi").is_checked()
        page.screenshot(path=str(SHOTS / "drilldown_overview.png"))
        # a sentiment bar: that sentiment over the last 7 days, every item
        goto(page, "Tổng quan")
        chart = page.locator('[data-testid="stPlotlyChart"]').nth(1)
        chart.locator(".trace.bars .point path").first.wait_for(state="attached", timeout=30_000)
        _trace, idx, (n, sent) = _biggest_point(page, 1)
        _click_until_explorer(page, chart.locator(".trace.bars .point path").nth(idx))
        qs = parse_qs(urlparse(page.url).query)
        assert qs.get("sent") == [sent] and qs.get("all") == ["1"] and "from" not in qs, page.url
        assert _listed(page) == n, (page.url, n)
        assert "Traceback" not in page.inner_text("body")
    except Exception:
        page.screenshot(path=str(SHOTS / "drilldown_overview_FAILED.png"), full_page=True)
        raise


def test_click_a_topic_bar_opens_the_filtered_list(topics_page, served):
    page = topics_page
    try:
        page.locator(".js-plotly-plot .scatterlayer .trace").first.wait_for(state="attached", timeout=30_000)
        page.locator('[data-testid="stPlotlyChart"]').nth(1).scroll_into_view_if_needed()
        page.wait_for_timeout(800)  # the map's shapes finish drawing (a screenshot, not an assertion)
        page.locator('[data-testid="stPlotlyChart"]').nth(1).screenshot(path=str(SHOTS / "map.png"))
        bars = page.locator('[data-testid="stPlotlyChart"]').first.locator(".trace.bars").nth(1)
        _click_until_explorer(page, bars.locator(".point path").first)
    except Exception:
        page.screenshot(path=str(SHOTS / "drilldown_FAILED.png"), full_page=True)
        print(served.server.output[-4000:])
        raise
    qs = parse_qs(urlparse(page.url).query)
    assert qs.get("period", ["7"]) == ["7"] and "prev" not in qs and len(qs.get("topic", [])) == 1, page.url
    assert qs.get("all") == ["1"], page.url
    label = TOPIC_LABELS[qs["topic"][0]]
    open_filters(page)
    chosen = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Chủ đề").first
    assert label in chosen.inner_text()
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=20_000)
    page.screenshot(path=str(SHOTS / "drilldown_explorer.png"))
    assert "Traceback" not in page.inner_text("body")
    # a unit's circle on the map opens the items counted for that unit (as place names)
    goto(page, "Chủ đề & địa bàn")
    chart = page.locator('[data-testid="stPlotlyChart"]').nth(1)
    chart.scroll_into_view_if_needed()
    dot = chart.locator(".scatterlayer .points path").first
    dot.wait_for(state="attached", timeout=30_000)
    _click_until_explorer(page, dot)
    qs = parse_qs(urlparse(page.url).query)
    assert qs.get("place") or qs.get("unit"), page.url
    page.screenshot(path=str(SHOTS / "drilldown_unit.png"))


def _widest(paths):  # type: ignore[no-untyped-def]
    """The bar of a trace with the most width: a topic with no item in a week draws a bar 0 px wide, which cannot be
    clicked (which topics had items the week before depends on the day the data were made)."""
    widths = [((paths.nth(i).bounding_box() or {}).get("width", 0), i) for i in range(paths.count())]
    width, i = max(widths)
    assert width > 1, "no bar of the week before has a width"
    return paths.nth(i)


def test_report_week_click_on_a_topic_lists_its_items_on_the_page(topics_page, served):
    """«Tuần báo cáo»: a click on a topic's bar lists the items behind that figure under the tables (Tin bài has no
    week filter), through the chart's selection callback; at a phone's width nothing runs off the screen."""
    page = topics_page
    try:
        page.locator('[data-testid="stButtonGroup"] button').filter(has_text="Tuần báo cáo").first.click()
        settle(page)
        page.get_by_text("đúng như Bảng «Số tin, bài theo chủ đề»").first.wait_for(timeout=20_000)
        bars = page.locator('[data-testid="stPlotlyChart"]').first.locator(".trace.bars").nth(1)
        for _ in range(3):  # a redraw under the first click
            bars.locator(".point path").first.click(force=True)
            settle(page)
            line = page.locator('[data-testid="stCaptionContainer"]').filter(has_text=re.compile(r"tin, bài của «Chủ đề: "))
            if line.count():
                break
        line.first.wait_for(timeout=20_000)
        assert re.match(r"^[\d.]+ tin, bài của «Chủ đề: .+» trong Tuần \d+/\d{4} \(", line.first.inner_text())
        this_week = line.first.inner_text()
        # the paler bar of a topic: the week before, with that bar's number, said so (round 17: it listed this week's)
        pale = page.locator('[data-testid="stPlotlyChart"]').first.locator(".trace.bars").nth(0)
        before = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="Cùng cách đếm với cột «Tuần trước»")
        for _ in range(3):
            _widest(pale.locator(".point path")).click(force=True)
            settle(page)
            if before.count():
                break
        before.first.wait_for(timeout=20_000)
        assert before.first.inner_text().split(" trong ")[1][:12] != this_week.split(" trong ")[1][:12]
        page.screenshot(path=str(SHOTS / "topics_week.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(800)
        page.screenshot(path=str(SHOTS / "topics_week_phone.png"), full_page=True)
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    except Exception:
        page.screenshot(path=str(SHOTS / "topics_week_FAILED.png"), full_page=True)
        print(served.server.output[-4000:])
        raise
    assert "Traceback" not in page.inner_text("body")
