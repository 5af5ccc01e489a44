"""Round 27 (ux29): what the walk of the same round (ux28) saw on the dashboard and left: Tổng quan's «hôm nay» figures led
nowhere and Tin bài had no «Hôm nay»; the briefing's A4 copy broke a link's host mid-word.

In AppTest or as plain functions; the counts are read as test_drilldown_counts reads them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard import actions, data, ui
from dashboard.views import explorer, overview
from orchestration.accounts import User
from tests.dashboard.conftest import Env, discard, no_exception
from tests.dashboard.test_drilldown_counts import listed

ANALYST = User("chuyenvien", "Cán bộ chuyenvien", "analyst")
FIGURES = ("Tin hôm nay", "Toàn quốc hôm nay", "Tin tiêu cực hôm nay")  # TODAY_LINKS' order


@pytest.fixture
def today_env(tmp_path):
    """The demo database and three items of now, two of them corrected by staff: the model's neutral item made
    negative, and an in-area negative item said not to be about the area. The figures count the effective tags,
    as Tin bài filters them (the model's until round 27: each correction counted on one side only)."""
    from devtools import synth

    e = Env(tmp_path, seeded=True)
    made = [synth.add_item(e.db, title=f"Tin hôm nay số {k}", summary="Nội dung", url=f"https://baoquangninh.vn/{k}",
                           outlet="Báo Quảng Ninh", source_type="press", sentiment=s, in_area=True)
            for k, s in enumerate(("neutral", "negative", "negative"))]
    actions.correct_labels(e.db, ANALYST, made[0], {"sentiment": "negative"})
    actions.correct_labels(e.db, ANALYST, made[1], {"in_area": False})
    data.refresh()
    yield e
    discard(e)


def _figure(at, label: str) -> int:  # type: ignore[no-untyped-def]
    value = next(m.value for m in at.metric if m.label == label)
    return int(value.replace(".", ""))


def test_each_today_figure_opens_tin_bai_on_exactly_its_items(today_env):
    """Tổng quan's «Tin hôm nay», «Toàn quốc hôm nay» and «Tin tiêu cực hôm nay» opened nothing (round 27's walk: only
    «Chọn ngày…» with today on both ends gave the figures). Each has a link to Tin bài on «Hôm nay» with its filter,
    and Tin bài lists as many items as the figure says, staff corrections included."""
    at = today_env.page("overview", "viewer").run()
    no_exception(at)
    assert [lbl for lbl, _ in overview.TODAY_LINKS] == [
        "Xem tin hôm nay về địa bàn", "Xem mọi tin hôm nay", "Xem tin tiêu cực hôm nay"]
    for figure, (label, params) in zip(FIGURES, overview.TODAY_LINKS):
        n = _figure(at, figure)
        assert n > 0, figure
        assert params["period"] == "today"
        assert listed(today_env, params) == n, (figure, params)


def test_the_overview_draws_the_links_to_todays_items(today_env):
    """In the routed app (the links need Tin bài registered), under the figures: three links to Tin bài with the
    figures' filters in the address."""
    from tests.dashboard.test_pages import _sign_in

    at = today_env.app().run()
    _sign_in(at, "xem")
    no_exception(at)
    links = [(el.proto.label, el.proto.query_string) for el in at.get("page_link") if "hôm nay" in el.proto.label]
    assert [lbl for lbl, _ in links] == [lbl for lbl, _ in overview.TODAY_LINKS], links
    assert [q for _, q in links] == ["period=today", "period=today&all=1", "period=today&sent=negative&all=1"], links


def test_tin_bai_offers_today_and_keeps_it_in_its_address(demo_env):
    """Tin bài's «Thời gian» has «Hôm nay» (from 0 giờ today, Vietnam time), first; the address bar says
    `period=today`; the filters' label names it; there is no «Lùi về kỳ liền trước» for it."""
    at = demo_env.page("explorer", "viewer")
    at.query_params["period"] = "today"
    at.run()
    no_exception(at)
    box = at.selectbox(key="x_period")
    assert box.value == "Hôm nay" and box.options[0] == "Hôm nay"
    assert at.query_params["period"] == ["today"] or at.query_params["period"] == "today"
    assert not [c for c in at.checkbox if c.label == "Lùi về kỳ liền trước"]
    assert explorer.filter_label(explorer.active_filters({"x_period": "Hôm nay"})) == "Bộ lọc (1 đang bật: hôm nay)"
    assert explorer.active_filters({"x_period": "Hôm nay", "x_prev": True}) == ["hôm nay"]


def test_the_briefings_paper_prints_a_host_whole(demo_env, monkeypatch):
    """Trước giao ban on A4, section III: «Liên kết» (2,1 of 16,8) printed «baoquangninh.v / n»; a newspaper's host fits
    its column at 9 pt (Liberation Serif, Times New Roman's metrics: the width the print CSS gives, less its padding),
    and a longer one breaks after a dot (<wbr>), not mid-word."""
    from dashboard.views import briefing

    assert briefing._host("https://www.baoquangninh.vn/a-1.html") == "baoquangninh.vn"
    drawn: list[str] = []
    monkeypatch.setattr(ui.st, "html", drawn.append)
    view = pd.DataFrame({c: ["x"] for c in briefing.PRINT_NEGATIVE} | {"Liên kết": ["baoquangninh.vn"]})
    ui.print_table(view, briefing.PRINT_NEGATIVE, hosts=("Liên kết",))
    assert "<td>baoquangninh.<wbr>vn</td>" in drawn[0]
    fonts = Path("/usr/share/fonts/truetype/liberation2")
    if not fonts.is_dir():
        pytest.skip("fonts-liberation2 is not installed (scripts/install-system-deps.sh installs it)")
    from PIL import ImageFont

    font = ImageFont.truetype(str(fonts / "LiberationSerif-Regular.ttf"), 1000)
    page_pt = (210 - 15 - 10) / 25.4 * 72  # A4 less ui.PRINT_CSS's margins
    share = briefing.PRINT_NEGATIVE["Liên kết"] / sum(briefing.PRINT_NEGATIVE.values())
    room = page_pt * share - 2 * 3 - 0.5  # padding 3pt each side, a border
    need = font.getlength("baoquangninh.vn") * 9 / 1000
    assert need <= room, (need, room)
    assert "margin: 12mm 10mm 12mm 15mm" in ui.PRINT_CSS and "font-size: 9pt" in ui.PRINT_CSS  # what this counts on


TABLET_PAGE = 734  # px of page on a tablet upright (768 × 1024, sidebar folded: ui.TABLET_GRID's reason)


def test_the_alert_queue_and_an_alerts_history_fit_a_tablet(demo_env):
    """Cảnh báo on a 768 px tablet upright: the queue (nine columns, 937 px) and an alert's «Diễn biến xử lý» (sized by
    its text, 797 px) scrolled sideways in 734 px (round 27's walk). Each has a tablet copy, as an alert's items had
    (alerts.ITEMS_TABLET): fewer columns in pixels within ui.TABLET_GRID, in rows of two lines, sent only those
    columns; the desk copies are as they were."""
    from dashboard.views import alerts

    assert sum(alerts.QUEUE_TABLET.values()) <= ui.TABLET_GRID < TABLET_PAGE
    assert sum(alerts.HISTORY_TABLET.values()) <= ui.TABLET_GRID
    assert set(alerts.QUEUE_TABLET) <= set(alerts.QUEUE_WIDTHS) and "Vấn đề" in alerts.QUEUE_TABLET
    assert "Nội dung" in alerts.HISTORY_TABLET and "Người thực hiện" in alerts.HISTORY_TABLET
    at = demo_env.page("alerts", "analyst").run()
    no_exception(at)
    grids = {(tuple(g.value.columns), tuple(g.proto.column_order)) for g in at.dataframe}
    assert (tuple(alerts.QUEUE_TABLET), tuple(alerts.QUEUE_TABLET)) in grids, grids
    assert (tuple(alerts.QUEUE_WIDTHS), ()) in grids, grids  # the desk's queue, whole
    assert (tuple(alerts.HISTORY_TABLET), tuple(alerts.HISTORY_TABLET)) in grids, grids
    desk_history = ("Thời gian", "Người thực hiện", "Thao tác", "Từ", "Sang", "Nội dung")
    assert (desk_history, ()) in grids, grids
    for g in at.dataframe:
        if tuple(g.proto.column_order) in (tuple(alerts.QUEUE_TABLET), tuple(alerts.HISTORY_TABLET)):
            assert g.proto.row_height == ui.TWO_LINES_ROW
