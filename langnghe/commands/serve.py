"""`langnghe serve`: collector scheduler + dashboard in one process (the database owner)."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace

from vocab.config import Config


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve", help="chạy thu thập theo lịch và bảng điều khiển trong một tiến trình",
        description="Chạy thu thập theo lịch và bảng điều khiển trong một tiến trình; tiến trình này giữ cơ sở dữ "
                    "liệu (các lệnh ghi khác từ chối khi nó chạy) và ghi bản chụp mỗi storage.snapshot_every_minutes "
                    "phút cho các lệnh đọc và cho sao lưu. Dừng bằng Ctrl+C. Mã thoát: 0 đã dừng; 3 một serve khác "
                    "đang giữ cơ sở dữ liệu; 4 ổ đầy, chỉ đọc hoặc cơ sở dữ liệu hỏng.")
    p.add_argument("--port", type=int, metavar="CỔNG", help="cổng bảng điều khiển (mặc định: dashboard.port)")
    p.add_argument("--host", metavar="ĐỊA_CHỈ", help="địa chỉ bảng điều khiển (mặc định: dashboard.host)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, cfg: Config) -> int:
    from langnghe.service import CannotListen, serve
    from store.db import DatabaseLocked

    dash = cfg.dashboard
    if args.port is not None:  # `--port 0` was ignored: the dashboard opened on [dashboard] port (round 29)
        dash = replace(dash, port=args.port)
    if args.host is not None:
        dash = replace(dash, host=args.host)
    if not 1 <= dash.port <= 65535:  # 99999 started the scheduler, then Streamlit's OverflowError traceback (round 28)
        print(f"langnghe serve: cổng {dash.port} không hợp lệ (--port hoặc [dashboard] port: từ 1 đến 65535).",
              file=sys.stderr)
        return 2
    try:
        return serve(replace(cfg, dashboard=dash), config_path=args.config or os.environ.get("LANGNGHE_CONFIG"))
    except CannotListen as exc:  # checked once the database is ours, before the scheduler starts (round 29)
        print(f"langnghe serve: {exc}.", file=sys.stderr)
        return 2
    except DatabaseLocked as exc:  # a second serve on the same file: the reason, not a traceback
        print(f"langnghe serve: {exc}\nMột `langnghe serve` khác đang chạy trên cơ sở dữ liệu này: dùng bảng "
              "điều khiển của nó, hoặc dừng nó trước khi chạy lại.", file=sys.stderr)
        return 3
