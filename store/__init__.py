"""The only package that speaks SQL. Everything else calls the named functions here.

    Database(path)            one per process; applies migrations on open
      ├── .read()  ─▶ cursor  any thread, any time (DuckDB MVCC snapshot)
      ├── .write() ─▶ cursor  serialised by a lock, one transaction: all or nothing
      └── .snapshot(path)     consistent copy for other processes and backups, on the disk before it is named
    backup_database / copy_published / copy_database / restore_database   `langnghe backup` and `restore`
    remove_stale_copies       temporary copies a power cut left (serve start, every copy)   (all in store/db.py)

    store.items    insert_items (idempotent by canonical URL and content hash), item queries,
                   stored_texts + repair_texts (text an old wrong decode garbled, docs/SOURCES.md#encoding)
    store.sources  fetch outcomes → source_state / fetch_log, health queries
    store.status   the figures `langnghe status --json` prints

DuckDB lets one process hold the file. `langnghe serve` is that process; see docs/ARCHITECTURE.md.
"""

from store.db import Database, DatabaseLocked

__all__ = ["Database", "DatabaseLocked"]
