"""What collectors/imports takes from openpyxl beyond its documented API, pinned (round 23): the checks fail on an
openpyxl that reads a workbook otherwise, instead of the import quietly disagreeing with it. They were read on
openpyxl 3.1.5; pyproject.toml keeps installs below 3.2, and these checks, not a version number, say whether a
release still fits (a test of the exact version would fail every fresh install after a patch release).

- zipcheck.workbook_part: our reading of [Content_Types] (public Manifest) must name the part openpyxl's reader
  opens (its private `_find_workbook_part`), or the part-size check spares the wrong part.
- xlsx_strings.load_workbook_lean: an ExcelReader whose read_strings is ours; read() must still call it and the
  attributes it uses (package, archive, shared_strings) must still be there.
- xlsx_slim.slim_rows_of (round 31): the read-only worksheet's `_get_source` and `_get_row` replaced on the instance;
  iter_rows must still build each row through `self._get_row(cells, …)` with cells as dicts of "column" and "value".
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from openpyxl.packaging.manifest import Manifest
from openpyxl.reader.excel import _find_workbook_part
from openpyxl.xml.functions import fromstring

from bench.imports import _CT, _SHEET, write_moved_workbook, write_skeleton
from collectors.imports import xlsx_strings
from collectors.imports.zipcheck import workbook_part

XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


MANIFESTS = {
    "xlsx": _CT,
    "xlsm": _CT.replace("sheet.main+xml", "sheet.main+xml").replace(XLSX_MAIN, "application/vnd.ms-excel.sheet."
                                                                                "macroEnabled.main+xml"),
    "template": _CT.replace(XLSX_MAIN, "application/vnd.openxmlformats-officedocument.spreadsheetml.template."
                                       "main+xml"),
    "moved": _CT.replace('"/xl/workbook.xml"', '"/xl/worksheets/workbook.xml"'),
    "by default": _CT.replace(f'<Override PartName="/xl/workbook.xml" ContentType="{XLSX_MAIN}"/>', "")
                     .replace('Extension="xml" ContentType="application/xml"', f'Extension="xml" ContentType="{XLSX_MAIN}"'),
    "none": _CT.replace(f'<Override PartName="/xl/workbook.xml" ContentType="{XLSX_MAIN}"/>', ""),
}


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_the_workbook_part_is_the_one_openpyxl_opens(name):
    manifest = Manifest.from_tree(fromstring(MANIFESTS[name].encode()))
    try:
        theirs = _find_workbook_part(manifest).PartName[1:]
    except OSError:
        with pytest.raises(OSError):
            workbook_part(manifest)
        assert name == "none"
        return
    assert workbook_part(manifest) == theirs
    assert name != "none"


SST = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'count="3" uniqueCount="3"><si><t>Tiêu đề</t></si><si><t>Nội dung</t></si><si><r><t>Bụi</t></r><r><t> than'
       '</t></r></si></sst>')


def test_the_lean_reader_reads_the_shared_strings_and_the_rows_as_openpyxl(tmp_path, monkeypatch):
    path = tmp_path / "t.xlsx"
    with zipfile.ZipFile(path, "w") as z:  # shared strings, as Excel writes them (openpyxl itself writes inline ones)
        write_skeleton(z)
        z.writestr("xl/worksheets/sheet1.xml", _SHEET)
        z.writestr("xl/sharedStrings.xml", SST)
    calls = []
    ours = xlsx_strings.read_shared_strings
    monkeypatch.setattr(xlsx_strings, "read_shared_strings", lambda src: calls.append(1) or ours(src))
    lean = xlsx_strings.load_workbook_lean(io.BytesIO(path.read_bytes()))
    plain = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = lambda book: [list(r) for r in book.active.iter_rows(values_only=True)]  # noqa: E731
    assert calls == [1], "openpyxl's ExcelReader.read() no longer calls read_strings: the lean reader is bypassed"
    assert rows(lean) == rows(plain) == [["Tiêu đề", "Nội dung"], ["Bụi than", "Bụi than"]]


def test_a_moved_workbook_part_is_found_where_openpyxl_finds_it(tmp_path):
    with zipfile.ZipFile(write_moved_workbook(tmp_path / "m.xlsx", 10)) as z:
        manifest = Manifest.from_tree(fromstring(z.read("[Content_Types].xml")))
    assert workbook_part(manifest) == _find_workbook_part(manifest).PartName[1:] == "xl/worksheets/workbook.xml"


def test_the_read_only_rows_are_built_by_get_row_from_cells_of_column_and_value():
    """xlsx_slim._cells_of stands in for the worksheet's `_get_row`: each row of iter_rows is what it returns, from
    openpyxl's parsed cells (their "column" and "value")."""
    wb = openpyxl.Workbook()
    wb.active.append(["a", None, 3])
    wb.active.append([])
    wb.active.append([None, "b"])
    buf = io.BytesIO()
    wb.save(buf)
    ws = openpyxl.load_workbook(buf, read_only=True).worksheets[0]
    ws.reset_dimensions()
    seen: list[list[tuple[int, object]]] = []
    ws._get_row = lambda row, *a, **kw: seen.append([(c["column"], c["value"]) for c in row]) or ("row", len(seen))
    assert list(ws.iter_rows(values_only=True)) == [("row", 1), [], ("row", 2)]  # a missing row: empty, not built
    assert seen == [[(1, "a"), (3, 3)], [(2, "b")]]
