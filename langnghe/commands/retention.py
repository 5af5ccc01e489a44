"""`langnghe retention [--dry-run]`: purge raw payloads and old items as configured, and log it.

retention.raw_payload_days and retention.items_days set the ages. Every run writes what it purged
(or, with --dry-run, would purge) to the retention_log table and prints it. Times are printed in Vietnam
time (stored UTC), as everywhere staff read them.
"""

from __future__ import annotations

import argparse
import sys

from orchestration.retention import run_retention
from store import retention as store_retention
from vocab.config import Config
from vocab.labels import purge_label
from vocab.timefmt import to_local
from store.db import Database, DatabaseLocked


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("retention", help="xoá dữ liệu gốc và tin cũ theo cấu hình lưu giữ (có ghi nhật ký)")
    p.add_argument("--dry-run", action="store_true", help="chỉ đếm những gì sẽ bị xoá, không xoá gì")
    p.add_argument("--log", action="store_true", help="xem nhật ký xoá gần đây thay vì xoá")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, cfg: Config) -> int:
    try:
        db = Database(cfg.storage.db_path, keep_upgrade_copies=cfg.storage.keep_upgrade_copies)
    except DatabaseLocked as exc:
        print(f"langnghe retention: {exc}", file=sys.stderr)
        return 3
    with db:
        if args.log:
            with db.read() as cur:
                for r in store_retention.recent_log(cur):
                    flag = " (thử)" if r["dry_run"] else ""
                    print(f"{to_local(r['run_at']):%d/%m/%Y %H:%M}  {r['rows']:>8} dòng  {purge_label(r['what'])}, "
                          f"cũ hơn {to_local(r['cutoff']):%d/%m/%Y %H:%M}{flag}")
            return 0
        purged = run_retention(cfg, db, dry_run=args.dry_run)
    verb = "Sẽ xoá" if args.dry_run else "Đã xoá"
    for p in purged:
        print(f"{verb} {p.rows} dòng {purge_label(p.what)} (cũ hơn {to_local(p.cutoff):%d/%m/%Y %H:%M})")
    return 0
