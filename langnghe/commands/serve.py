"""`langnghe serve`: collector scheduler + dashboard in one process (the database owner)."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace

from store.db import DatabaseLocked
from vocab.config import Config


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="chạy thu thập theo lịch và bảng điều khiển trong một tiến trình")
    p.add_argument("--port", type=int, help="cổng bảng điều khiển (mặc định: dashboard.port)")
    p.add_argument("--host", help="địa chỉ bảng điều khiển (mặc định: dashboard.host)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, cfg: Config) -> int:
    from langnghe.service import serve

    dash = cfg.dashboard
    if args.port:
        dash = replace(dash, port=args.port)
    if args.host:
        dash = replace(dash, host=args.host)
    try:
        return serve(replace(cfg, dashboard=dash), config_path=args.config or os.environ.get("LANGNGHE_CONFIG"))
    except DatabaseLocked as exc:  # a second serve on the same file: the reason, not a traceback
        print(f"langnghe serve: {exc}\nMột `langnghe serve` khác đang chạy trên cơ sở dữ liệu này: dùng bảng "
              "điều khiển của nó, hoặc dừng nó trước khi chạy lại.", file=sys.stderr)
        return 3
