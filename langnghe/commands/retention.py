"""`langnghe retention [--dry-run]`: purge old data as configured, and log it.

What it purges, and the setting of each age, is vocab.labels.PURGES (store.retention's; the help names each from it): the
notifications' done outbox rows and send log (retention.notify_days), the fetch log (retention.fetch_log_days), raw
payloads (retention.raw_payload_days), items with their rows and the stories left empty (retention.items_days). Every run writes what it purged
(or, with --dry-run, would purge) to the retention_log table and prints it. Times are printed in Vietnam
time (stored UTC), as everywhere staff read them. Ctrl+C ends a run between two chunks of
retention.chunk_items items (each deleted whole), says how many old items are left, and the next run purges them.
"""

from __future__ import annotations

import argparse
import signal
import threading
from contextlib import contextmanager
from typing import Iterator

from langnghe.commands._storing import open_for_writing
from vocab.config import Config
from vocab.labels import purge_label
from vocab.numbers import number
from vocab.timefmt import to_local


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "retention", help="xóa dữ liệu cũ theo cấu hình lưu giữ: tin bài, dữ liệu gốc, thông báo, nhật ký thu thập "
                          "(có ghi nhật ký)",
        description=f"Xóa dữ liệu cũ theo cấu hình lưu giữ ([retention] trong langnghe.toml; số ngày giữ tin và dữ "
                    f"liệu gốc theo trang Quản trị nếu đã lưu ở đó): {purged_help()}. Tin xóa mỗi lần "
                    "retention.chunk_items tin, mỗi tin xóa trọn cùng mọi dòng của nó (liên kết, toàn văn, nhãn, "
                    "chỉ mục tìm kiếm, phản ánh…); nhật ký thu thập giữ lại các dòng mới nhất trang Nguồn tin hiển "
                    "thị. Mỗi lần chạy ghi nhật ký xóa (--log). Ctrl+C dừng giữa hai phần: tin đã xóa thì xóa trọn, "
                    "số tin cũ còn lại được in ra và lần chạy sau xóa tiếp. Mã thoát: 0 xong; 3 một tiến trình khác "
                    "(thường là serve) đang giữ cơ sở dữ liệu; 130 đã dừng giữa chừng.")
    p.add_argument("--dry-run", action="store_true", help="chỉ đếm những gì sẽ bị xóa, không xóa gì")
    p.add_argument("--log", action="store_true", help="xem nhật ký xóa gần đây thay vì xóa")
    p.set_defaults(func=run)


def purged_help() -> str:
    """Each kind of data the job purges with the setting of its age, from the list the job follows
    (vocab.labels.PURGES): «thông báo đã gửi xong hoặc bỏ (retention.notify_days); …». Until fix34 the help said
    only «dữ liệu gốc và tin cũ»."""
    from vocab.labels import PURGES

    return "; ".join(f"{purge_label(what)} (retention.{setting})" for what, setting in PURGES)


def run(args: argparse.Namespace, cfg: Config) -> int:
    from orchestration.retention import run_retention, stopped_left
    from store import retention as store_retention

    db = open_for_writing(cfg, "retention", "\nNếu đó là `langnghe serve`: serve tự dọn dữ liệu cũ mỗi ngày một lần "
                                         "(theo [retention] trong langnghe.toml), không cần chạy lệnh này; muốn dọn "
                                         "ngay thì dừng serve rồi chạy lại.", create=False)
    if db is None:
        return 3
    with db:
        if args.log:
            with db.read() as cur:
                for r in store_retention.recent_log(cur):
                    flag = " (thử)" if r["dry_run"] else ""
                    print(f"{to_local(r['run_at']):%d/%m/%Y %H:%M}  {number(r['rows']):>8} dòng  {purge_label(r['what'])}, "
                          f"cũ hơn {to_local(r['cutoff']):%d/%m/%Y %H:%M}{flag}")
            return 0
        with _ctrl_c_stops() as stop:
            purged = run_retention(cfg, db, dry_run=args.dry_run, stop=stop)
    verb = "Sẽ xóa" if args.dry_run else "Đã xóa"
    for p in purged:
        if p.what != store_retention.STOPPED:
            print(f"{verb} {number(p.rows)} dòng {purge_label(p.what)} (cũ hơn {to_local(p.cutoff):%d/%m/%Y %H:%M})")
    left = stopped_left(purged)
    if left is not None:
        print(f"Đã dừng theo yêu cầu giữa hai phần: còn {number(left)} tin cũ chưa xóa, lần chạy sau xóa tiếp "
              "(những tin đã xóa thì xóa trọn, không dở dang).")
        return 130
    return 0


@contextmanager
def _ctrl_c_stops() -> Iterator[threading.Event]:
    """While the run lasts, Ctrl+C sets the stop event (the run ends after the chunk in hand) instead of breaking
    into a transaction; a second Ctrl+C is the usual interrupt. Outside the main thread (tests) nothing changes."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def on_sigint(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    before = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, before)
