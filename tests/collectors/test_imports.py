"""Imports of exported posts (CSV, JSONL, XLSX): column mapping, preview, idempotency, the CLI."""

from __future__ import annotations

from datetime import datetime

import pytest

from collectors import imports as imp
from collectors.base import SkipItem
from langnghe import cli
from vocab.config import SourceConfig
from store.db import Database
from kindhelpers import db  # noqa: F401
from kindspecs import FIX

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
    with pytest.raises(imp.ImportFormatError, match="unknown field"):
        imp.parse_mapping("titel=a")
    with pytest.raises(imp.ImportFormatError, match="not in the file"):
        imp.check_mapping({"text": "message2"}, ["message"])
    with pytest.raises(imp.ImportFormatError, match="at least"):
        imp.check_mapping({"url": "link"}, ["link"])
    with pytest.raises(SkipItem):
        imp.map_row({"a": ""}, {"text": "a"}, _settings(), NOW)


def test_preview_writes_nothing_and_shows_reasons():
    rows, cols = imp.read_csv(CSV.read_bytes())
    pv = imp.preview(rows, cols, imp.parse_mapping(CSV_MAP), _settings(), NOW, n=2)
    assert pv.rows == 4 and pv.mappable == 3 and len(pv.items) == 2 and pv.skipped == {"no title or text": 1}


def test_cli_import_is_idempotent(tmp_path, monkeypatch, capsys):
    dbp = tmp_path / "i.duckdb"
    monkeypatch.setenv("LANGNGHE_DB", str(dbp))
    monkeypatch.setattr("orchestration.ingest.processor", lambda cfg, db: None)
    assert cli.main(["import", str(CSV), "--preview"]) == 0
    out = capsys.readouterr().out
    assert "Ánh xạ:" in out and "bỏ qua 1: no title or text" in out
    assert not dbp.exists()
    assert cli.main(["import", str(CSV)]) == 2  # no --map: proposes one, writes nothing
    assert cli.main(["import", str(CSV), "--map", CSV_MAP]) == 0
    assert cli.main(["import", str(CSV), "--map", CSV_MAP]) == 0
    err = capsys.readouterr().err
    assert "Đã nhập 3 mục mới" in err and "Đã nhập 0 mục mới" in err
    with Database(dbp) as d, d.read() as cur:
        assert cur.execute("SELECT count(*) FROM items WHERE collector = 'import'").fetchone()[0] == 3
        assert cur.execute("SELECT count(*) FROM item_raw").fetchone()[0] == 3
        assert cur.execute("SELECT items_new FROM import_log ORDER BY id").fetchall() == [(3,), (0,)]
