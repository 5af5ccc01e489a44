"""Opening the DuckDB file, versioned migrations, transactions and snapshots.

Migrations are `store/migrations/NNN_name.sql`, applied once each in number order and recorded in
`schema_migrations`. Number ranges keep parts from colliding: 001–009 foundation, 010–019 nlp,
020–029 stories/alerts, 030–039 extra collectors, 040–049 dashboard/auth, 050–059 reports.
Before the first migration changes an existing file it is copied beside it (`*.truoc-nang-cap-*.duckdb`); a file
holding a migration this code lacks (a newer release's) is refused before any change.
A migration's backfill of existing rows can sit between `-- backfill if rows in <table>` and `-- end backfill`
lines: it is left out when that table (which must exist before the migration) is empty, as in every new
database, where planning its statements cost more than the whole rest of the schema (161: 0.1 s of 0.25 s).
It must be a no-op on an empty table, so that leaving it out changes nothing.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import re
import shutil
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, NoReturn

import duckdb

# os_error_reason: vocab.oserrors', named here too for the callers that import it with Database
from store.errors import (  # noqa: F401  (defined without DuckDB, for the CLI's start; named here as before)
    CopySourceCut, DatabaseLocked, DatabaseTooNew, MigrationFailed, NoDatabase, RestoreNotFinished, StorageCorrupt,
    StorageError, StorageFull, StorageReadOnly,
)
from vocab.config import StorageConfig
from vocab.numbers import number
from vocab.timefmt import file_stamp
from vocab.oserrors import FILE_TOO_LARGE_HINT, FULL_ERRNOS, READ_ONLY_ERRNOS, os_error_reason, os_error_text  # noqa: F401

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_STARTED = time.time()  # about when this process started: a temporary copy older than this is no copy of ours
_MIGRATION_RE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
log = logging.getLogger("langnghe.store")


_FULL = ("no space left on device", "disk full", "disk quota exceeded")
_CORRUPT = ("not a valid duckdb database file", "corrupt database file", "does not match stored checksum",
            "could not read enough bytes")  # the last: a file cut short (a copy half written)
_READ_ONLY = ("read-only file system", "permission denied", "operation not permitted")


def storage_error(exc: BaseException, path: str) -> StorageError | None:
    """Classify a DuckDB or OS error as a storage failure staff can act on, or None for anything else."""
    text = str(exc).lower()
    # errno first: an OSError's text is localised, DuckDB's is the C library's English strerror
    code = getattr(exc, "errno", None) if isinstance(exc, OSError) else None
    if code in FULL_ERRNOS or any(s in text for s in _FULL):
        return StorageFull(
            f"Ổ đĩa đã đầy: không ghi được vào cơ sở dữ liệu {path}. Phần đang ghi dở đã được hủy, dữ liệu "
            "đã lưu trước đó vẫn còn nguyên. Hãy giải phóng dung lượng ổ đĩa rồi chạy lại.", path, str(exc))
    if code == errno.EFBIG or "file too large" in text:  # a file-size limit, not a full disk (round 31, `hostile34`:
        # was «lỗi ngoài dự kiến của phần mềm»): FAT32's 4 GB, `ulimit -f`, systemd's LimitFSIZE
        return StorageFull(
            f"Tệp cơ sở dữ liệu {path} đã tới giới hạn dung lượng một tệp: không ghi thêm được. Phần đang ghi dở đã "
            f"được hủy, dữ liệu đã lưu trước đó vẫn còn nguyên. {FILE_TOO_LARGE_HINT}", path, str(exc))
    # a .wal of another database file, or of a later checkpoint of this one (a file-copy snapshot keeps the
    # live file's identity: its old .wal is refused by the checkpoint count instead)
    if "wal does not match database file" in text or "checkpoint iteration does not match" in text:
        return StorageCorrupt(
            f"Tệp nhật ký ghi {path}.wal không khớp với tệp cơ sở dữ liệu {path}: thường là một bản sao lưu vừa được "
            "chép đè lên mà tệp .wal của cơ sở dữ liệu cũ vẫn còn. Nếu vừa khôi phục: chuyển tệp .wal đó ra chỗ khác "
            "rồi chạy lại. Nếu không, đừng xóa gì: chép cả hai tệp ra chỗ khác rồi khôi phục từ bản sao lưu.",
            path, str(exc))
    if any(s in text for s in _CORRUPT):
        return StorageCorrupt(
            f"Tệp cơ sở dữ liệu {path} bị hỏng hoặc không phải tệp DuckDB. Hãy khôi phục từ bản chụp gần nhất "
            "(storage.snapshot_path) hoặc bản sao lưu; đừng xóa tệp hỏng trước khi đã sao chép nó.", path, str(exc))
    if code == errno.EISDIR or "is a directory" in text:  # [storage] db_path or $LANGNGHE_DB naming a folder (round 28)
        return StorageError(
            f"{path} là một thư mục, không phải tệp cơ sở dữ liệu: kiểm tra [storage] db_path trong tệp cấu hình hoặc "
            "biến môi trường LANGNGHE_DB (ghi cả tên tệp, ví dụ var/langnghe.duckdb), và [storage] snapshot_path: bản "
            "chụp nằm cạnh cơ sở dữ liệu, «<tên>.snapshot.duckdb», nếu tệp cấu hình không ghi.", path, str(exc))
    if code == errno.ENAMETOOLONG or "file name too long" in text:  # a mistyped or pasted path (round 29: was
        # duckdb's IOException or pathlib's OSError traceback out of every command)
        return StorageError(
            f"Đường dẫn cơ sở dữ liệu hoặc bản chụp quá dài ({number(len(path))} ký tự; mỗi tên thư mục hoặc tệp tối "
            "đa 255 byte): kiểm tra [storage] db_path, snapshot_path trong tệp cấu hình hoặc biến môi trường "
            "LANGNGHE_DB.", path[:200], str(exc)[:300])
    if code in READ_ONLY_ERRNOS or any(s in text for s in _READ_ONLY):
        return StorageReadOnly(
            f"Không ghi được vào cơ sở dữ liệu {path}: tệp, thư mục hoặc ổ đĩa chỉ cho phép đọc. Hãy kiểm tra "
            "quyền ghi của tài khoản chạy Lắng Nghe, hoặc gắn lại ổ đĩa ở chế độ ghi.", path, str(exc))
    return None


def first_failure(exc: BaseException) -> BaseException:
    """The error that failed a transaction, not DuckDB's «Current transaction is aborted» that a later statement of the
    same transaction raised over it. Why: a store function's `finally` that cleans up (`DROP TABLE IF EXISTS` of its
    temporary tables, `store.search.index_items` and others) runs on the aborted transaction and raises again, and
    Python puts that error in place of the first: an import on a full disk said «lỗi ngoài dự kiến của phần mềm
    (TransactionException)» where it should have said the disk was full (round 31, `hostile34`). Only that DuckDB
    error is looked through (its `__context__`, the error being handled when it was raised)."""
    while (isinstance(exc, duckdb.TransactionException) and "transaction is aborted" in str(exc).lower()
           and isinstance(exc.__context__, (duckdb.Error, OSError))):
        exc = exc.__context__
    return exc


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def one(res: duckdb.DuckDBPyConnection) -> tuple[Any, ...] | None:
    """The first row of the query just executed on `res` (None: no row), read with fetchall.
    Why not fetchone: DuckDB 2.0 keeps a result read with fetchone open until a fetch comes back empty, and an
    open result makes the connection refuse `register`/`unregister` (ResourceInUseException), so a store function
    that ended on a fetchone broke the next one that registers an Arrow table on the same cursor. Only for queries
    of at most a few rows (an aggregate, a key, LIMIT 1)."""
    rows = res.fetchall()
    return rows[0] if rows else None


@contextmanager
def registered_ids(cur: duckdb.DuckDBPyConnection, ids: Iterable[str], name: str = "_sids",
                   column: str = "story_id") -> Iterator[None]:
    """Make `ids` (deduplicated, sorted) queryable as the one-column relation `name` (`column`) for the `with` block,
    unregistered however the block ends.
    Why a relation rather than `IN (?, ?, …)`: a join on a registered Arrow table plans once whatever the count.
    pyarrow (~0.2 s of CPU with numpy) is imported here, on first use, so no store module loads it on import."""
    import pyarrow as pa

    # typed: an empty list would otherwise make a column of nulls that `IN (SELECT …)` cannot compare with text
    cur.register(name, pa.table({column: pa.array(sorted(set(ids)), type=pa.string())}))
    try:
        yield
    finally:
        cur.unregister(name)


def dicts(res: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The rows of the query just executed on `res`, as {column: value} dicts."""
    cols = [d[0] for d in res.description]
    return [dict(zip(cols, row)) for row in res.fetchall()]


def migrations() -> list[tuple[int, str, Path]]:
    found = []
    for p in sorted(MIGRATIONS_DIR.iterdir()):
        m = _MIGRATION_RE.match(p.name)
        if m:
            found.append((int(m.group(1)), m.group(2), p))
    versions = [v for v, _, _ in found]
    if len(versions) != len(set(versions)):
        raise RuntimeError(f"duplicate migration numbers in {MIGRATIONS_DIR}")
    return found


_BACKFILL_RE = re.compile(r"^-- backfill if rows in (\w+)\n.*?^-- end backfill$", re.MULTILINE | re.DOTALL)


def _migration_sql(cur: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The migration's text without its backfill sections whose table is empty: the backfill would find no
    row, but DuckDB plans each of its statements all the same (one of 161's: ~4 ms, mostly compiling its regexes)."""
    def keep(m: re.Match[str]) -> str:
        has_rows = one(cur.execute(f'SELECT EXISTS (SELECT 1 FROM "{m.group(1)}")'))[0]
        return m.group(0) if has_rows else ""
    return _BACKFILL_RE.sub(keep, sql)


def _is_lock_error(exc: Exception) -> bool:
    return "lock" in str(exc).lower()


def _lock_holder_pid(exc: Exception) -> int | None:
    """The holder's pid in DuckDB's lock error («Conflicting lock is held in /usr/bin/python3.11 (PID 123)»), or None."""
    m = re.search(r"\(PID (\d+)\)", str(exc))
    return int(m.group(1)) if m else None


class Database:
    """One process-wide handle. Reads take a fresh cursor; writes are serialised and transactional."""

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False, keep_upgrade_copies: int = 2,
                 migrate: bool = True):
        self.path = str(path)
        self.read_only = read_only
        self.keep_upgrade_copies = max(1, keep_upgrade_copies)  # storage.keep_upgrade_copies; the new copy stays
        try:
            if self.path != ":memory:" and not read_only:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            if _is_lock_error(exc):
                raise DatabaseLocked(
                    f"Cơ sở dữ liệu {self.path} đang được một tiến trình khác giữ (thường là `langnghe serve`). "
                    "Hãy làm việc này qua tiến trình đó (bảng điều khiển), hoặc đọc bản chụp của nó "
                    "(storage.snapshot_path).", pid=_lock_holder_pid(exc),
                ) from exc
            self._raise_storage(exc)
        except (duckdb.Error, OSError) as exc:
            self._raise_storage(exc)
        self._write_lock = threading.Lock()
        self._snapshot_lock = threading.Lock()
        self._reopen_lock = threading.Lock()
        self._invalidated = False  # a fatal error (a checkpoint on a full disk) made DuckDB refuse this connection
        self._file_fd: int | None = None  # the live file, opened once for file copies: see _copy_file
        if not read_only and migrate:  # migrate=False: `backup_database` copies a file as it is
            try:
                self.migrate()
            except BaseException as exc:  # a damaged block is often first read here
                self.close()  # DuckDB, then the descriptor a pre-upgrade copy may have opened
                if isinstance(exc, (duckdb.Error, OSError)):
                    self._raise_storage(exc)
                raise

    def _raise_storage(self, exc: BaseException, con: duckdb.DuckDBPyConnection | None = None) -> NoReturn:
        """Re-raise `exc` as the StorageError it means, or unchanged. `con`: the connection it came from; closed by
        another thread's reopen under a read or write in flight, it failed with DuckDB's English "Connection already
        closed!": said in Vietnamese instead, as a failure of that one step."""
        self._note_fatal(exc, con)
        if con is not None and con is not self._con and isinstance(exc, duckdb.ConnectionException):
            raise StorageError(
                f"Cơ sở dữ liệu {self.path} vừa được mở lại sau một lỗi nghiêm trọng của DuckDB, giữa lúc bước này "
                "đang đọc hoặc ghi: bước này bị hủy, dữ liệu đã lưu vẫn còn nguyên. Hãy thử lại.", self.path,
                str(exc)) from exc
        err = storage_error(exc, self.path)
        if err is None:
            raise exc
        raise err from exc

    def _note_fatal(self, exc: BaseException, con: duckdb.DuckDBPyConnection | None = None) -> None:
        """A fatal DuckDB error invalidates the whole database instance: every later read and write of this process
        failed with "database has been invalidated" until serve was restarted, even after staff freed the disk (a
        CHECKPOINT, serve's snapshot or DuckDB's own after a large commit, that finds the disk full). Noted here, the
        next read or write opens the file again (`_cursor`). An error from a connection already replaced (`con`, a
        read or write that began before another thread reopened the file and failed after) says nothing of the live
        one: noted, it closed the new connection under the reads and writes using it, and opened yet another."""
        if con is not None and con is not self._con:
            return
        if isinstance(exc, duckdb.FatalException) or "database has been invalidated" in str(exc):
            self._invalidated = True

    def _cursor(self) -> tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyConnection]:
        """A cursor of the live connection; after a fatal error, of a new one. Opening the file again replays its
        .wal, so what was committed is all there; if that fails too (the disk still full), the StorageError says so
        and the next call tries again. Returns (cursor, the connection it is of)."""
        con = self._live()
        return con.cursor(), con

    def _live(self) -> duckdb.DuckDBPyConnection:
        """The live connection, the file opened again first after a fatal error (`_cursor`)."""
        if self._invalidated:
            with self._reopen_lock:
                if self._invalidated:
                    self._reopen()
        return self._con

    def _reopen(self) -> None:
        try:
            self._con.close()
        except duckdb.Error:
            pass
        try:
            self._con = duckdb.connect(self.path, read_only=self.read_only)
        except (duckdb.Error, OSError) as exc:
            self._raise_storage(exc)
        self._invalidated = False
        log.warning("Đã mở lại cơ sở dữ liệu %s sau một lỗi nghiêm trọng của DuckDB (thường là ổ đĩa đầy khi ghi "
                    "điểm lưu); dữ liệu đã lưu vẫn còn nguyên.", self.path)

    def close(self) -> None:
        self._con.close()
        if self._file_fd is not None:  # after DuckDB: closing it no longer matters to DuckDB's lock
            os.close(self._file_fd)
            self._file_fd = None

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> list[int]:
        applied: list[int] = []
        with self._write_lock:
            cur = self._con.cursor()
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
            )
            done = {r[0] for r in cur.execute("SELECT version FROM schema_migrations").fetchall()}
            known = migrations()
            _refuse_newer(self.path, done, {v for v, _, _ in known})
            pending = [m for m in known if m[0] not in done]
            copy = None
            if pending and done and self.path != ":memory:":
                copy = self._copy_before_upgrade([v for v, _, _ in pending])
            for version, name, path in pending:
                cur.execute("BEGIN")
                try:
                    cur.execute(_migration_sql(cur, path.read_text(encoding="utf-8")))
                    cur.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, utcnow()])
                    cur.execute("COMMIT")
                except Exception as exc:
                    cur.execute("ROLLBACK")
                    if storage_error(exc, self.path) is not None:
                        raise
                    raise MigrationFailed(
                        f"Bước nâng cấp cấu trúc {version:03d} ({name}) của cơ sở dữ liệu {self.path} bị lỗi và đã được "
                        "hủy: cơ sở dữ liệu dừng ở bước trước đó, không mất gì"
                        + (f"; bản sao trước nâng cấp: {copy}" if copy else "")
                        + ". Đây là lỗi của phiên bản đang cài: hãy báo cho người phát triển, hoặc chạy lại phiên bản "
                        "cũ với bản sao đó.", self.path, f"{type(exc).__name__}: {exc}") from exc
                applied.append(version)
            cur.close()
        if applied and done:
            log.warning("Đã nâng cấp xong cấu trúc cơ sở dữ liệu %s: %d bước (%s).", self.path, len(applied),
                        ", ".join(f"{v:03d}" for v in applied))
        if copy is not None:  # only now: the new copy and the migration both succeeded
            self._prune_upgrade_copies()
        return applied

    def _prune_upgrade_copies(self) -> list[Path]:
        """Remove all but the newest `keep_upgrade_copies` pre-upgrade copies: each is a full-size file and
        one is taken per upgrade. The names sort by their time stamp. A copy that cannot be removed is said
        and left (the upgrade itself succeeded)."""
        base = Path(self.path)
        copies = sorted(base.parent.glob(f"{base.stem}.truoc-nang-cap-*.duckdb"))
        removed: list[Path] = []
        for old in copies[:-self.keep_upgrade_copies]:
            try:
                old.unlink()
                Path(f"{old}.wal").unlink(missing_ok=True)
            except OSError as exc:
                log.warning("Không xóa được bản sao trước nâng cấp cũ %s (%s); hãy xóa bằng tay nếu cần chỗ.", old,
                            os_error_text(exc))
                continue
            removed.append(old)
        if removed:
            log.warning("Đã xóa %d bản sao trước nâng cấp cũ (chỉ giữ %d bản mới nhất, storage.keep_upgrade_copies): %s.",
                        len(removed), self.keep_upgrade_copies, ", ".join(str(p) for p in removed))
        return removed

    def _copy_before_upgrade(self, pending: list[int]) -> Path:
        """Copy the file as it is before the first migration changes it (the write lock is held): a release
        whose migration goes wrong, or an upgrade killed half way, can then be undone by copying it back."""
        base = Path(self.path)
        for stray in base.parent.glob(f"{base.stem}.truoc-nang-cap-*.duckdb.tmp*"):  # a copy killed half way
            stray.unlink(missing_ok=True)
        stamp = file_stamp(utcnow())
        dest = base.with_name(f"{base.stem}.truoc-nang-cap-{stamp}.duckdb")
        steps = ", ".join(f"{v:03d}" for v in pending)
        log.warning("Cơ sở dữ liệu %s cần nâng cấp cấu trúc (%d bước: %s). Đang chép bản sao lưu trước nâng cấp "
                    "vào %s …", self.path, len(pending), steps, dest)
        try:
            self._copy_locked(dest)
        except StorageError as err:
            raise type(err)(
                f"Chưa nâng cấp cấu trúc cơ sở dữ liệu {self.path}, dữ liệu vẫn nguyên như cũ: không chép được bản "
                f"sao lưu trước nâng cấp {dest}. Hãy giải phóng dung lượng (cần khoảng bằng kích thước tệp cơ sở dữ "
                "liệu) hoặc sửa quyền ghi thư mục, rồi chạy lại.", self.path, err.detail) from err
        log.warning("Đã chép bản sao lưu %s. Nếu nâng cấp hỏng: dừng Lắng Nghe, chép tệp này đè lên %s (xóa tệp "
                    "%s.wal nếu có) rồi chạy lại phiên bản cũ.", dest, self.path, self.path)
        return dest

    def missing_migrations(self) -> list[int]:
        """The migrations this code has that the file lacks. What a read-only opener asks before reading
        (it cannot migrate): an older file may lack the tables and columns the code's queries name."""
        with self.read() as cur:
            try:
                done = {r[0] for r in cur.execute("SELECT version FROM schema_migrations").fetchall()}
            except duckdb.CatalogException:  # not even the first migration: an empty or foreign file
                done = set()
        return [version for version, _, _ in migrations() if version not in done]

    def schema_version(self) -> int:
        with self.read() as cur:
            row = one(cur.execute("SELECT max(version) FROM schema_migrations"))
        return int(row[0] or 0)

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur, con = self._cursor()
        try:
            yield cur
        except duckdb.Error as exc:  # a damaged block shows up on the first read that touches it
            self._raise_storage(exc, con)
        finally:
            cur.close()

    @contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction. On failure the first error is what the caller sees (as a StorageError when it
        is disk full, a read-only file or a damaged one): the ROLLBACK that follows a failed COMMIT fails
        too ("no transaction is active") and must not hide it."""
        if self.read_only:
            raise RuntimeError(f"Không ghi được vào {self.path}: tệp đang được mở chỉ để đọc (bởi một lệnh chỉ đọc, "
                               "hoặc là bản chụp của serve), nên không thay đổi gì.")
        with self._write_lock:
            cur, con = self._cursor()
            try:
                try:
                    cur.execute("BEGIN")
                except duckdb.Error as exc:
                    self._raise_storage(exc, con)
                try:
                    yield cur
                    cur.execute("COMMIT")
                except BaseException as exc:
                    _rollback_quietly(cur)
                    if isinstance(exc, (duckdb.Error, OSError)):
                        self._raise_storage(first_failure(exc), con)
                    raise
            finally:
                cur.close()

    def snapshot(self, dest: str | os.PathLike[str], *, read_through: bool = False) -> Path:
        """Write a consistent copy to `dest` for readers in other processes and as the backup, durably: the copy is
        on the disk before it takes `dest`'s name (a power cut leaves the previous snapshot or the new one, never a
        partial file under that name). A copy that fails (disk full) is removed: left behind, it would hold the
        space the database needs. Only the copy holds the write lock; the flush to the disk (`fsync`, about as long
        as the copy again on a slow disk) runs after it, so collection and the dashboard's writes do not wait for it.
        `read_through` (`langnghe backup`): the copy is read through before it takes its name (`check_copy`, outside
        the lock), so a database damaged on the disk is StorageCorrupt, not a backup found damaged at restore."""
        dest = Path(dest)
        with self._snapshot_lock:  # one snapshot at a time: they share the temporary name
            with self._write_lock:
                tmp = self._copy_to_tmp(dest)
            if read_through:
                try:
                    _check_read_through(tmp, dest, _damaged_database(self.path, dest))
                except BaseException as exc:
                    _copy_failed(exc, tmp, dest)
                    raise
            _publish(tmp, dest)
        return dest

    def _copy_locked(self, dest: Path) -> Path:
        """A durable copy for a caller that holds the write lock (`migrate` copies before it changes the file: the
        migration that follows is on the disk when it commits, so a power cut must not leave an upgraded database
        beside an empty or partial copy)."""
        _publish(self._copy_to_tmp(dest), dest)
        return dest

    def _copy_to_tmp(self, dest: Path) -> Path:
        """Copy the database to `dest`'s temporary name (`….tmp`, same folder, so the rename is atomic); the caller
        holds the write lock. After a CHECKPOINT the file alone is the whole database, and no write can start while
        the lock is held, so a plain file copy is a consistent copy: about the disk's speed (under a second for
        170 MB), where `COPY FROM DATABASE` rewrites every table (12 s for 170 MB, bench/snapshot.py). When the
        CHECKPOINT cannot run or leaves a .wal, the copy is made with `COPY FROM DATABASE`. A temporary file left by
        a copy killed half way (a crash, a power cut) is deleted first."""
        tmp = _fresh_tmp(dest)
        con = self._live()  # the copy's steps all run on it: its errors are noted only while it is the live one
        try:
            if self._checkpointed(con):
                self._copy_file(tmp)
                if not self._moved_past_copy(con):  # an older DuckDB refusing the second CHECKPOINT beside a reader
                    _remove_copy(tmp)
                    self._copy_tables(con, tmp)
            else:
                self._copy_tables(con, tmp)
        except BaseException as exc:
            # the CHECKPOINT on a full disk: DuckDB refuses this connection from now on; unless another thread's
            # read already opened the file again (review11's check: noted, it closed the new one under its readers)
            self._note_fatal(exc, con)
            if isinstance(exc, duckdb.Error) and f'"{self.path}"' in str(exc):  # the live file failed, not the copy
                _remove_copy(tmp)
                self._raise_storage(exc, con)  # said of the database and its disk, which may not be the copy's
            _copy_failed(exc, tmp, dest)
            raise
        return tmp

    def _copy_file(self, tmp: Path) -> None:
        """Copy the live file to `tmp` through one descriptor opened once and kept open until `close`. Why: DuckDB's
        lock on the file is a POSIX (fcntl) lock, which the OS drops when this process closes ANY descriptor of the
        file; a plain `shutil.copyfile` of it let other processes (a second serve, `langnghe collect`) open the
        database for writing beside serve after its first snapshot or upgrade."""
        if self._file_fd is None:
            self._file_fd = os.open(self.path, os.O_RDONLY)
        _copy_from_fd(self._file_fd, tmp, self.path)

    def _checkpointed(self, con: duckdb.DuckDBPyConnection) -> bool:
        """Write the WAL into the file, so that the file is the database; False when that is not possible now
        (an in-memory database, or DuckDB refusing it; DuckDB 2.0 checkpoints beside open read transactions)."""
        if self.path == ":memory:":
            return False
        cur = con.cursor()
        try:
            cur.execute("CHECKPOINT")
            return _wal_size(Path(self.path)) == 0  # what the file lacks would be missed
        except duckdb.TransactionException as exc:
            log.debug("Bản chụp: không CHECKPOINT được (%s); chép từng bảng.", exc)
            return False
        finally:
            cur.close()

    def _moved_past_copy(self, con: duckdb.DuckDBPyConnection) -> bool:
        """Take the live file to a later checkpoint than the file copy just made: the .wal written from now on then
        belongs to that later checkpoint, and DuckDB refuses it beside a restored copy (StorageCorrupt, said) instead
        of replaying it there. Replayed, its small writes came back unasked and a large insert (written to the live
        file's blocks, the .wal only points at them) left a table the copy cannot read. A CHECKPOINT needs a change
        to write a new one: an empty table made and dropped. False when DuckDB refuses the CHECKPOINT (DuckDB 1.x
        did beside an open transaction): the copy must then be made another way."""
        cur = con.cursor()
        try:
            cur.execute("CREATE TABLE IF NOT EXISTS __sau_ban_chup (i INTEGER)")
            cur.execute("DROP TABLE IF EXISTS __sau_ban_chup")
            cur.execute("CHECKPOINT")
            return True
        except duckdb.TransactionException as exc:
            log.debug("Bản chụp: không CHECKPOINT lần hai được (%s); chép từng bảng.", exc)
            return False
        finally:
            cur.close()

    def _copy_tables(self, con: duckdb.DuckDBPyConnection, tmp: Path) -> None:
        """Copy every table into a new file at `tmp` through DuckDB (consistent whatever the file's state)."""
        cur = con.cursor()
        try:
            src = one(cur.execute("SELECT current_database()"))[0]
            cur.execute(f"ATTACH '{_sql_str(str(tmp))}' AS __snap")
            try:
                cur.execute(f'COPY FROM DATABASE "{src}" TO __snap')
            finally:
                cur.execute("DETACH __snap")
        finally:
            cur.close()


def open_read_only(storage: StorageConfig) -> tuple[Database, bool]:
    """(database, from_snapshot) for a command that only reads (`status`, `search`): the live file read-only, or
    serve's snapshot while serve holds it. Read-only because, opened for writing, such a command upgraded an older
    file unasked and held DuckDB's write lock meanwhile, so a `restore` or `serve` starting then waited or refused.
    NoDatabase: no file yet; DatabaseLocked: serve holds it and has published no snapshot yet (said when it will)."""
    if not os.path.exists(storage.db_path):
        raise NoDatabase("chưa có cơ sở dữ liệu: chạy `langnghe init-db` hoặc `langnghe serve`")
    try:
        return Database(storage.db_path, read_only=True), False
    except DatabaseLocked as exc:
        if not os.path.exists(storage.snapshot_path):
            raise DatabaseLocked(
                f"{exc} Chưa có bản chụp {storage.snapshot_path}: serve ghi bản đầu tiên sau lượt thu thập đầu, "
                f"rồi mỗi {storage.snapshot_every_minutes} phút (storage.snapshot_every_minutes; 0 là tắt).") from exc
        return Database(storage.snapshot_path, read_only=True), True


def backup_database(src: str | os.PathLike[str], dest: str | os.PathLike[str]) -> Path:
    """`langnghe backup` with serve stopped: a consistent, durable copy of the database file `src` into `dest`, without
    migrating it. This process takes the file itself (DuckDB's lock: DatabaseLocked when serve holds it), and copies
    it as serve's snapshot does: a CHECKPOINT, then the file (0.2–0.3 s at 170 MB, bench/snapshot.py, where the
    table-by-table `copy_database` took 10–11 s), then one more checkpoint of `src` so that its later `.wal` is refused
    beside the restored copy; the copy is read through before it takes its name (`check_copy`, 0.3 s at 170 MB): a
    database damaged on the disk is StorageCorrupt, as when the backup went table by table. Table by table
    (`copy_database`, the source only read) when the file cannot be opened for writing: it, its `.wal` or its folder
    is read-only (a backup from a read-only mount, or by an account that may only read), or another process has it
    open (a `langnghe status` reading it that second; when serve holds it, `copy_database` raises DatabaseLocked)."""
    if not Path(src).is_file():  # opened for writing, a missing file would be created
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(src))
    try:
        db = Database(src, migrate=False)
    except DatabaseLocked:  # serve (copy_database says so: DatabaseLocked), or a reader such as `status` this second
        log.info("Sao lưu: %s đang được tiến trình khác mở; chép từng bảng.", src)
        return copy_database(src, dest)
    except StorageReadOnly:
        log.info("Sao lưu: không mở được %s để ghi; chép từng bảng.", src)
        return copy_database(src, dest)
    try:
        return db.snapshot(dest, read_through=True)
    finally:
        db.close()


def copy_database(src: str | os.PathLike[str], dest: str | os.PathLike[str]) -> Path:
    """A consistent copy of a database file no process writes to into `dest`, table by table through DuckDB (`src`
    attached read-only, never migrated, never written). Where it is needed: the copy of serve's snapshot while serve
    runs (`langnghe status` may read that file at the same moment: it cannot be opened for writing, nor checkpointed
    under its readers), and a source that cannot be opened for writing (`backup_database`). Written beside `dest`,
    flushed to the disk and renamed when complete; a failed copy is deleted. DatabaseLocked when a process holds `src`."""
    dest = Path(dest)
    tmp = _fresh_tmp(dest)
    con = duckdb.connect(":memory:")
    try:
        try:
            con.execute(f"ATTACH '{_sql_str(str(src))}' AS __src (READ_ONLY)")
        except duckdb.Error as exc:
            if _is_lock_error(exc):
                raise DatabaseLocked(
                    f"Cơ sở dữ liệu {src} đang được một tiến trình khác giữ (thường là `langnghe serve`).") from exc
            err = storage_error(exc, str(src))  # the source is damaged or unreadable, not the copy
            if err is not None:
                raise err from exc
            raise
        con.execute(f"ATTACH '{_sql_str(str(tmp))}' AS __dest")
        con.execute("COPY FROM DATABASE __src TO __dest")
        con.execute("DETACH __dest")
    except BaseException as exc:
        con.close()
        _copy_failed(exc, tmp, dest)
        raise
    con.close()
    _publish(tmp, dest)
    return dest


def copy_published(src: str | os.PathLike[str], dest: str | os.PathLike[str]) -> Path:
    """`langnghe backup` while serve runs: a durable copy of serve's snapshot `src` into `dest` as a plain file copy
    (0.2–0.7 s at 170 MB, where the table-by-table copy took 9–26 s on the same runs: bench/snapshot.py). Safe
    without serve's lock: serve never writes a published snapshot, it writes a new one beside it and renames it over
    (`_publish`), so the file opened here stays whole even when a newer one takes the name during the copy; its
    readers (`status`) open it read-only. A `.wal` beside it (someone opened it for writing) is not in a file copy:
    then table by table. A file copy reads no block as DuckDB does, so the copy is then read through (`check_copy`,
    before it takes its name): a snapshot damaged on the disk is refused now (StorageCorrupt, saying what to do),
    not found at restore. The copy keeps the time of the snapshot it was made from (the descriptor's, so the file
    actually copied): `langnghe backup` says from it how old the backup's data is."""
    src, dest = Path(src), Path(dest)
    if _wal_size(src) > 0:
        taken = max(_mtime_ns(src), _mtime_ns(Path(f"{src}.wal")))  # about when its newest write was made
        copy_database(src, dest)
        os.utime(dest, ns=(taken, taken))
        return dest
    tmp = _fresh_tmp(dest)
    fd = os.open(src, os.O_RDONLY)  # this process holds no lock on `src`: closing the descriptor drops none
    try:
        taken = os.fstat(fd).st_mtime_ns  # of the file copied, not of a newer snapshot renamed over its name since
        _copy_from_fd(fd, tmp, src)
        _check_read_through(tmp, dest, _damaged_snapshot(src, dest))
        os.utime(tmp, ns=(taken, taken))
    except BaseException as exc:
        _copy_failed(exc, tmp, dest)
        raise
    finally:
        os.close(fd)
    _publish(tmp, dest)
    return dest


def _mtime_ns(path: Path) -> int:
    """`path`'s modification time in ns, 0 when it is gone (a `.wal` checkpointed away meanwhile)."""
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def _wal_size(db: Path) -> int:
    """The size of `db`'s `.wal`, 0 when there is none. One `stat`: a `.wal` removed between a look and a `stat`
    (its writer closing the file, checkpointed) raised FileNotFoundError out of the backup."""
    try:
        return Path(f"{db}.wal").stat().st_size
    except FileNotFoundError:
        return 0


def check_copy(path: str | os.PathLike[str]) -> None:
    """Read every value of every table of the DuckDB file `path` in a fresh read-only connection, so that DuckDB
    checks the checksum of every block the tables hold. Why: a file copy (`copy_published`) reads no block as DuckDB
    does, and opening the copy and counting rows reads almost none (1 damaged block in 61 found, where this and
    restore's table-by-table copy found the same 33: the rest are free or index blocks neither reads). DuckDB has no
    statement that checks a whole file; a hash of each row streams, memory stays bounded. Raises what DuckDB raises
    (duckdb.Error: "Corrupt database file…")."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT internal "
                             "AND database_name = current_database()").fetchall()
        for schema, table in tables:
            con.execute(f'SELECT bit_xor(hash(COLUMNS(*))) FROM "{_sql_ident(schema)}"."{_sql_ident(table)}"')
            con.fetchall()
    finally:
        con.close()


def _check_read_through(tmp: Path, dest: Path, damaged: StorageCorrupt) -> None:
    """`check_copy` of a backup's copy `tmp`; a damaged block is `damaged` (what was copied, what to do)."""
    try:
        check_copy(tmp)
    except duckdb.Error as exc:
        if not isinstance(storage_error(exc, str(dest)), StorageCorrupt):
            raise
        raise StorageCorrupt(damaged.message, damaged.path, str(exc)) from exc


def _damaged_snapshot(src: str | os.PathLike[str], dest: Path) -> StorageCorrupt:
    return StorageCorrupt(
        f"Bản chụp {src} của serve bị hỏng trên đĩa (có khối dữ liệu sai tổng kiểm tra): chưa sao lưu, không tạo "
        f"tệp {dest}. Hãy dừng serve rồi chạy lại `langnghe backup` (khi serve dừng, bản sao lưu được chép từ "
        "chính cơ sở dữ liệu), hoặc dùng bản sao lưu trước đó. Bản chụp này sẽ được serve ghi lại ở lần chụp "
        "sau (storage.snapshot_every_minutes); đừng khôi phục từ nó.", str(src), "")


def _damaged_database(src: str | os.PathLike[str], dest: Path) -> StorageCorrupt:
    return StorageCorrupt(
        f"Cơ sở dữ liệu {src} bị hỏng trên đĩa (có khối dữ liệu sai tổng kiểm tra): chưa sao lưu, không tạo tệp "
        f"{dest}. Đừng xóa hay ghi đè tệp hỏng: chép nó ra chỗ khác, rồi khôi phục từ bản chụp "
        "(storage.snapshot_path) hoặc bản sao lưu trước đó (`langnghe restore`).", str(src), "")


# how restore waits for a short reader (`langnghe status` with serve stopped reads the database for a second or so)
# before it says the database is held: _LOCK_TRIES looks, _LOCK_WAIT_S seconds apart, for the whole restore (_Patience)
_LOCK_TRIES = 10
_LOCK_WAIT_S = 0.5


def restore_database(src: str | os.PathLike[str], live: str | os.PathLike[str]) -> Path | None:
    """Put the backup `src` in place of the database `live` (serve stopped), and return where the database that was
    there is kept (`….truoc-khoi-phuc-NĂMTHÁNGNGÀY-GIỜPHÚTGIÂY.duckdb`, its `.wal` beside it), or None. Nothing of
    `live` changes until the copy is whole and checked: `src` is copied table by table (every block read, so a file
    cut short or damaged is refused, StorageCorrupt naming it), the copy is flushed to the disk, then checked to be a
    Lắng Nghe database this release can open (DatabaseTooNew otherwise). The copy is a new file: no `.wal` of `live`
    can be replayed onto it. `live` a symbolic link (the database kept on another disk): the file it leads to is
    replaced and the link kept (DuckDB keeps the `.wal` beside that file too). DatabaseLocked while a process (serve)
    holds `live`, after a few short waits (a `status` reading it); RestoreNotFinished when a step after the rename
    fails (the backup is then in place)."""
    src = Path(src)
    if not src.is_file():
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(src))
    live = Path(os.path.realpath(live))  # through a link: the link stays, the file it names is replaced
    patience = _Patience()  # one allowance of waits for the whole restore
    _wait_until_free(live, patience)
    staged = live.with_name(live.name + ".khoi-phuc")
    _remove_copy(staged)  # from a restore killed half way
    try:
        copy_database(src, staged)
    except (StorageFull, StorageReadOnly) as err:
        raise type(err)(f"{err.message} Chưa khôi phục: cơ sở dữ liệu {live} không bị động "
                        "đến.", str(live), err.detail) from err
    except (StorageError, duckdb.Error) as exc:
        raise StorageCorrupt(
            f"Không khôi phục từ {src}: tệp bị cắt dở (chép chưa xong), hỏng hoặc không phải tệp DuckDB. Cơ sở dữ liệu "
            f"{live} không bị động đến. Hãy chọn bản sao lưu khác (hoặc bản chụp storage.snapshot_path).",
            str(src), getattr(exc, "detail", str(exc))) from exc
    try:
        _check_restorable(staged, src, live)
        fds, created = _hold_against_openers(live, staged, patience)  # serve may have been started while the copy was made
    except DatabaseTooNew as err:
        _remove_copy(staged)
        raise DatabaseTooNew(f"{err.message} Chưa khôi phục: cơ sở dữ liệu {live} không bị động đến.", str(src),
                             err.detail) from err
    except BaseException:
        _remove_copy(staged)
        raise
    try:
        return _swap_in(staged, live, src, created)
    finally:
        for fd in fds:
            os.close(fd)


def _swap_in(staged: Path, live: Path, src: Path, created: bool) -> Path | None:
    """Give the checked copy `live`'s name, the old database kept aside first (hard links). A failure before the
    rename leaves `live` as it was, by its own name, and no extra name behind (nor the copy, nor the empty file
    that held a new database's name); one after it is RestoreNotFinished, saying the new database is in place."""
    aside = None
    try:
        aside = None if created else _set_aside(live)
        os.replace(staged, live)
    except BaseException:
        if aside is not None:
            _undo_set_aside(live, aside)
        _remove_copy(staged)
        if created:
            live.unlink(missing_ok=True)  # the empty file that held the name (this process's lock is on it)
        raise
    wal = Path(f"{live}.wal")
    kept = f"cơ sở dữ liệu cũ được giữ ở {aside} (cùng tệp .wal nếu có)" if aside else "trước đó chưa có cơ sở dữ liệu"
    try:
        wal.unlink(missing_ok=True)  # kept beside `aside`; beside the restored copy DuckDB refuses it
    except OSError as exc:
        raise RestoreNotFinished(
            f"Đã đặt bản sao lưu {src} vào {live}; {kept}. Nhưng không xóa được tệp nhật ký ghi cũ {wal} "
            f"({os_error_text(exc)}): hãy chuyển tệp đó ra chỗ khác trước khi chạy serve (để nguyên, serve từ chối mở "
            "cơ sở dữ liệu).", str(live), str(exc)) from exc
    try:
        _fsync(live.parent)
    except OSError as exc:
        raise RestoreNotFinished(
            f"Đã đặt bản sao lưu {src} vào {live}: cơ sở dữ liệu mới đã ở đúng chỗ; {kept}. Nhưng không ghi được thư "
            f"mục {live.parent} xuống đĩa ({os_error_text(exc)}): nếu mất điện trước khi hệ điều hành tự ghi, sau khi "
            f"bật lại {live} có thể lại là cơ sở dữ liệu cũ (nguyên vẹn). Hãy chạy `sync`, kiểm tra ổ đĩa, rồi chạy "
            f"serve; nếu sau một lần mất điện thấy dữ liệu cũ, chạy lại `langnghe restore {src}`.",
            str(live), str(exc)) from exc
    return aside


class _Patience:
    """The waits one restore may spend on a held database, shared by all its looks (before the copy, then at the
    locks before the rename): each look had its own `_LOCK_TRIES`, so a holder seen at both waited out twice
    (≈ 9 s) before restore refused. Now the waits add up to `(_LOCK_TRIES - 1) × _LOCK_WAIT_S` at most."""

    def __init__(self) -> None:
        self.waits_left = _LOCK_TRIES - 1

    def wait_or_refuse(self, path: Path, exc: BaseException) -> None:
        """Wait once more for the holder of `path`, or raise DatabaseLocked when the waits are spent."""
        if self.waits_left <= 0:
            raise _held(path) from exc
        self.waits_left -= 1
        _pause()


def _wait_until_free(live: Path, patience: _Patience) -> None:
    """DatabaseLocked when a process holds `live` for writing, after a few short waits: with serve stopped,
    `langnghe status` reads the database for a second or so, and restore refused at that second as if serve held it.
    A damaged or missing file is no reason to refuse (it is what a restore is for)."""
    if not live.exists():
        return
    while True:
        try:
            duckdb.connect(str(live), read_only=True).close()
            return
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                return
            patience.wait_or_refuse(live, exc)


def _pause() -> None:
    """The wait between two looks at a held database (a function: tests release the holder here)."""
    time.sleep(_LOCK_WAIT_S)


def _held(live: Path) -> DatabaseLocked:
    waited = f"{(_LOCK_TRIES - 1) * _LOCK_WAIT_S:g}".replace(".", ",")  # «4,5 giây», as the help says; it read «4.5»
    return DatabaseLocked(f"Cơ sở dữ liệu {live} đang được một tiến trình khác giữ (thường là `langnghe serve`; đã đợi "
                          f"{waited} giây): hãy dừng serve rồi khôi phục. Nếu serve đã dừng, có thể một lệnh khác "
                          "(như `langnghe status`) đang mở nó: chạy lại sau ít giây.")


def _hold_against_openers(live: Path, staged: Path, patience: _Patience) -> tuple[list[int], bool]:
    """Take DuckDB's own lock (a POSIX write lock, as a process opening the file for writing takes) on `live` and on
    the checked copy `staged`, and return the descriptors, to be closed once the restore is done, and whether `live`
    was created here. Why: a serve started after the checks and before the rename opened the file about to be set
    aside and kept writing to it unseen; one started just after the rename opened the new file beside the old `.wal`.
    Holding both locks (the copy's follows it through the rename), serve is refused instead. A missing `live` is
    created empty (exclusively) to hold its name the same way: a restore to a new path must not race a starting
    serve either. DatabaseLocked when a process holds `live`, after a few short waits. Nothing else in this process
    has these files open, so closing the descriptors drops no other lock (see `_copy_file`)."""
    created = False
    try:
        fd = os.open(live, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
        created = True
    except FileExistsError:
        fd = os.open(live, os.O_RDWR)
    fds, ours = [fd], False
    try:
        _lock(fd, live, patience)
        ours = created  # made here and locked: no other process has it
        fds.append(os.open(staged, os.O_RDWR))
        _lock(fds[-1], staged, patience)
    except BaseException:
        if ours:  # never leave an empty file where the database belongs
            live.unlink(missing_ok=True)
        for f in fds:
            os.close(f)
        raise
    return fds, created


def _lock(fd: int, path: Path, patience: _Patience) -> None:
    """fcntl's write lock on `fd`, waited for out of the restore's `patience`; DatabaseLocked when another process
    keeps it."""
    while True:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            patience.wait_or_refuse(path, exc)


def _check_restorable(staged: Path, src: Path, live: Path) -> None:
    """Refuse a copy that is not a Lắng Nghe database (StorageCorrupt) or that a newer release wrote (DatabaseTooNew).
    An older release's copy is fine: serve migrates it, with its copy before the upgrade."""
    con = duckdb.connect(str(staged), read_only=True)
    try:
        done = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    except duckdb.CatalogException:
        done = set()
    finally:
        con.close()
    if not done:
        raise StorageCorrupt(
            f"Không khôi phục từ {src}: đây là một tệp DuckDB nhưng không phải cơ sở dữ liệu Lắng Nghe. Cơ sở dữ liệu "
            f"{live} không bị động đến.", str(src), "không có bảng schema_migrations")
    _refuse_newer(str(src), done, {v for v, _, _ in migrations()})


def _set_aside(live: Path) -> Path | None:
    """Keep the database being replaced under a dated name, with its `.wal`. Hard links, so that `live` is never
    missing nor without its `.wal`: a crash before the new file takes its name leaves the old one in place, whole
    (and serve never creates an empty database there, nor opens the old one without what its `.wal` holds). The
    caller removes `live`'s `.wal` once the backup has the name; a failure here takes back what was made."""
    wal = Path(f"{live}.wal")
    if not live.exists() and not wal.exists():
        return None
    stamp = file_stamp(utcnow())
    aside = live.with_name(f"{live.stem}.truoc-khoi-phuc-{stamp}.duckdb")
    n = 1
    while aside.exists() or Path(f"{aside}.wal").exists():  # two restores in one second: never over a kept file
        n += 1
        aside = live.with_name(f"{live.stem}.truoc-khoi-phuc-{stamp}-{n}.duckdb")
    try:
        if live.exists():
            try:
                os.link(live, aside)
            except OSError:  # a file system without hard links
                os.replace(live, aside)
        if wal.exists():
            try:
                os.link(wal, Path(f"{aside}.wal"))
            except OSError:  # a file system without hard links: a copy (the .wal is not what DuckDB locks)
                shutil.copyfile(wal, Path(f"{aside}.wal"))
                _fsync(Path(f"{aside}.wal"))
        _fsync(live.parent)
    except BaseException:
        _undo_set_aside(live, aside)
        raise
    return aside


def _undo_set_aside(live: Path, aside: Path) -> None:
    """Take back `_set_aside` after a failed restore: where the original name still holds the file, the kept name is
    an extra one (a hard link, or a copy of the `.wal`) and goes; where it was moved (no hard links), it goes back.
    Nothing is lost either way: the old database stays under its own name, with its `.wal`."""
    for name, kept in ((live, aside), (Path(f"{live}.wal"), Path(f"{aside}.wal"))):
        try:
            if not kept.exists():
                continue
            if name.exists():
                kept.unlink()
            else:
                os.replace(kept, name)
        except OSError as exc:  # said, never raised over the restore's own failure
            log.warning("Khôi phục không xong; không dọn được %s (%s): cơ sở dữ liệu cũ vẫn ở %s hoặc %s.", kept,
                        os_error_text(exc), name, kept)
    try:
        _fsync(live.parent)
    except OSError as exc:
        log.warning("Không ghi được thư mục %s xuống đĩa (%s).", live.parent, os_error_text(exc))


def remove_stale_copies(folder: str | os.PathLike[str]) -> list[Path]:
    """Delete the temporary copies a copy or a restore killed by a power cut or a crash left in `folder` (`_STALE_NAME`):
    each is as large as the database, and a backup's dated name never comes again to clear its own. Only our own
    naming, and only files older than this process, untouched for `_STALE_AFTER_S` with their pair (`x.tmp` and its
    `.wal`), and held open by no process (`_copy_in_use`: a copy another process is writing or checking is never
    taken). Serve runs it at start on its folders, every copy on its own folder."""
    removed: list[Path] = []
    limit = min(_STARTED, time.time() - _STALE_AFTER_S)
    try:
        found = [p for p in Path(folder).iterdir() if _STALE_NAME.search(p.name)]
    except OSError:
        return removed
    for p in found:
        try:
            if p.is_file() and not p.is_symlink() and not _copy_in_use(p, limit):
                p.unlink()
                removed.append(p)
        except OSError as exc:
            log.warning("Không xóa được bản sao tạm cũ %s (%s).", p, os_error_text(exc))
    if removed:
        log.warning("Đã xóa %d bản sao tạm còn lại từ một lần chép bị ngắt (mất điện, tiến trình bị dừng): %s.",
                    len(removed), ", ".join(str(p) for p in removed))
    return removed


def _copy_in_use(p: Path, limit: float) -> bool:
    """Whether the temporary copy `p` (a DuckDB file or its `.wal`) may still be another process's work: the file or
    its pair (`x.tmp` and `x.tmp.wal`) touched since `limit`, or the DuckDB file held open by a process (DuckDB's
    POSIX lock). Why the pair and the lock: a DuckDB copy writing into its `.wal` leaves its main file's time
    unchanged for as long as the copy takes (seen: 0 s moved after 50 inserts), so the main file alone looked a
    minute untouched and was deleted under a live copy. Files older than this process are never open in it, so the
    lock probe's descriptor drops no lock of ours when it is closed."""
    base = Path(str(p)[: -len(".wal")]) if p.name.endswith(".wal") else p
    for q in (base, Path(f"{base}.wal")):
        try:
            if q.stat().st_mtime >= limit:
                return True
        except FileNotFoundError:
            continue
    try:
        fd = os.open(base, os.O_RDWR)
    except OSError:  # gone, or not ours to open for writing: the age alone decides
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN):
            return True
        raise
    finally:
        os.close(fd)
    return False


# a copy's temporary name (`….duckdb.tmp`) and a restore's checked copy (`….duckdb.khoi-phuc`, its own `.tmp`), with
# their `.wal`s; names of other software never match
_STALE_NAME = re.compile(r"\.duckdb(\.khoi-phuc(\.tmp)?|\.tmp)(\.wal)?$")
_STALE_AFTER_S = 60.0


def _copy_from_fd(fd: int, dest: Path, src: str | os.PathLike[str]) -> None:
    """Write the whole file `src`, open at `fd`, to `dest` (in the kernel, sendfile); `fd` stays open, its offset
    unmoved. A source that ends before its size is CopySourceCut, saying so in Vietnamese."""
    size = os.fstat(fd).st_size
    with open(dest, "wb") as out:
        done = 0
        while done < size:
            n = os.sendfile(out.fileno(), fd, done, min(size - done, 1 << 30))
            if n == 0:
                raise CopySourceCut(
                    f"Tệp nguồn {src} ngắn đi trong lúc chép sang {dest}: mới chép được {done} trên {size} byte (tệp "
                    "bị cắt khi đang chép). Phần chép dở được xóa; hãy chạy lại.", str(src),
                    f"sendfile trả 0 byte ở vị trí {done}/{size}")
            done += n


def _fsync(path: Path) -> None:
    """Flush a file's (or a folder's: a rename in it) data to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fresh_tmp(dest: Path) -> Path:
    """`dest`'s temporary name (`….tmp`, in its folder, so the rename that publishes it is atomic), made free: the
    folder created, a temporary file left by a copy killed half way deleted, and stale copies of our naming with
    it (`remove_stale_copies`). Every copy (snapshot, backup, table by table) starts here."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    _remove_copy(tmp)
    remove_stale_copies(dest.parent)
    return tmp


def _remove_copy(path: Path) -> None:
    """Delete a DuckDB file and its write-ahead log if they exist."""
    for p in (path, Path(str(path) + ".wal")):
        p.unlink(missing_ok=True)


def _publish(tmp: Path, dest: Path) -> None:
    """Give a complete copy its name durably (the usual atomic replace): flush it to the disk, rename it over `dest`
    (atomic within one folder), flush the folder (the rename). Until the rename `dest` is the previous copy, whole;
    a power cut before the folder's flush leaves the previous copy or the new one, never a partial file. A failure
    removes `tmp` and leaves `dest` as it was."""
    try:
        _fsync(tmp)
        os.replace(tmp, dest)
        _fsync(dest.parent)
    except BaseException as exc:
        _copy_failed(exc, tmp, dest)
        raise


# the reason of vocab/oserrors.py for a copy that failed as DuckDB says it (its text, no errno)
_COPY_ERRNOS: dict[type[StorageError], int] = {StorageFull: errno.ENOSPC, StorageReadOnly: errno.EACCES}


def _copy_failed(exc: BaseException, tmp: Path, dest: Path) -> None:
    """A snapshot or backup copy failed: delete the partial file (it holds the space the database needs) and
    raise the storage error the failure means (disk full, read-only…), if any, in the copy's own words; the caller
    re-raises the rest."""
    _remove_copy(tmp)
    if isinstance(exc, (duckdb.Error, OSError)):
        err = storage_error(exc, str(dest))
        if err is not None:
            raise _copy_error(err, exc, dest) from exc


def _copy_error(err: StorageError, exc: BaseException, dest: Path) -> StorageError:
    """`err` said of the copy, not of a database: what happened (vocab/oserrors.py's reason), that the partial copy
    is gone and that an older copy of the same name is kept. A damaged source keeps its own message."""
    code = _COPY_ERRNOS.get(type(err))
    if code is None:
        return err
    reason = os_error_reason(exc) or os_error_reason(OSError(code, ""))
    return type(err)(f"Không chép được bản sao {dest}: {reason}. Phần chép dở đã được xóa; bản sao cũ cùng tên "
                     "(nếu có) vẫn còn nguyên.", str(dest), err.detail)


def _refuse_newer(path: str, done: set[int], known: set[int]) -> None:
    """Refuse a file a newer release migrated (a downgrade, or an old copy of the code pointed at it)."""
    newer = sorted(done - known)
    if newer:
        raise DatabaseTooNew(
            f"Cơ sở dữ liệu {path} do một phiên bản Lắng Nghe mới hơn tạo hoặc nâng cấp (có bước nâng cấp cấu trúc "
            f"{', '.join(f'{v:03d}' for v in newer)} mà phiên bản đang chạy không có). Không mở để tránh ghi sai "
            "dữ liệu: hãy chạy phiên bản mới hơn đó, hoặc khôi phục bản sao lưu lấy trước khi nâng cấp.",
            path, f"phiên bản cấu trúc của tệp: {max(done)}, của mã: {max(known)}")


def _rollback_quietly(cur: duckdb.DuckDBPyConnection) -> None:
    """Roll back if a transaction is still open; a failure here is logged, never raised over the cause."""
    try:
        cur.execute("ROLLBACK")
    except duckdb.Error as exc:
        log.debug("rollback after a failed transaction: %s", exc)


def _sql_str(s: str) -> str:
    return s.replace("'", "''")


def _sql_ident(s: str) -> str:
    return s.replace('"', '""')


