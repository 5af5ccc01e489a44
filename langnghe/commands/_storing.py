"""What every command that stores items shares: the database opened for writing or who holds it said, a clean
first Ctrl-C, and tagging what is left untagged.

Not a command (the leading underscore keeps it out of `langnghe/cli.py` discovery).
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from vocab.config import Config

if TYPE_CHECKING:
    from store.db import Database

log = logging.getLogger("langnghe.commands")


@contextmanager
def stop_on_ctrl_c(stop: threading.Event) -> Iterator[None]:
    """The first SIGINT sets `stop` (work ends between chunks); the next one raises KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def first(_sig, _frame):  # type: ignore[no-untyped-def]
        stop.set()
        print("Đang dừng: chờ ghi xong phần đang ghi dở, dữ liệu đã lưu được giữ lại "
              "(Ctrl+C lần nữa để thoát ngay)…", file=sys.stderr, flush=True)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, first)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def open_for_writing(cfg: Config, command: str, hint: str = "") -> Database | None:
    """The database opened for writing (upgraded if older, as every writer opens it), or None once stderr said
    «langnghe COMMAND: <who holds it>HINT» (`hint` brings its own space or line break; the caller picks its exit
    code). Seven commands each wrote these steps, with their own hint, until round 26."""
    from store.db import Database, DatabaseLocked

    try:
        return Database(cfg.storage.db_path, keep_upgrade_copies=cfg.storage.keep_upgrade_copies)
    except DatabaseLocked as exc:
        print(f"langnghe {command}: {exc}{hint}", file=sys.stderr)
        return None


def tag_leftovers(cfg: Config, db: Database, stop: threading.Event | None = None) -> int:
    """Tag what is still untagged (this run's or an earlier crash's); a tagging failure is said, not fatal."""
    from orchestration import ingest
    from store.db import StorageError

    try:
        n = ingest.catch_up(cfg, db, stop=stop)
    except StorageError:
        raise
    except Exception as exc:
        log.exception("catch-up tagging failed")
        print(f"Chưa gắn nhãn được các tin còn thiếu nhãn ({type(exc).__name__}: {exc}); "
              "lần chạy sau sẽ thử lại.", file=sys.stderr)
        return 0
    if n:
        print(f"Đã gắn nhãn {n} tin chưa có nhãn.", file=sys.stderr)
    return n
