"""`langnghe restore NGUỒN`: put a backup (or serve's snapshot) in place of the database, serve stopped.

By hand (copy the file over, move the `.wal` away) a half-written or foreign file took the database's place before
anything checked it, and serve then failed on it (or started an empty database where the file was moved away). Here
the backup is copied and checked whole first (`store.db.restore_database`), and only then takes the database's name;
the database it replaces is kept beside it under a dated name, never deleted. A database path that is a symbolic
link (the file on another disk) stays a link: the file it leads to is replaced, and the old one kept beside that file.

Exit codes: 0 restored; 2 the backup missing or the database's folder not usable (nothing changed); 3 a process
(serve) holds the database, after a few short waits for a `status` reading it (nothing changed); 4 the backup is cut
short, damaged, foreign or from a newer release, or the disk is full (nothing changed), or the backup took the
database's name but a step after that failed (RestoreNotFinished: the message says the new database is in place,
where the old one is kept, and what to do).
"""

from __future__ import annotations

import argparse
import os
import sys

from langnghe.commands._copies import read_back
from vocab.config import Config
from vocab.numbers import number
from vocab.oserrors import os_error_text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "restore", help="khôi phục cơ sở dữ liệu từ một bản sao lưu (khi serve đã dừng)",
        description="Đặt một bản sao lưu (hoặc bản chụp của serve) vào chỗ cơ sở dữ liệu, khi serve đã dừng. Bản sao "
                    "được chép và kiểm tra hết trước; cơ sở dữ liệu cũ được giữ bên cạnh với tên "
                    "….truoc-khoi-phuc-NĂMTHÁNGNGÀY-GIỜPHÚTGIÂY.duckdb. Mã thoát: 0 xong; 2 không có NGUỒN hoặc "
                    "thư mục không dùng được; 3 một tiến trình (serve) đang giữ cơ sở dữ liệu (đã đợi tối đa 4,5 "
                    "giây); 4 NGUỒN bị cắt dở, hỏng, lạ hoặc của phiên bản mới hơn, ổ đầy, hoặc một bước sau khi "
                    "đã đặt vào chỗ không xong (thông báo nói rõ phải làm gì).")
    p.add_argument("source", metavar="NGUỒN", help="tệp .duckdb do `langnghe backup` chép, hoặc bản chụp của serve")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, cfg: Config) -> int:
    from store.db import restore_database

    live = cfg.storage.db_path
    try:
        aside = restore_database(args.source, live)
    except OSError as exc:  # the backup missing, the database's folder not writable…
        print(f"langnghe restore: không khôi phục được từ {args.source}: {os_error_text(exc)}. Cơ sở dữ liệu {live} "
              "không bị động đến.", file=sys.stderr)
        return 2
    facts = read_back(live)
    through = f" (liên kết tới {os.path.realpath(live)}, liên kết được giữ)" if os.path.islink(live) else ""
    print(f"Đã khôi phục {args.source} vào {live}{through}: {number(facts.items)} tin bài, cấu trúc phiên bản "
          f"{facts.schema_version}.")
    if aside is not None:
        print(f"Cơ sở dữ liệu cũ được giữ ở {aside} (cùng tệp .wal nếu có); xóa khi đã chắc chắn không cần nữa.")
    print("Chạy serve để làm việc tiếp (một bản sao cũ hơn được nâng cấp cấu trúc khi mở).")
    return 0
