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
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from vocab.config import Config
from vocab.numbers import number

if TYPE_CHECKING:
    from store.db import Database, DatabaseLocked

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


def open_for_writing(cfg: Config, command: str, hint: str = "", *, create: bool = True) -> Database | None:
    """The database opened for writing (upgraded if older, as every writer opens it), or None once stderr said
    «langnghe COMMAND: <who holds it>HINT» (`hint` brings its own space or line break; the caller picks its exit
    code). Seven commands each wrote these steps, with their own hint, until round 26.

    `create=False` for a command with nothing to do on a new, empty database (`users list`, `retention`, `steps
    --retry`, `tag --pending`, `fulltext`, `survey delete`): a missing file raises NoDatabase (the CLI says it, exit
    2) instead of being made. Until round 28 `users list` with a mistyped `LANGNGHE_DB` or `[storage] db_path` made
    that folder and an empty database there and said «chưa có tài khoản», exit 0."""
    from store.db import Database, DatabaseLocked, NoDatabase

    path = cfg.storage.db_path
    if not create and not Path(path).exists():
        raise NoDatabase(f"chưa có cơ sở dữ liệu {path}: chạy `langnghe init-db` (hoặc `langnghe serve`) trước, hoặc "
                         "kiểm tra [storage] db_path / LANGNGHE_DB")
    try:
        return Database(cfg.storage.db_path, keep_upgrade_copies=cfg.storage.keep_upgrade_copies)
    except DatabaseLocked as exc:
        print(f"langnghe {command}: {held_by(exc, path, hint)}", file=sys.stderr)
        return None


def held_by(exc: DatabaseLocked, path: str, hint: str = "") -> str:
    """What to say when `exc` refused the database: with the holder DuckDB named, that holder (`hint`, written for
    serve, only when it is serve); without one, the store's words and the hint as before. Until fix34 a second
    `collect` refused while another `collect` held the file was told «`langnghe serve` đang thu thập theo lịch»."""
    from langnghe import state

    if exc.pid is None:
        return f"{exc}{hint}"
    who, is_serve = state.holder(exc.pid)
    if is_serve is None:  # its command line unreadable: not said to be serve or not (review33)
        return f"{exc} Tiến trình đang giữ: {who}.{hint}"
    if is_serve:
        return f"{exc} Tiến trình đang giữ: {who}.{hint}"
    return (f"Cơ sở dữ liệu {path} đang được {who} giữ (không phải `langnghe serve`): chờ lệnh đó xong rồi chạy "
            "lại lệnh này.")


def tag_progress(done: int, total: int | None = None) -> None:
    """«  đã gắn nhãn 1.000/5.000 tin» on stderr after each tagging batch: tagging 5.000 items takes about a minute,
    and `tag --pending` and an import's catch-up said nothing meanwhile (round 28)."""
    of = f"/{number(total)}" if total else ""
    print(f"  đã gắn nhãn {number(done)}{of} tin", file=sys.stderr, flush=True)


def tag_leftovers(cfg: Config, db: Database, stop: threading.Event | None = None) -> int:
    """Tag what is still untagged (this run's or an earlier crash's); a tagging failure is said, not fatal."""
    from orchestration import ingest
    from store.db import StorageError

    try:
        n = ingest.catch_up(cfg, db, stop=stop, progress=tag_progress)
    except StorageError:
        raise
    except Exception as exc:
        log.exception("catch-up tagging failed")
        print(f"Chưa gắn nhãn được các tin còn thiếu nhãn ({type(exc).__name__}: {exc}); "
              "lần chạy sau sẽ thử lại.", file=sys.stderr)
        return 0
    if n:
        print(f"Đã gắn nhãn {number(n)} tin chưa có nhãn.", file=sys.stderr)
    return n
