"""`langnghe backup`: a consistent copy whether serve runs or not, never over an existing file, checked before
it says done; what a plain `cp` of the live file misses (the `.wal`) is in it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb

from store.db import Database
from tests.conftest import cli_in_process
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
    # in process (`cli_in_process`: the same `main`, without ~2.5 s of CPU of a process's start-up and imports);
    # the offline backup below and the ones while serve holds the file run in a real process
    res = cli_in_process(["--config", str(cfg), "backup", str(tmp_path / "sao-luu")])
    assert res.returncode == 0, res.stderr
    [copy] = (tmp_path / "sao-luu").glob("langnghe-*.duckdb")
    assert _setting(copy) == ("1",) and "Đã sao lưu vào" in res.stdout
    assert f"langnghe restore {copy}" in res.stdout  # the checked way back, not a copy over by hand
    again = cli_in_process(["--config", str(cfg), "backup", str(copy)])  # never over an existing file
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


_FINGERPRINT = """
import duckdb, json, sys
con = duckdb.connect(sys.argv[1], read_only=True)
tables = [r[0] for r in con.execute(
    "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND table_name <> '__sau_ban_chup' ORDER BY 1").fetchall()]
print(json.dumps({t: con.execute(
    f'SELECT count(*), md5(coalesce(string_agg(x::VARCHAR, chr(10) ORDER BY x::VARCHAR), \\'\\')) FROM "{t}" x'
).fetchone() for t in tables}))
"""


def _fingerprint(path: Path) -> dict[str, list]:
    """Every table's row count and a digest of its rows, read by a fresh process (as a restore would)."""
    res = subprocess.run([sys.executable, "-c", _FINGERPRINT, str(path)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def test_an_offline_backup_opens_in_a_fresh_process_with_every_row(tmp_path):
    """With serve stopped the command copies the file itself (a checkpoint, then the file): what sat only in the
    `.wal` of a serve that was killed is in the copy, and every table holds the same rows."""
    from devtools.synth import seed

    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    src = tmp_path / "c.duckdb"
    with Database(src) as db:
        seed(db, n_items=300, n_stories=5, n_alerts=3, days=7)
        db._con.execute("PRAGMA disable_checkpoint_on_shutdown")  # as a killed serve: the last write only in the .wal
        with db.write() as cur:
            cur.execute("INSERT INTO ui_settings VALUES ('k', '1', 'quantri', now()::TIMESTAMP)")
    assert Path(f"{src}.wal").stat().st_size > 0
    res = cli(["--config", str(cfg), "backup", str(tmp_path / "b.duckdb")])
    assert res.returncode == 0, res.stderr
    copy = _fingerprint(tmp_path / "b.duckdb")
    assert copy == _fingerprint(src) and copy["items"][0] == 300 and _setting(tmp_path / "b.duckdb") == ("1",)
    assert not Path(f"{tmp_path / 'b.duckdb'}.wal").exists() and not list(tmp_path.glob("*.tmp*"))


def test_a_backup_of_a_missing_database_says_so(tmp_path):
    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    res = cli_in_process(["--config", str(cfg), "backup", str(tmp_path / "b.duckdb")])
    assert res.returncode == 2 and "chưa có cơ sở dữ liệu" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "c.duckdb").exists() and not (tmp_path / "b.duckdb").exists()


def test_a_backup_while_serve_runs_is_a_file_copy_of_its_snapshot_with_every_row(tmp_path):
    """While serve holds the database, the backup copied its snapshot table by table (≈ 10 s at 170 MB). Serve renames
    each snapshot into place whole and never writes it again, so a plain copy of the file is consistent (≈ 0.3 s): the
    backup is the snapshot byte for byte, and opens in a fresh process with every row."""
    from devtools.synth import seed

    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    snap, dest = tmp_path / "c.snap.duckdb", tmp_path / "b.duckdb"
    with Database(tmp_path / "c.duckdb") as db:
        seed(db, n_items=300, n_stories=5, n_alerts=3, days=7)
        db.snapshot(snap)
        res = cli(["--config", str(cfg), "backup", str(dest)])
    assert res.returncode == 0, res.stderr
    assert dest.read_bytes() == snap.read_bytes()
    copy = _fingerprint(dest)
    assert copy == _fingerprint(snap) and copy["items"][0] == 300
    assert not list(tmp_path.glob("*.tmp*"))


def test_a_backup_of_a_damaged_snapshot_while_serve_runs_fails_and_says_what_to_do(tmp_path):
    """The snapshot copied as a file is read through before it takes the backup's name: a block damaged on the disk
    is exit 4 in Vietnamese, with the way round (stop serve: the live database is copied), and no file named."""
    from tests.store.test_copies import _snapshot_damaged_on_disk

    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    dest = tmp_path / "b.duckdb"
    with Database(tmp_path / "c.duckdb") as db:
        _snapshot_damaged_on_disk(db, tmp_path / "c.snap.duckdb")
        res = cli(["--config", str(cfg), "backup", str(dest)])
    assert res.returncode == 4 and "Traceback" not in res.stderr
    assert "bị hỏng trên đĩa" in res.stderr and "dừng serve rồi chạy lại `langnghe backup`" in res.stderr
    assert not dest.exists() and not list(tmp_path.glob("*.tmp*"))


def _serve_holds(monkeypatch) -> None:
    """`langnghe backup` in this process as while serve holds the database: its snapshot is what is copied."""
    import store.db as store_db
    from store.db import DatabaseLocked

    def held(src: object, dest: object) -> None:
        raise DatabaseLocked("Cơ sở dữ liệu đang được một tiến trình khác giữ (thường là `langnghe serve`).")

    monkeypatch.setattr(store_db, "backup_database", held)


def test_how_old_the_backup_is_is_read_from_the_snapshot_actually_copied(tmp_path, monkeypatch, capsys):
    """The command read the snapshot's time, then copied: a newer snapshot serve renamed over the name in between was
    the one copied, yet the line said the older one's time («120 phút trước» for a backup a minute old)."""
    import os
    import time

    import store.db as store_db
    from langnghe import cli as cli_mod

    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    snap, newer, dest = tmp_path / "c.snap.duckdb", tmp_path / "newer.duckdb", tmp_path / "b.duckdb"
    with Database(tmp_path / "c.duckdb") as db:
        with db.write() as cur:
            cur.execute("INSERT INTO ui_settings VALUES ('k', '1', 'quantri', now()::TIMESTAMP)")
        db.snapshot(snap)
        with db.write() as cur:
            cur.execute("UPDATE ui_settings SET value = '2' WHERE key = 'k'")
        db.snapshot(newer)
    two_hours_ago = time.time() - 7200
    os.utime(snap, (two_hours_ago, two_hours_ago))
    real_fresh_tmp = store_db._fresh_tmp

    def serve_publishes_then_fresh_tmp(d: Path) -> Path:  # just before the backup opens the snapshot
        if newer.exists():
            os.replace(newer, snap)
        return real_fresh_tmp(d)

    _serve_holds(monkeypatch)
    monkeypatch.setattr(store_db, "_fresh_tmp", serve_publishes_then_fresh_tmp)
    assert cli_mod.main(["--config", str(cfg), "backup", str(dest)]) == 0
    out = capsys.readouterr().out
    assert _setting(dest) == ("2",) and "(0 phút trước)" in out, out
    assert abs(dest.stat().st_mtime - snap.stat().st_mtime) < 1  # the backup keeps its snapshot's time


def test_a_snapshot_cut_short_during_the_backup_is_a_clear_storage_error(tmp_path, monkeypatch, capsys):
    """A source that ended before its size raised a plain OSError, which the CLI does not catch: a traceback. It is a
    storage error now (exit 4, Vietnamese), and the partial copy is gone."""
    import store.db as store_db
    from langnghe import cli as cli_mod

    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    dest = tmp_path / "b.duckdb"
    with Database(tmp_path / "c.duckdb") as db:
        db.snapshot(tmp_path / "c.snap.duckdb")
    _serve_holds(monkeypatch)
    monkeypatch.setattr(store_db.os, "sendfile", lambda out, fd, offset, count: 0 if offset >= 4096 else 4096)
    assert cli_mod.main(["--config", str(cfg), "backup", str(dest)]) == 4
    err = capsys.readouterr().err
    assert "ngắn đi trong lúc chép" in err and "mới chép được 4096 trên" in err and "Traceback" not in err
    assert not dest.exists() and not list(tmp_path.glob("*.tmp*"))


def test_a_backup_to_a_destination_that_cannot_be_made_says_so_without_a_traceback(tmp_path, capsys):
    """`langnghe backup tep/x.duckdb` (a file where the folder should be) printed Python's FileExistsError."""
    from langnghe import cli as cli_mod

    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    with Database(tmp_path / "c.duckdb"):
        pass
    (tmp_path / "tep").write_text("x", encoding="utf-8")
    assert cli_mod.main(["--config", str(cfg), "backup", str(tmp_path / "tep" / "x.duckdb")]) == 2
    err = capsys.readouterr().err
    assert f"không sao lưu được vào {tmp_path / 'tep' / 'x.duckdb'}" in err and "Traceback" not in err
    assert "cơ sở dữ liệu không bị động đến" in err and (tmp_path / "tep").read_text(encoding="utf-8") == "x"
    # round 21: a folder that cannot be made said «… hãy kiểm tra tên và đường dẫn. Hãy kiểm tra ĐÍCH …»
    assert cli_mod.main(["--config", str(cfg), "backup", "/proc/langnghe-khong-co/x.duckdb"]) == 2
    err = capsys.readouterr().err
    assert "không sao lưu được vào" in err and err.lower().count("hãy kiểm tra") <= 1, err


def test_a_folder_still_to_be_made_written_with_a_slash_gets_a_dated_file_inside(tmp_path):
    """`langnghe backup sao-luu/moi/` (no such folder yet) made a file named «moi» (round 26's maintainer walk): a
    final "/" says a folder, which is made, with the dated copy inside."""
    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    with Database(tmp_path / "c.duckdb"):
        pass
    res = cli_in_process(["--config", str(cfg), "backup", str(tmp_path / "sao-luu" / "moi") + "/"])
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "sao-luu" / "moi").is_dir()
    [copy] = (tmp_path / "sao-luu" / "moi").glob("langnghe-*.duckdb")
    assert f"Đã sao lưu vào {copy}" in res.stdout
