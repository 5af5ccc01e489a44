"""`langnghe collect --once`: one pass over the sources, with a progress line per source.

The sources are the ones `serve` collects: the TOML's [[sources]] merged with those edited on the
Nguồn page (orchestration.sources.effective_config).

A huge batch shows its write progress chunk by chunk. The first Ctrl-C stops cleanly: fetches in flight
are dropped, a batch being written stops after its current chunk (committed chunks are kept, the source
says 'interrupted' and is fetched again next time), and the command exits with 130. A second Ctrl-C
quits at once. After the pass, items left untagged (this pass, or an earlier crash) are tagged.
"""

from __future__ import annotations

import argparse
import sys
import threading

from langnghe.commands._storing import open_for_writing, stop_on_ctrl_c, tag_leftovers
from vocab.config import Config
from vocab.numbers import number


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("collect", help="thu thập các nguồn ngay (một lượt) và lưu tin mới")
    p.add_argument("--once", action="store_true", help="một lượt qua mọi nguồn đang bật rồi thoát (mặc định)")
    p.add_argument("--due", action="store_true", help="chỉ các nguồn đã đến giờ thu thập")
    p.add_argument("--source", metavar="NGUỒN", action="append", help="chỉ nguồn này (dùng nhiều lần được; cả nguồn đang tạm dừng)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, cfg: Config) -> int:
    import asyncio

    from collectors.runner import Runner
    from orchestration import ingest
    from orchestration import sources as sources_store
    from store.db import utcnow

    db = open_for_writing(cfg, "collect", "\n`langnghe serve` đang thu thập theo lịch.")
    if db is None:
        return 3
    stop = threading.Event()
    with db, stop_on_ctrl_c(stop):
        cfg = sources_store.effective_config(cfg, db)  # the sources serve collects: TOML + the Nguồn page
        unknown = [n for n in args.source or () if n not in {s.name for s in cfg.sources}]
        if unknown:  # a mistyped name collected nothing and said "Xong: 0 nguồn"
            print(f"langnghe collect: không có nguồn {', '.join(f'«{n}»' for n in unknown)} trong cấu hình "
                  "hay trang Nguồn; xem tên các nguồn bằng `langnghe sources`.", file=sys.stderr)
            return 2

        def written(source: str, done: int, total: int) -> None:
            print(f"  {source}: đã ghi {number(done)}/{number(total)} mục", file=sys.stderr, flush=True)

        runner = Runner(cfg, db, on_new_items=ingest.processor(cfg, db, stop=stop), stop=stop, on_written=written)
        total = len(runner.due(utcnow(), force=not args.due, only=args.source))
        done = 0

        def progress(o):  # type: ignore[no-untyped-def]
            nonlocal done
            done += 1
            detail = f"+{number(o.items_new)} mới / {number(o.entries_seen)} mục" if o.outcome != "error" else f"LỖI {o.error_kind}: {o.error}"
            if o.outcome == "not_modified":
                detail = "không đổi (304)"
            print(f"[{done}/{total}] {o.source}: {detail}", file=sys.stderr, flush=True)

        summary = asyncio.run(runner.run_due(force=not args.due, only=args.source, progress=progress))
        if not stop.is_set():
            tag_leftovers(cfg, db, stop)
        print(
            f"Xong: {len(summary.outcomes)} nguồn, {summary.items_new} tin mới, {len(summary.errors)} nguồn lỗi.",
            file=sys.stderr,
        )
        if stop.is_set():
            print("Đã dừng theo yêu cầu (Ctrl+C); các tin đã lưu được giữ lại, lần chạy sau sẽ lấy tiếp.",
                  file=sys.stderr)
            return 130
    return 1 if summary.outcomes and len(summary.errors) == len(summary.outcomes) else 0
