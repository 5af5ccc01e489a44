"""Round 28's walk of the live use (ux32): a staff member keeps Tổng quan / Tin bài open while items arrive and is
told by e-mail or webhook; what they tripped over, in AppTest or as plain functions."""

from __future__ import annotations

import pandas as pd

from dashboard import ui
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
