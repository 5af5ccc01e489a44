"""Round 31 sweep (`hostile34`, docs/SECURITY.md): imports with a wide header. Time and peak memory are in
bench/hostile34.py; here the behaviour."""

from __future__ import annotations

import io
from datetime import datetime

import pytest

from bench.hostile34 import far_cell_xlsx, wide_csv, wide_jsonl
from collectors import imports as imp
from collectors.imports.caps import MAX_COLUMNS
from collectors.imports.errors import ImportLimitError
from vocab.config import ImportsConfig, SourceConfig


def _read(name: str, data: bytes) -> tuple[list[str], list[dict]]:
    with imp.open_table(name, io.BytesIO(data), ImportsConfig()) as t:
        return t.columns, list(t.rows)


def test_a_short_csv_row_under_a_wide_header_carries_only_its_own_fields():
    """csv.DictReader filled every row out to the header: under 100,000 columns (690 KB) 1,000 one-letter rows took
    100 s, a survey preview of 200,000 columns 93 s and 3.9 GB. A row now costs its own fields, and reads the same."""
    columns, rows = _read("a.csv", wide_csv(10_000, 3))
    assert len(columns) == 10_002
    assert [len(r) for r in rows] == [2, 2, 2]
    assert rows[1] == {"Giới tính": "Nam", "Ý kiến": "ý kiến số 1"}
    items, skipped = imp.map_rows(rows, {"text": "Ý kiến", "author": "c9999", "place": "c5"},
                                  imp.ImportSettings(SourceConfig(name="t", kind="import", url="", outlet="t")),
                                  datetime(2026, 12, 7, 8, 0))
    assert [it.summary for it in items] == ["ý kiến số 0", "ý kiến số 1", "ý kiến số 2"] and not skipped


def test_csv_rows_skip_blank_lines_count_extra_fields_and_leave_out_the_columns_they_do_not_reach():
    data = 'a,b,c\n\n1,"x, y",3\n4\n5,6,7,8\n'.encode()
    columns, rows = _read("a.csv", data)
    assert columns == ["a", "b", "c"]
    assert rows == [{"a": "1", "b": "x, y", "c": "3"}, {"a": "4"}, {"a": "5", "b": "6", "c": "7"}]
    with imp.open_table("a.csv", io.BytesIO(data), ImportsConfig()) as t:
        list(t.rows)
        assert t.notes["extra_fields"] == 1


@pytest.mark.parametrize("name, data", [
    ("a.csv", wide_csv(MAX_COLUMNS, 2)),                 # 16,386 columns with «Giới tính», «Ý kiến»
    ("a.jsonl", wide_jsonl(MAX_COLUMNS + 1)),
    ("a.xlsx", far_cell_xlsx(2, "B", header_at="ZZZ")),  # openpyxl reads columns to ZZZ (18,278), past Excel's XFD
], ids=["csv", "jsonl", "xlsx"])
def test_a_header_wider_than_excels_16384_columns_is_refused_in_vietnamese(name, data):
    with pytest.raises(ImportLimitError, match=r"cột, quá giới hạn 16\.384 cột \(giới hạn của Excel\)"):
        _read(name, data)


def test_a_header_of_excels_width_is_read():
    columns, rows = _read("a.jsonl", wide_jsonl(MAX_COLUMNS - 1))  # and «text» on its second line
    assert len(columns) == MAX_COLUMNS and rows[1] == {"text": "Bụi than ở Vàng Danh"}


def test_a_mapping_error_names_a_few_columns_not_the_whole_header():
    columns = [f"cột số {i} " + "x" * 200 for i in range(5000)]
    with pytest.raises(imp.ImportFormatError) as ei:
        imp.check_mapping({"text": "Nội dung"}, columns)
    msg = str(ei.value)
    assert len(msg) < 3500, len(msg)
    assert "cột số 0 " in msg and "và 4.970 cột khác" in msg and "cột số 4999" not in msg


def test_a_survey_preview_shows_every_column_of_a_short_row():
    """The Khảo sát page draws its sample as a table of every column: a short row's missing ones are empty."""
    from orchestration import surveys

    pv = surveys.preview("a.csv", io.BytesIO("Giới tính,Ý kiến,Nơi ở\nNam,Tốt\nNữ,Chưa tốt,Yên Tử\n".encode()),
                         ImportsConfig())
    assert pv.sample[0] == {"Giới tính": "Nam", "Ý kiến": "Tốt", "Nơi ở": ""}
    assert pv.sample[1]["Nơi ở"] == "Yên Tử"


def test_an_xlsx_row_is_read_as_the_cells_it_holds_not_out_to_its_last_cell():
    """openpyxl builds a row out to its last cell: a number at column ZZZ was 18,278 values, each looked at again by
    the reader (2,000 such rows 3.7 s against 0.4 s at column B). A row is now its cells: the header's columns it
    fills, and the cells right of the header counted, as before."""
    with imp.open_table("a.xlsx", io.BytesIO(far_cell_xlsx(3, "ZZZ")), ImportsConfig()) as t:
        rows = list(t.rows)
        assert t.columns == ["text"] and rows == [{}, {}, {}] and t.notes["extra_fields"] == 3
    with imp.open_table("a.xlsx", io.BytesIO(far_cell_xlsx(2, "A")), ImportsConfig()) as t:
        assert list(t.rows) == [{"text": 1}, {"text": 1}] and not t.notes["extra_fields"]


def _attributes_feed(n: int, *, quote: bytes = b'"') -> bytes:
    title = b"<title " + b" ".join(b"a%d=%s1%s" % (i, quote, quote) for i in range(n)) + ">Tin Vàng Danh</title>".encode()
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item>'.encode()
            + title + b"<link>https://bao.vn/1</link></item></channel></rss>")


def test_a_feed_element_of_too_many_attributes_is_refused_before_it_is_parsed(monkeypatch):
    """feedparser's strict parser looks each attribute up by name in a list of them: an element costs the square of
    its attributes (one <title> of 20,000 attributes, 209 KB, took 13 s; of 80,000, 138 s)."""
    import feedparser

    from collectors import rss
    from collectors.base import DocumentError

    assert len(rss.parse_feed(_attributes_feed(rss.MAX_XML_ATTRIBUTES)).entries) == 1
    assert len(rss.parse_feed(_attributes_feed(rss.MAX_XML_ATTRIBUTES, quote=b"'")).entries) == 1
    monkeypatch.setattr(feedparser, "parse", lambda *a, **kw: pytest.fail("parsed"))
    for quote in (b'"', b"'"):
        with pytest.raises(DocumentError, match=r"có thẻ mang 65 thuộc tính \(hơn 64\)"):
            rss.parse_feed(_attributes_feed(rss.MAX_XML_ATTRIBUTES + 1, quote=quote))


@pytest.mark.parametrize("unit", ["<a b='", "<!--", "<a", "<![", "<![CDATA[]>", "<p<a b=\"<a b=\""])
def test_strip_html_reads_markup_it_cannot_close_in_one_pass(unit, monkeypatch):
    """html.parser (Python 3.11) reads the rest of the text again at each «<» it cannot close: 150 KB of «<a b='» took
    157 s, 100 KB of «<!--» 11 s. The parser is given each such «<» as «&lt;»: counted here, the characters its
    search for a tag's end reads stay within a few times the text (main read 30,000 × 20,000 for «<a b='»)."""
    from html.parser import HTMLParser

    from collectors.textutil import strip_html

    read = {"n": 0}
    real = HTMLParser.parse_starttag, HTMLParser.parse_comment, HTMLParser.parse_html_declaration

    def counting(method):
        def wrapped(self, i, *a):
            read["n"] += len(self.rawdata) - i  # what a failed search for the construct's end may read
            return method(self, i, *a)
        return wrapped

    for name, method in zip(("parse_starttag", "parse_comment", "parse_html_declaration"), real):
        monkeypatch.setattr(HTMLParser, name, counting(method))
    text = unit * (20_000 // len(unit)) + " Vàng Danh"
    assert strip_html(text).endswith("Vàng Danh")
    assert read["n"] < 50 * len(text), read["n"]


def test_strip_html_keeps_the_text_of_ordinary_and_broken_markup():
    from collectors.textutil import strip_html

    long = " và " * 300  # past the length under which strip_html gives the parser the text as it is
    html = (f'<p class="a">Bụi <b>than</b> ở <a href="https://bao.vn/x?a=1&amp;b=2" title="x > y">Vàng Danh</a></p>{long}'
            '<script>if (a<b) {}</script><!-- ghi chú <b> --><![CDATA[x<y]]>a < b, c<d & e <3 '
            "<img src='https://bao.vn/a.png' alt=\"ảnh\"/>Yên Tử")
    got = strip_html(html)
    assert got.startswith("Bụi than ở Vàng Danh ") and got.endswith("a < b, c<d & e <3 Yên Tử"), got
    assert "ghi chú" not in got and "if (a" not in got


@pytest.mark.parametrize("tag", ['<a href="x"target="_blank">', "<img src=\"x\"alt=\"\">", "<a b='x''>",
                                 '<a  href = "x"  >', "<br/>", '<a href="x"/>'])
def test_strip_html_reads_a_long_text_s_tags_as_the_parser_does(tag):
    """Past the length where the escaping runs, a tag html.parser accepts is stripped as in a short text (review32: an
    attribute right after a closing quote was escaped, and «<a href="x"target="_blank">» reached staff as text)."""
    from collectors.textutil import strip_html

    long = " và " * 300
    assert "<" not in strip_html(f"{long}Bụi {tag}than"), strip_html(f"{long}Bụi {tag}than")
