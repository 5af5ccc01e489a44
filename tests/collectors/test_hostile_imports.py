"""Import files not yet in docs/SECURITY.md (round 18): empty styled rows, zips that are no workbook, UTF-16
with a BOM, NUL bytes. Peak memory and time are in bench/hostile_imports.py; here the behaviour."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import pytest

from bench.hostile_imports import ROWS, csv_text, styled_xlsx
from collectors import imports as imp
from collectors.imports.xlsx_slim import SlimRows
from vocab.config import ImportsConfig, SourceConfig


def _read(name: str, data: bytes, limits: ImportsConfig | None = None) -> tuple[list[str], list[dict]]:
    with imp.open_table(name, io.BytesIO(data), limits or ImportsConfig()) as t:
        return t.columns, list(t.rows)


@pytest.mark.parametrize("cells", [False, True], ids=["rows", "styled-cells"])
def test_empty_styled_rows_are_read_without_their_formatting_and_a_row_after_them_is_kept(tmp_path, cells):
    """openpyxl kept every styled row's attributes for the whole read: 1,000,000 empty styled rows (52 MB
    unzipped, under max_uncompressed_mb) held 530 MB and took 17 s. Rows are now read through xlsx_slim.SlimRows."""
    p = tmp_path / "s.xlsx"
    styled_xlsx(p, 3000, cells=cells)
    with zipfile.ZipFile(p) as z:  # a row of data far below the empty ones
        sheet = z.read("xl/worksheets/sheet1.xml").replace(b"</sheetData>", (
            '<row r="9000" ht="30" customHeight="1"><c r="A9000" t="inlineStr"><is><t>Sau</t></is></c>'
            '<c r="B9000" t="inlineStr"><is><t>Bà con Yên Tử phản ánh</t></is></c></row></sheetData>').encode())
    p.write_bytes(_rebuilt(p, sheet))
    columns, rows = _read("s.xlsx", p.read_bytes())
    assert columns == list(ROWS[0])
    assert [r["Tiêu đề"] for r in rows] == [ROWS[1][0], ROWS[2][0], "Sau"]


def _rebuilt(p, sheet: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(p) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for i in src.infolist():
            if i.filename != "xl/worksheets/sheet1.xml":
                out.writestr(i.filename, src.read(i))
        out.writestr("xl/worksheets/sheet1.xml", sheet)
    return buf.getvalue()


def test_a_row_tag_cut_between_two_reads_is_slimmed_whole():
    xml = b'<sheetData><row r="1" s="3" customFormat="1"><c r="A1"><v>1</v></c><c r="B1" s="2"/><c s="2"/>' \
          b'<cfRule r="x"/></row><row r="2" s="3"/><x:row r="3" ht="20"></x:row><rowBreaks count="0"/></sheetData>'

    class Trickle(io.BytesIO):
        def read(self, size: int = -1) -> bytes:
            return super().read(7)

    out = b""
    src = SlimRows(Trickle(xml))
    while chunk := src.read(16384):
        out += chunk
    assert out == b'<sheetData><row r="1"><c r="A1"><v>1</v></c><c s="2"/><cfRule r="x"/></row><x:row r="3"></x:row>' \
                  b'<rowBreaks count="0"/></sheetData>'


@pytest.mark.parametrize("make,said", [
    (lambda z: z.writestr("readme.txt", "không phải bảng tính"), "tệp nén ZIP thường"),
    (lambda z: (z.writestr("[Content_Types].xml", "<Types/>"), z.writestr("word/document.xml", "<w:document/>")),
     "văn bản Word (DOCX)"),
    (lambda z: (z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
                z.writestr("content.xml", "<office:document-content/>")), "OpenDocument"),
], ids=["zip", "docx", "ods"])
def test_a_zip_that_holds_no_workbook_says_what_it_is(make, said):
    """openpyxl said «tệp hỏng hoặc không phải XLSX (KeyError)» / «(OSError)»: now what the file is, and what to do."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        make(z)
    with pytest.raises(imp.ImportFormatError, match=re.escape(said)) as err:
        _read("bao-cao.xlsx", buf.getvalue())
    assert "lưu lại dạng .xlsx" in str(err.value)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-8"])
def test_a_csv_with_a_bom_is_read_in_its_encoding(codec):
    columns, rows = _read("b.csv", "\ufeff".encode(codec) + csv_text(ROWS).encode(codec))
    assert columns == list(ROWS[0]) and [tuple(r.values()) for r in rows] == ROWS[1:]


def test_nul_bytes_in_a_csv_are_dropped_and_a_row_of_them_is_skipped():
    columns, rows = _read("n.csv", csv_text(ROWS).replace("Vàng Danh", "Vàng Danh\0").encode() + b"\0\0\0\r\n")
    settings = imp.ImportSettings(SourceConfig(name="import-n", kind="import", url="file:x", outlet="Tệp",
                                               source_type="social"))
    items, skipped = imp.map_rows(rows, imp.parse_mapping("title=Tiêu đề,text=Nội dung,published_at=Ngày đăng"),
                                  settings, datetime(2026, 12, 6))
    assert [i.title for i in items] == [ROWS[1][0], ROWS[2][0]] and sum(skipped.values()) == 1


def test_a_json_array_nested_deep_is_read_with_that_element_skipped():
    """ijson.items kept the path of every open level: a 40 KB array nested 20,000 deep took 970 MB, 400 KB
    nested 200,000 deep killed the process (and serve, from the Nhập dữ liệu page). Now the element is
    skipped with its reason and the others are imported."""
    deep = "[" * 5000 + "]" * 5000
    data = f'[{{"text": "Bài một về Vàng Danh"}}, {deep}, {{"text": "Bài hai", "a": {{"b": [1, {{"c": 2}}]}}}}, 7]'
    columns, rows = _read("d.json", data.encode())
    assert columns == ["text", "a"]
    assert rows == [{"text": "Bài một về Vàng Danh"}, {"_error": "element 2: nested too deeply"},
                    {"text": "Bài hai", "a": {"b": [1, {"c": 2}]}}, {"_error": "element 4: not an object"}]



def _zip_of(parts: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for part, text in parts.items():
            z.writestr(part, text)
    return buf.getvalue()


@pytest.mark.parametrize("name,data,said", [
    ("lon.json", b'[{"text": "' + b"a" * 600_000 + b'"}]', "Tệp JSON dạng mảng lớn 0,6 MB"),
    ("lon.xlsx", _zip_of({"xl/workbook.xml": "<workbook/>", "xl/sharedStrings.xml": "<sst>" + "a" * 600_000 + "</sst>"}),
     "Tệp XLSX khi giải nén chiếm 0,6 MB"),
], ids=["json-array", "xlsx"])
def test_a_fractional_max_uncompressed_mb_is_said_as_set(name, data, said):
    """`max_uncompressed_mb = 0.5` refused a file «quá giới hạn 0 MB» (fmt_num rounded it to a whole MB)."""
    with pytest.raises(imp.ImportFormatError) as err:
        _read(name, data, ImportsConfig(max_uncompressed_mb=0.5))
    assert f"{said}, quá giới hạn 0,5 MB (imports.max_uncompressed_mb)" in str(err.value)
