"""The weekly report's complaint figures: the sentence and Bảng 9 add up from store.cases.figures rows."""

from __future__ import annotations

from reports.cases_section import complaints
from reports.document import Para, Table


def test_figures_are_worded_and_tabled():
    rows = [{"key": "facebook_page", "received": 6, "handled": 5, "on_time": 4, "overdue": 1, "median_hours": 20.0},
            {"key": "zalo_oa", "received": 4, "handled": 4, "on_time": 4, "overdue": 0, "median_hours": 6.5}]
    blocks, sheets = complaints(rows, "Tuần 2026-W48")
    lead = blocks[0]
    assert isinstance(lead, Para)
    assert "tiếp nhận 10 phản ánh" in lead.plain and "đã trả lời 9 (90%)" in lead.plain
    assert "8 đúng hạn" in lead.plain and "1 phản ánh đang quá hạn" in lead.plain
    table = blocks[1]
    assert isinstance(table, Table) and table.rows[0][:3] == ["Fanpage", "6", "5"] and table.rows[1][0] == "Zalo OA"
    assert sheets[0].name == "Phản ánh" and sheets[0].rows[1][1] == 4


def test_a_week_without_complaints_says_so():
    blocks, sheets = complaints([], "Tuần 2026-W48")
    assert "không tiếp nhận phản ánh nào" in blocks[0].plain and sheets[0].rows == []
