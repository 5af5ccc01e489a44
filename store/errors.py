"""The store's errors, in a module that imports nothing heavy: `langnghe`'s entry point catches them around every
command (exit 3 for a held database, 4 for a storage failure) and imports them before it knows whether the command
opens a database at all; importing them from `store.db` loaded DuckDB (~0.2 s of CPU) in `search-feeds` and
`sources --kinds` too (round 25). `store.db` raises them and still names them.

    RuntimeError
     ├── DatabaseLocked           another process (serve) holds the file
     └── StorageError             a failure staff can act on; Vietnamese message, `detail` keeps the original
          ├── StorageFull, StorageCorrupt, StorageReadOnly
          ├── MigrationFailed, CopySourceCut, RestoreNotFinished, DatabaseTooNew
    FileNotFoundError
     └── NoDatabase               no database file yet
"""

from __future__ import annotations


class DatabaseLocked(RuntimeError):
    """Another process (normally `langnghe serve`) holds the database file. `pid`: the holder's process id when
    DuckDB's message names it («Conflicting lock is held in … (PID 123)»), so that the CLI can say which command
    holds it (fix34: a second `collect` was told «`langnghe serve` đang thu thập theo lịch» while a `collect` held it)."""

    def __init__(self, message: str = "", pid: int | None = None):
        super().__init__(message)
        self.pid = pid


class StorageError(RuntimeError):
    """A storage failure staff can act on (disk full, corrupt or read-only file). The message is
    Vietnamese, names the database file and ends with the original error; `detail` keeps that error."""

    def __init__(self, message: str, path: str, detail: str):
        super().__init__(f"{message} (chi tiết: {detail})")
        self.message = message
        self.path = path
        self.detail = detail


class StorageFull(StorageError):
    """The disk holding the database is full. What was committed before is kept."""


class StorageCorrupt(StorageError):
    """The file is not a DuckDB database, or its blocks fail their checksums."""


class StorageReadOnly(StorageError):
    """The file, its folder or its file system does not allow writing."""


class MigrationFailed(StorageError):
    """A migration failed and was rolled back: the file stays at the migration before it (a bug of the release)."""


class CopySourceCut(StorageError):
    """The file being copied ended before its size: something cut it while it was copied (another program, a disk
    error). The partial copy is deleted; the file as it is now is for the next run to copy or refuse. A StorageError,
    so the CLI says it in Vietnamese with exit 4 (a plain OSError escaped `langnghe backup` as a traceback)."""


class RestoreNotFinished(StorageError):
    """The backup took the database's name, but a step after the rename failed (the folder's flush, removing the old
    `.wal`): the message says what is true now (the new database in place, the old one kept) and what to do."""


class DatabaseTooNew(StorageError):
    """The file holds migrations this code does not have: a newer release wrote it. Opening it anyway would
    let older queries write rows the newer schema reads differently, so it is refused before any change."""


class NoDatabase(FileNotFoundError):
    """The configured database file does not exist yet (the message says how to make it)."""
