"""The process-wide Database handle, shared by the scheduler thread and the Streamlit script threads.

`langnghe serve` opens the database once and installs it here; the dashboard (same process) picks
it up through `get_db()`. Opened from elsewhere (AppTest, a one-off command), `get_db()` opens the
configured file itself, or, if `serve` holds it, that process's published snapshot, read-only.
"""

from __future__ import annotations

import os
import threading

from vocab.config import Config, load
from store.db import Database, DatabaseLocked

_lock = threading.Lock()
_db: Database | None = None
_cfg: Config | None = None
_storage_problem: str | None = None


def set_storage_problem(message: str | None) -> None:
    """The scheduler's last storage failure (Vietnamese; disk full, read-only…), or None once a pass works."""
    global _storage_problem
    _storage_problem = message


def storage_problem() -> str | None:
    """What the dashboard shows above every page while storing fails."""
    return _storage_problem


def install(cfg: Config, db: Database) -> None:
    global _db, _cfg
    with _lock:
        _db, _cfg = db, cfg


def get_config() -> Config:
    global _cfg
    with _lock:
        if _cfg is None:
            _cfg = load()
        return _cfg


def open_db(cfg: Config, *, allow_snapshot: bool = True) -> Database:
    try:
        return Database(cfg.storage.db_path, keep_upgrade_copies=cfg.storage.keep_upgrade_copies)
    except DatabaseLocked:
        if not allow_snapshot or not os.path.exists(cfg.storage.snapshot_path):
            raise
        return Database(cfg.storage.snapshot_path, read_only=True)


def get_db() -> Database:
    global _db
    cfg = get_config()
    with _lock:
        if _db is None:
            _db = open_db(cfg)
        return _db


def reset() -> None:
    """Forget the installed handle (tests)."""
    global _db, _cfg
    with _lock:
        if _db is not None:
            try:
                _db.close()
            except Exception:
                pass
        _db, _cfg = None, None
