"""The Trước giao ban page in real headless Chromium against `langnghe serve` on a seeded database:
printed to PDF on A4 portrait (page.pdf, print media) every table keeps all its columns; and after
"Đánh dấu đã giao ban" the "Từ ngày" box shows the new start, as the heading does; each alert's «Vì sao» is
printed under its row. On screen (dash7) section I fits a 1366 × 768 desk without a sideways scroll (since round 21
sections II and III too), a 768 px tablet too (round 22, with Tổng quan's «Tin mới nhất»), and a 390 px phone
still reads each alert's reason. On the package's `served`: the walk marks its briefing held, which no other walk
reads."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from tests.browser.conftest import SERVED_GROUP
from tests.browser.helpers import ARTIFACTS, GRID_WIDTHS, grid_width, grid_widths

pytestmark = [pytest.mark.browser, pytest.mark.slow, SERVED_GROUP]

# the right-hand columns Chromium used to cut off on A4 (section I and III), and the others
COLUMNS = {
    "I": ["Mã", "Vấn đề", "Mức", "Phát sinh", "Trạng thái", "Ưu tiên", "Giao cho", "Tổng số tin", "Xử lý trong kỳ"],
    "II": ["Vấn đề", "Số tin", "Số nguồn", "Tiêu cực", "Chủ đề", "Địa bàn", "Gần nhất"],
    "III": ["Thời gian", "Nguồn", "Tiêu đề", "Chủ đề", "Địa bàn", "Số nguồn đăng", "Liên kết"],
}


def _settle(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(400)
    page.wait_for_function(
        """() => { const a = document.querySelector('[data-testid="stApp"]');
                   const s = a && a.getAttribute('data-test-script-state');
                   return s && s !== 'running' && s !== 'rerunRequested'; }""", timeout=30_000)


def print_briefing(page, pdf_path):  # type: ignore[no-untyped-def]
    """The page printed as Chromium prints it on A4 portrait; returns the PDF's text (pdftotext -layout)."""
    page.emulate_media(media="print")
    page.pdf(path=str(pdf_path), format="A4", print_background=True, prefer_css_page_size=True)
    page.emulate_media(media="screen")
    return subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout


PAGE_WIDE = """() => { const m = document.querySelector('[data-testid="stMain"]'); return [m.scrollWidth, m.clientWidth]; }"""
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "user_agent": "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/126.0.0.0 Mobile Safari/537.36"}


def _fits_the_desk(page) -> None:  # type: ignore[no-untyped-def]
    """Round 19: at 1366 px section I was 1707 px of columns in 954 px and scrolled sideways past «Vì sao»."""
    page.locator(".st-key-brief_alerts .dvn-scroller").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "briefing-1366.png"))
    wide, shown, _bar = grid_width(page, "brief_alerts")  # section I's grid: its columns, the width it is shown in
    assert wide <= shown + 1, f"section I: {wide} px of columns in {shown} px"
    # round 21: section II was 1,332 px of columns in 954 px, and III scrolled too with longer names
    grids = grid_widths(page)
    assert len(grids) == 3 and all(w <= s + 1 for w, s in grids), f"[columns, shown] px of I, II, III: {grids}"
    page_wide = page.evaluate(PAGE_WIDE)
    assert page_wide[0] <= page_wide[1] + 1, f"the page scrolls sideways: {page_wide}"
    # Streamlit's own English menu («Rerun», «Settings», «Print»…) and deploy button are not drawn (client.toolbarMode)
    for chrome in ("stMainMenu", "stToolbarActions", "stAppDeployButton"):
        assert not page.locator(f'[data-testid="{chrome}"]').count(), chrome


def _calendar_in_vietnamese(page) -> None:  # type: ignore[no-untyped-def]
    """Chromium here speaks English (navigator.language en-US): the calendar said «November», «S M T W T F S»; the
    page says the browser's language is Vietnamese (dashboard.server.BROWSER_LOCALE), so it says «Tháng 11», «T2 … CN»."""
    page.locator('[data-testid="stDateInput"] input').first.focus()
    page.keyboard.press("Enter")
    calendar = page.locator('[data-testid="stDateInputCalendar"]')
    calendar.wait_for(timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "briefing-calendar.png"))
    heads = calendar.locator("thead th").all_inner_texts()
    month = calendar.locator('button[aria-haspopup="listbox"]').first.inner_text()
    assert heads == ["T2", "T3", "T4", "T5", "T6", "T7", "CN"], heads
    assert month.strip().startswith("Tháng "), month
    page.keyboard.press("Escape")
    calendar.wait_for(state="detached", timeout=10_000)


def _reads_on_a_phone(chromium, base: str, state) -> None:  # type: ignore[no-untyped-def]
    """At 390 px the issue comes first in the grid and the reasons are listed under it."""
    page = chromium.new_context(storage_state=state, **PHONE).new_page()
    page.goto(f"{base}/briefing", wait_until="networkidle")
    page.locator(".st-key-brief_alerts .dvn-scroller").wait_for(timeout=90_000)
    _settle(page)
    page.screenshot(path=str(ARTIFACTS / "briefing-390.png"))
    grid = page.locator(".st-key-brief_alerts .dvn-scroller").bounding_box()  # the grid scrolls inside its frame
    assert grid and grid["x"] >= 0 and grid["x"] + grid["width"] <= PHONE["viewport"]["width"], grid
    assert page.evaluate(PAGE_WIDE)[0] <= PHONE["viewport"]["width"] + 1  # the page does not
    listed = page.locator('[data-testid="stExpander"]').filter(has_text=re.compile(r"Vì sao có từng cảnh báo \(\d+\)"))
    listed.locator("summary").first.click()
    listed.get_by_text(re.compile(r"\d+ tin, bài trong")).first.wait_for(timeout=10_000)
    page.context.close()


TABLET = {"viewport": {"width": 768, "height": 1024}, "has_touch": True}  # held upright; no "Mobi" in its agent


def _fits_a_tablet(chromium, base: str, state) -> None:  # type: ignore[no-untyped-def]
    """Round 22: at 768 px (the sidebar collapsed, 734 px of grid) section I, II and III and Tổng quan's «Tin mới nhất»
    were 940–944 px of desk columns and scrolled sideways; the tablet's columns (ui.desk_or_tablet) fit."""
    page = chromium.new_context(storage_state=state, **TABLET).new_page()
    page.goto(f"{base}/briefing", wait_until="networkidle")
    page.get_by_text("III. Tin tiêu cực đáng chú ý").wait_for(timeout=90_000)
    page.locator(".st-key-tablet-brief_alerts .dvn-scroller").wait_for(timeout=30_000)
    _settle(page)
    page.wait_for_function(f"() => ({GRID_WIDTHS})().length >= 3", timeout=30_000)  # II and III drawn too
    page.screenshot(path=str(ARTIFACTS / "briefing-768.png"))
    grids = grid_widths(page)  # the desk's copies are not drawn (display: none)
    assert len(grids) == 3 and all(w <= s + 1 for w, s in grids), f"[columns, shown] px of I, II, III at 768: {grids}"
    assert page.evaluate(PAGE_WIDE)[0] <= TABLET["viewport"]["width"] + 1
    page.goto(f"{base}/", wait_until="networkidle")
    page.get_by_text("Tin mới nhất").first.wait_for(timeout=90_000)
    page.locator(".st-key-tablet-items .dvn-scroller").wait_for(timeout=30_000)
    _settle(page)
    page.screenshot(path=str(ARTIFACTS / "overview-768.png"))
    grids = grid_widths(page)
    assert grids and all(w <= s + 1 for w, s in grids), f"[columns, shown] px of Tổng quan's grids at 768: {grids}"
    page.context.close()


def test_briefing_prints_on_a4_and_follows_the_briefing_held(served, served_as, chromium):
    page = chromium.new_context(storage_state=served_as("chuyenvien"),
                                viewport={"width": 1366, "height": 768}).new_page()
    page.goto(f"{served.base}/briefing", wait_until="networkidle")  # signed in: no form, no click to come back
    page.get_by_role("button", name="Đăng xuất").wait_for(timeout=90_000)
    page.get_by_text("III. Tin tiêu cực đáng chú ý").wait_for(timeout=90_000)
    _settle(page)
    _fits_the_desk(page)
    _calendar_in_vietnamese(page)
    _fits_a_tablet(chromium, served.base, served_as("xem"))  # before the briefing is marked held, which empties II and III

    text = print_briefing(page, ARTIFACTS / "briefing_print.pdf")
    flat = " ".join(text.split())
    lines = text.splitlines()
    for sec, cols in COLUMNS.items():
        # the header row (a title may wrap onto the next printed line): every column is on the page
        at = [i for i, ln in enumerate(lines) if ln.lstrip().startswith(cols[0]) and cols[1] in ln]
        assert at, f"section {sec}: no header row starting {cols[0]!r}\n{text[:3000]}"
        head = " ".join(lines[at[0]:at[0] + 3])
        for c in cols:
            assert all(w in head for w in c.split()), f"section {sec} lost column {c!r} on A4: {head}"
    # «Tổng số tin» wraps in its 1 cm on A4 (ux41): its first word is on the header's first line
    assert any(all(w in ln for w in ("Giao cho", "Tổng", "Trạng thái")) for ln in lines), text[:3000]
    assert any(all(w in ln for w in ("Chủ đề", "Địa bàn", "Liên kết")) for ln in lines), text[:3000]
    # each alert's reason on a full-width line under its row (dash6), the text as the screen shows it
    assert flat.count("Vì sao:") >= 3, text[:3000]
    assert re.search(r"Vì sao: \d+ tin, bài trong", flat), text[:3000]
    # nothing of the page chrome or the inputs is printed
    assert "Đánh dấu đã giao ban" not in flat and "Đăng xuất" not in flat
    assert "Ctrl+P" not in flat and "Mặc định:" not in flat  # the screen's hint (round 27: it was printed)
    sizes = subprocess.run(["pdfinfo", str(ARTIFACTS / "briefing_print.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts", sizes), sizes  # A4 portrait

    # mark the briefing held: the "Từ ngày" box follows the heading. The server reads its own clock: a click
    # across Vietnam's midnight (17:00 UTC) holds the briefing on either day (round 21)
    days_vn = [datetime.now(timezone.utc) + timedelta(hours=7)]
    page.get_by_role("button", name="Đánh dấu đã giao ban").click()
    page.get_by_text("Đã ghi nhận buổi giao ban lúc").wait_for(timeout=20_000)
    _settle(page)
    days_vn.append(datetime.now(timezone.utc) + timedelta(hours=7))
    box = page.locator('[data-testid="stDateInput"] input').first  # a native date input: ISO value
    try:
        page.wait_for_function(
            "(vs) => { const i = document.querySelector('[data-testid=\"stDateInput\"] input');"
            " return i && vs.includes(i.value); }", arg=[f"{d:%Y-%m-%d}" for d in days_vn], timeout=15_000)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "briefing_after_mark_FAILED.png"))
    held = next((d for d in days_vn if box.input_value() == f"{d:%Y-%m-%d}"), None)
    assert held is not None, (box.input_value(), days_vn)
    heading = page.get_by_text(re.compile(r"Tình hình dư luận từ")).first.inner_text()
    assert f"ngày {held:%d/%m/%Y}" in heading.split(" đến ")[0]
    _reads_on_a_phone(chromium, served.base, served_as("xem"))
