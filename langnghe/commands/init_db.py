"""`langnghe init-db`: create the database file and apply migrations (safe to repeat)."""

from __future__ import annotations

import argparse

from vocab.config import Config


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init-db", help="tạo cơ sở dữ liệu và áp dụng các bước nâng cấp cấu trúc")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, cfg: Config) -> int:
    from store.db import Database

    with Database(cfg.storage.db_path, keep_upgrade_copies=cfg.storage.keep_upgrade_copies) as db:
        print(f"{cfg.storage.db_path}: sẵn sàng, phiên bản cấu trúc {db.schema_version()}")
    return 0
