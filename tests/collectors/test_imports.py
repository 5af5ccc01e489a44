"""Imports of exported posts (CSV, JSONL, XLSX): column mapping, preview, idempotency, the CLI."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from collectors import imports as imp
from collectors.base import SkipItem, skip_label
from collectors.imports.errors import ImportLimitError
from collectors.imports.items import map_row, source_type_of_outlet
from collectors.imports.times import parse_time, us_order_date
from langnghe import cli
from vocab.config import ImportsConfig, SourceConfig
from store.db import Database
from kindhelpers import db  # noqa: F401
from kindspecs import FIX
from tests.conftest import database

NOW = datetime(2024, 11, 21)
CSV = FIX / "imports/fb_export_uongbi.csv"
JSONL = FIX / "imports/tiktok_tool_export.jsonl"
CSV_MAP = "id=post_id,published_at=created_time,outlet=page,text=message,url=link,place=Địa bàn"
JSONL_MAP = "id=id,published_at=createTime,text=desc,author=author.uniqueId,url=url"


def _settings(name="import-fb", stype="social"):
    return imp.ImportSettings(SourceConfig(name=name, kind="import", url="file:x", outlet="Facebook (xuất tệp)",
                                           source_type=stype))


def test_csv_with_bom_semicolons_and_quotes():
    rows, cols = imp.read_csv(CSV.read_bytes())
    assert cols == ["post_id", "created_time", "page", "message", "link", "Địa bàn"]
    assert len(rows) == 4 and "bà con tổ 5 Trưng Vương" in rows[1]["message"]


def test_excel_crlf_csv_keeps_doubled_quotes_and_its_delimiter():
    """Excel writes CRLF lines; on them the Sniffer read a doubled quote as two quotes (doublequote off), and on
    another file could not find the ';' and fell back to ','."""
    rows, cols = imp.read_csv('h1,h2\r\nx,"y ""z"""\r\n'.encode())
    assert cols == ["h1", "h2"] and rows == [{"h1": "x", "h2": 'y "z"'}]
    rows, cols = imp.read_csv('q;"a;""b"""\r\n1;2\r\n'.encode())
    assert cols == ["q", 'a;"b"'] and rows == [{"q": "1", 'a;"b"': "2"}]


def test_map_rows_from_csv():
    rows, cols = imp.read_csv(CSV.read_bytes())
    items, skipped = imp.map_rows(rows, imp.parse_mapping(CSV_MAP), _settings(), NOW)
    assert skipped == {"no title or text": 1}
    a, b, c = items
    assert a.url == "https://www.facebook.com/groups/uongbi/posts/1001/" and a.collector == "import"
    assert a.outlet == "Hội những người yêu Uông Bí" and str(a.published_at) == "2024-11-20 01:15:00"
    assert a.summary.endswith("Địa bàn: phường Vàng Danh") and a.title.startswith("Đường Vàng Danh sáng nay")
    assert b.url.startswith("urn:langnghe:import:") and "imported" in b.flags
    assert str(c.published_at) == "2024-11-19 14:05:00"  # the offset in the cell wins
    again, _ = imp.map_rows(rows, imp.parse_mapping(CSV_MAP), _settings(), NOW)
    assert [i.id for i in again] == [i.id for i in items]  # pure: same ids every time


def test_windows_1258_csv(tmp_path):
    from kindspecs import to_cp1258

    p = tmp_path / "old.csv"
    p.write_bytes(to_cp1258("tiêu đề,nội dung\nBụi than ở Vàng Danh,Người dân bức xúc vì bụi\n"))
    rows, cols = imp.read_rows(p)
    assert cols == ["tiêu đề", "nội dung"] and rows[0]["tiêu đề"] == "Bụi than ở Vàng Danh"
    assert imp.guess_mapping(cols) == {"title": "tiêu đề", "text": "nội dung"}


def test_jsonl_nested_fields_epoch_and_bad_lines():
    rows, cols = imp.read_jsonl(JSONL.read_bytes())
    items, skipped = imp.map_rows(rows, imp.parse_mapping(JSONL_MAP), _settings("import-tt"), NOW)
    assert skipped == {"not JSON": 1, "no title or text": 1}
    a, b = items
    assert a.author == "dulich_yentu" and a.url.startswith("https://www.tiktok.com/@dulich_yentu/video/")
    assert str(a.published_at) == "2024-11-20 02:40:00"
    assert b.url.startswith("urn:langnghe:import:") and "xô xát" in b.title


def test_xlsx(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Tiêu đề", "Nội dung", "Ngày", "Nguồn", "Loại nguồn"])
    ws.append(["Phản ánh nước sinh hoạt", "Nước có mùi lạ ở Trưng Vương", datetime(2024, 11, 20, 8, 0), "Zalo nhóm tổ 5", "mxh"])
    ws.append([None, None, None, None, None])
    ws.append(["Bài báo về GPMB", "Dự án đường ven sông", "20/11/2024 09:00", "Báo Quảng Ninh", "press"])
    p = tmp_path / "bao-cao.xlsx"
    wb.save(p)
    rows, cols = imp.read_rows(p)
    mapping = imp.guess_mapping(cols)
    assert mapping == {"title": "Tiêu đề", "text": "Nội dung", "published_at": "Ngày", "outlet": "Nguồn",
                       "source_type": "Loại nguồn"}
    items, skipped = imp.map_rows(rows, mapping, _settings(), NOW)
    assert not skipped and [i.source_type for i in items] == ["social", "press"]
    assert str(items[0].published_at) == "2024-11-20 01:00:00" and items[1].outlet == "Báo Quảng Ninh"


def test_mapping_errors():
    with pytest.raises(imp.ImportFormatError, match="Không có trường"):
        imp.parse_mapping("titel=a")
    with pytest.raises(imp.ImportFormatError, match="Tệp không có cột"):
        imp.check_mapping({"text": "message2"}, ["message"])
    with pytest.raises(imp.ImportFormatError, match="ít nhất"):
        imp.check_mapping({"url": "link"}, ["link"])
    with pytest.raises(SkipItem):
        map_row({"a": ""}, {"text": "a"}, _settings(), NOW)


def test_preview_writes_nothing_and_shows_reasons():
    rows, cols = imp.read_csv(CSV.read_bytes())
    pv = imp.preview(rows, cols, imp.parse_mapping(CSV_MAP), _settings(), NOW, n=2)
    assert pv.rows == 4 and pv.mappable == 3 and len(pv.items) == 2 and pv.skipped == {"no title or text": 1}


@pytest.mark.slow  # 10–40 s: CLI processes; started first under xdist
def test_cli_import_is_idempotent(tmp_path, monkeypatch, capsys):
    dbp = tmp_path / "i.duckdb"
    monkeypatch.setenv("LANGNGHE_DB", str(dbp))
    monkeypatch.setattr("orchestration.ingest.processor", lambda cfg, db: None)
    assert cli.main(["import", str(CSV), "--preview"]) == 0
    out = capsys.readouterr().out
    assert "Ánh xạ:" in out and "bỏ qua 1: không có tiêu đề và nội dung" in out
    assert not dbp.exists()
    assert cli.main(["import", str(CSV)]) == 2  # no --map: proposes one, writes nothing
    assert cli.main(["import", str(CSV), "--map", CSV_MAP]) == 0
    assert cli.main(["import", str(CSV), "--map", CSV_MAP]) == 0
    err = capsys.readouterr().err
    assert "Đã nhập 3 mục mới" in err and "Đã nhập 0 mục mới" in err
    with database(dbp) as d, d.read() as cur:
        assert cur.execute("SELECT count(*) FROM items WHERE collector = 'import'").fetchone()[0] == 3
        assert cur.execute("SELECT count(*) FROM item_raw").fetchone()[0] == 3
        assert cur.execute("SELECT items_new FROM import_log ORDER BY id").fetchall() == [(3,), (0,)]



def test_preview_opens_the_database_read_only_and_never_migrates(tmp_path, monkeypatch, capsys):
    """--preview opened the database read-write, so opening it ran pending migrations: a preview changed
    the file (and could fail half-way through a migration). Now read-only; an older schema is said."""
    import hashlib

    import duckdb

    from store.db import migrations

    dbp = tmp_path / "i.duckdb"
    monkeypatch.setenv("LANGNGHE_DB", str(dbp))
    last = migrations()[-1][0]
    with database(dbp) as d, d.write() as cur:
        cur.execute("DELETE FROM schema_migrations WHERE version = ?", [last])  # a file from the version before
    before = hashlib.sha256(dbp.read_bytes()).hexdigest()
    assert cli.main(["import", str(CSV), "--map", CSV_MAP, "--preview"]) == 0
    captured = capsys.readouterr()
    assert "Sẽ nhập được 3 mục" in captured.out
    assert "cấu trúc cũ hơn" in captured.err and "langnghe init-db" in captured.err
    assert hashlib.sha256(dbp.read_bytes()).hexdigest() == before
    with Database(dbp, read_only=True) as d:
        assert d.missing_migrations() == [last]
    con = duckdb.connect(str(dbp))  # as after `langnghe init-db`: the preview reads the database again
    con.execute("INSERT INTO schema_migrations VALUES (?, 'x', now())", [last])
    con.close()
    assert cli.main(["import", str(CSV), "--map", CSV_MAP, "--preview"]) == 0
    assert "cấu trúc cũ hơn" not in capsys.readouterr().err

# --- bounded, streamed imports -------------------------------------------------------------------

IMPORTS_LIMITS = "[imports]\nmax_uncompressed_mb = 1\nmax_cell_chars = 1000\nmax_line_bytes = 20000\nchunk_rows = 2\n"


@pytest.fixture
def small_limits(tmp_path, monkeypatch):
    """A database and small [imports] limits, so that bombs and long lines stay small and fast."""
    conf = tmp_path / "limits.toml"
    conf.write_text(IMPORTS_LIMITS, encoding="utf-8")
    monkeypatch.setenv("LANGNGHE_CONFIG", str(conf))
    monkeypatch.setenv("LANGNGHE_DB", str(tmp_path / "i.duckdb"))
    monkeypatch.setattr("orchestration.ingest.processor", lambda cfg, db: None)
    return tmp_path / "i.duckdb"


def _log(dbp):
    with database(dbp) as d, d.read() as cur:
        return cur.execute("SELECT rows_read, items_new, status, error FROM import_log ORDER BY id").fetchall()


def _posts(n, start=0):
    return "".join(f"Bài {i},Nội dung bài số {i} về đường Vàng Danh\n" for i in range(start, start + n))


def test_xlsx_bomb_is_refused_from_its_declared_size(tmp_path, small_limits, capsys):
    from bench.imports import write_xlsx_bomb

    bomb = write_xlsx_bomb(tmp_path / "bom.xlsx", 3_000_000)  # 3 MB shared string, a few KB on disk
    assert bomb.stat().st_size < 50_000
    assert cli.main(["import", str(bomb), "--preview"]) == 2
    err = capsys.readouterr().err
    assert "quá giới hạn 1 MB (imports.max_uncompressed_mb)" in err
    assert cli.main(["import", str(bomb), "--map", "text=text"]) == 2  # an import attempt is logged
    (rows, new, status, error), = _log(small_limits)
    assert (rows, new, status) == (0, 0, "error") and "imports.max_uncompressed_mb" in error


def _xlsx_with_big_styles(path, pad: int):
    """A real workbook (openpyxl) whose styles part carries `pad` bytes of XML comment: parsed whole by openpyxl."""
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["tiêu đề", "nội dung"])
    wb.active.append(["Bụi than ở Vàng Danh", "Người dân phản ánh bụi than."])
    plain = path.with_suffix(".plain.xlsx")
    wb.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/styles.xml":
                data += b"<!--" + b"x" * pad + b"-->"
            out.writestr(info.filename, data)
    return path


def test_the_configured_xlsx_part_cap_is_the_one_checked(tmp_path, small_limits, capsys):
    """[imports] max_xlsx_part_mb (round 20: a module constant of 5 MB before): a workbook whose styles part unzips
    to 0.3 MB is read under the shipped cap and refused, naming the setting, under 0.1 MB."""
    book = _xlsx_with_big_styles(tmp_path / "kieu.xlsx", 300_000)
    assert cli.main(["import", str(book), "--preview"]) == 0
    assert "Bụi than ở Vàng Danh" in capsys.readouterr().out
    (tmp_path / "limits.toml").write_text(IMPORTS_LIMITS + "max_xlsx_part_mb = 0.1\n", encoding="utf-8")
    assert cli.main(["import", str(book), "--preview"]) == 2
    assert "Phần «xl/styles.xml» của tệp XLSX khi giải nén chiếm 0,3 MB, quá giới hạn 0,1 MB cho phần này " \
           "(imports.max_xlsx_part_mb)" in capsys.readouterr().err


def test_a_long_csv_line_is_not_read_whole(tmp_path, small_limits, capsys):
    p = tmp_path / "dai.csv"
    p.write_bytes(("tiêu đề,nội dung\n" + _posts(3) + "x," + "a" * 5_000_000 + "\n").encode("utf-8"))
    assert cli.main(["import", str(p), "--preview"]) == 2
    assert "Dòng 5 dài hơn giới hạn 20.000 byte (imports.max_line_bytes)" in capsys.readouterr().err
    with open(p, "rb") as fh:
        with pytest.raises(ImportLimitError, match=r"imports\.max_line_bytes"):
            with imp.open_table("dai.csv", fh, ImportsConfig(max_line_bytes=20_000)) as t:
                list(t.rows)
        assert fh.tell() < 200_000  # stopped at the limit (plus read-ahead), not at the end of the 5 MB line


def test_a_huge_jsonl_line_is_refused(tmp_path, small_limits, capsys):
    p = tmp_path / "x.jsonl"
    p.write_text('{"text": "bài một"}\n{"text": "' + "b" * 100_000 + '"}\n', encoding="utf-8")
    assert cli.main(["import", str(p), "--preview"]) == 2
    assert "Dòng 2 dài hơn giới hạn 20.000 byte (imports.max_line_bytes)" in capsys.readouterr().err


def test_a_long_cell_is_refused_naming_the_limit(tmp_path, small_limits, capsys):
    p = tmp_path / "o.csv"
    p.write_text("tiêu đề,nội dung\nA," + "ô" * 5000 + "\n", encoding="utf-8")
    assert cli.main(["import", str(p), "--preview"]) == 2
    assert "dài 5.000 ký tự, quá giới hạn 1.000 ký tự (imports.max_cell_chars)" in capsys.readouterr().err


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path, codec):
    p = tmp_path / "u16.csv"
    p.write_bytes("tiêu đề,nội dung\nBụi than ở Vàng Danh,Người dân bức xúc vì bụi\n".encode(codec))
    rows, cols = imp.read_rows(p)
    assert cols == ["tiêu đề", "nội dung"] and rows == [{"tiêu đề": "Bụi than ở Vàng Danh",
                                                           "nội dung": "Người dân bức xúc vì bụi"}]


@pytest.mark.slow  # 10–40 s: CLI processes; started first under xdist
def test_import_is_chunked_with_progress_and_ctrl_c_keeps_what_was_committed(tmp_path, small_limits, capsys,
                                                                                monkeypatch):
    import os
    import signal

    from langnghe.commands import import_ as cmd

    p = tmp_path / "bai.csv"
    p.write_text("tiêu đề,nội dung\n" + _posts(7), encoding="utf-8")
    real_progress = cmd._progress
    calls = []

    def progress_then_ctrl_c(rows, new, share):
        real_progress(rows, new, share)
        calls.append(rows)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while the import runs

    monkeypatch.setattr(cmd, "_progress", progress_then_ctrl_c, raising=False)
    args = ["import", str(p), "--map", "title=tiêu đề,text=nội dung", "--undated-now"]
    assert cli.main(args) == 130
    err = capsys.readouterr().err
    assert "đã đọc 2 dòng" in err and "Đã dừng theo yêu cầu: đã ghi 2 mục mới từ 2 dòng đầu" in err
    assert _log(small_limits) == [(2, 2, "interrupted", None)]
    monkeypatch.setattr(cmd, "_progress", real_progress)
    assert cli.main(args) == 0  # again: the rest, nothing twice
    err = capsys.readouterr().err
    assert "đã đọc 4 dòng" in err and "Đã nhập 5 mục mới từ 7 dòng (2 đã có" in err
    assert _log(small_limits)[1] == (7, 5, "done", None)
    with database(small_limits) as d, d.read() as cur:
        assert cur.execute("SELECT count(*) FROM items").fetchone()[0] == 7


def test_an_error_deep_in_the_file_keeps_earlier_chunks_and_is_logged(tmp_path, small_limits, capsys):
    p = tmp_path / "loi.csv"
    p.write_text("tiêu đề,nội dung\n" + _posts(5) + "X," + "y" * 2000 + "\n", encoding="utf-8")
    assert cli.main(["import", str(p), "--map", "title=tiêu đề,text=nội dung", "--undated-now"]) == 2
    assert "imports.max_cell_chars" in capsys.readouterr().err
    (rows, new, status, error), = _log(small_limits)
    assert (rows, new, status) == (4, 4, "error") and "dòng 7" in error and "imports.max_cell_chars" in error


# --- issue 15: Vietnamese headers, outlet → source type, local times, undated rows --------------------

VN_CSV = ("Tiêu đề bài,Nội dung,Đường dẫn,Ngày đăng,Kênh\n"
          "Bụi than Vàng Danh,Người dân phản ánh bụi,https://facebook.com/p/1,20/11/2024 08:15,Facebook\n"
          "Đường ngập Uông Bí,Nước lên nhanh,https://baoquangninh.vn/a,20/11/2024 09:00,Báo Quảng Ninh\n"
          "Tin trên Zalo,Cả nhóm bàn tán,,,Nhóm Zalo phường Yên Tử\n")


def test_vietnamese_headers_are_guessed_and_kenh_sets_the_source_type():
    rows, cols = imp.read_csv(VN_CSV.encode())
    mapping = imp.guess_mapping(cols)
    assert mapping == {"title": "Tiêu đề bài", "text": "Nội dung", "url": "Đường dẫn",
                       "published_at": "Ngày đăng", "outlet": "Kênh"}
    items, _ = imp.map_rows(rows, mapping, _settings(stype="press"), NOW)
    assert [i.source_type for i in items] == ["social", "press", "social"]
    assert source_type_of_outlet("TikTok Uông Bí") == "social"
    assert source_type_of_outlet("Hội những người yêu Uông Bí") is None


@pytest.mark.slow  # 10–40 s: CLI processes; started first under xdist
def test_undated_rows_are_counted_before_import(tmp_path, monkeypatch, capsys):
    rows, cols = imp.read_csv(VN_CSV.encode())
    pv = imp.preview(rows, cols, imp.guess_mapping(cols), _settings(), NOW)
    assert pv.undated == 1 and pv.mappable == 3
    p = tmp_path / "vn.csv"
    p.write_text(VN_CSV, encoding="utf-8")
    monkeypatch.setenv("LANGNGHE_DB", str(tmp_path / "u.duckdb"))
    monkeypatch.setattr("orchestration.ingest.processor", lambda *_: None)
    assert cli.main(["import", str(p), "--preview"]) == 0
    out = capsys.readouterr().out
    assert "1 dòng không có ngày đăng" in out
    assert "08:15 20/11/2024 giờ VN" in out  # as the file gave it, not UTC (01:15)
    mapping = "title=Tiêu đề bài,text=Nội dung,url=Đường dẫn,published_at=Ngày đăng,outlet=Kênh"
    assert cli.main(["import", str(p), "--map", mapping]) == 2
    assert "1 dòng không có ngày đăng" in capsys.readouterr().err
    assert not (tmp_path / "u.duckdb").exists() or _count(tmp_path / "u.duckdb") == 0
    assert cli.main(["import", str(p), "--map", mapping, "--undated-now"]) == 0
    assert _count(tmp_path / "u.duckdb") == 3


def _count(dbp):
    with database(dbp) as d, d.read() as cur:
        return cur.execute("SELECT count(*) FROM items").fetchone()[0]


@pytest.mark.parametrize("name,data,args,said", [
    ("khong-co.csv", None, [], "không có tệp"),
    ("bai.docx", b"PK\x03\x04", ["--preview"], "Không nhận loại tệp «.docx»"),
    ("bai.xlsx", b"PK\x03\x04 not a zip" * 10, ["--preview"], "tệp hỏng hoặc không phải XLSX"),
    ("trong.csv", b"", ["--preview"], "Tệp CSV trống"),
    ("bai.csv", "Tiêu đề,Nội dung\nA,B\n".encode(), [], "chưa có --map"),
    ("bai.csv", "Tiêu đề,Nội dung\nA,B\n".encode(), ["--map", "text"], "không có dạng trường=cột"),
    ("bai.csv", "x,y\nA,B\n".encode(), ["--preview"], "các cột của tệp: x, y"),
])
def test_cli_import_mistakes_are_said_in_vietnamese(tmp_path, monkeypatch, capsys, name, data, args, said):
    """Staff saw English ('not a readable XLSX file', 'CSV has no header row', 'no --map given', a raw
    '[Errno 2]') for their own mistakes with a file."""
    monkeypatch.setenv("LANGNGHE_DB", str(tmp_path / "i.duckdb"))
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    assert cli.main(["import", str(path), *args]) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


def test_invisible_and_control_characters_are_dropped_from_imported_text():
    """A pasted post 'phường Vàn\\u200bg Danh' (a zero-width space inside a word, a trick to slip past
    keyword filters) was stored as is: search and place matching missed 'Vàng Danh', and \\x07 or a bidi
    override went into the item too."""
    data = ("Tiêu đề,Nội dung,Ngày đăng\n"
            "Bụi\u200b than\x07,Dân phường Vàn\u200bg Danh\u00ad phản\u202e ánh\x0bbụi than\ufeff\x01,01/12/2026\n").encode()
    rows, cols = imp.read_csv(data)
    (item,), _ = imp.map_rows(rows, imp.guess_mapping(cols), _settings(), NOW)
    assert item.title == "Bụi than"
    assert item.summary == "Dân phường Vàng Danh phản ánh bụi than"


def test_a_date_column_saved_as_numbers_is_read_as_excel_dates_not_1970():
    """An XLSX whose date column was left 'General' holds Excel date numbers (45992 = 01/12/2025); they
    were read as epoch seconds and the posts were stored as published on 01/01/1970 (then out of every
    week, and first in line for the retention purge). A bare year is no date at all."""
    import io

    LATER = datetime(2026, 1, 1)

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Tiêu đề", "Nội dung", "Ngày đăng"])
    ws.append(["A", "Dân phản ánh bụi than", 45992])
    ws.append(["B", "Dân phản ánh tiếng ồn", 45992.75])
    ws.append(["C", "Dân phản ánh ngập", 2026])
    buf = io.BytesIO()
    wb.save(buf)
    rows, cols = imp.read_bytes("x.xlsx", buf.getvalue())
    a, b, c = imp.map_rows(rows, imp.guess_mapping(cols), _settings(), LATER)[0]
    assert str(a.published_at) == "2025-11-30 17:00:00"          # 00:00 01/12/2025, Vietnam time
    assert str(b.published_at) == "2025-12-01 11:00:00"          # 18:00
    assert "unparsed_date" in c.flags and c.published_estimated
    rows, cols = imp.read_csv("Tiêu đề,Nội dung,Ngày đăng\nA,Dân phản ánh bụi than,45992\n".encode())
    assert str(imp.map_rows(rows, imp.guess_mapping(cols), _settings(), LATER)[0][0].published_at) == "2025-11-30 17:00:00"


def test_repeated_column_names_keep_every_columns_values():
    """Two columns named "Nội dung" (or two blank headers) read into one dict key: only the last column's
    values were kept and the first column's text was lost without a word."""
    rows, cols = imp.read_csv("Tiêu đề,Nội dung,Nội dung,,\nA,phần một,phần hai,x,y\n".encode())
    assert cols == ["Tiêu đề", "Nội dung", "Nội dung (2)", "col4", "col5"]
    assert rows == [{"Tiêu đề": "A", "Nội dung": "phần một", "Nội dung (2)": "phần hai", "col4": "x", "col5": "y"}]
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["Câu 1", "Câu 1", ""])
    wb.active.append(["a", "b", "c"])
    buf = io.BytesIO()
    wb.save(buf)
    assert imp.read_bytes("x.xlsx", buf.getvalue()) == ([{"Câu 1": "a", "Câu 1 (2)": "b", "col3": "c"}],
                                                        ["Câu 1", "Câu 1 (2)", "col3"])


def test_json_array_elements_that_are_not_objects_are_skipped_for_that_reason():
    """A JSON array of strings or numbers was skipped as 'no title or text', which sent staff looking
    for an empty column instead of at the file's shape."""
    rows, _ = imp.read_bytes("x.json", '[{"text": "Bụi than ở Vàng Danh"}, "chuỗi", 5]'.encode())
    items, skipped = imp.map_rows(rows, {"text": "text"}, _settings(), NOW)
    assert len(items) == 1 and skipped == {"not an object": 2}
    assert skip_label("not an object") == "dòng JSON không phải một đối tượng"


def test_json_array_is_read_from_bytes_in_every_encoding_without_a_warning():
    """ijson was handed a text stream and warned (DeprecationWarning) that this will become an error:
    an ijson upgrade would have broken every JSON-array import. It reads bytes now, whatever the encoding."""
    import codecs
    import warnings

    doc = '[{"text": "Bụi than ở Vàng Danh", "n": 1.5}, {"text": "Phường Quang Trung"}]'
    for data in (doc.encode(), codecs.BOM_UTF8 + doc.encode(), doc.encode("utf-16"), doc.encode("utf-16-le")):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            rows, columns = imp.read_bytes("x.json", data)
        assert rows == [{"text": "Bụi than ở Vàng Danh", "n": 1.5}, {"text": "Phường Quang Trung"}], data[:8]
        assert columns == ["text", "n"]


def test_two_digit_years_read_day_first_and_us_order_dates_are_undated_and_counted():
    """'12/05/26' (a Vietnamese office's short date) was no date at all, and '05/13/2026' (an export in US
    order) was undated without a word about why. Two-digit years are 20yy, day first; an impossible
    day-first date that is a valid month-first one stays undated and is counted in the summary."""
    assert parse_time("12/05/26 08:30") == datetime(2026, 5, 12, 1, 30)
    assert parse_time("05/06/2026") == datetime(2026, 6, 4, 17, 0)  # ambiguous: day first
    assert parse_time("2026-05-12") == datetime(2026, 5, 11, 17, 0)  # ISO kept (no 26-05-12 inside it)
    assert parse_time("2026-05-12T08:00:00+07:00") == datetime(2026, 5, 12, 1, 0)
    assert parse_time(45992) == datetime(2025, 11, 30, 17, 0)  # an Excel date number kept
    assert parse_time("05/13/2026") is None
    csv_ = "noi dung,ngay\nBụi than ở Vàng Danh,05/13/2026\nĐèn đường hỏng,12/05/26\nNước sạch,31/02/2026\n"
    rows, columns = imp.read_bytes("x.csv", csv_.encode())
    pv = imp.preview(rows, columns, {"text": "noi dung", "published_at": "ngay"}, _settings(), NOW)
    assert pv.undated == 2 and pv.notes == {"us_date": 1}  # 31/02 is simply wrong, not US order
    assert imp.notes_text(pv.notes) == [
        "1 dòng có ngày viết theo kiểu tháng/ngày/năm (ví dụ 05/13/2026), không đọc được theo ngày/tháng/năm nên "
        "được coi là không có ngày. Hãy xuất lại tệp với ngày dạng ngày/tháng/năm hoặc năm-tháng-ngày."]


def test_cells_beyond_the_header_are_counted_not_dropped_silently():
    """Extra CSV fields (a comma inside unquoted text) and XLSX cells right of the last header were dropped
    without a word; the preview now says how many rows had them."""
    import io

    from openpyxl import Workbook

    csv_ = "tieu de,noi dung\nBụi than,Xe chạy đêm, gây bụi\nĐèn đường,Hỏng cả tháng\nNước,Mất nước,,\n"
    with imp.open_table("x.csv", io.BytesIO(csv_.encode()), ImportsConfig()) as t:
        pv = imp.preview(t.rows, t.columns, {"title": "tieu de", "text": "noi dung"}, _settings(), NOW, notes=t.notes)
    assert pv.mappable == 3 and pv.notes == {"extra_fields": 1}  # empty trailing fields are no loss
    assert imp.notes_text(pv.notes)[0].startswith("1 dòng có nhiều ô hơn số cột của dòng tiêu đề")
    wb = Workbook()
    wb.active.append(["Nội dung"])
    wb.active.append(["Bụi than", "ô không tên"])
    wb.active.append(["Đèn đường"])
    buf = io.BytesIO()
    wb.save(buf)
    with imp.open_table("x.xlsx", buf, ImportsConfig()) as t:
        pv = imp.preview(t.rows, t.columns, {"text": "Nội dung"}, _settings(), NOW, notes=t.notes)
    assert pv.mappable == 2 and pv.notes == {"extra_fields": 1}


def test_formula_cells_without_a_computed_value_are_said_not_read_as_silence():
    """An XLSX written by a script (openpyxl, no Excel) holds formulas without their computed values; they
    read as empty and the rows were skipped as 'no text' with no hint why. The preview now counts them and
    asks to open and save the file in Excel or LibreOffice."""
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Tiêu đề", "Nội dung"])
    wb.active.append(["Bụi than", "Xe chạy đêm"])
    wb.active.append(['=A2&" (bản sao)"', "=B2"])
    wb.active.append(["Đèn đường", '=UPPER("hỏng")'])
    buf = io.BytesIO()
    wb.save(buf)
    with imp.open_table("x.xlsx", buf, ImportsConfig()) as t:
        pv = imp.preview(t.rows, t.columns, {"title": "Tiêu đề", "text": "Nội dung"}, _settings(), NOW,
                         notes=t.notes)
    assert pv.rows == 2 and pv.mappable == 2 and pv.notes == {"formula_no_value": 3}  # the all-formula row: gone
    assert "Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại" in imp.notes_text(pv.notes)[0]
    plain = Workbook()
    plain.active.append(["Nội dung"])
    plain.active.append(["Bụi than"])
    buf = io.BytesIO()
    plain.save(buf)
    with imp.open_table("y.xlsx", buf, ImportsConfig()) as t:
        assert list(t.rows) and not +t.notes


def test_a_1904_workbook_dates_its_numbers_from_1904():
    """A workbook saved with the 1904 date system (Mac Excel) holds a date left "General" as days since
    01/01/1904: read with the 1900 day 0 its posts were dated 4 years and a day early. Date cells were right
    (openpyxl applies wb.epoch); other numbers stay numbers."""
    import io

    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, to_excel

    when = datetime(2025, 12, 1, 18, 0)
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["Tiêu đề", "Nội dung", "Ngày đăng", "Mã"])
    ws.append(["A", "Dân phản ánh bụi than", to_excel(when, CALENDAR_MAC_1904), 45000])  # "General": a number
    ws.append(["B", "Dân phản ánh tiếng ồn", when, 7])                                   # a date cell
    buf = io.BytesIO()
    wb.save(buf)
    rows, cols = imp.read_bytes("x.xlsx", buf.getvalue())
    mapping = {"title": "Tiêu đề", "text": "Nội dung", "published_at": "Ngày đăng", "id": "Mã"}
    a, b = imp.map_rows(rows, mapping, _settings(), datetime(2026, 1, 1))[0]
    assert a.published_at == b.published_at == when - timedelta(hours=7)
    assert str(rows[0]["Mã"]) == "45000" and rows[0]["Mã"] == 45000


def test_a_damaged_xlsx_cell_is_a_clear_error_not_a_traceback():
    """A number cell holding text ('<v>abc</v>', a hand-edited or broken export) raised openpyxl's bare
    ValueError mid-file: `langnghe import` ended in a Python traceback."""
    import io
    import re
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Nội dung", "Số"])
    wb.active.append(["Bụi than", 1])
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w") as zout:
        for it in zin.infolist():
            data = zin.read(it.filename)
            if it.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"<v>1</v>", b"<v>abc</v>", data)
            zout.writestr(it, data)
    with pytest.raises(imp.ImportFormatError, match="Trang tính hỏng ở dòng 2"):
        imp.read_bytes("x.xlsx", out.getvalue())


def test_a_zero_width_joiner_inside_an_emoji_sequence_is_kept():
    """visible() dropped every U+200D: '👨‍👩‍👧' became three separate faces and '🏳️‍🌈' a white flag and a
    rainbow. A joiner between two emoji is part of the picture and stays; one inside a word still goes."""
    from collectors.textutil import visible

    family, rainbow = "👨\u200d👩\u200d👧", "🏳\ufe0f\u200d🌈"
    assert visible(f"Cả nhà {family} đi Yên Tử {rainbow}") == f"Cả nhà {family} đi Yên Tử {rainbow}"
    assert visible("Vàn\u200dg Danh \u200d👍 Uông\u200d Bí") == "Vàng Danh 👍 Uông Bí"


def test_two_digit_years_from_69_are_the_last_century():
    """'31/12/99' read as 31/12/2099, a date 73 years ahead that the future-date guard replaced by the import
    time: a two-digit year follows strptime's %y (69–99 → 19yy, 00–68 → 20yy)."""
    assert parse_time("31/12/99") == datetime(1999, 12, 30, 17, 0)
    assert parse_time("1/2/03 14:30") == datetime(2003, 2, 1, 7, 30)
    assert parse_time("12/05/68") == datetime(2068, 5, 11, 17, 0)
    assert parse_time("12/05/69") == datetime(1969, 5, 11, 17, 0)
    assert parse_time("29/02/2025") is None and not us_order_date("29/02/2025")
    assert parse_time("29/02/00") == datetime(2000, 2, 28, 17, 0)  # 2000 was a leap year, 1900 was not


def test_a_dotted_time_is_not_read_as_a_two_digit_year_date():
    """With two-digit years, '2026-05-12 08.30.00' lost its date (08.30.00 read first, day 8 of month 30) and
    'Ngày 2026-05-12, 10.11.12' became 10 Nov 2012: a four-digit-year date is looked for first, as before.
    The dotted time itself is read since (it was dropped: midnight)."""
    assert parse_time("2026-05-12 08.30.00") == datetime(2026, 5, 12, 1, 30)
    assert parse_time("Ngày 2026-05-12, 10.11.12") == datetime(2026, 5, 12, 3, 11, 12)
    assert parse_time("08.30.00 12/05/2026") == datetime(2026, 5, 12, 1, 30)
    assert parse_time("12/05/26 08:30") == datetime(2026, 5, 12, 1, 30)  # two digits still read alone


def test_afternoon_times_with_a_12_hour_marker_are_afternoon():
    """'12/05/2026 9:05 CH' (vi-VN writes SA/CH for AM/PM) and '… 9:05 PM' were read as 09:05, twelve hours early."""
    assert parse_time("12/05/2026 9:05 CH") == datetime(2026, 5, 12, 14, 5)
    assert parse_time("12/05/2026 09:05:30 pm") == datetime(2026, 5, 12, 14, 5, 30)
    assert parse_time("12/05/2026 12:10 SA") == datetime(2026, 5, 11, 17, 10)  # 00:10 local
    assert parse_time("12/05/2026 12:10 CH") == datetime(2026, 5, 12, 5, 10)  # noon
    assert parse_time("12/05/2026 9:05 SA") == datetime(2026, 5, 12, 2, 5)
    assert parse_time("12/05/2026 21:05") == datetime(2026, 5, 12, 14, 5)


def test_a_bare_hour_is_that_hour():
    """'14h ngày 12/5/2026' (how Vietnamese news write an hour) read as midnight, 14 hours early."""
    assert parse_time("14h ngày 12/5/2026") == datetime(2026, 5, 12, 7, 0)
    assert parse_time("12/05/2026 lúc 8g") == datetime(2026, 5, 12, 1, 0)
    assert parse_time("12/05/2026 9h CH") == datetime(2026, 5, 12, 14, 0)
    assert parse_time("12/05/2026 14h30") == datetime(2026, 5, 12, 7, 30)
    assert parse_time("12/05/2026 123h") == datetime(2026, 5, 11, 17, 0)  # not an hour: midnight as before
    assert parse_time("12/05/2026 08:05 Chủ nhật") == datetime(2026, 5, 12, 1, 5)


def test_cli_preview_refuses_the_name_of_a_collected_source_and_creates_no_database(tmp_path, monkeypatch, capsys):
    """The import refused a --source that is a collected source's name, but --preview, run first to check
    the file, accepted it and showed the rows under that source."""
    from vocab import config as config_mod

    db_path = tmp_path / "i.duckdb"
    monkeypatch.setenv("LANGNGHE_DB", str(db_path))
    taken = config_mod.load().sources[0].name
    path = tmp_path / "bai.csv"
    path.write_bytes("Tiêu đề,Nội dung,Ngày đăng\nA,B,01/12/2026\n".encode())
    args = ["import", str(path), "--map", "title=Tiêu đề,text=Nội dung,published_at=Ngày đăng", "--preview"]
    assert cli.main([*args, "--source", taken.upper()]) == 2
    assert "đã là tên của một nguồn tin" in capsys.readouterr().err
    assert cli.main([*args, "--source", "import-bai"]) == 0
    assert not db_path.exists()
