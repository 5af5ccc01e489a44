"""`langnghe fulltext [--limit N]`: fetch and extract the full text of recent press items (trafilatura)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from collectors import fulltext
from vocab.config import Config
from store.db import Database, DatabaseLocked


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fulltext", help="lấy toàn văn các bài báo gần đây (tôn trọng robots.txt, tải từ tốn)")
    p.add_argument("--limit", metavar="SỐ", type=int, help="tối đa bấy nhiêu bài (mặc định fulltext.max_per_run)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, cfg: Config) -> int:
    try:
        db = Database(cfg.storage.db_path, keep_upgrade_copies=cfg.storage.keep_upgrade_copies)
    except DatabaseLocked as exc:
        print(f"langnghe fulltext: {exc}", file=sys.stderr)
        return 3
    with db:
        counts = asyncio.run(fulltext.run(cfg, db, limit=args.limit))
    print("Toàn văn: " + ("; ".join(f"{fulltext.status_label(k)}: {v}" for k, v in sorted(counts.items()))
                          or "không có bài nào cần lấy"))
    return 0
