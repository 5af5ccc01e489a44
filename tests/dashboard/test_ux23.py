"""What staff tripped over on the dashboard, left from round 22 (round 23): the Cảnh báo queue scrolled sideways at
1366 px, the briefing's «Vì sao» was cut mid-word."""

from __future__ import annotations

import json

from tests.dashboard.conftest import no_exception
from tests.dashboard.test_pages import _fits_the_desk


def test_the_alert_queue_fits_a_1366_px_desk_with_its_time(demo_env):
    """At 1366 px the queue's nine columns, sized by their text, ran past the 954 px page: «Phát hiện lúc» was cut
    and the grid scrolled sideways. Each column has its pixels now, all of them within the page, the time last and
    whole («06/12/26 09:30»), in rows of two lines."""
    from dashboard.views.alerts import QUEUE_WIDTHS

    at = demo_env.page("alerts", "viewer").run()
    no_exception(at)
    grid = at.dataframe[0]
    assert _fits_the_desk(grid) == list(grid.value.columns) == list(QUEUE_WIDTHS)
    cols = json.loads(grid.proto.columns)
    assert cols["Phát hiện lúc"]["width"] >= 120 and cols["Phát hiện lúc"]["type_config"]["format"] == "DD/MM/YY HH:mm"
    assert grid.proto.row_height > 64  # Streamlit wraps a cell's text only in rows taller than 64 px


LONG_REASON = ("32 tin, bài trong 6 giờ (từ 21 giờ 33 ngày 16/11/2026), gấp nhiều lần mức thường ngày (khoảng 1 tin/ngày); "
               "78% tiêu cực; lan trên 4 nguồn (Báo Quảng Ninh, VnExpress, Nhóm Uông Bí 24h, Tiktok). Địa bàn: phường "
               "Uông Bí, phường Vàng Danh, phường Yên Tử. Lĩnh vực: Môi trường, tài nguyên; Đất đai, GPMB.")


def test_a_long_reason_is_cut_after_a_clause_not_mid_word():
    """«Vì sao» was judged by a count of characters (216) and cut by the grid where its sixth line ended, mid-word
    («… lan trên 4 nguồn (Báo Quảng Ninh, VnExp…»). Now it is cut after the last clause that fits its six lines as
    they wrap at words, and ends with «…»; a reason that fits is left whole."""
    from dashboard.labels import cut_to_lines, wrapped_lines

    shown = cut_to_lines(LONG_REASON, 36, 6)
    assert shown.endswith(" …") and len(wrapped_lines(shown, 36)) <= 6
    kept = shown[:-2]
    assert LONG_REASON.startswith(kept) and LONG_REASON[len(kept)] in ",;:." and kept[-1] != " ", shown
    assert cut_to_lines("3 tin, bài trong 2 giờ; 100% tiêu cực.", 36, 6) == "3 tin, bài trong 2 giờ; 100% tiêu cực."
    # no clause ends in the second half of what fits: the last whole word
    words = " ".join(["nguồn"] * 60)
    assert cut_to_lines(words, 36, 6) == " ".join(["nguồn"] * 35) + " …"


def test_a_reason_of_long_words_that_wraps_past_six_lines_is_listed_whole():
    """208 characters fit the old count (216) and were not listed under the grid, but in words of ten letters three
    fill a line of 36 and they wrap to seven lines: the cell cut the last one."""
    from dashboard.labels import wrapped_lines
    from dashboard.views.briefing import cut_reasons

    tens = " ".join(["16/11/2026"] * 19)
    assert len(tens) <= 216 and len(wrapped_lines(tens, 36)) > 6
    assert cut_reasons([tens, "3 tin; 100% tiêu cực."]) == [0]


def test_the_briefing_grid_shows_the_cut_reason_and_the_box_under_it_the_whole(env):
    from store import alerts as store_alerts
    from store.db import utcnow
    from vocab.alerts import NewAlert

    env.add_users()
    with env.db.write() as cur:
        store_alerts.raise_alert(cur, NewAlert.of("Bụi than ở Vàng Danh", "high", LONG_REASON, kind="story",
                                                  n_items=3, n_outlets=2), utcnow())
    at = env.page("briefing", "viewer").run()
    no_exception(at)
    (cell,) = at.dataframe[0].value["Vì sao"]
    assert cell.endswith(" …") and LONG_REASON.startswith(cell[:-2])
    box = next(e for e in at.expander if e.label.startswith("Vì sao, đầy đủ"))
    (listed,) = [m.value for m in box.markdown]
    assert listed.endswith("Đất đai, GPMB\\.")  # whole (md-escaped)
