"""`langnghe restore NGUỒN`: a backup takes the database's place only once it is whole and checked; a half-written,
foreign or newer file is refused in Vietnamese and the live database (and its `.wal`) is left as it was."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from store.db import Database, StorageCorrupt, backup_database, restore_database
from tests.langnghe.test_backup import _setting
from tests.langnghe.test_crash_and_cli import cli, write_config
from tests.store.test_upgrade import _old_database


def _live_with_backup(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A live database holding k=2 (the last write only in its .wal) and a backup of it taken at k=1."""
    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    live, backup = tmp_path / "c.duckdb", tmp_path / "sao-luu.duckdb"
    with Database(live) as db:
        with db.write() as cur:
            cur.execute("INSERT INTO ui_settings VALUES ('k', '1', 'quantri', now()::TIMESTAMP)")
    backup_database(live, backup)
    with Database(live) as db:
        db._con.execute("PRAGMA disable_checkpoint_on_shutdown")
        with db.write() as cur:
            cur.execute("UPDATE ui_settings SET value = '2' WHERE key = 'k'")
    return cfg, live, backup


def _state(live: Path) -> tuple[bytes, bytes | None]:
    wal = Path(f"{live}.wal")
    return live.read_bytes(), wal.read_bytes() if wal.exists() else None


def test_restore_puts_the_backup_in_place_and_keeps_the_old_database(tmp_path):
    cfg, live, backup = _live_with_backup(tmp_path)
    res = cli(["--config", str(cfg), "restore", str(backup)])
    assert res.returncode == 0, res.stderr
    assert "Đã khôi phục" in res.stdout and "được giữ ở" in res.stdout
    assert _setting(live) == ("1",) and not Path(f"{live}.wal").exists()
    [aside] = tmp_path.glob("c.truoc-khoi-phuc-*.duckdb")
    assert Path(f"{aside}.wal").exists() and _setting(aside) == ("2",)  # the old one whole, its .wal replayed
    assert not list(tmp_path.glob("*.khoi-phuc*"))
    with Database(live) as db, db.read() as cur:  # serve opens it (and writes) as usual
        assert cur.execute("SELECT value FROM ui_settings WHERE key = 'k'").fetchone() == ("1",)


def _half(backup: Path) -> None:
    data = backup.read_bytes()
    backup.write_bytes(data[: len(data) // 2])


def _foreign_duckdb(backup: Path) -> None:
    backup.unlink()
    con = duckdb.connect(str(backup))
    con.execute("CREATE TABLE t AS SELECT 1 AS i")
    con.close()


def _newer(backup: Path) -> None:
    con = duckdb.connect(str(backup))
    con.execute("INSERT INTO schema_migrations VALUES (999, 'tuong_lai', now()::TIMESTAMP)")
    con.close()


@pytest.mark.parametrize(("spoil", "said"), [
    (_half, "bị cắt dở"),
    (lambda p: p.write_bytes(b"<html>not a database</html>" * 100), "không phải tệp DuckDB"),
    (_foreign_duckdb, "không phải cơ sở dữ liệu Lắng Nghe"),
    (_newer, "phiên bản Lắng Nghe mới hơn"),
], ids=["half-written", "not-duckdb", "foreign-duckdb", "newer-release"])
def test_restore_refuses_a_bad_copy_and_leaves_the_database_untouched(tmp_path, spoil, said):
    cfg, live, backup = _live_with_backup(tmp_path)
    spoil(backup)
    before = _state(live)
    res = cli(["--config", str(cfg), "restore", str(backup)])
    assert res.returncode == 4 and said in res.stderr and "Traceback" not in res.stderr, res.stderr
    assert f"cơ sở dữ liệu {live} không bị động đến" in res.stderr.replace("Cơ sở", "cơ sở")
    assert _state(live) == before and before[1]
    assert not list(tmp_path.glob("*.khoi-phuc*")) and not list(tmp_path.glob("*.truoc-khoi-phuc*"))


def test_restore_while_serve_holds_the_database_is_refused(tmp_path):
    cfg, live, backup = _live_with_backup(tmp_path)
    with Database(live):
        res = cli(["--config", str(cfg), "restore", str(backup)])
    assert res.returncode == 3 and "dừng serve" in res.stderr
    assert _setting(live) == ("2",) and not list(tmp_path.glob("*.khoi-phuc*"))


def test_restore_of_a_missing_file_says_so(tmp_path):
    cfg, live, _ = _live_with_backup(tmp_path)
    before = _state(live)
    res = cli(["--config", str(cfg), "restore", str(tmp_path / "khong-co.duckdb")])
    assert res.returncode == 2 and "không có tệp hoặc thư mục này" in res.stderr and "Traceback" not in res.stderr
    assert _state(live) == before


def test_a_half_written_copy_put_back_by_hand_is_said_to_be_damaged(tmp_path):
    """Copied over by hand (no restore command), a file cut short failed with DuckDB's English "Could not read
    enough bytes" and a traceback; it is a damaged file, said as one."""
    _, live, backup = _live_with_backup(tmp_path)
    backup.write_bytes(backup.read_bytes()[:20_000])  # the headers, then nothing: the copy stopped early
    with pytest.raises(StorageCorrupt, match="bị hỏng"):
        Database(backup)


def test_a_backup_from_an_older_release_is_restored_and_upgraded_on_open(tmp_path, monkeypatch):
    """An older release's backup is no reason to refuse: serve migrates it when it opens it (after its own copy)."""
    _, live, _ = _live_with_backup(tmp_path)
    old = _old_database(tmp_path / "cu", monkeypatch)
    restore_database(old, live)
    with Database(live) as db:
        assert db.missing_migrations() == [] and _setting_in(db) == ("1",)


def _setting_in(db: Database) -> tuple[str, ...] | None:
    with db.read() as cur:
        return cur.execute("SELECT value FROM ui_settings WHERE key = 'k'").fetchone()


def test_a_serve_started_while_the_backup_takes_the_name_is_refused(tmp_path, monkeypatch):
    """Serve started after restore's checks and before the rename opened the file about to be set aside and wrote
    to it (and to a .wal beside the restored copy) unseen; restore holds DuckDB's lock on the file until the backup
    has its name, so that serve is refused instead."""
    import subprocess
    import sys

    import store.db as store_db

    _, live, backup = _live_with_backup(tmp_path)
    set_aside, opened = store_db._set_aside, []

    def serve_starts_then_set_aside(path: Path) -> Path | None:
        res = subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.connect({str(live)!r}).close()"],
                             capture_output=True, text=True)
        opened.append(res.returncode == 0 or "lock" not in res.stderr.lower())
        return set_aside(path)

    monkeypatch.setattr(store_db, "_set_aside", serve_starts_then_set_aside)
    restore_database(backup, live)
    assert opened == [False]
    assert _setting(live) == ("1",)


def test_a_restore_stopped_before_the_rename_leaves_the_database_with_its_wal(tmp_path, monkeypatch):
    """The old database was set aside by moving its `.wal` away before the backup took the name: stopped between the
    two (a power cut, a failing rename), the database came back without what its `.wal` held, silently. The `.wal`
    is now kept by a hard link and removed only once the backup has the name."""
    import store.db as store_db

    _, live, backup = _live_with_backup(tmp_path)
    real_replace = store_db.os.replace

    def replace(a, b):
        if Path(b) == live:
            raise OSError(5, "Input/output error")
        return real_replace(a, b)

    monkeypatch.setattr(store_db.os, "replace", replace)
    with pytest.raises(OSError):
        restore_database(backup, live)
    monkeypatch.undo()
    assert _setting(live) == ("2",)
    [aside] = tmp_path.glob("c.truoc-khoi-phuc-*.duckdb")
    assert _setting(aside) == ("2",)
