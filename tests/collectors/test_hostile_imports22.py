"""Import files tried in round 22 (docs/SECURITY.md, "Files: imports"): an XLSX whose parts declare XML entities.
Memory and time are in bench/hostile_imports.py (`--only entities`); here the behaviour."""

from __future__ import annotations

import io
import zipfile

import pytest

from bench.imports import write_skeleton
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
        write_skeleton(z)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", sst)
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


@pytest.mark.parametrize("where", ["sheet", "shared-strings"])
def test_an_xlsx_nested_too_deep_where_expat_reads_it_is_refused_before_it_is_parsed(where):
    """openpyxl's iterparse holds every open element and expat has no depth limit: 3,000,000 elements nested in
    one cell (22 KB on disk) took 925 MB and 47 s. Refused past zipcheck.MAX_XML_DEPTH; rich text still reads."""
    deep = "<x>" * 5_000 + "</x>" * 5_000
    rich = '<r><rPr><b/><sz val="11"/></rPr><t>Bụi</t></r><r><t xml:space="preserve"> than</t></r>'
    sheet, sst = HEAD + _sheet("a"), HEAD + _sst("x")
    if where == "sheet":
        sheet = HEAD + _sheet("a").replace("<t>a</t>", "<t>a</t>" + deep)
    else:
        sst = HEAD + _sst("x").replace("<t>x</t>", "<t>x</t>" + deep)
    with pytest.raises(ImportFormatError, match="lồng nhau quá sâu") as e:
        _rows(_xlsx(sheet, sst))
    assert ("sheet1" if where == "sheet" else "sharedStrings") in str(e.value)
    assert _rows(_xlsx(HEAD + _sheet("a").replace("<t>a</t>", rich), sst.replace(deep, ""))) == [{"Tiêu đề": "Bụi than"}]


def test_an_ordinary_xlsx_and_a_part_with_character_references_still_read():
    """What a workbook does hold: predefined and numeric character references, a UTF-8 prolog, comments."""
    sheet = HEAD + "<!-- Excel -->" + _sheet("Bụi &amp; ồn &#7899; &lt;khu 3&gt;")
    assert _rows(_xlsx(sheet, HEAD + _sst("x"))) == [{"Tiêu đề": "Bụi & ồn ớ <khu 3>"}]


def _head_rows(n: int) -> str:
    return "".join(f'"Bụi than {i}","Người dân phường Vàng Danh phản ánh xe chở than {i}"\n' for i in range(n))


@pytest.mark.parametrize("name", ["t.csv", "t.jsonl"])
def test_a_file_that_changes_encoding_part_way_says_how_many_rows_lost_bytes(name):
    """The codec is sniffed from the file's head; a Windows-1258 part appended to a UTF-8 file (two exports
    joined) was imported with U+FFFD in place of its letters and nothing said. Now counted and said."""
    bad = "Đường hỏng ở Yên Tử".encode("cp1258", "replace")  # Đ, ờ… are not UTF-8 bytes
    if name.endswith(".csv"):
        data = ("Tiêu đề,Nội dung\n" + _head_rows(2000)).encode() + b'"' + bad + b'","x"\n' + '"Cuối","Hết"\n'.encode()
    else:
        data = "".join('{"text": "Bụi than %d ở phường Vàng Danh"}\n' % i for i in range(2000)).encode() \
            + b'{"text": "' + bad + b'"}\n'
    with imp.open_table(name, io.BytesIO(data), ImportsConfig()) as t:
        rows = list(t.rows)
    assert len(rows) == 2001 + name.endswith(".csv")
    assert dict(t.notes) == {"replaced_bytes": 1}
    said = imp.notes_text(t.notes)
    assert len(said) == 1 and said[0].startswith("1 dòng có byte không đọc được") and "UTF-8" in said[0]


@pytest.mark.parametrize("name", ["t.csv", "t.jsonl", "t.json"])
def test_what_the_codec_could_not_read_is_counted_where_it_is_decoded(name):
    """Round 23: counted by the codec's error handler (imports/text.decoded), once a line, whatever the reader: a
    U+FFFD the file itself holds (valid UTF-8 EF BF BD) is text, not a lost byte, and was counted before."""
    bad = "Đường hỏng ở Yên Tử".encode("cp1258", "replace")  # three unreadable sequences in one line
    head = ("Tiêu đề,Nội dung\n" + _head_rows(2000)).encode() if name.endswith(".csv") else \
        "".join('{"text": "Bụi than %d ở phường Vàng Danh"},\n' % i for i in range(2000)).encode()
    rows = [b'"x \xef\xbf\xbd","y"\n', b'"' + bad + b'","x"\n', b'"' + bad + b'","' + bad + b'"\n']
    if not name.endswith(".csv"):
        rows = [b'{"text": "x \xef\xbf\xbd"},\n', b'{"text": "' + bad + b'"},\n', b'{"text": "' + bad + bad + b'"}\n']
    data = head + b"".join(rows)
    if name.endswith(".json"):
        data = b"[" + data + b"]"
    elif name.endswith(".jsonl"):
        data = data.replace(b"},\n", b"}\n")
    with imp.open_table(name, io.BytesIO(data), ImportsConfig()) as t:
        assert sum("\ufffd" in str(r) for r in t.rows) == 3
    assert dict(t.notes) == {"replaced_bytes": 2}


def test_a_clean_file_has_no_note():
    with imp.open_table("t.csv", io.BytesIO(("Tiêu đề,Nội dung\n" + _head_rows(50)).encode()), ImportsConfig()) as t:
        assert len(list(t.rows)) == 50 and not t.notes


SST_SAMPLE = (HEAD + f'<sst {NS} count="6" uniqueCount="6"><si><t>Tiêu đề</t></si>'
              '<si><r><rPr><b/></rPr><t>Bụi</t></r><r><t xml:space="preserve"> than</t></r></si>'
              '<si><t>Vàng Danh</t><rPh sb="0" eb="1"><t>ヴァ</t></rPh></si><si><t/></si>'
              '<si><t>a_x005F_x000D_b</t></si><si><t>&lt;khu 3&gt; &amp; ồn</t></si></sst>')


def test_shared_strings_are_read_as_openpyxl_reads_them():
    """xlsx_strings.read_shared_strings: the same strings as openpyxl's read_string_table (plain text, rich-text
    runs joined, phonetic runs left out, an empty string, its `x005F_` removal, character references)."""
    from openpyxl.reader.strings import read_string_table

    from collectors.imports.xlsx_strings import read_shared_strings

    ours = read_shared_strings(io.BytesIO(SST_SAMPLE.encode()))
    assert ours == list(read_string_table(io.BytesIO(SST_SAMPLE.encode())))
    assert ours[:3] == ["Tiêu đề", "Bụi than", "Vàng Danh"]


def test_an_xlsx_import_reads_its_shared_strings_without_openpyxls_reader(monkeypatch):
    """openpyxl's reader built an object per string and kept every cleared <si> under the root: 4,300,000 tiny
    shared strings (98 MB unzipped, under max_uncompressed_mb) took 723 MB and 136 s; xlsx_strings 364 MB, 72 s."""
    import openpyxl.reader.excel as excel

    def refuse(*_a, **_k):
        raise AssertionError("openpyxl's read_string_table was used")

    monkeypatch.setattr(excel, "read_string_table", refuse)
    sheet = HEAD + (f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
                    '<row r="2"><c r="A2" t="s"><v>1</v></c></row><row r="3"><c r="A3" t="s"><v>5</v></c></row>'
                    '</sheetData></worksheet>')
    assert _rows(_xlsx(sheet, SST_SAMPLE)) == [{"Tiêu đề": "Bụi than"}, {"Tiêu đề": "<khu 3> & ồn"}]


@pytest.mark.parametrize("name", ["t.json", "t.jsonl"])
def test_a_line_nested_10000_deep_is_skipped_as_too_deep_not_as_not_json(name):
    """A .json holding one object 10,000 deep (not an array) is read as JSONL; Python's parser gives up on it
    (RecursionError) and the row was skipped as «dòng không phải JSON», which it is."""
    data = ('{"text": "Bụi than"}\n' + '{"a":' * 10_000 + "1" + "}" * 10_000 + "\n").encode()
    with imp.open_table(name, io.BytesIO(data), ImportsConfig()) as t:
        rows = list(t.rows)
    assert rows == [{"text": "Bụi than"}, {"_error": "line 2: nested too deeply"}]


def _renamed(data: bytes, moves: dict[str, str]) -> bytes:
    """The workbook with parts moved to other names, its [Content_Types] and relationships following: openpyxl
    finds a sheet by the workbook's relationships and the shared strings by their content type, not by a name."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for i in src.infolist():
            body = src.read(i)
            for old, new in moves.items():
                body = body.replace(old.encode(), new.encode())
                body = body.replace(old.removeprefix("xl/").encode(), new.removeprefix("xl/").encode())
            out.writestr(moves.get(i.filename, i.filename), body)
    return buf.getvalue()


@pytest.mark.parametrize("where", ["sheet", "shared-strings"])
def test_a_deep_part_under_another_name_is_refused_too(where):
    """Round 22 review: the depth was judged only in xl/worksheets/* and xl/sharedStrings.xml, but openpyxl opens
    whatever part the workbook's relationships (a sheet) or [Content_Types] (the shared strings) name: the same
    deep cell moved to xl/data.xml passed the check and reached openpyxl's iterparse."""
    deep = "<x>" * 5_000 + "</x>" * 5_000
    sheet, sst = HEAD + _sheet("a"), HEAD + _sst("x")
    if where == "sheet":
        sheet = sheet.replace("<t>a</t>", "<t>a</t>" + deep)
        moves = {"xl/worksheets/sheet1.xml": "xl/data.xml"}
    else:
        sst = sst.replace("<t>x</t>", "<t>x</t>" + deep)
        moves = {"xl/sharedStrings.xml": "xl/strings.xml"}
    plain = _renamed(_xlsx(HEAD + _sheet("a"), HEAD + _sst("x")), moves)
    assert _rows(plain) == [{"Tiêu đề": "a"}]  # openpyxl does read the moved part
    with pytest.raises(ImportFormatError, match="lồng nhau quá sâu"):
        _rows(_renamed(_xlsx(sheet, sst), moves))


@pytest.mark.parametrize("encoding", ["bogus", "rot13", "utf-32", "idna", "punycode"])
def test_a_part_declaring_an_encoding_expat_cannot_use_is_a_format_error(encoding):
    """Round 22 review: the part check let pyexpat's LookupError, ValueError or UnicodeError out of check_zip (an
    English traceback where staff read «tệp hỏng»; openpyxl's own failure on such a part was always caught)."""
    sheet = f'<?xml version="1.0" encoding="{encoding}"?>' + _sheet("a")
    with pytest.raises(ImportFormatError, match="XLSX"):
        _rows(_xlsx(sheet, HEAD + _sst("x")))


def test_a_workbook_part_named_like_a_sheet_is_still_capped(tmp_path):
    """Round 22 review: the parts spared max_xlsx_part_mb were chosen by name (xl/worksheets/*,
    xl/sharedStrings.xml), so a workbook part moved to xl/worksheets/workbook.xml ([Content_Types] and the
    relationships following) reached openpyxl, which parses it whole, at 7.8 MB past the 5 MB cap. Now only the
    parts openpyxl streams, by [Content_Types] and the workbook's relationships, are spared."""
    from bench.imports import write_moved_workbook
    from collectors.imports.errors import ImportLimitError

    small = write_moved_workbook(tmp_path / "small.xlsx", 10).read_bytes()
    assert _rows(small) == [{"text": "Bụi than", "title": "Bụi than"}]  # openpyxl does read it there
    big = write_moved_workbook(tmp_path / "big.xlsx", 50_000).read_bytes()  # 200 KB of workbook part
    with pytest.raises(ImportLimitError, match="«xl/worksheets/workbook.xml».*imports.max_xlsx_part_mb"):
        with imp.open_table("t.xlsx", io.BytesIO(big), ImportsConfig(max_xlsx_part_mb=0.1)) as t:
            list(t.rows)


def test_an_unreadable_xlsx_is_said_in_one_wording_wherever_it_fails(monkeypatch):
    """Round 22 review: «Không đọc được tệp XLSX: tệp hỏng…» was written three times (the zip check twice, the
    reader once); now errors.unreadable_xlsx, whichever step fails."""
    from pathlib import Path

    import collectors.imports.xlsx_rows as xlsx_rows
    from collectors.imports.errors import unreadable_xlsx

    said = str(unreadable_xlsx("X"))
    assert said.startswith("Không đọc được tệp XLSX: tệp hỏng") and said.endswith("(X).")
    with pytest.raises(ImportFormatError) as e:  # no end record: not a zip at all
        _rows(b"PK not a zip")
    assert str(e.value) == str(unreadable_xlsx("không có mục lục zip"))
    good = _xlsx(HEAD + _sheet("a"), HEAD + _sst("x"))
    with zipfile.ZipFile(io.BytesIO(good)) as z:  # no [Content_Types]: openpyxl could not find the workbook
        parts = {n: z.read(n) for n in z.namelist() if n != "[Content_Types].xml"}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)
    with pytest.raises(ImportFormatError) as e:
        _rows(buf.getvalue())
    assert str(e.value) == str(unreadable_xlsx("KeyError"))
    monkeypatch.setattr(xlsx_rows, "load_workbook_lean", lambda _s: (_ for _ in ()).throw(OSError("x")))
    with pytest.raises(ImportFormatError) as e:  # the reader's own failure
        _rows(good)
    assert str(e.value) == str(unreadable_xlsx("OSError"))
    imports_dir = Path(xlsx_rows.__file__).parent
    assert sum(p.read_text(encoding="utf-8").count("tệp hỏng hoặc không phải") for p in imports_dir.glob("*.py")) == 1


@pytest.mark.parametrize("part", ["[Content_Types].xml", "xl/_rels/workbook.xml.rels"])
def test_the_parts_read_to_find_the_streamed_ones_are_judged_before_they_are_parsed(part, monkeypatch):
    """[Content_Types] and the relationships are parsed whole to find the parts openpyxl streams (round 22 review):
    a DTD there is refused by the part check before that parse, naming the part, as in any other part."""
    from collectors.imports import zipcheck

    monkeypatch.setattr(zipcheck, "_streamed_parts", lambda *_a: pytest.fail("parsed before it was judged"))
    good = _xlsx(HEAD + _sheet("a"), HEAD + _sst("x"))
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(buf, "w") as out:
        for name in src.namelist():
            body = src.read(name)
            out.writestr(name, body.replace(b"?>", b"?>" + DTD.encode(), 1) if name == part else body)
    with pytest.raises(ImportFormatError, match="khai báo kiểu tài liệu") as e:
        _rows(buf.getvalue())
    assert part in str(e.value)
