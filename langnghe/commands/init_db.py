"""`langnghe init-db`: create the database file and apply migrations (safe to repeat)."""

from __future__ import annotations

import argparse
import shlex

from vocab.config import Config


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init-db", help="tạo cơ sở dữ liệu và áp dụng các bước nâng cấp cấu trúc",
                       description="Tạo cơ sở dữ liệu tại storage.db_path (mặc định var/langnghe.duckdb, tính từ thư "
                                   "mục đang đứng: chạy từ thư mục của Lắng Nghe; một lần chạy: biến môi trường "
                                   "LANGNGHE_DB=TỆP) và áp dụng các bước nâng cấp cấu trúc; chạy lại "
                                   "trên cơ sở dữ liệu đã có thì không mất gì. Mã thoát: 0 xong; 2 lỗi cấu hình; 3 "
                                   "serve đang giữ cơ sở dữ liệu; 4 ổ đầy, chỉ đọc hoặc cơ sở dữ liệu hỏng.")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, cfg: Config) -> int:
    from store.db import Database

    from store.users import count_users

    with Database(cfg.storage.db_path, keep_upgrade_copies=cfg.storage.keep_upgrade_copies) as db:
        print(f"{cfg.storage.db_path}: sẵn sàng, phiên bản cấu trúc {db.schema_version()}")
        with db.read() as cur:
            admins = count_users(cur, "admin")
    if not admins:  # the next step of a new install, which README gives two sections further down (round 26)
        # with the --config the office's init-db was given: `langnghe serve` without it runs the shipped defaults,
        # Quảng Ninh's area and its twenty real feeds, fetched at once (a new office's first day: ux41, round 32)
        given = f"--config {shlex.quote(args.config)} " if getattr(args, "config", None) else ""
        print(f"Tiếp theo: tạo tài khoản quản trị đầu tiên bằng `langnghe {given}users add TÊN --role admin` (hỏi mật "
              f"khẩu), rồi chạy `langnghe {given}serve` và đăng nhập bảng điều khiển bằng tài khoản đó.")
    return 0
