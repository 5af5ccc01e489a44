"""`langnghe restore NGUỒN`: a backup takes the database's place only once it is whole and checked; a half-written,
foreign or newer file is refused in Vietnamese and the live database (and its `.wal`) is left as it was."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from store.db import Database, StorageCorrupt, backup_database, restore_database
from tests.conftest import cli_in_process
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
    # a real process here and while serve holds the file; the other restores run in process (`cli_in_process`:
    # the same `main`, without a process's start-up and imports, ~2.5 s of CPU each)
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
    res = cli_in_process(["--config", str(cfg), "restore", str(backup)])
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
    res = cli_in_process(["--config", str(cfg), "restore", str(tmp_path / "khong-co.duckdb")])
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


def _failing_rename_to(live: Path, monkeypatch: pytest.MonkeyPatch, times: int = 99) -> None:
    """`os.replace` onto `live` fails (an I/O error) the first `times` times."""
    import store.db as store_db

    real_replace, failed = store_db.os.replace, []

    def replace(a, b):
        if Path(b) == live and len(failed) < times:
            failed.append(b)
            raise OSError(5, "Input/output error")
        return real_replace(a, b)

    monkeypatch.setattr(store_db.os, "replace", replace)


@pytest.mark.parametrize("hard_links", [True, False], ids=["hard-links", "no-hard-links"])
def test_a_restore_stopped_before_the_rename_leaves_the_database_as_it_was(tmp_path, monkeypatch, hard_links):
    """The old database was set aside by moving its `.wal` away before the backup took the name: stopped between the
    two (a failing rename), the database came back without what its `.wal` held, silently. The `.wal` is now kept by
    a hard link; a failed restore then left that extra name (`….truoc-khoi-phuc-…`) behind, a second full-size name
    staff took for a restore that happened. It is taken back: the old database stays under its own name only, whole,
    also where the file system has no hard links (there it was moved aside, and is moved back)."""
    import store.db as store_db

    _, live, backup = _live_with_backup(tmp_path)
    before = _state(live)
    if not hard_links:
        def no_hard_links(*_: object) -> None:
            raise OSError(1, "Operation not permitted")

        monkeypatch.setattr(store_db.os, "link", no_hard_links)
    _failing_rename_to(live, monkeypatch, times=1)
    with pytest.raises(OSError):
        restore_database(backup, live)
    monkeypatch.undo()
    assert _state(live) == before and _setting(live) == ("2",)
    assert not list(tmp_path.glob("c.truoc-khoi-phuc-*")) and not list(tmp_path.glob("*.khoi-phuc*"))


def test_when_the_folder_flush_fails_after_the_rename_the_message_says_what_is_true(tmp_path, monkeypatch, capsys):
    """The rename done, the folder's flush failed: the command said "Cơ sở dữ liệu … không bị động đến" (exit 2), but
    the backup was in place and the old database only kept aside. It now says that, and what a power cut would do."""
    import store.db as store_db
    from langnghe import cli as cli_mod

    cfg, live, backup = _live_with_backup(tmp_path)
    real_replace, real_fsync, renamed = store_db.os.replace, store_db._fsync, []

    def replace(a, b):
        real_replace(a, b)
        renamed.append(Path(b) == live)

    def fsync(path: Path) -> None:
        if any(renamed) and Path(path).is_dir():
            raise OSError(5, "Input/output error")
        real_fsync(path)

    monkeypatch.setattr(store_db.os, "replace", replace)
    monkeypatch.setattr(store_db, "_fsync", fsync)
    code = cli_mod.main(["--config", str(cfg), "restore", str(backup)])
    err = capsys.readouterr().err
    monkeypatch.undo()
    [aside] = tmp_path.glob("c.truoc-khoi-phuc-*.duckdb")
    assert code == 4, err
    assert "không bị động đến" not in err and "cơ sở dữ liệu mới đã ở đúng chỗ" in err
    assert f"cơ sở dữ liệu cũ được giữ ở {aside}" in err and "mất điện" in err and "sync" in err
    assert _setting(live) == ("1",) and _setting(aside) == ("2",)


def _serve_starts(live: Path) -> bool:
    """Whether a process opening `live` for writing (a serve starting) gets it, as a fresh process."""
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.connect({str(live)!r}).close()"],
                         capture_output=True, text=True)
    return res.returncode == 0 or "lock" not in res.stderr.lower()


def test_a_restore_to_a_new_path_holds_the_name_against_a_starting_serve(tmp_path, monkeypatch):
    """No lock was taken when the database file did not exist yet: a serve started during the restore created an
    empty database there, which the backup then replaced under it. The name is now held by an empty file made
    exclusively and locked; the serve is refused, and the restore puts the backup there."""
    import store.db as store_db

    _, _, backup = _live_with_backup(tmp_path)
    live = tmp_path / "moi" / "c.duckdb"
    live.parent.mkdir()
    real_replace, opened = store_db.os.replace, []

    def serve_starts_then_replace(a, b):
        if Path(b) == live:
            opened.append(_serve_starts(live))
        return real_replace(a, b)

    monkeypatch.setattr(store_db.os, "replace", serve_starts_then_replace)
    assert restore_database(backup, live) is None
    assert opened == [False] and _setting(live) == ("1",)
    assert sorted(p.name for p in live.parent.iterdir()) == ["c.duckdb"]


def test_a_failed_restore_to_a_new_path_leaves_no_empty_database(tmp_path, monkeypatch):
    _, _, backup = _live_with_backup(tmp_path)
    live = tmp_path / "moi" / "c.duckdb"
    live.parent.mkdir()
    _failing_rename_to(live, monkeypatch)
    with pytest.raises(OSError):
        restore_database(backup, live)
    assert list(live.parent.iterdir()) == []


def test_a_restore_through_a_symbolic_link_replaces_the_file_and_keeps_the_link(tmp_path):
    """The database kept on another disk behind a link (var/langnghe.duckdb → /data/…): the restore made the link a
    regular file in var/, and the database on the other disk was no longer the one used. It replaces the file the
    link leads to; the old one is kept beside it, with its `.wal` (DuckDB keeps that beside the file, not the link)."""
    cfg, live, backup = _live_with_backup(tmp_path)
    disk = tmp_path / "o-khac"
    disk.mkdir()
    live.rename(disk / "c.duckdb")
    Path(f"{live}.wal").rename(disk / "c.duckdb.wal")
    live.symlink_to(disk / "c.duckdb")
    res = cli_in_process(["--config", str(cfg), "restore", str(backup)])
    assert res.returncode == 0, res.stderr
    assert live.is_symlink() and live.resolve() == disk / "c.duckdb" and _setting(live) == ("1",)
    [aside] = disk.glob("c.truoc-khoi-phuc-*.duckdb")
    assert _setting(aside) == ("2",) and not (disk / "c.duckdb.wal").exists()
    assert str(aside) in res.stdout and not list(tmp_path.glob("c.truoc-khoi-phuc-*"))


def test_a_restore_waits_for_a_status_reading_the_database_that_second(tmp_path, monkeypatch):
    """With serve stopped, `langnghe status` opens the database (for writing, to migrate) for a second or so; a
    restore at that second was refused as if serve held it. It looks again a few times, briefly."""
    import subprocess
    import sys

    import store.db as store_db

    _, live, backup = _live_with_backup(tmp_path)
    hold = (f"from store.db import Database; import sys; db = Database({str(live)!r}); print('mở', flush=True); "
            "sys.stdin.read(); db.close()")
    status = subprocess.Popen([sys.executable, "-c", hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    waits = []

    def status_done() -> None:
        waits.append(1)
        status.communicate("", timeout=60)

    try:
        assert status.stdout.readline().strip() == "mở"
        monkeypatch.setattr(store_db, "_pause", status_done, raising=False)
        restore_database(backup, live)
    finally:
        if status.poll() is None:
            status.communicate("", timeout=60)
    assert waits and _setting(live) == ("1",)


def test_a_restore_waits_for_a_held_database_once_not_at_each_look(tmp_path, monkeypatch):
    """Restore looks for a holder before the copy and again at the locks before the rename; each look had its own
    10 tries, so a `status` seen at the first look and a serve started during the copy waited 4.5 s twice (≈ 9 s)
    before restore refused. The waits are one allowance for the whole restore."""
    import subprocess
    import sys

    import store.db as store_db
    from store.db import DatabaseLocked

    _, live, backup = _live_with_backup(tmp_path)
    hold = (f"from store.db import Database; import sys; db = Database({str(live)!r}); print('mở', flush=True); "
            "sys.stdin.read(); db.close()")
    holders: list[subprocess.Popen] = []

    def start_holder() -> None:
        p = subprocess.Popen([sys.executable, "-c", hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        holders.append(p)
        assert p.stdout.readline().strip() == "mở"

    waits: list[int] = []

    def pause() -> None:  # a `status` holds the first three waits, then is done
        waits.append(1)
        if len(waits) == 3:
            holders[0].communicate("", timeout=60)

    real_copy = store_db.copy_database

    def serve_starts_during_the_copy(src: Path, dest: Path) -> Path:
        out = real_copy(src, dest)
        start_holder()
        return out

    start_holder()
    monkeypatch.setattr(store_db, "_pause", pause)
    monkeypatch.setattr(store_db, "copy_database", serve_starts_during_the_copy)
    try:
        with pytest.raises(DatabaseLocked, match="dừng serve"):
            restore_database(backup, live)
    finally:
        for p in holders:
            if p.poll() is None:
                p.communicate("", timeout=60)
    assert len(waits) == store_db._LOCK_TRIES - 1  # 4.5 s in all, where it was 3 + 9 waits
    assert _setting(live) == ("2",) and not list(tmp_path.glob("*.khoi-phuc*"))
