"""`langnghe backup`: a consistent copy whether serve runs or not, never over an existing file, checked before
it says done; what a plain `cp` of the live file misses (the `.wal`) is in it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from store.db import Database
from tests.langnghe.test_crash_and_cli import cli, write_config


def _setting(path: Path) -> tuple[str, ...] | None:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT value FROM ui_settings WHERE key = 'k'").fetchone()
    finally:
        con.close()


def test_backup_of_a_stopped_database_copies_it_without_migrating(tmp_path):
    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    with Database(tmp_path / "c.duckdb") as db, db.write() as cur:
        cur.execute("INSERT INTO ui_settings VALUES ('k', '1', 'quantri', now()::TIMESTAMP)")
    (tmp_path / "sao-luu").mkdir()
    res = cli(["--config", str(cfg), "backup", str(tmp_path / "sao-luu")])
    assert res.returncode == 0, res.stderr
    [copy] = (tmp_path / "sao-luu").glob("langnghe-*.duckdb")
    assert _setting(copy) == ("1",) and "Đã sao lưu vào" in res.stdout and "Khôi phục" in res.stdout
    again = cli(["--config", str(cfg), "backup", str(copy)])  # never over an existing file
    assert again.returncode == 2 and "đã có tệp" in again.stderr


def test_backup_while_serve_holds_the_database_copies_its_snapshot_and_says_how_old(tmp_path):
    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    dest = tmp_path / "b.duckdb"
    with Database(tmp_path / "c.duckdb") as db:
        with db.write() as cur:
            cur.execute("INSERT INTO ui_settings VALUES ('k', '1', 'quantri', now()::TIMESTAMP)")
        held = cli(["--config", str(cfg), "backup", str(dest)])  # no snapshot yet
        db.snapshot(tmp_path / "c.snap.duckdb")
        res = cli(["--config", str(cfg), "backup", str(dest)])
    assert held.returncode == 3 and "Chưa có bản chụp" in held.stderr and "Traceback" not in held.stderr
    assert res.returncode == 0, res.stderr
    assert "bản chụp" in res.stdout and "phút trước" in res.stdout
    assert _setting(dest) == ("1",)
    assert not list(tmp_path.glob("*.tmp*"))
