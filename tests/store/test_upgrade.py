"""Upgrades and copies as an operator meets them: an upgrade copies the file before its first migration (and
migrates nothing when it cannot); a file a newer release migrated is refused before any change; a snapshot
that fails leaves nothing behind."""

from __future__ import annotations

import errno
import logging
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from store import db as db_mod
from store.db import Database, DatabaseTooNew, StorageCorrupt, StorageFull, migrations


def test_a_database_from_a_newer_release_is_refused_untouched(tmp_path):
    path = tmp_path / "langnghe.duckdb"
    with Database(path) as db:
        with db.write() as cur:
            cur.execute("INSERT INTO schema_migrations VALUES (999, 'tuong_lai', now()::TIMESTAMP)")
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew) as err:
        Database(path)
    assert "mới hơn" in str(err.value) and "999" in str(err.value) and str(path) in str(err.value)
    assert path.read_bytes() == before
    with Database(path, read_only=True) as db:  # the refusal closed the handle: the file opens again
        assert db.schema_version() == 999
        assert db.missing_migrations() == []
    assert migrations()[-1][0] < 999


class _DiskFullOnCopy:
    """The connection, except that copying into the snapshot fails as a full disk makes it fail."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._con = con

    def cursor(self) -> "_DiskFullOnCopy":
        return _DiskFullOnCopy(self._con.cursor())

    def execute(self, sql: str, *args: object) -> object:
        if sql.startswith("COPY FROM DATABASE"):
            raise duckdb.IOException('Could not write file "snap.duckdb.tmp": No space left on device')
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)


class _Recording:
    """The connection, recording the SQL run on its cursors."""

    def __init__(self, con: duckdb.DuckDBPyConnection, seen: list[str]):
        self._con, self._seen = con, seen

    def cursor(self) -> "_Recording":
        return _Recording(self._con.cursor(), self._seen)

    def execute(self, sql: str, *args: object) -> object:
        self._seen.append(sql)
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)

def _snapshot_through(db: Database, wrapper: type, dest: Path) -> list[str]:
    """Take `db`'s snapshot with its connection wrapped in `wrapper` (a `_Recording`); the SQL its cursors ran."""
    seen: list[str] = []
    real = db._con
    db._con = wrapper(real, seen)
    try:
        db.snapshot(dest)
    finally:
        db._con = real
    return seen


def test_a_snapshot_is_a_checkpoint_and_a_file_copy_not_a_table_by_table_copy(tmp_path):
    """COPY FROM DATABASE rewrote every table with the write lock held (12 s at 170 MB: collection and the
    dashboard's writes waited); after a CHECKPOINT the file is the database and copying it is consistent."""
    with Database(tmp_path / "langnghe.duckdb") as db:
        with db.write() as cur:
            cur.execute("INSERT INTO ui_settings VALUES ('k', '1', 'quantri', now()::TIMESTAMP)")
        seen = _snapshot_through(db, _Recording, tmp_path / "snap.duckdb")
    assert "CHECKPOINT" in seen and not [q for q in seen if q.startswith("COPY FROM DATABASE")]
    con = duckdb.connect(str(tmp_path / "snap.duckdb"), read_only=True)
    assert con.execute("SELECT value FROM ui_settings WHERE key = 'k'").fetchone() == ("1",)
    con.close()


def test_a_snapshot_falls_back_to_copying_tables_when_no_checkpoint_can_run(tmp_path, monkeypatch):
    with Database(tmp_path / "langnghe.duckdb") as db:
        with db.write() as cur:
            cur.execute("INSERT INTO ui_settings VALUES ('k', '2', 'quantri', now()::TIMESTAMP)")
        monkeypatch.setattr(db, "_checkpointed", lambda con: False)
        db.snapshot(tmp_path / "snap.duckdb")
    con = duckdb.connect(str(tmp_path / "snap.duckdb"), read_only=True)
    assert con.execute("SELECT value FROM ui_settings WHERE key = 'k'").fetchone() == ("2",)
    con.close()


def test_a_file_copy_that_fills_the_disk_leaves_no_partial_copy(tmp_path, monkeypatch):
    def full(fd: int, dst: object, src: object) -> None:
        Path(str(dst)).write_bytes(b"x" * 1000)
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    with Database(tmp_path / "langnghe.duckdb") as db:
        monkeypatch.setattr(db_mod, "_copy_from_fd", full)
        with pytest.raises(StorageFull):
            db.snapshot(tmp_path / "snap.duckdb")
        monkeypatch.undo()
        assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("snap")]
        with db.write() as cur:  # the database itself goes on
            cur.execute("INSERT INTO ui_settings VALUES ('k', '1', 'quantri', now()::TIMESTAMP)")


def test_a_snapshot_that_fills_the_disk_leaves_no_partial_copy(tmp_path, monkeypatch):
    """Left behind, the partial copy kept the disk full (and the database's own writes failing) until the next
    snapshot try, which filled it again (seen: a 12 MB file system, a 24 MB database)."""
    with Database(tmp_path / "langnghe.duckdb") as db:
        monkeypatch.setattr(db, "_checkpointed", lambda con: False)  # the table-by-table path
        real = db._con
        db._con = _DiskFullOnCopy(real)
        with pytest.raises(StorageFull):
            db.snapshot(tmp_path / "snap.duckdb")
        db._con = real
        assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("snap")]
        with db.write() as cur:  # the database itself goes on
            cur.execute("INSERT INTO ui_settings VALUES ('k', '1', 'quantri', now()::TIMESTAMP)")


def _old_release(monkeypatch: pytest.MonkeyPatch, below: int) -> None:
    """Make this code an older release: only the migrations numbered below `below`."""
    known = migrations()
    monkeypatch.setattr(db_mod, "migrations", lambda: [m for m in known if m[0] < below])


def _old_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "langnghe.duckdb"
    with monkeypatch.context() as m:
        _old_release(m, 150)
        with Database(path) as db, db.write() as cur:
            cur.execute("INSERT INTO ui_settings VALUES ('k', '1', 'quantri', now()::TIMESTAMP)")
    return path


def test_an_upgrade_copies_the_database_first_and_says_where(tmp_path, monkeypatch, caplog):
    path = _old_database(tmp_path, monkeypatch)
    killed = tmp_path / "langnghe.truoc-nang-cap-20261205-194516.duckdb.tmp"  # an earlier try killed mid-copy
    killed.write_bytes(b"x")
    Path(f"{killed}.wal").write_bytes(b"x")
    caplog.set_level(logging.WARNING, logger="langnghe.store")
    with Database(path) as db:
        assert db.schema_version() == migrations()[-1][0]
    copies = list(tmp_path.glob("langnghe.truoc-nang-cap-*.duckdb"))
    assert len(copies) == 1 and str(copies[0]) in caplog.text and "Đã nâng cấp xong" in caplog.text
    assert not killed.exists() and not Path(f"{killed}.wal").exists()
    with Database(copies[0], read_only=True) as old, old.read() as cur:  # the file as it was
        assert old.schema_version() < 150 and 150 in old.missing_migrations()
        assert cur.execute("SELECT value FROM ui_settings WHERE key = 'k'").fetchone() == ("1",)
    with Database(path):  # up to date: no second copy
        pass
    assert len(list(tmp_path.glob("langnghe.truoc-nang-cap-*"))) == 1


def test_the_copies_beside_a_database_are_named_in_vietnam_time_whatever_the_machine_s_zone(tmp_path, monkeypatch):
    """The copy before an upgrade and the one a restore sets aside were named in the machine's local time (round 30):
    on a server kept in UTC a copy taken at 01:30 Vietnam time was «…-183005» of the day before, where `langnghe
    backup` names its files in Vietnam time, and in a zone with daylight saving time the names, sorted to keep
    the newest copies, went back an hour. Both now follow the one clock, `store.db.utcnow`."""
    from datetime import datetime

    path = _old_database(tmp_path, monkeypatch)
    monkeypatch.setattr(db_mod, "utcnow", lambda: datetime(2026, 12, 7, 18, 30, 5))  # 01:30:05 on 8/12 in Vietnam
    with Database(path):
        pass
    [copy] = tmp_path.glob("langnghe.truoc-nang-cap-*")
    assert copy.name == "langnghe.truoc-nang-cap-20261208-013005.duckdb"
    aside = db_mod._set_aside(path)
    assert aside is not None and aside.name == "langnghe.truoc-khoi-phuc-20261208-013005.duckdb"


def test_a_new_database_takes_no_copy(tmp_path):
    with Database(tmp_path / "langnghe.duckdb"):
        pass
    assert not list(tmp_path.glob("*truoc-nang-cap*"))


def test_no_room_for_the_copy_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    path = _old_database(tmp_path, monkeypatch)
    real = Database._copy_locked

    def full_disk(self: Database, dest: Path, **kw: object) -> Path:
        raise StorageFull("Ổ đĩa đã đầy", str(dest), "No space left on device")

    monkeypatch.setattr(Database, "_copy_locked", full_disk)
    with pytest.raises(StorageFull, match="Chưa nâng cấp.*vẫn nguyên"):
        Database(path)
    monkeypatch.setattr(Database, "_copy_locked", real)
    with Database(path, read_only=True) as db:
        assert db.schema_version() < 150


def _restored_beside(tmp_path: Path, wal: bytes, refused: str) -> Path:
    """`backup.duckdb` copied over a database at restored/ with the live file's old `wal` left beside it: opening it
    is refused (StorageCorrupt, its message matching `refused`); the .wal is then moved away as the message says.
    The restored file's path."""
    restored = tmp_path / "restored" / "langnghe.duckdb"
    restored.parent.mkdir()
    restored.write_bytes((tmp_path / "backup.duckdb").read_bytes())
    Path(f"{restored}.wal").write_bytes(wal)
    with pytest.raises(StorageCorrupt, match=refused):
        Database(restored)
    Path(f"{restored}.wal").unlink()
    return restored

def test_a_restored_copy_beside_the_old_wal_is_said_clearly(tmp_path):
    """Restoring by copying a backup over the database but leaving the old `.wal` beside it: DuckDB refuses to
    replay it (a traceback before); the message names the .wal and what to do, and the file is left as it is."""
    live = tmp_path / "live" / "langnghe.duckdb"
    with Database(live) as db:
        db.snapshot(tmp_path / "backup.duckdb")
        with db.write() as cur:  # written after the backup, then into the live file by a checkpoint
            cur.execute("INSERT INTO ui_settings VALUES ('j', '1', 'quantri', now()::TIMESTAMP)")
        with db.read() as cur:
            cur.execute("CHECKPOINT")
        with db.write() as cur:  # written after that: sits in the live file's write-ahead log
            cur.execute("INSERT INTO ui_settings VALUES ('k', '1', 'quantri', now()::TIMESTAMP)")
        wal = (tmp_path / "live" / "langnghe.duckdb.wal").read_bytes()
    assert wal
    restored = _restored_beside(tmp_path, wal, r"langnghe\.duckdb\.wal không khớp.*chuyển tệp \.wal")
    with Database(restored) as db:
        assert db.missing_migrations() == []


def test_a_migration_that_fails_is_undone_and_said_with_the_copy(tmp_path, monkeypatch):
    """A release whose migration fails half way (here its second statement): the file stays at the migration
    before it, the copy taken first is named, and the operator reads Vietnamese, not DuckDB's CatalogException."""
    path = _old_database(tmp_path, monkeypatch)
    broken = tmp_path / "migrations" / "999_broken.sql"
    broken.parent.mkdir()
    broken.write_text("CREATE TABLE half_done (a INTEGER);\nINSERT INTO no_such_table VALUES (1);\n", encoding="utf-8")
    known = migrations()
    monkeypatch.setattr(db_mod, "migrations", lambda: known + [(999, "broken", broken)])
    with pytest.raises(db_mod.MigrationFailed, match="999.*đã được hủy.*truoc-nang-cap") as err:
        Database(path)
    assert "no_such_table" in err.value.detail
    monkeypatch.setattr(db_mod, "migrations", lambda: known)
    with Database(path) as db, db.read() as cur:  # everything before 999 applied, nothing of it left
        assert db.missing_migrations() == [] and db.schema_version() == known[-1][0]
        tables = {r[0] for r in cur.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert "half_done" not in tables


def _earlier_copies(tmp_path: Path) -> list[Path]:
    """Three copies earlier upgrades left (oldest first), and one of another database in the same folder."""
    olds = [tmp_path / f"langnghe.truoc-nang-cap-2026010{d}-080000.duckdb" for d in (1, 2, 3)]
    for old in olds:
        old.write_bytes(b"x")
    (tmp_path / "khac.truoc-nang-cap-20260101-080000.duckdb").write_bytes(b"x")
    return olds


def test_an_upgrade_keeps_only_the_newest_copies_and_says_which_went(tmp_path, monkeypatch, caplog):
    """One full-size copy per upgrade, never removed, filled the disk over the releases."""
    path = _old_database(tmp_path, monkeypatch)
    olds = _earlier_copies(tmp_path)
    caplog.set_level(logging.WARNING, logger="langnghe.store")
    with Database(path, keep_upgrade_copies=2):
        pass
    kept = sorted(tmp_path.glob("langnghe.truoc-nang-cap-*.duckdb"))
    assert len(kept) == 2 and kept[0] == olds[2] and kept[1] not in olds  # the newest earlier one and the new one
    assert "Đã xóa 2 bản sao trước nâng cấp cũ" in caplog.text and str(olds[0]) in caplog.text
    assert (tmp_path / "khac.truoc-nang-cap-20260101-080000.duckdb").exists()


def test_a_failed_upgrade_removes_no_copy(tmp_path, monkeypatch):
    path = _old_database(tmp_path, monkeypatch)
    olds = _earlier_copies(tmp_path)
    broken = tmp_path / "999_broken.sql"
    broken.write_text("INSERT INTO no_such_table VALUES (1);\n", encoding="utf-8")
    known = migrations()
    monkeypatch.setattr(db_mod, "migrations", lambda: known + [(999, "broken", broken)])
    with pytest.raises(db_mod.MigrationFailed):
        Database(path, keep_upgrade_copies=1)
    assert all(old.exists() for old in olds) and len(list(tmp_path.glob("langnghe.truoc-nang-cap-*.duckdb"))) == 4


def test_the_newest_snapshot_restored_beside_the_wal_of_later_writes_is_refused(tmp_path):
    """The likeliest restore: serve stopped hard, the newest snapshot (a file copy: the live file's identity and
    checkpoint) copied over the database, its .wal left beside it. Without a later checkpoint DuckDB replayed that
    .wal onto the copy: small writes came back unasked, a large insert left a table the copy cannot read."""
    live = tmp_path / "live" / "langnghe.duckdb"
    with Database(live) as db:
        db.snapshot(tmp_path / "backup.duckdb")
        with db.write() as cur:  # written after the snapshot, no checkpoint since: sits in the .wal
            cur.execute("INSERT INTO ui_settings VALUES ('k', '1', 'quantri', now()::TIMESTAMP)")
        wal = (tmp_path / "live" / "langnghe.duckdb.wal").read_bytes()
    restored = _restored_beside(tmp_path, wal, r"langnghe\.duckdb\.wal không khớp")
    with Database(restored) as db, db.read() as cur:
        assert cur.execute("SELECT count(*) FROM ui_settings WHERE key = 'k'").fetchone() == (0,)
        assert cur.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = '__sau_ban_chup'").fetchone() == (0,)


def test_the_copy_before_an_upgrade_is_on_the_disk_before_the_migration_runs(tmp_path, monkeypatch):
    """The migration's commit is flushed to the disk by DuckDB; the file copy before it was not (COPY FROM DATABASE,
    before round 15, was): a power cut just after could leave the upgraded database beside an empty copy."""
    path = _old_database(tmp_path, monkeypatch)
    flushed: list[str] = []
    real = db_mod.os.fsync

    def fsync(fd: int) -> None:
        flushed.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(db_mod.os, "fsync", fsync)
    with Database(path):
        pass
    copy = next(tmp_path.glob("langnghe.truoc-nang-cap-*.duckdb"))
    assert f"{copy}.tmp" in flushed and str(tmp_path) in flushed


class _SecondCheckpointRefused(_Recording):
    """The connection, with DuckDB 1.x's refusal of a CHECKPOINT beside an open transaction, for the second one."""

    def cursor(self) -> "_SecondCheckpointRefused":
        return _SecondCheckpointRefused(self._con.cursor(), self._seen)

    def execute(self, sql: str, *args: object) -> object:
        if sql == "CHECKPOINT" and "CHECKPOINT" in self._seen:
            raise duckdb.TransactionException("Cannot CHECKPOINT: there are other transactions")
        return super().execute(sql, *args)


def test_a_snapshot_whose_second_checkpoint_is_refused_is_still_made(tmp_path):
    """pyproject allows DuckDB 1.3, which refuses a CHECKPOINT while a dashboard read is open: a reader starting
    between the copy and the checkpoint after it failed the snapshot, and the copy before an upgrade with it."""
    with Database(tmp_path / "langnghe.duckdb") as db:
        with db.write() as cur:
            cur.execute("INSERT INTO ui_settings VALUES ('k', '3', 'quantri', now()::TIMESTAMP)")
        seen = _snapshot_through(db, _SecondCheckpointRefused, tmp_path / "snap.duckdb")
    assert [q for q in seen if q.startswith("COPY FROM DATABASE")]  # made the other way, with its own identity
    con = duckdb.connect(str(tmp_path / "snap.duckdb"), read_only=True)
    assert con.execute("SELECT value FROM ui_settings WHERE key = 'k'").fetchone() == ("3",)
    con.close()
    assert not list(tmp_path.glob("snap.duckdb.tmp*"))


def test_the_database_stays_locked_against_other_processes_after_a_snapshot(tmp_path):
    """DuckDB locks the file with a POSIX (fcntl) lock, which the OS drops when the process closes any descriptor of
    the file: the file-copy snapshot's copyfile did, and after serve's first snapshot (or an upgrade) a second serve
    or `langnghe collect` could open the live database for writing beside it."""
    path = tmp_path / "langnghe.duckdb"
    probe = f"import duckdb; duckdb.connect({str(path)!r}).execute('CREATE TABLE beside (i INTEGER)')"
    with Database(path) as db:
        db.snapshot(tmp_path / "snap.duckdb")
        db.snapshot(tmp_path / "snap.duckdb")
        other = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
        with db.read() as cur:
            assert cur.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'beside'").fetchone() == (0,)
    assert other.returncode != 0 and "lock" in other.stderr.lower()
    con = duckdb.connect(str(tmp_path / "snap.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] > 0
    con.close()
