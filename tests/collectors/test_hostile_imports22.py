"""Import files tried in round 22 (docs/SECURITY.md, "Files: imports"): an XLSX whose parts declare XML entities.
Memory and time are in bench/hostile_imports.py (`--only entities`); here the behaviour."""

from __future__ import annotations

import io
import zipfile

import pytest

from bench.imports import _CT, _RELS, _WB, _WB_RELS
from collectors import imports as imp
from collectors.imports.errors import ImportFormatError
from vocab.config import ImportsConfig

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
DTD = '<!DOCTYPE x [<!ENTITY e "' + "A" * 250 + '">]>'


def _sheet(cell: str) -> str:
    return (f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Tiêu đề</t></is></c></row>'
            f'<row r="2"><c r="A2" t="inlineStr"><is><t>{cell}</t></is></c></row></sheetData></worksheet>')


def _sst(cell: str) -> str:
    return f'<sst {NS} count="1" uniqueCount="1"><si><t>{cell}</t></si></sst>'


def _xlsx(sheet: str, sst: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in (("[Content_Types].xml", _CT), ("_rels/.rels", _RELS), ("xl/workbook.xml", _WB),
                           ("xl/_rels/workbook.xml.rels", _WB_RELS), ("xl/worksheets/sheet1.xml", sheet),
                           ("xl/sharedStrings.xml", sst)):
            z.writestr(name, body)
    return buf.getvalue()


def _rows(data: bytes) -> list[dict]:
    with imp.open_table("t.xlsx", io.BytesIO(data), ImportsConfig()) as t:
        return list(t.rows)


@pytest.mark.parametrize("where", ["sheet", "shared-strings", "after-comments", "workbook-rels"])
def test_an_xlsx_part_that_declares_entities_is_refused_before_it_is_parsed(where):
    """expat expands an internal entity wherever it is referenced (its guard allows a hundredfold): a 13 KB
    XLSX of `&e;` in one cell made a 1,000,000,000-character string, 2.3 GB and 21 s before the cell cap saw it
    (a 100 MB sheet under max_uncompressed_mb: tens of GB, inside serve). No workbook writer puts a DTD in a
    part: refused in Vietnamese before openpyxl opens the file, whichever part holds it."""
    refs = "&e;" * 1000
    sheet, sst = HEAD + _sheet("Bụi than"), HEAD + _sst("x")
    if where == "sheet":
        sheet = HEAD + DTD + _sheet(refs)
    elif where == "shared-strings":
        sst = HEAD + DTD + _sst(refs)
    elif where == "after-comments":  # the prolog may hold comments first: the whole prolog is read
        sheet = HEAD + "<!--" + " " * 300_000 + "-->" + DTD + _sheet(refs)
    data = _xlsx(sheet, sst)
    if where == "workbook-rels":
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as out:
            for i in src.infolist():
                body = src.read(i)
                if i.filename == "xl/_rels/workbook.xml.rels":
                    body = body.replace(b"?>", b"?>" + DTD.encode(), 1)
                out.writestr(i.filename, body)
        data = buf.getvalue()
    with pytest.raises(ImportFormatError, match="DOCTYPE.*billion laughs") as e:
        _rows(data)
    assert "xl/" in str(e.value)


def test_an_ordinary_xlsx_and_a_part_with_character_references_still_read():
    """What a workbook does hold: predefined and numeric character references, a UTF-8 prolog, comments."""
    sheet = HEAD + "<!-- Excel -->" + _sheet("Bụi &amp; ồn &#7899; &lt;khu 3&gt;")
    assert _rows(_xlsx(sheet, HEAD + _sst("x"))) == [{"Tiêu đề": "Bụi & ồn ớ <khu 3>"}]
