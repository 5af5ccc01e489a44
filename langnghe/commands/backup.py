"""`langnghe backup ĐÍCH`: a consistent copy of the database, whether `serve` runs or not.

A plain `cp var/langnghe.duckdb` while `serve` runs misses what sits in the `.wal` (seen: an upgrade's three
migrations and a sent notification) and can catch a checkpoint half written. So: with `serve` stopped the command
takes the file itself and copies it as serve's snapshot does (a CHECKPOINT, then the file; `store.db.backup_database`),
without migrating it, the copy read through as below; while `serve` holds it, its last snapshot is copied as a plain file (`store.db.copy_published`:
serve renames each snapshot into place whole and never writes it again, so no lock is needed; 0.3–0.8 s at 170 MB where
table by table took 3–26 s), read through before it takes its name (`store.db.check_copy`: a snapshot damaged on the
disk is exit 4, saying to stop serve and back up again, or to keep the previous backup), and the copy says how old
that is. Either copy is on the disk before it takes its name,
and it is opened again to check it before the command says it is done.

Exit codes: 0 done; 2 the destination exists or cannot be made (a file where its folder should be, no right to
write: said in Vietnamese, where a traceback was) or there is no database to back up; 3 serve holds the database and has
not written a snapshot yet; 4 disk full, read-only, damaged, or the file cut while it was copied (the partial copy is
deleted). A backup of serve's snapshot keeps that snapshot's time, and "how old" is said from the copy made.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from langnghe.commands._copies import read_back
from vocab.config import Config
from vocab.numbers import fmt_num, number
from vocab.oserrors import os_error_text
from vocab.timefmt import file_stamp, fmt_local


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backup", help="chép một bản sao lưu nhất quán của cơ sở dữ liệu (cả khi serve đang chạy)",
        description="Chép một bản sao lưu nhất quán của cơ sở dữ liệu. Khi serve dừng: chép chính cơ sở dữ liệu; "
                    "khi serve đang chạy: chép bản chụp gần nhất của nó và nói bản đó cũ bao nhiêu phút. Bản sao được "
                    "đọc kiểm tra hết trước khi mang tên ĐÍCH; không ghi đè tệp nào. Mã thoát: 0 xong; 2 ĐÍCH đã có "
                    "hoặc không tạo được, hay chưa có cơ sở dữ liệu; 3 serve đang giữ cơ sở dữ liệu mà chưa có bản "
                    "chụp; 4 ổ đầy, chỉ đọc, tệp hỏng hoặc bị cắt khi đang chép.")
    p.add_argument("dest", metavar="ĐÍCH",
                   help="tệp .duckdb sẽ tạo, hoặc một thư mục — có sẵn, hoặc viết «/» ở cuối để tạo mới "
                        "(tên tệp: langnghe-NĂMTHÁNGNGÀY-GIỜPHÚTGIÂY.duckdb)")
    p.set_defaults(func=run)


def target(dest: str, now: datetime) -> Path:
    """The file to write: `dest`, or a name dated in Vietnam time (`now` naive UTC; vocab.timefmt.file_stamp) inside it when it is a folder — one that exists,
    or one still to be made, written with a final "/" («sao-luu/»: Path drops the slash, and a file named «sao-luu»
    was made, round 26's maintainer walk)."""
    p = Path(dest)
    folder = p.is_dir() or dest.endswith(("/", os.sep))
    return p / f"langnghe-{file_stamp(now)}.duckdb" if folder else p


def run(args: argparse.Namespace, cfg: Config) -> int:
    from store.db import utcnow

    dest = target(args.dest, utcnow())
    if dest.exists():
        print(f"langnghe backup: đã có tệp {dest}; chọn tên khác (bản sao lưu không ghi đè tệp nào).", file=sys.stderr)
        return 2
    if not os.path.isfile(cfg.storage.db_path):
        print(f"langnghe backup: chưa có cơ sở dữ liệu {cfg.storage.db_path} để sao lưu (storage.db_path); "
              "hãy kiểm tra --config.", file=sys.stderr)
        return 2
    try:
        note = _copy(cfg, dest)
    except OSError as exc:  # the destination cannot be made: a file where its folder should be, no right to write…
        # one «hãy kiểm tra»: os_error_text often ends with its own («… hãy kiểm tra tên và đường dẫn»)
        print(f"langnghe backup: không sao lưu được vào {dest}: {os_error_text(exc)}. ĐÍCH cần là một tệp chưa có "
              "trong một thư mục có quyền ghi, hoặc chính thư mục đó; cơ sở dữ liệu không bị động đến.", file=sys.stderr)
        return 2
    facts = read_back(dest)
    size = dest.stat().st_size / 1_000_000
    print(f"Đã sao lưu vào {dest}: {number(facts.items)} tin bài, {fmt_num(size, 1)} MB, cấu trúc phiên bản {facts.schema_version}."
          f"{note}")
    print(f"Khôi phục: dừng serve, chạy `langnghe restore {dest}` (bản này được kiểm tra trước khi thay cơ sở dữ "
          "liệu; cơ sở dữ liệu cũ được giữ lại), rồi chạy serve.")
    return 0


def _copy(cfg: Config, dest: Path) -> str:
    """Copy the database (serve stopped) or serve's snapshot into `dest`; return what the summary adds about it."""
    from store import db as store_db
    from store.db import DatabaseLocked, copy_published, utcnow

    try:
        store_db.backup_database(cfg.storage.db_path, dest)
        return ""
    except DatabaseLocked as exc:
        snap = cfg.storage.snapshot_path
        if not os.path.exists(snap):
            raise DatabaseLocked(f"{exc} Chưa có bản chụp {snap} để sao lưu: đợi serve ghi bản chụp (mỗi "
                                 f"{cfg.storage.snapshot_every_minutes} phút, storage.snapshot_every_minutes), "
                                 "hoặc dừng serve rồi chạy lại.") from exc
    copy_published(snap, dest)  # the copy keeps the time of the snapshot it copied
    taken = datetime.fromtimestamp(dest.stat().st_mtime, timezone.utc).replace(tzinfo=None)
    minutes = int((utcnow() - taken).total_seconds() // 60)
    return (f" serve đang giữ cơ sở dữ liệu nên đã sao lưu bản chụp của nó, lúc {fmt_local(taken)} "
            f"({minutes} phút trước): những gì ghi sau đó chưa có trong bản này.")
