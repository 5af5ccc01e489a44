"""Round 31's walk (ux39, a staff member's week) in real Chromium, on the package's `served`: what only a browser
shows. docs/DASHBOARD.md (`ux39`)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SERVED_GROUP
from tests.browser.helpers import search_then_leave, settle, wait_for_run

pytestmark = [pytest.mark.browser, pytest.mark.slow, SERVED_GROUP]
DESK = {"viewport": {"width": 1366, "height": 768}}


def test_a_page_opened_right_after_a_search_keeps_no_search_in_its_address(served, served_as, chromium):
    """Tin bài, a search typed (no Enter), then «Cảnh báo» in the sidebar at once: the page changed (round 30's
    NAV_AFTER_COMMIT), but its address kept Tin bài's search, «/alerts?q=…», 4 times in 6 before `ui.address_of`.
    Four tries: a lucky ordering passes one."""
    page = chromium.new_context(storage_state=served_as("chuyenvien"), **DESK).new_page()
    page.goto(f"{served.base}/explorer", wait_until="networkidle")
    wait_for_run(page)
    addresses = []
    for n in range(4):
        search_then_leave(page, n)
        page.wait_for_timeout(1000)  # a late query, if any, is written after the run has ended
        addresses.append(page.url.removeprefix(served.base))
    assert addresses == ["/alerts"] * 4, addresses
    # a page opened with an address of its own keeps it: Tổng quan's link to today's negative items
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Tổng quan").first.click()
    page.get_by_role("heading", level=1).filter(has_text="Tổng quan").first.wait_for(timeout=30_000)
    settle(page)
    page.get_by_role("link", name="Xem tin tiêu cực hôm nay").click()
    page.get_by_role("heading", level=1).filter(has_text="Tin bài").first.wait_for(timeout=30_000)
    settle(page)
    page.wait_for_timeout(1000)
    assert "/explorer?" in page.url and "sent=negative" in page.url and "period=today" in page.url, page.url


def test_signing_in_with_the_keyboard_alone(served, chromium):
    """The sign-in form, Tab by Tab: the name, Tab, the password, Enter signs in (the form ignored Enter: nothing
    happened, nothing said why). What Tab meets on the way is named in Vietnamese: the heading's anchor was «Link to
    heading», the password's eye «Show password»."""
    page = chromium.new_context(**DESK).new_page()
    page.goto(f"{served.base}/", wait_until="networkidle")
    page.get_by_label("Tên đăng nhập", exact=True).wait_for(timeout=60_000)
    wait_for_run(page)
    met = []
    for _ in range(12):
        page.keyboard.press("Tab")
        met.append(page.evaluate("() => [document.activeElement.getAttribute('aria-label'), "
                                 "document.activeElement.innerText]"))
        if met[-1][0] == "Tên đăng nhập":
            break
    assert met[-1][0] == "Tên đăng nhập", met
    named = page.evaluate("() => [...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))")
    assert "Link to heading" not in named and "Show password" not in named, named
    assert "Liên kết đến mục này" in named and "Hiện các ký tự đã gõ" in named, named
    page.keyboard.type("xem")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Mật khẩu"
    page.keyboard.type(served.passwords["xem"])
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Đăng xuất").wait_for(timeout=60_000)


def test_an_open_alert_on_overview_opens_that_alert(served, served_as, chromium):
    """Tổng quan lists the open alerts; a click on one did nothing (a line of text): staff had to open the queue and find
    it again. Each is now a link to the alert, its title wrapped as the text was."""
    page = chromium.new_context(storage_state=served_as("xem"), **DESK).new_page()
    page.goto(f"{served.base}/", wait_until="networkidle")
    wait_for_run(page)
    line = page.get_by_role("link").filter(has_text="· ").filter(has_text="A0000").first
    line.wait_for(timeout=30_000)
    code = line.inner_text().split("·")[0].strip(" ●\n")
    assert code.startswith("A0000"), code
    link_height = line.evaluate("e => e.getBoundingClientRect().height")
    line.click()
    page.get_by_role("heading", level=1).filter(has_text="Cảnh báo").first.wait_for(timeout=30_000)
    settle(page)
    assert page.url.endswith(f"/alerts?alert={code}"), page.url
    page.get_by_role("heading").filter(has_text=code).first.wait_for(timeout=30_000)
    assert link_height < 80, link_height  # one or two lines of title, not a cut line nor a padded button


def test_a_link_reached_with_tab_shows_it(served, served_as, chromium):
    """The keyboard walk: a sidebar page or a page link reached with Tab showed its focus as a 15 % grey band, where a
    button has a red ring. Both kinds of link now have a ring too."""
    page = chromium.new_context(storage_state=served_as("xem"), **DESK).new_page()
    page.goto(f"{served.base}/", wait_until="networkidle")
    wait_for_run(page)
    rings = {}
    for _ in range(80):
        page.keyboard.press("Tab")
        kind, ring = page.evaluate("""() => { const e = document.activeElement, c = getComputedStyle(e);
            return [e.dataset.testid || '', c.outlineStyle !== 'none' && parseFloat(c.outlineWidth) >= 2]; }""")
        if kind in ("stSidebarNavLink", "stPageLink-NavLink"):
            rings.setdefault(kind, ring)
        if len(rings) == 2:
            break
    assert rings == {"stSidebarNavLink": True, "stPageLink-NavLink": True}, rings
