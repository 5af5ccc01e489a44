"""Snapshots and backups as a power cut or a full disk meets them: a copy is on the disk before it takes its name,
a copy that fails half way leaves the previous one whole and no temporary file, and `langnghe backup` with serve
stopped copies the file as serve's snapshot does (table by table only where it must)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from store import db as db_mod
from store.db import Database, StorageCorrupt, StorageFull, StorageReadOnly, backup_database, copy_published
from tests.langnghe.test_backup import _setting


_value = _setting  # the copy's saved setting 'k', read as test_backup reads it


def _set(db: Database, value: str) -> None:
    with db.write() as cur:
        cur.execute("INSERT OR REPLACE INTO ui_settings VALUES ('k', ?, 'quantri', now()::TIMESTAMP)", [value])


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


def test_a_snapshot_is_on_the_disk_before_it_takes_its_name(tmp_path, monkeypatch):
    """Serve's periodic snapshot was renamed without a flush: after a power cut the newest snapshot, the one staff
    restore, could be empty or partial under its final name."""
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = db_mod.os.fsync, db_mod.os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(a: object, b: object) -> None:
        events.append(("rename", f"{a} -> {b}"))
        real_replace(a, b)

    snap = tmp_path / "snaps" / "snap.duckdb"
    with Database(tmp_path / "langnghe.duckdb") as db:
        _set(db, "1")
        monkeypatch.setattr(db_mod.os, "fsync", fsync)
        monkeypatch.setattr(db_mod.os, "replace", replace)
        db.snapshot(snap)
    assert events == [("fsync", f"{snap}.tmp"), ("rename", f"{snap}.tmp -> {snap}"), ("fsync", str(snap.parent))]
    assert _value(snap) == ("1",)


def _failing_copy(err: int, text: str) -> Callable[[int, Path], None]:
    """A copy that stops half way: some bytes written, then the write fails with `err`."""
    def copy(fd: int, dest: Path, src: object) -> None:
        Path(dest).write_bytes(b"DUCK" * 1000)
        raise OSError(err, text, str(dest))
    return copy


_interrupted = _failing_copy(errno.EIO, "Input/output error")


def test_a_snapshot_interrupted_half_way_keeps_the_previous_one_whole(tmp_path, monkeypatch):
    snap = tmp_path / "snap.duckdb"
    with Database(tmp_path / "langnghe.duckdb") as db:
        _set(db, "1")
        db.snapshot(snap)
        _set(db, "2")
        monkeypatch.setattr(db_mod, "_copy_from_fd", _interrupted)
        with pytest.raises(OSError):
            db.snapshot(snap)
        monkeypatch.undo()
        assert _value(snap) == ("1",) and _leftovers(tmp_path) == []
        _set(db, "3")  # the database itself goes on
    assert _value(snap) == ("1",)


def test_a_temporary_copy_left_by_a_crash_is_removed_by_the_next_snapshot(tmp_path):
    """A power cut mid-copy leaves `….tmp` (never under the snapshot's name): the next snapshot removes it."""
    snap = tmp_path / "snap.duckdb"
    (tmp_path / "snap.duckdb.tmp").write_bytes(b"half a copy")
    with Database(tmp_path / "langnghe.duckdb") as db:
        _set(db, "1")
        db.snapshot(snap)
    assert _value(snap) == ("1",) and _leftovers(tmp_path) == []


def test_a_full_disk_keeps_the_previous_snapshot_and_says_so_in_vietnamese(tmp_path, monkeypatch):
    full = _failing_copy(errno.ENOSPC, "No space left on device")
    snap = tmp_path / "snap.duckdb"
    with Database(tmp_path / "langnghe.duckdb") as db:
        _set(db, "1")
        db.snapshot(snap)
        _set(db, "2")
        monkeypatch.setattr(db_mod, "_copy_from_fd", full)
        with pytest.raises(StorageFull) as err:
            db.snapshot(snap)
    msg = str(err.value)
    assert f"Không chép được bản sao {snap}: ổ đĩa đã đầy; hãy giải phóng dung lượng" in msg
    assert "vẫn còn nguyên" in msg and "No space left on device" in msg  # the OS's words as detail only
    assert _value(snap) == ("1",) and _leftovers(tmp_path) == []


def test_a_full_disk_while_flushing_the_copy_keeps_the_previous_snapshot(tmp_path, monkeypatch):
    """Some file systems report the full disk only at the flush (NFS, quotas): the copy is then not named."""
    real = db_mod.os.fsync

    def fsync(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    snap = tmp_path / "snap.duckdb"
    with Database(tmp_path / "langnghe.duckdb") as db:
        _set(db, "1")
        db.snapshot(snap)
        _set(db, "2")
        monkeypatch.setattr(db_mod.os, "fsync", fsync)
        with pytest.raises(StorageFull, match="ổ đĩa đã đầy"):
            db.snapshot(snap)
    assert _value(snap) == ("1",) and _leftovers(tmp_path) == []


def test_an_offline_backup_is_a_checkpoint_and_a_file_copy(tmp_path, monkeypatch):
    """`langnghe backup` with serve stopped copied table by table (10–11 s at 170 MB, where serve's snapshot, a
    checkpoint and a file copy, takes 0.2 s)."""
    src = tmp_path / "langnghe.duckdb"
    with Database(src) as db:
        _set(db, "1")

    def table_by_table(*_: object) -> None:
        raise AssertionError("copied table by table")

    monkeypatch.setattr(db_mod, "copy_database", table_by_table)
    monkeypatch.setattr(Database, "_copy_tables", table_by_table)
    backup_database(src, tmp_path / "backup.duckdb")
    assert _value(tmp_path / "backup.duckdb") == ("1",) and _leftovers(tmp_path) == []
    with Database(src) as db:  # the source opens and writes again: its lock and descriptor were let go
        _set(db, "2")


def test_an_offline_backup_of_a_file_it_may_not_write_copies_table_by_table(tmp_path, monkeypatch):
    src = tmp_path / "langnghe.duckdb"
    with Database(src) as db:
        _set(db, "1")
    before = src.read_bytes()

    def read_only(*_: object, **__: object) -> None:
        raise StorageReadOnly("chỉ cho phép đọc", str(src), "Permission denied")

    monkeypatch.setattr(db_mod.Database, "__init__", read_only)
    backup_database(src, tmp_path / "backup.duckdb")
    assert _value(tmp_path / "backup.duckdb") == ("1",) and src.read_bytes() == before


def test_an_offline_backup_does_not_migrate_the_source(tmp_path, monkeypatch):
    src = tmp_path / "langnghe.duckdb"
    with Database(src) as db:
        with db.write() as cur:
            cur.execute("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)")
    monkeypatch.setattr(Database, "migrate", lambda self: pytest.fail("migrated"))
    backup_database(src, tmp_path / "backup.duckdb")
    with Database(tmp_path / "backup.duckdb", read_only=True) as db:
        assert len(db.missing_migrations()) == 1


def test_an_offline_backup_beside_a_reader_copies_table_by_table(tmp_path):
    """`langnghe status` reads the database read-only when serve is stopped: the backup cannot take the file then, and
    reads it instead of failing as if serve held it."""
    src = tmp_path / "langnghe.duckdb"
    with Database(src) as db:
        _set(db, "1")
    hold = f"import duckdb, sys; c = duckdb.connect({str(src)!r}, read_only=True); print('mở', flush=True); sys.stdin.read()"
    reader = subprocess.Popen([sys.executable, "-c", hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "mở"
        backup_database(src, tmp_path / "backup.duckdb")
    finally:
        reader.communicate("", timeout=60)
    assert _value(tmp_path / "backup.duckdb") == ("1",)


def _left_by_a_power_cut(folder: Path, name: str, age_s: float) -> Path:
    p = folder / name
    p.write_bytes(b"DUCK" * 1000)
    os.utime(p, (p.stat().st_atime, p.stat().st_mtime - age_s))
    return p


def test_temporary_copies_of_other_names_left_by_a_power_cut_are_removed_by_the_next_copy(tmp_path, monkeypatch):
    """A backup's temporary file has a dated name that never comes again, so a power cut's left it for good, as large
    as the database. The next copy into the folder removes every temporary copy of our naming older than the process
    and untouched for a minute; a fresh one (another process copying now) and other software's files stay."""
    import time

    monkeypatch.setattr(db_mod, "_STARTED", time.time() - 60)  # this process started a minute ago
    old = [_left_by_a_power_cut(tmp_path, n, 3600) for n in (
        "langnghe-20261201-020000.duckdb.tmp", "langnghe-20261201-020000.duckdb.tmp.wal",
        "c.truoc-nang-cap-20261201-020000.duckdb.tmp", "c.duckdb.khoi-phuc", "c.duckdb.khoi-phuc.tmp")]
    kept = [_left_by_a_power_cut(tmp_path, "dang-chep.duckdb.tmp", 0),  # being written now
            _left_by_a_power_cut(tmp_path, "sau-khi-chay.duckdb.tmp", 30),  # written since this process started
            _left_by_a_power_cut(tmp_path, "ghi-chu.tmp", 3600),  # not ours
            _left_by_a_power_cut(tmp_path, "c.duckdb.wal.bak", 3600)]
    with Database(tmp_path / "c.duckdb") as db:
        _set(db, "1")
        db.snapshot(tmp_path / "snap.duckdb")
    assert not [p for p in old if p.exists()] and all(p.exists() for p in kept)
    assert _value(tmp_path / "snap.duckdb") == ("1",)


def test_serve_removes_the_temporary_copies_a_power_cut_left_when_it_starts(tmp_path):
    """A stopped serve's snapshot `.tmp` stayed until the next snapshot, minutes after start (or never, with
    snapshots off); serve now clears both its folders as it starts."""
    from langnghe.service import remove_stale_copies_at_start
    from vocab.config import load as load_config

    (tmp_path / "snaps").mkdir()
    cfg_file = tmp_path / "cfg.toml"
    cfg_file.write_text(f'[storage]\ndb_path = "{tmp_path / "c.duckdb"}"\n'
                        f'snapshot_path = "{tmp_path / "snaps" / "c.snap.duckdb"}"\n', encoding="utf-8")
    left = [_left_by_a_power_cut(tmp_path / "snaps", "c.snap.duckdb.tmp", 3600),
            _left_by_a_power_cut(tmp_path, "c.truoc-nang-cap-20261201-020000.duckdb.tmp", 3600)]
    assert sorted(remove_stale_copies_at_start(load_config(str(cfg_file)))) == sorted(left)
    assert not [p for p in left if p.exists()]


def test_a_backup_of_the_snapshot_is_whole_when_serve_publishes_a_newer_one_during_the_copy(tmp_path, monkeypatch):
    """`langnghe backup` copies serve's snapshot as a file, without serve's lock: serve renames a newer snapshot over
    the name (never writes the published one), so the file opened for the copy stays the older one, whole."""
    snap = tmp_path / "snap.duckdb"
    real_copy = db_mod._copy_from_fd
    with Database(tmp_path / "c.duckdb") as db:
        _set(db, "1")
        db.snapshot(snap)
        _set(db, "2")

        published: list[Path] = []

        def serve_publishes_then_copy(fd: int, dest: Path, src: object) -> None:
            if not published:  # the backup's copy (the snapshot's own copy comes through here too)
                published.append(dest)
                db.snapshot(snap)  # the newer snapshot takes the name while the backup has the older one open
            real_copy(fd, dest, src)

        monkeypatch.setattr(db_mod, "_copy_from_fd", serve_publishes_then_copy)
        copy_published(snap, tmp_path / "backup.duckdb")
    assert _value(tmp_path / "backup.duckdb") == ("1",) and _value(snap) == ("2",)
    assert _leftovers(tmp_path) == []


def test_a_copy_another_process_is_writing_into_its_wal_or_holds_open_is_not_removed(tmp_path, monkeypatch):
    """A DuckDB copy writing into its `.wal` leaves its main file's time unchanged (a table-by-table copy, 20 s and
    more at 170 MB on a loaded machine): judged by the main file alone, another process's copy a minute along looked
    left by a power cut, and was deleted under it. The pair's newest time counts, and a file DuckDB holds open is
    never taken; once its process is gone and the pair is old, it is."""
    import time

    monkeypatch.setattr(db_mod, "_STARTED", time.time() - 60)
    writing = _left_by_a_power_cut(tmp_path, "a.duckdb.tmp", 3600)  # its .wal written just now
    wal = _left_by_a_power_cut(tmp_path, "a.duckdb.tmp.wal", 0)
    held = tmp_path / "b.duckdb.tmp"
    with Database(held):
        pass
    os.utime(held, (held.stat().st_atime, held.stat().st_mtime - 3600))
    hold = f"import duckdb, sys; c = duckdb.connect({str(held)!r}); print('mở', flush=True); sys.stdin.read()"
    holder = subprocess.Popen([sys.executable, "-c", hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "mở"
        os.utime(held, (held.stat().st_atime, time.time() - 3600))  # DuckDB's open may have touched it
        assert db_mod.remove_stale_copies(tmp_path) == []
        assert writing.exists() and wal.exists() and held.exists()
    finally:
        holder.communicate("", timeout=60)
    for p in (held, Path(f"{held}.wal"), wal):
        if p.exists():
            os.utime(p, (p.stat().st_atime, time.time() - 3600))
    assert set(db_mod.remove_stale_copies(tmp_path)) >= {writing, wal, held}


_MARK = "hỏng-ở-đây-" + "".join(f"{i * 7919 % 65521:05d}" for i in range(60))  # found in the file as it is


def _snapshot_damaged_on_disk(db: Database, snap: Path) -> None:
    """Serve's snapshot with bytes flipped inside one table's block (ui_settings), where opening the file and counting
    items reads nothing: as a disk that damaged a block after the snapshot was written."""
    with db.write() as cur:
        cur.execute("INSERT OR REPLACE INTO ui_settings VALUES ('hong', ?, 'quantri', now()::TIMESTAMP)", [_MARK])
    db.snapshot(snap)
    data = bytearray(snap.read_bytes())
    at = data.find(_MARK.encode())
    assert at > 0, "the marker is not stored as is: pick another way to damage one block"
    data[at:at + 40] = bytes(255 - b for b in data[at:at + 40])
    snap.write_bytes(bytes(data))


def test_a_backup_of_a_snapshot_damaged_on_disk_fails_and_names_no_copy(tmp_path):
    """The table-by-table copy read every block, so a damaged snapshot failed the backup; the file copy (round 17)
    read none, and the damage was found only at restore. The copy is now read through before it takes its name."""
    snap, dest = tmp_path / "snap.duckdb", tmp_path / "b" / "backup.duckdb"
    with Database(tmp_path / "c.duckdb") as db:
        _set(db, "1")
        _snapshot_damaged_on_disk(db, snap)
    with pytest.raises(StorageCorrupt) as err:
        copy_published(snap, dest)
    msg = str(err.value)
    assert f"Bản chụp {snap} của serve bị hỏng" in msg and f"không tạo tệp {dest}" in msg
    assert "dừng serve rồi chạy lại `langnghe backup`" in msg and "bản sao lưu trước đó" in msg
    assert not dest.exists() and _leftovers(dest.parent) == []


def test_check_copy_reads_every_table_of_a_whole_copy(tmp_path):
    snap = tmp_path / "snap.duckdb"
    with Database(tmp_path / "c.duckdb") as db:
        _set(db, "1")
        db.snapshot(snap)
    db_mod.check_copy(snap)  # a whole copy passes
    copy_published(snap, tmp_path / "backup.duckdb")
    assert _value(tmp_path / "backup.duckdb") == ("1",)


def test_a_wal_that_vanishes_between_a_look_and_its_size_is_no_error(tmp_path, monkeypatch):
    """`copy_published` looked whether the snapshot's `.wal` existed, then took its size: a `.wal` removed between
    the two (its writer closing the file) raised FileNotFoundError out of the backup."""
    snap = tmp_path / "snap.duckdb"
    with Database(tmp_path / "c.duckdb") as db:
        _set(db, "1")
        db.snapshot(snap)
    real_exists = Path.exists
    monkeypatch.setattr(Path, "exists", lambda p, **kw: p.name.endswith(".wal") or real_exists(p, **kw))
    copy_published(snap, tmp_path / "backup.duckdb")
    monkeypatch.undo()
    assert _value(tmp_path / "backup.duckdb") == ("1",)


def test_a_source_that_ends_early_says_so_in_vietnamese_with_the_path_and_sizes(tmp_path, monkeypatch):
    src, dest = tmp_path / "snap.duckdb", tmp_path / "copy.duckdb"
    src.write_bytes(b"x" * 5000)
    monkeypatch.setattr(db_mod.os, "sendfile", lambda out, fd, offset, count: 0 if offset >= 3000 else 3000)
    fd = os.open(src, os.O_RDONLY)
    try:
        with pytest.raises(db_mod.CopySourceCut) as err:  # a StorageError: the CLI says it, exit 4
            db_mod._copy_from_fd(fd, dest, src)
    finally:
        os.close(fd)
    assert str(err.value).startswith(f"Tệp nguồn {src} ngắn đi trong lúc chép sang {dest}: mới chép được 3000 trên "
                                     "5000 byte")


def test_an_offline_backup_of_a_database_damaged_on_disk_fails_and_names_no_copy(tmp_path):
    """With serve stopped the backup is a file copy too (round 16): a damaged block of the database itself was
    copied unseen. The copy is read through before it takes its name."""
    src, snap, dest = tmp_path / "c.duckdb", tmp_path / "snap.duckdb", tmp_path / "b" / "backup.duckdb"
    with Database(src) as db:
        _set(db, "1")
        _snapshot_damaged_on_disk(db, snap)
    src.unlink()
    snap.rename(src)  # the damaged file in the database's place
    with pytest.raises(StorageCorrupt) as err:
        backup_database(src, dest)
    msg = str(err.value)
    assert f"Cơ sở dữ liệu {src} bị hỏng trên đĩa" in msg and f"không tạo tệp {dest}" in msg
    assert "bản sao lưu trước đó" in msg and "sai tổng kiểm tra" in msg
    assert not dest.exists() and _leftovers(dest.parent) == []
