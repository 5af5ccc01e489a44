"""Nothing leaves the machine, the last English is gone (issue 15), and addresses no page answers land in
Vietnamese (round 13), in real headless Chromium, on the browser tests' shared demo server.

Every request the browser makes is checked: one to a host other than the dashboard's fails the test
(it is aborted, so the test also passes offline). Seen before the fix: the favicon came from
fonts.gstatic.com (Streamlit's ":material/…" page icon).
"""

from __future__ import annotations

import re

import pytest

from devtools.screenshots import keep_local
from tests.browser.helpers import (
    ARTIFACTS, login_if_asked, wait_for_run,
)
from tests.browser.conftest import DEMO_GROUP

pytestmark = [pytest.mark.browser, pytest.mark.slow, DEMO_GROUP]

PAGES = ("", "explorer", "alerts", "sources", "imports", "collaborator")
# every name Streamlit wrote («Help for …») renamed; a button given `help=` sits in the same box with no aria-label
# (its text is its name), so "every button has one" never held on a page showing such a button (round 23's flake)
NAMED = """() => Array.from(document.querySelectorAll('[data-testid="stTooltipIcon"] button'))
                 .every(b => !(b.getAttribute('aria-label') || '').startsWith('Help'))"""
ENGLISH = ("200MB per file", "per file", "Browse files", "Drag and drop", "Download plot", "Upload",
           "Skip to main content")  # the keyboard's first link (round 27: «Chuyển đến nội dung chính»)


@pytest.fixture
def demo(demo_server):  # type: ignore[no-untyped-def]
    """The package's demo server (tests/browser/conftest.py; each walk starts its own browser and signs in):
    (server, host:port)."""
    srv, port = demo_server
    return srv, f"127.0.0.1:{port}"


def test_the_browser_talks_only_to_the_dashboard_and_sees_no_english(demo, chromium):
    srv, origin = demo
    page = chromium.new_page(viewport={"width": 1366, "height": 900})  # its own sign-in: the form's requests too
    outside = keep_local(page, origin)
    page.goto(f"http://{origin}/", wait_until="networkidle")
    login_if_asked(page, srv.output)  # the first account printed: the analyst
    page.get_by_text("Tình trạng nguồn tin").first.wait_for(timeout=90_000)
    helps: list[str] = []  # the ⓘ buttons' names for a screen reader (Streamlit wrote «Help for …»)
    for name in PAGES:
        page.goto(f"http://{origin}/{name}", wait_until="networkidle")
        wait_for_run(page)  # the page drawn (a file box's English came with its run)
        # each ⓘ button named before its name is read (one read None once, mid-draw, on a loaded machine)
        page.wait_for_function(NAMED, timeout=30_000)
        helps += page.locator('[data-testid="stTooltipIcon"] button[aria-label]').evaluate_all(
            "bs => bs.map(b => b.getAttribute('aria-label'))")
        body = page.inner_text("body")
        assert "Traceback" not in body, name
        found = [w for w in ENGLISH if w in body]
        if found:
            page.screenshot(path=str(ARTIFACTS / f"english_{name or 'overview'}.png"), full_page=True)
        assert not found, f"/{name}: {found}"
        if name == "imports":  # its file box's button, read on this visit (a second load of the page did it)
            button = page.locator('[data-testid="stFileUploaderDropzone"] button span[data-has-shortcut]').first
            button.wait_for(timeout=90_000)
            assert "Chọn tệp" in button.evaluate("e => getComputedStyle(e, '::after').content")
            page.screenshot(path=str(ARTIFACTS / "imports_upload_box.png"))
    assert helps and all(h.startswith("Hướng dẫn") for h in helps), helps
    page.goto(f"http://{origin}/admin", wait_until="networkidle")
    page.get_by_text(re.compile("cần vai trò Quản trị")).first.wait_for(timeout=90_000)
    # a tablet held upright opens with the sidebar collapsed: the page starts at the left edge, not 250 px in
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(f"http://{origin}/", wait_until="networkidle")
    page.get_by_text("Tình trạng nguồn tin").first.wait_for(timeout=60_000)
    main_x = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').getBoundingClientRect().x")
    if main_x > 10:
        page.screenshot(path=str(ARTIFACTS / "tablet_overview.png"))
    assert main_x <= 10, f"the collapsed sidebar still takes {main_x} px at 768 px wide"
    # a phone on 3G: Streamlit's bundle reaches the browser gzipped (dashboard.server.GzipStatic)
    import httpx

    index = re.search(r"static/js/index\.[^\"]+\.js", httpx.get(f"http://{origin}/").text)
    assert index, "no Streamlit bundle named in the page"
    r = httpx.get(f"http://{origin}/{index.group(0)}", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers.get("content-encoding") == "gzip"
    assert not outside, f"requests left the machine: {sorted(set(outside))[:5]}"
    assert "You can now view" not in srv.output and "full text:" not in srv.output  # the console stays short
    assert re.search(r"nhật ký chi tiết: \S+langnghe-serve\.log", srv.output)


FIRST_PAGE = "Tình trạng nguồn tin"  # on Tổng quan


def _no_english_dialog(page, name: str) -> None:  # type: ignore[no-untyped-def]
    wait_for_run(page)  # the dialog comes with the first script run's messages
    body = page.inner_text("body")
    if "Page not found" in body:
        page.screenshot(path=str(ARTIFACTS / f"page_not_found_{name}.png"), full_page=True)
    assert "Page not found" not in body and "Traceback" not in body, name


def test_unknown_addresses_land_on_the_first_page_in_vietnamese(demo, chromium):
    """Addresses no page answers: an old bookmark (/overview, the first page's own name, which Streamlit serves
    only at the root), a typo, one typed in Vietnamese, a page the role may not open. Each showed Streamlit's
    English «Page not found» dialog (the frontend's text, not configurable); now each lands on the first page
    with a Vietnamese word, before and after signing in."""

    srv, host = demo
    origin = f"http://{host}"
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{origin}/overview", wait_until="networkidle")  # before signing in: the login form
    _no_english_dialog(page, "login_overview")
    login_if_asked(page, srv.output)  # the first account printed: the analyst
    page.get_by_text(FIRST_PAGE).first.wait_for(timeout=90_000)
    _no_english_dialog(page, "overview")
    assert not page.get_by_text("Không có trang").count()  # the first page's own old address: no notice
    page.goto(f"{origin}/khong-co-trang-nay", wait_until="networkidle")
    page.get_by_text("Không có trang «/khong-co-trang-nay»").first.wait_for(timeout=90_000)
    page.get_by_text(FIRST_PAGE).first.wait_for(timeout=90_000)
    _no_english_dialog(page, "typo")
    assert page.url.rstrip("/") == origin  # landed: the address bar shows the first page's
    page.goto(f"{origin}/c%E1%BA%A3nh-b%C3%A1o", wait_until="networkidle")  # typed as /cảnh-báo
    page.get_by_text("Không có trang «/cảnh-báo»").first.wait_for(timeout=90_000)
    _no_english_dialog(page, "vietnamese_typo")
    page.goto(f"{origin}/admin", wait_until="networkidle")
    page.get_by_text(re.compile("cần vai trò Quản trị")).first.wait_for(timeout=90_000)
    _no_english_dialog(page, "admin")
    page.goto(f"{origin}/overview", wait_until="networkidle")  # the old bookmark, signed in already
    page.get_by_text(FIRST_PAGE).first.wait_for(timeout=90_000)
    _no_english_dialog(page, "overview_signed_in")
    page.goto(f"{origin}/alerts", wait_until="networkidle")  # a real page still opens as itself
    page.get_by_text("Cảnh báo — vấn đề nổi cộm").first.wait_for(timeout=90_000)
    _no_english_dialog(page, "alerts")
