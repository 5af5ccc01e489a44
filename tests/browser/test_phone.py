"""The dashboard on a phone (round 15), in real headless Chromium as a 390×844 phone (its User-Agent, touch):
Tin bài's first item is on the first screen (its seven filters took two screens above it), folded under «Bộ lọc»
(open on a 1366×768 desk);
Tổng quan's figures go two a row, not one under another; on a touch screen no table's toolbar covers the box above it.
Screenshots in test-artifacts/phone/."""

from __future__ import annotations

import pytest

from tests.browser.helpers import ARTIFACTS, grid_width, wait_for_run
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



DESK = {"viewport": {"width": 1366, "height": 768}}  # a provincial office's desk screen


def _signed_in(chromium, state, device: dict, base: str, path: str | None = ""):  # type: ignore[no-untyped-def]
    """A page in `device`'s window (PHONE, DESK), signed in with the package's cookie (`demo_signed_in`: no login
    form per walk), opened at /`path` unless None."""
    page = chromium.new_context(storage_state=state, **device).new_page()
    if path is not None:
        _open(page, f"{base}/{path}")
    return page


def _open(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """`url` opened, its app drawn for the signed-in analyst (the sidebar's «Đăng xuất», folded away on a phone)."""
    page.goto(url, wait_until="networkidle")
    page.get_by_text("Đăng xuất").first.wait_for(state="attached", timeout=90_000)


def test_on_a_phone_tin_bai_shows_its_first_item_on_the_first_screen(demo, chromium, demo_signed_in):
    _srv, base = demo
    page = _signed_in(chromium, demo_signed_in, PHONE, base)
    page.locator('[data-testid="stMetric"]').nth(1).wait_for(timeout=90_000)
    wait_for_run(page)
    page.screenshot(path=str(SHOTS / "overview-390.png"))
    first, second = (page.locator('[data-testid="stMetric"]').nth(k).bounding_box() for k in (0, 1))
    assert first and second and abs(first["y"] - second["y"]) < 2, "the figures are stacked, not side by side"
    _toolbars_cover_nothing(page, "overview")

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
    _toolbars_cover_nothing(page, "explorer")


def test_on_a_desk_tin_bai_opens_its_filters(demo, chromium, demo_signed_in):
    """Round 17: a 1366×768 desk (no "Mobi" in its User-Agent) sees the seven filters without a click."""
    _srv, base = demo
    page = _signed_in(chromium, demo_signed_in, DESK, base, "explorer")
    page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first.wait_for(timeout=90_000)
    wait_for_run(page)
    page.screenshot(path=str(SHOTS / "explorer-1366.png"))
    assert page.evaluate("() => document.querySelector('[data-testid=\"stExpander\"] details').open")
    assert page.locator('[data-testid="stMultiSelect"]').first.is_visible()


# the bottom of what is drawn just above each table, and the top of the table's toolbar, on the main section
TOOLBARS = """() => Array.from(document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]'))
  .filter(t => t.offsetParent !== null).map(t => {
    const bar = t.querySelector(':scope > [data-testid="stElementToolbar"]');
    const box = t.closest('[data-testid="stElementContainer"]').previousElementSibling;
    return [bar ? bar.getBoundingClientRect().top : null, box ? box.getBoundingClientRect().bottom : null]; })"""


def _toolbars_cover_nothing(page, path: str) -> None:  # type: ignore[no-untyped-def]
    """Round 18: on a touch screen Streamlit always shows a table's toolbar (eye, download, search, full screen),
    2.75rem above the table, over the box above (Tổng quan's «Chỉ tin về địa bàn theo dõi», the last line of Cảnh báo's
    counts); the table now makes room. Checked on the phone walk's two pages (tables from the demo's first minute),
    which a test of its own opened again (two page loads of a walk's five; round 24)."""
    page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first.wait_for(timeout=90_000)
    wait_for_run(page)
    page.screenshot(path=str(SHOTS / f"{path}-toolbar-390.png"))
    pairs = page.evaluate(TOOLBARS)
    assert pairs and all(bar is not None for bar, _ in pairs), (path, pairs)
    assert all(box is None or bar >= box - 0.5 for bar, box in pairs), f"{path}: a toolbar over the box above: {pairs}"


def test_on_a_desk_chu_de_tables_fit_their_half_of_the_page(demo, chromium, demo_signed_in):
    """Round 18: at 1366 px Chủ đề's topic table cut its last column («Tiêu cực kỳ này») at the right edge, with no
    scroll bar until hovered. Both rolling tables now fit, and a table that does not shows its scroll bar. Opened by
    its address, the page asks for nothing that is not there (it logged `/topics/_stcore/health` and `host-config`
    404s: dashboard.server.PageHtml names the app's root)."""
    _srv, base = demo
    page = _signed_in(chromium, demo_signed_in, DESK, base, None)
    missing: list[str] = []
    page.on("response", lambda r: missing.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    _open(page, f"{base}/topics")
    for key in ("topic_table", "place_table"):
        page.locator(f".st-key-{key} .dvn-scroller").wait_for(timeout=90_000)
    wait_for_run(page)
    page.screenshot(path=str(SHOTS / "topics-1366.png"))
    for key in ("topic_table", "place_table"):
        wide, shown, bar = grid_width(page, key)
        assert wide <= shown + 1, f"{key}: {wide} px of columns in {shown} px"
        assert not bar.startswith("rgba(0, 0, 0, 0)"), f"{key}: scroll bar painted transparent ({bar})"
    assert not missing, missing
    assert page.evaluate("() => document.documentElement.lang") == "vi"
