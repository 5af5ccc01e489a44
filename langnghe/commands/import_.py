"""`langnghe import FILE --map title=col,text=col,… [--preview]`: bring exported posts in as items.

Without --map the preview proposes a mapping from the header names. --preview writes nothing.
Importing is idempotent: the same file twice adds nothing the second time. The file is streamed and
written in chunks (imports.chunk_rows) with progress on stderr; Ctrl-C stops after the chunk being
written, keeps what was committed and records the run as interrupted in import_log.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from langnghe.commands._files import CannotOpen, open_named
from langnghe.commands._storing import open_for_writing, tag_leftovers
from vocab.config import Config
from vocab.labels import IMPORT_FIELDS, SOURCE_TYPES
from vocab.numbers import fmt_num, number

if TYPE_CHECKING:
    from collectors import imports as imp

log = logging.getLogger("langnghe.import")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="nhập bài đăng từ tệp CSV, TSV, JSONL, JSON hoặc XLSX (nhập lại không tạo tin trùng)")
    p.add_argument("file", metavar="TỆP", help="tệp đã xuất (.csv, .tsv, .jsonl, .json, .xlsx)")
    p.add_argument("--map", metavar="CẶP", dest="mapping", default="",
                   help=f"các cặp trường=cột, cách nhau bởi dấu phẩy; trường: {', '.join(IMPORT_FIELDS)}")
    p.add_argument("--preview", action="store_true", help="xem trước những gì sẽ nhập, không ghi gì")
    p.add_argument("--source", metavar="NGUỒN", help="tên nguồn cho các tin này (mặc định import-<tên tệp>)")
    p.add_argument("--outlet", metavar="NƠI_ĐĂNG", help="nơi đăng hiển thị khi tệp không có cột này (mặc định: tên nguồn)")
    p.add_argument("--source-type", choices=tuple(SOURCE_TYPES), help="loại nguồn mặc định: press (báo chí), social (mạng xã hội), ctv (CTV / trực tiếp); mặc định imports.default_source_type")
    p.add_argument("--sheet", metavar="TRANG", help="tên trang tính XLSX (mặc định: trang đầu)")
    p.add_argument("--undated-now", action="store_true",
                   help="nhập cả các dòng không có ngày đăng, với thời điểm nhập (mặc định: cảnh báo và dừng)")
    p.set_defaults(func=run)


def _settings(args: argparse.Namespace, cfg: Config) -> imp.ImportSettings:
    from collectors import imports as imp

    return imp.settings_for(cfg, args.file, source=args.source, outlet=args.outlet, source_type=args.source_type)


def _fail(exc: BaseException | str, code: int = 2) -> int:
    print(f"langnghe import: {exc}", file=sys.stderr)
    return code


def run(args: argparse.Namespace, cfg: Config) -> int:
    from store.db import DatabaseLocked, StorageError

    try:
        return _run(args, cfg)
    except (DatabaseLocked, StorageError):
        raise  # langnghe.cli.main says these in Vietnamese (exit 3, 4)
    except Exception as exc:  # a bug or an unforeseen error, not the file's fault: one line, the traceback under -v
        log.debug("import of %s failed", args.file, exc_info=True)
        return _fail(unexpected_text(exc), 1)  # 2 is the file's fault, 3 and 4 the database's


def unexpected_text(exc: BaseException) -> str:
    """An import stopped by an error that is not the file's known fault (round 25: a Python traceback). Each chunk
    commits with its import_log totals, so what was written before is whole and kept and the chunk in flight is
    rolled back; re-importing adds no duplicate."""
    return (f"lỗi ngoài dự kiến của phần mềm ({type(exc).__name__}), chưa nhập xong. Các khối đã ghi trước lỗi (nếu "
            "có) được giữ nguyên, khối đang ghi dở bị hủy (xem import_log); nhập lại không tạo mục trùng. Nếu vẫn "
            "lỗi, chạy lại với `langnghe -v import …` để xem chi tiết kỹ thuật và gửi cho người quản trị hệ thống.")


def _run(args: argparse.Namespace, cfg: Config) -> int:
    from collectors import imports as imp

    try:
        fh = open_named(args.file)
    except CannotOpen as exc:
        return _fail(exc)
    with fh:
        try:
            mapping = imp.parse_mapping(args.mapping) if args.mapping else None
            if mapping is not None and not args.preview:
                _reading_whole(args.file)
                if not args.undated_now and (n := _undated(args, cfg, fh, mapping)):
                    print(f"langnghe import: {undated_warning(n)} Thêm --undated-now để vẫn nhập; không có gì "
                          "được ghi.", file=sys.stderr)
                    return 2
                return _import(args, cfg, fh, mapping)  # reads, checks and records the run, errors too
            with imp.open_table(args.file, fh, cfg.imports, sheet=args.sheet) as table:
                columns = table.columns
            if mapping is None:
                mapping = imp.guess_mapping(columns)
                if not args.preview:
                    print("langnghe import: chưa có --map (cột cho từng trường). Đề xuất theo tên cột (xem "
                          "trước bằng --preview):\n  --map " + ",".join(f"{k}={v}" for k, v in mapping.items()),
                          file=sys.stderr)
                    return 2
            imp.check_mapping(mapping, columns)
            _check_name(args, cfg)
            _reading_whole(args.file)
            return _preview(args, cfg, fh, mapping)
        except (imp.ImportFormatError, KeyError) as exc:
            return _fail(exc)


def _preview(args: argparse.Namespace, cfg: Config, fh: BinaryIO, mapping: dict[str, str]) -> int:
    from collectors import imports as imp
    from collectors.base import skip_label
    from store.db import utcnow

    with imp.open_table(args.file, fh, cfg.imports, sheet=args.sheet) as table:
        pv = imp.preview(table.rows, table.columns, mapping, _settings(args, cfg), utcnow(),
                         n=cfg.imports.preview_rows, chunk_rows=cfg.imports.chunk_rows, notes=table.notes)
    print(f"Tệp: {args.file} — {number(pv.rows)} dòng; cột: {', '.join(pv.columns)}")
    print("Ánh xạ: " + ", ".join(f"{k}={v}" for k, v in pv.mapping.items()))
    print(f"Sẽ nhập được {number(pv.mappable)} mục; bỏ qua {number(sum(pv.skipped.values()))}.")
    for reason, n in pv.skipped.most_common():
        print(f"  bỏ qua {number(n)}: {skip_label(reason)}")
    if pv.undated:
        print(f"Cảnh báo: {undated_warning(pv.undated)}")
    for note in imp.notes_text(pv.notes):
        print(f"Cảnh báo: {note}")
    offset = timedelta(hours=cfg.imports.utc_offset_hours)
    for it in pv.items:
        when = ("không có ngày (dùng thời điểm nhập)" if "undated" in it.flags
                else f"{it.published_at + offset:%H:%M %d/%m/%Y} giờ VN" + (" (ước tính)" if it.published_estimated else ""))
        print(f"- [{it.source_type}] {when} | {it.outlet} | {it.title[:90]}")
    return 0


BIG_FILE_BYTES = 5_000_000


def _reading_whole(path: str) -> None:
    """A line before a read of the whole file that prints nothing until its end (the undated count before an import,
    a preview): 18 s for a 60.000-row CSV of 9 MB under load, in silence until round 28."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        return
    if size >= BIG_FILE_BYTES:
        print(f"Đang đọc cả tệp ({fmt_num(size / 1_000_000, 1)} MB) để kiểm tra trước khi nhập…", file=sys.stderr,
              flush=True)


def _check_name(args: argparse.Namespace, cfg: Config) -> None:
    """--preview refuses what the import would refuse: the name of a collected source. A preview changes
    nothing: the database is opened read-only (no migration runs, no file is created), and only when it exists,
    is free (a running server holds it) and has this version's schema; otherwise the sources of
    langnghe.toml are checked, and an older schema is said."""
    from orchestration import imports as importer
    from store.db import Database, DatabaseLocked

    name = _settings(args, cfg).source.name
    if Path(cfg.storage.db_path).exists():
        try:
            with Database(cfg.storage.db_path, read_only=True) as db:
                if not db.missing_migrations():
                    return importer.check_source_name(cfg, db, name)
                print(f"Lưu ý: cơ sở dữ liệu {cfg.storage.db_path} có cấu trúc cũ hơn phiên bản này; xem trước "
                      "không nâng cấp nó, nên chỉ đối chiếu tên nguồn với langnghe.toml (không gồm nguồn thêm "
                      "ở trang Nguồn tin). Chạy `langnghe init-db` (hoặc `langnghe serve`) để nâng cấp trước.",
                      file=sys.stderr)
        except DatabaseLocked:
            pass
    importer.check_source_name(cfg, None, name)


def undated_warning(n: int) -> str:
    return (f"{n} dòng không có ngày đăng (hoặc ngày không đọc được) sẽ mang thời điểm nhập làm thời gian "
            "đăng (ghi là ước tính).")


def _undated(args: argparse.Namespace, cfg: Config, fh: BinaryIO, mapping: dict[str, str]) -> int:
    """Rows that would be imported without a date of their own (a read of the whole file, nothing written).
    A file that cannot be read counts 0 here: the import itself then fails and records the attempt."""
    from collectors import imports as imp
    from store.db import utcnow

    try:
        with imp.open_table(args.file, fh, cfg.imports, sheet=args.sheet) as table:
            imp.check_mapping(mapping, table.columns)
            return imp.preview(table.rows, table.columns, mapping, _settings(args, cfg), utcnow(), n=0,
                               chunk_rows=cfg.imports.chunk_rows).undated
    except (imp.ImportFormatError, KeyError):
        return 0


class _StopOnCtrlC:
    """The first Ctrl-C asks the import to stop after the chunk being written; a second one interrupts."""

    def __init__(self) -> None:
        self.asked = False

    def __enter__(self) -> "_StopOnCtrlC":
        self._old = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        signal.signal(signal.SIGINT, self._old)

    def _handle(self, signum: int, frame: object) -> None:
        if self.asked:
            raise KeyboardInterrupt
        self.asked = True
        print("\nĐang dừng sau khối đang ghi… (nhấn Ctrl+C lần nữa để dừng ngay)", file=sys.stderr)


def _progress(rows: int, new: int, share: float | None) -> None:
    pct = f" ({share:.0%})" if share is not None else ""
    print(f"  đã đọc {rows:,} dòng{pct}, {new:,} mục mới".replace(",", "."), file=sys.stderr, flush=True)


def _import(args: argparse.Namespace, cfg: Config, fh: BinaryIO, mapping: dict[str, str]) -> int:
    from collectors import imports as imp
    from collectors.base import skip_label
    from orchestration import imports as importer
    from store.db import utcnow

    db = open_for_writing(cfg, "import", " Hoặc nhập tệp trên trang «Nhập dữ liệu» của bảng điều khiển.")
    if db is None:
        return 3
    with db, _StopOnCtrlC() as stop:
        try:
            res = importer.import_file(db, cfg, args.file, fh, mapping, _settings(args, cfg), utcnow(), sheet=args.sheet,
                                  on_progress=_progress, should_stop=lambda: stop.asked)
            if res.status != "interrupted":
                tag_leftovers(cfg, db)  # none stays untagged: this file's items if their tagging failed, older ones
        except imp.ImportFormatError as exc:
            print(f"langnghe import: {exc}\nKhối nào đã ghi trước lỗi (nếu có) được giữ lại (xem import_log); "
                  "nhập lại sau khi sửa tệp không tạo mục trùng.", file=sys.stderr)
            return 2
    if res.status == "interrupted":
        print(f"Đã dừng theo yêu cầu: đã ghi {number(res.items_new)} mục mới từ {number(res.rows)} dòng đầu. Nhập lại cùng tệp "
              "để tiếp tục; các dòng đã có không bị nhập trùng.", file=sys.stderr)
        return 130
    print(f"Đã nhập {number(res.items_new)} mục mới từ {number(res.rows)} dòng ({number(res.items - res.items_new)} đã "
          f"có; bỏ qua {number(sum(res.skipped.values()))}).", file=sys.stderr)
    for reason, n in res.skipped.most_common():
        print(f"  bỏ qua {number(n)}: {skip_label(reason)}", file=sys.stderr)
    if res.repaired:  # a fixed copy of a file an earlier import read with lost bytes
        print(f"Đã sửa {res.repaired} mục nhập trước đó bị lỗi bảng mã (ký tự �) theo nội dung của tệp này.",
              file=sys.stderr)
    for note in imp.notes_text(res.notes):
        print(f"Cảnh báo: {note}", file=sys.stderr)
    return 0
