"""ux43 (round 32): the grids ux41 left wider than a phone. AppTest's side (a phone is `ui.on_phone`, AppTest sends no
User-Agent); tests/browser/test_ux43_walk.py measures them in Chromium. docs/DASHBOARD.md (`ux43`)."""

from __future__ import annotations

import json

import pytest

from dashboard import ui
from dashboard.views import briefing, sources, topics
from tests.dashboard.conftest import no_exception

FRAME = 356  # px: a 390 px phone's grid frame (Chromium, ux41)
SELECTION_BOX = 30  # px: the row selection box of Chủ đề's tables


@pytest.fixture
def phone(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ui, "on_phone", lambda: True)


def _shown_widths(grid) -> dict:  # type: ignore[no-untyped-def]
    shown = list(grid.proto.column_order) or list(grid.value.columns)
    return {c: json.loads(grid.proto.columns).get(c, {}).get("width") for c in shown}


def test_every_phone_choice_fits_the_frame():
    for widths in (ui.PHONE_ITEM_WIDTHS, briefing.PHONE_ALERT_WIDTHS, briefing.STORY_PHONE, sources.HEALTH_PHONE,
                   sources.HEALTH_DETAIL_PHONE, sources.ALARMS_PHONE, sources.ERRORS_PHONE, sources.FULLTEXT_PHONE):
        assert sum(widths.values()) <= ui.PHONE_GRID <= FRAME, widths
    for name in ("Chủ đề", "Đơn vị mới (2025)"):
        assert sum(topics._phone_widths(name).values()) + SELECTION_BOX <= FRAME


def test_the_caption_names_the_hidden_columns():
    assert ui.hidden_text(["A", "B"], ["A", "B"]) == ""
    assert ui.hidden_text(["Chủ đề", "Kỳ này", "Kỳ trước"], ["Chủ đề", "Kỳ này"]) == (
        "Trên điện thoại, cột «Kỳ trước» được ẩn: hiện lại bằng nút «Ẩn/hiện cột» (hình con mắt) trên bảng.")
    assert "cột «Nguồn», «Chủ đề» và «Địa bàn» được ẩn" in ui.hidden_text(
        ["Tiêu đề", "Thời gian", "Nguồn", "Chủ đề", "Địa bàn", "Liên kết"], ui.PHONE_ITEM_WIDTHS)


@pytest.mark.parametrize(("page", "role"), [("overview", "viewer"), ("explorer", "viewer"), ("briefing", "viewer"),
                                            ("sources", "admin")])
def test_on_a_phone_each_grid_is_in_pixels_that_fit(demo_env, phone, page, role):
    """390 px: Tổng quan's «Tin mới nhất», Tin bài and Trước giao ban's items were 500 px of columns (a «small» outlet
    and link beside the 240 px title), Trước giao ban's alerts 747 and stories 730, Nguồn tin's health 675: each
    scrolled sideways in 356. Each grid now shows a few columns in pixels that add up to less, wrapped, and says
    which it hides."""
    at = demo_env.page(page, role).run()
    no_exception(at)
    chosen = [g for g in at.dataframe if list(g.proto.column_order)]  # not the charts' data nor the kinds' help
    assert chosen, page
    for grid in chosen:
        widths = _shown_widths(grid)
        assert all(isinstance(w, int) for w in widths.values()), (page, widths)
        assert sum(widths.values()) <= FRAME, (page, widths)
        assert grid.proto.row_height > 64, page  # the name wraps
        if len(widths) < len(grid.value.columns):  # the rest is in the data, for the eye menu, and said so
            assert any("«Ẩn/hiện cột»" in c.value for c in at.caption), page


def test_on_a_desk_the_grids_are_as_before(demo_env):
    """Nothing changes on a desk: Tin bài's desk and tablet copies, Nguồn tin's too; no phone caption."""
    for page, role in (("explorer", "viewer"), ("sources", "admin"), ("briefing", "viewer")):
        at = demo_env.page(page, role).run()
        no_exception(at)
        assert len(at.dataframe) >= 2, page  # each grid's desk copy and tablet copy
        assert not any("«Ẩn/hiện cột»" in c.value for c in at.caption), page
