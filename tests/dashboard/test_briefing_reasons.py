"""Trước giao ban's «Vì sao»: each alert's reason (the sentence detection words for staff to read aloud, as Cảnh
báo shows it) is readable in section I without opening the alert, on screen and on paper, where it is a
full-width line under the alert's row rather than a tenth column."""

from __future__ import annotations

import json
import re
from html import escape

from dashboard.ui import TABLET_GRID
from tests.dashboard.conftest import no_exception


def _reasons(db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with db.read() as cur:
        return dict(cur.execute("SELECT alert_id, reason FROM alerts").fetchall())


def _printed_section_one(at) -> str:  # type: ignore[no-untyped-def]
    tables = [h.proto.body for h in at.get("html") if 'class="print-only"' in h.proto.body]
    return tables[0]


def test_section_one_shows_each_alerts_reason(demo_env):
    at = demo_env.page("briefing", "viewer").run()
    no_exception(at)
    reasons = _reasons(demo_env.db)
    view = at.dataframe[0].value
    assert list(view.columns)[:2] == ["Vấn đề", "Vì sao"]
    assert at.dataframe[0].proto.row_height > 64  # Streamlit wraps a cell's text only in rows taller than 64 px
    assert not [e for e in at.expander if e.label.startswith("Vì sao")]  # a desk reads them in the grid
    assert len(view) > 0
    for aid, why in zip(view["Mã"], view["Vì sao"]):
        assert why == " ".join(reasons[aid].split()) and why


def test_the_printed_copy_puts_the_reason_under_its_alert(demo_env):
    at = demo_env.page("briefing", "viewer").run()
    no_exception(at)
    printed = _printed_section_one(at)
    head = re.search(r"<thead>(.*?)</thead>", printed).group(1)
    assert "<th>Vì sao</th>" not in head and "<th>Xử lý trong kỳ</th>" in head  # nine columns fit A4
    view = at.dataframe[0].value
    blocks = re.findall(r'<tbody class="with-below">(.*?)</tbody>', printed)
    assert len(blocks) == len(view)
    for aid, why, block in zip(view["Mã"], view["Vì sao"], blocks):
        row, line = block.split('<tr class="below">')  # the alert's row, then its reason spanning every column
        assert f"<td>{aid}</td>" in row
        assert line.startswith('<td colspan="9"><b>Vì sao:</b> ' + escape(why) + "</td>")


def test_a_reason_is_printed_as_text(env):
    """The reason quotes feed words (a title, a place): escaped, never markup, on paper."""
    from store import alerts as store_alerts
    from store.db import utcnow
    from vocab.alerts import NewAlert

    env.add_users()
    with env.db.write() as cur:
        store_alerts.raise_alert(cur, NewAlert.of(
            "Vấn đề thử", "high", '3 tin, bài trong 2 giờ <img src=x onerror="alert(1)">; 100% tiêu cực.',
            kind="story", n_items=3, n_outlets=2), utcnow())
    at = env.page("briefing", "viewer").run()
    no_exception(at)
    printed = _printed_section_one(at)
    assert "<img" not in printed and "&lt;img src=x" in printed
    assert at.dataframe[0].value.iloc[0]["Vì sao"].startswith("3 tin, bài trong 2 giờ <img")


def test_on_a_phone_the_reasons_are_listed_under_the_grid(demo_env, monkeypatch):
    """At 390 px the grid's «Vì sao» is off the screen to the right, cut at three lines: listed as text too."""
    from dashboard import ui

    monkeypatch.setattr(ui, "on_phone", lambda: True)
    at = demo_env.page("briefing", "viewer").run()
    no_exception(at)
    view = at.dataframe[0].value
    box = next(e for e in at.expander if e.label.startswith("Vì sao có từng cảnh báo"))
    listed = " ".join(m.value for m in box.markdown)
    assert len(box.markdown) == len(view)
    for why in view["Vì sao"]:
        assert why.split(";")[0] in listed.replace("\\", "")


def test_the_rows_are_as_tall_as_the_longest_reason_needs():
    from dashboard.views.briefing import REASON_ROW_HEIGHT, STATE_LINES, reason_row_height

    short, long = reason_row_height(["x" * 50]), reason_row_height(["x" * 1000])
    assert 64 < short < reason_row_height(["x" * 120]) < long == REASON_ROW_HEIGHT  # wraps (> 64 px), six lines at most
    assert reason_row_height([]) == short
    assert reason_row_height(["x" * 50], least=STATE_LINES) == reason_row_height(["x" * 4 * 36]) > short


# the page's width at 1366 × 768 with the sidebar open (measured in Chromium: tests/browser/test_briefing_print.py)
DESK_PAGE_PX = 954


def test_on_a_desk_section_one_fits_1366_px(demo_env):
    """Round 19 saw section I scroll sideways at 1366 px (ten columns, 1707 px): seven columns now, whose widths in
    pixels add up to less than the page, and the level, state, period and priority in one wrapped cell."""
    from dashboard.views.briefing import DESK_WIDTHS, STATE_LINES, reason_row_height

    at = demo_env.page("briefing", "viewer").run()
    no_exception(at)
    grid = at.dataframe[0]
    shown = list(grid.proto.column_order)
    assert shown == list(DESK_WIDTHS) and shown[:2] == ["Vấn đề", "Vì sao"]
    assert sum(DESK_WIDTHS.values()) + 2 <= DESK_PAGE_PX  # the grid's two 1 px borders
    widths = {c: json.loads(grid.proto.columns).get(c, {}).get("width") for c in shown}
    assert widths == DESK_WIDTHS, widths
    view = grid.value
    assert list(view.columns) == shown  # sent only what it shows (round 24): the four parts are in «Tình trạng»
    for state in view["Tình trạng"]:
        assert re.fullmatch(r"Mức \w[\w ]* · [\w ]+ · phát sinh (trong kỳ|kỳ trước) · ưu tiên \w[\w ]*", state), state
    assert grid.proto.row_height >= reason_row_height([], least=STATE_LINES)


def test_on_a_phone_section_one_keeps_its_own_columns(demo_env, monkeypatch):
    """The desk's seven columns are not a phone's: the issue wrapped, then «Tình trạng» and the total, in 350 px (ux43:
    the level, state, count and reason were 747 px in 356); the reasons are listed under the grid."""
    from dashboard import ui

    monkeypatch.setattr(ui, "on_phone", lambda: True)
    at = demo_env.page("briefing", "viewer").run()
    no_exception(at)
    assert list(at.dataframe[0].proto.column_order) == ["Vấn đề", "Tình trạng", "Tổng số tin"]


def test_on_a_desk_sections_two_and_three_fit_1366_px(demo_env):
    """Round 21: at 1366 px section II was 1,332 px of columns in 954 (a «large» title and columns sized by their
    text) and scrolled sideways, as section III did with longer names; every briefing grid now gives each column a
    width in pixels, and they add up to less than the page."""
    at = demo_env.page("briefing", "viewer").run()
    no_exception(at)
    assert len(at.dataframe) == 6  # each section's grid for a desk, then its copy for a tablet (round 22)
    for i, grid in enumerate(at.dataframe):
        shown = list(grid.proto.column_order) or list(grid.value.columns)
        widths = {c: json.loads(grid.proto.columns).get(c, {}).get("width") for c in shown}
        assert all(isinstance(w, int) for w in widths.values()), widths  # «large», «small» or none: sized by text
        assert sum(widths.values()) + (2 if i % 2 == 0 else 0) <= (DESK_PAGE_PX if i % 2 == 0 else TABLET_GRID), (i, widths)
        assert grid.proto.row_height > 64  # titles cut at their column's width wrap onto a second line
    # a tablet's copies leave out what is listed under the grid or printed, and keep the issue and its reason
    assert [list(g.proto.column_order)[:2] for g in at.dataframe[1::2]] == [
        ["Vấn đề", "Vì sao"], ["Vấn đề", "Số tin"], ["Thời gian", "Nguồn"]]


def test_on_a_desk_a_reason_longer_than_its_cell_is_shown_whole_under_the_grid(env):
    """Round 22: at 1366 px the grid's «Vì sao» shows six lines of a reason; a story alert's (300–400 characters)
    was cut there and read whole only in the cell's pop-up, on a click, one alert at a time. Staff read the reasons
    before the meeting: the cut ones are listed whole under the grid, open; the short ones are not repeated."""
    from store import alerts as store_alerts
    from store.db import utcnow
    from vocab.alerts import NewAlert

    long = ("32 tin, bài trong 6 giờ (từ 21 giờ 33 ngày 16/11/2026), gấp nhiều lần mức thường ngày (khoảng 1 tin/ngày); "
            "78% tiêu cực; lan trên 4 nguồn (Báo Quảng Ninh, VnExpress, Nhóm Uông Bí 24h, Tiktok). Địa bàn: phường "
            "Uông Bí, phường Vàng Danh, phường Yên Tử. Lĩnh vực: Môi trường, tài nguyên; Đất đai, GPMB. Mức độ cao: "
            "nhiều tin tiêu cực trong thời gian ngắn, có ảnh, video.")
    env.add_users()
    with env.db.write() as cur:
        for title, reason in (("Bụi than ở Vàng Danh", long), ("Ngập ở Yên Tử", "3 tin, bài trong 2 giờ; 100% tiêu cực.")):
            store_alerts.raise_alert(cur, NewAlert.of(title, "high", reason, kind="story", n_items=3, n_outlets=2),
                                     utcnow())
    at = env.page("briefing", "viewer").run()
    no_exception(at)
    box = next(e for e in at.expander if e.label.startswith("Vì sao, đầy đủ"))
    assert box.proto.expanded and "(1 cảnh báo" in box.label
    (listed,) = [m.value for m in box.markdown]
    assert listed.startswith("**Bụi than ở Vàng Danh**") and listed.endswith("có ảnh, video\\.")  # whole (md-escaped)
