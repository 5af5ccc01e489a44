"""`langnghe import` stopped by an error that is not the file's known fault (a bug, an unforeseen error while
storing): one Vietnamese line on stderr, exit 1, the chunks before it kept, the traceback only in the debug log
(`langnghe -v import …`). Round 25: a Python traceback."""

from __future__ import annotations

import logging
from pathlib import Path

from langnghe import cli
from store.db import Database
from tests.conftest import break_second_insert

CSV = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "fb_export_uongbi.csv"
CSV_MAP = "id=post_id,published_at=created_time,outlet=page,text=message,url=link,place=Địa bàn"


def test_an_unexpected_error_is_one_vietnamese_line_and_the_chunks_before_it_stay(tmp_path, monkeypatch, capsys,
                                                                                  caplog):
    dbp = tmp_path / "i.duckdb"
    monkeypatch.setenv("LANGNGHE_DB", str(dbp))
    conf = tmp_path / "mot-dong.toml"
    conf.write_text("[imports]\nchunk_rows = 1\n", encoding="utf-8")  # a chunk per row: the second one breaks
    monkeypatch.setenv("LANGNGHE_CONFIG", str(conf))
    monkeypatch.setattr("orchestration.ingest.processor", lambda cfg, db: None)
    calls = break_second_insert(monkeypatch, "lỗi giả trong lúc ghi")
    with caplog.at_level(logging.DEBUG, logger="langnghe.import"):
        rc = cli.main(["import", str(CSV), "--map", CSV_MAP])
    err = capsys.readouterr().err
    assert rc == 1, err
    line = [ln for ln in err.splitlines() if ln.startswith("langnghe import:")]
    assert len(line) == 1 and "lỗi ngoài dự kiến" in line[0] and "RuntimeError" in line[0], err
    assert "Traceback" not in err and "lỗi giả" not in err
    assert any(r.levelno == logging.DEBUG and r.exc_info for r in caplog.records)  # what `-v` shows
    with Database(str(dbp)) as db, db.read() as cur:
        kept = cur.execute("SELECT count(*) FROM items WHERE collector = 'import'").fetchone()[0]
        status = cur.execute("SELECT status FROM import_log").fetchall()
    assert len(calls) == 2 and status == [("error",)]
    assert kept >= 1  # the first chunk's item, whole
