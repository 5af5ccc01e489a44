"""The only package that speaks SQL. Everything else calls the named functions here.

    Database(path)            one per process; applies migrations on open
      ├── .read()  ─▶ cursor  any thread, any time (DuckDB MVCC snapshot)
      ├── .write() ─▶ cursor  serialised by a lock, one transaction: all or nothing
      └── .snapshot(path)     consistent copy for other processes and backups, on the disk before it is named
    backup_database / copy_published / copy_database / restore_database   `langnghe backup` and `restore`
    remove_stale_copies       temporary copies a power cut left (serve start, every copy)   (all in store/db.py)
    store.errors   DatabaseLocked, StorageError (full, corrupt, read-only…), NoDatabase: no DuckDB behind them

    store.items    insert_items (idempotent by canonical URL and content hash), item queries,
                   stored_texts + repair_texts (text an old wrong decode garbled, docs/SOURCES.md#encoding)
    store.sources  fetch outcomes → source_state / fetch_log, health queries
    store.status   the figures `langnghe status --json` prints

DuckDB lets one process hold the file. `langnghe serve` is that process; see docs/ARCHITECTURE.md.
"""

from typing import Any

__all__ = ["Database", "DatabaseLocked"]


def __getattr__(name: str) -> Any:
    """`store.Database` on first use (PEP 562): importing the package, as every `store.x` import does, no longer
    loads DuckDB (~0.2 s of CPU), so `store.errors` is light for the CLI's entry point (round 25)."""
    if name in __all__:
        from store import db

        return getattr(db, name)
    raise AttributeError(f"module 'store' has no attribute {name!r}")
