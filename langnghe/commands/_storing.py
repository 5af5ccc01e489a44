"""What every command that stores items shares: a clean first Ctrl-C, and tagging what is left untagged.

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
