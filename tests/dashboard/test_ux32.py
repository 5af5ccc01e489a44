"""Round 28's walk of the live use (ux32): a staff member keeps Tổng quan / Tin bài open while items arrive and is
told by e-mail or webhook; what they tripped over, in AppTest or as plain functions."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import ui
from dashboard.views import explorer
from tests.dashboard.conftest import Env, discard, no_exception
from reports.labels import place_cell, places_brief, places_cell

TRUNG_VUONG = "phường Trưng Vương cũ, nay phường Uông Bí (TP Uông Bí cũ)"


def test_a_ward_given_old_and_new_reads_both_names_briefly_in_the_grid():
    """Tin bài's and Tổng quan's «Địa bàn» (110 / 120 px, rows of two lines) drew the tagger's whole wording, five lines
    cut in the fourth. The cell names the unit of today, then the old ward the press and the filter still use."""
    df = pd.DataFrame({"title": ["a", "b", "c"], "published_at": [pd.Timestamp("2026-12-07 09:00")] * 3,
                       "outlet": ["Báo"] * 3, "topics": [[]] * 3, "sentiment": ["negative"] * 3,
                       "places": [[TRUNG_VUONG, "TP Uông Bí cũ, nay phường Uông Bí, phường Vàng Danh, phường Yên Tử",
                                   "tỉnh Quảng Ninh"],
                                  ["phường Vàng Danh (TP Uông Bí cũ)"], ["tỉnh Quảng Ninh"]],
                       "url": ["https://bao.vn/a"] * 3})
    view = ui.items_view(df)
    assert list(view["Địa bàn"]) == ["phường Uông Bí (Trưng Vương cũ)", "phường Vàng Danh", "tỉnh Quảng Ninh"]


def test_the_cell_wording_of_each_kind_of_place():
    assert place_cell(TRUNG_VUONG) == "phường Uông Bí (Trưng Vương cũ)"
    assert place_cell("xã Thượng Yên Công cũ, nay phường Yên Tử (TP Uông Bí cũ)") == \
        "phường Yên Tử (xã Thượng Yên Công cũ)"  # another type: said
    assert place_cell("phường Vàng Danh (TP Uông Bí cũ)") == "phường Vàng Danh"
    assert place_cell("TP Hạ Long cũ, nay 13 phường, xã") == "TP Hạ Long cũ"
    assert place_cell("tỉnh Bắc Giang cũ, nay tỉnh Bắc Ninh") == "tỉnh Bắc Giang cũ"
    # two old wards of one new unit stay two; the old district with a ward inside it and the province go
    assert places_cell([TRUNG_VUONG, "phường Quang Trung cũ, nay phường Uông Bí (TP Uông Bí cũ)",
                        "TP Uông Bí cũ, nay phường Uông Bí, phường Vàng Danh, phường Yên Tử", "tỉnh Quảng Ninh"]) == \
        "phường Uông Bí (Trưng Vương cũ); phường Uông Bí (Quang Trung cũ)"
    assert places_cell([]) == ""
    # the reports' wording is unchanged by the shared code
    assert places_brief([TRUNG_VUONG, "phường Quang Trung cũ, nay phường Uông Bí (TP Uông Bí cũ)"]) == "phường Uông Bí"


@pytest.fixture
def demo(tmp_path):
    e = Env(tmp_path, seeded=True)
    yield e
    discard(e)


def test_tin_bai_says_when_its_list_was_read_and_when_the_server_last_collected(demo):
    """Tin bài left open read as the moment it was opened, with nothing to say so: staff could not tell a list of now
    from one of the morning, nor a server collecting from one that had stopped. A line above the list says both, drawn
    by a fragment that re-runs on its own (the list, its scroll and a search being typed are left alone)."""
    at = demo.page("explorer", "viewer").run()
    no_exception(at)
    lines = [c.value for c in at.caption if c.value.startswith("Danh sách đọc lúc")]
    assert len(lines) == 1, [c.value for c in at.caption]
    assert "tự kiểm tra tin mới mỗi" in lines[0] and "Máy chủ" in lines[0]
    assert not [b for b in at.button if b.key == "x_new_items"]  # nothing new since the list was read


NEW_ITEMS = """
from dashboard import data
from dashboard.views import explorer
args = ("", None, None, (), (), (), (), (), False, "newest", 500, None, None)
df, total, _exact = data.search_text(*args)
explorer._new_items(args, tuple(df["id"][2:]), total - 2, data.local(data.now()))  # as read before the two newest
"""


def test_items_come_in_while_tin_bai_is_open_a_button_says_how_many_and_reads_the_list_again(demo):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(NEW_ITEMS, default_timeout=60)
    at.session_state["user"] = {"username": "xem", "display_name": "Cán bộ xem", "role": "viewer"}
    at.run()
    no_exception(at)
    (button,) = [b for b in at.button if b.key == "x_new_items"]
    assert button.label == "Có 2 tin mới khớp tìm kiếm và bộ lọc: hiện lên danh sách"


def test_new_items_counted_and_the_read_line():
    from datetime import datetime

    assert explorer.new_count(["a", "b"], 2, ["a", "b"], 2) == 0
    assert explorer.new_count(["a", "b"], 2, ["c", "a"], 3) == 1  # a list cut at its limit: the total says it
    assert explorer.new_count(["a", "b"], 500, ["c", "d", "a"], 500) == 2  # older ones dropped out by retention
    from orchestration.status import Collection

    def got(at):  # collected at `at`, on schedule (round 29: the line takes the whole `Collection`)
        return Collection(tried_at=at, got_at=at)

    t = datetime(2026, 12, 7, 20, 47, 2)
    assert explorer.list_read_text(t, datetime(2026, 12, 7, 20, 47, 32), 15, got(datetime(2026, 12, 7, 20, 46, 58))) == (
        "Danh sách đọc lúc 20:47:02; tự kiểm tra tin mới mỗi 15 giây, lần gần nhất lúc 20:47:32. "
        "Máy chủ thu thập lần gần nhất lúc 20:46:58.")
    assert explorer.list_read_text(t, t, 15, got(datetime(2026, 12, 5, 9, 0))).endswith(
        "Máy chủ thu thập lần gần nhất lúc 09:00:00 ngày 05/12/2026.")
    assert explorer.list_read_text(t, t, 15, got(None)).endswith("Máy chủ chưa thu thập lần nào.")


def test_the_live_overview_says_when_the_server_last_collected_under_its_title(demo):
    """Tổng quan watched live said when its figures were read (round 27) under the title, and when the server last
    collected only in its last line, below the charts and the newest items: a screen left open did not tell a server
    that collects from one that stopped. The line under the title says both."""
    at = demo.page("overview", "viewer").run()
    no_exception(at)
    line = next(c.value for c in at.caption if c.value.startswith("Địa bàn theo dõi:"))
    assert "tự cập nhật mỗi" in line and ("Máy chủ thu thập lần gần nhất lúc" in line
                                          or line.endswith("Máy chủ chưa thu thập lần nào.")), line
