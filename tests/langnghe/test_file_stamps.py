"""The one «YYYYmmdd-HHMMSS» stamp (vocab.timefmt.file_stamp) in the names Lắng Nghe gives files and folders: a
restore's set-aside copy, `langnghe backup`'s file in a folder and a report's archive folder each formatted it
from their own clock argument until round 31 (backup's given Vietnam time, the others UTC). One clock reading, one
name in all three."""

from __future__ import annotations

from datetime import datetime

import store.db as db_mod
from langnghe import cli as cli_mod
from langnghe.commands import backup
from reports import generate
from store.db import Database
from tests.langnghe.test_crash_and_cli import write_config
from tests.reports.conftest import settings
from vocab.timefmt import file_stamp

AT = datetime(2026, 12, 7, 18, 30, 5)  # naive UTC: 01:30:05 on 8/12 in Vietnam
STAMP = "20261208-013005"


def test_the_stamp_is_vietnam_time_of_a_naive_utc_reading():
    assert file_stamp(AT) == STAMP
    assert file_stamp(datetime(2026, 12, 31, 17, 0)) == "20270101-000000"  # the year turns in Vietnam first


def test_the_three_names_carry_the_same_stamp_from_one_utc_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(db_mod, "utcnow", lambda: AT)
    live = tmp_path / "langnghe.duckdb"
    with Database(live):
        pass
    aside = db_mod._set_aside(live)
    assert aside is not None and aside.name == f"langnghe.truoc-khoi-phuc-{STAMP}.duckdb"
    (tmp_path / "sao-luu").mkdir()
    assert backup.target(str(tmp_path / "sao-luu"), AT).name == f"langnghe-{STAMP}.duckdb"
    s = settings(archive_dir=str(tmp_path / "archive"))
    assert generate.archive_dir(s, "weekly", "2026-W49", "", AT).name == STAMP


def test_backup_into_a_folder_names_its_file_by_the_store_s_clock(tmp_path, monkeypatch, capsys):
    """The command read the clock itself and handed `target` Vietnam time: the same reading now goes through
    `file_stamp` as the copies beside a database do."""
    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    with Database(tmp_path / "c.duckdb"):
        pass
    monkeypatch.setattr(db_mod, "utcnow", lambda: AT)
    (tmp_path / "sao-luu").mkdir()
    assert cli_mod.main(["--config", str(cfg), "backup", str(tmp_path / "sao-luu")]) == 0, capsys.readouterr().err
    assert [p.name for p in (tmp_path / "sao-luu").iterdir()] == [f"langnghe-{STAMP}.duckdb"]
