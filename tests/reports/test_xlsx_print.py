"""The workbook prints as staff file it: A4, each sheet as wide as the page, the header row on every page,
page numbers. Round 21 walk: no page setup at all, so the Phụ lục (10 columns, 342 characters) printed on
Letter paper with its columns spread over several pages."""

from __future__ import annotations

import openpyxl

from reports.xlsx_out import Sheet, write_xlsx


def test_every_sheet_prints_on_a4_fit_to_width_with_its_header_row_repeated(tmp_path):
    narrow = Sheet("Sắc thái", "Sắc thái", [("Sắc thái", 16), ("Tuần này", 11)], [["Tiêu cực", 3]])
    wide = Sheet("Phụ lục 'A'", "Phụ lục", [("Tiêu đề", 80), ("Địa bàn", 40), ("Liên kết", 60)],
                 [["Bụi than", "phường Vàng Danh", "x"]] * 3)
    path = write_xlsx([narrow, wide], tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        ps = ws.page_setup
        assert ps.paperSize == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToWidth == 1 and ps.fitToHeight == 0
        assert ws.print_title_rows == "$4:$4", ws.title
        assert "&P" in ws.oddFooter.center.text and "Trang" in ws.oddFooter.center.text
    assert wb["Sắc thái"].page_setup.orientation == "portrait"
    assert wb["Phụ lục 'A'"].page_setup.orientation == "landscape"
    assert wb["Phụ lục 'A'"].freeze_panes == "A5" and wb["Phụ lục 'A'"]["A5"].value == "Bụi than"
