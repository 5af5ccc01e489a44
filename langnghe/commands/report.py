"""`langnghe report`: the weekly summary and rapid reports as files (DOCX, XLSX, PDF).

    langnghe report weekly --week 2026-W47 [--area "Uông Bí"] [--db PATH] --out DIR
    langnghe report rapid  --alert A000012 | --story ID   [--db PATH] --out DIR

The database is opened read-only: the configured file, or (when `langnghe serve` holds it) the snapshot
it publishes; `--db` names another file, e.g. one `langnghe replay` filled. Exit status 0 when every
file was written, 1 when one could not be (the others are still written), 2 for a bad request, 3 while serve holds
the database and has published no snapshot yet (as every command held by serve; it was 2 until round 28).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from langnghe.commands._files import open_error, out_dir_error
from reports.steps import step_words
from vocab.config import Config
from vocab.numbers import fmt_num, number


def phases_text(timings: dict[str, float]) -> str:
    """'mất 7,3 giây (đọc dữ liệu 1,5; vẽ biểu đồ 5,4; …)': the console said «query_build 1.53s, charts 5.35s, …,
    total 7.31s», English words and decimal points, until round 21."""
    parts = [f"{step_words(k)} {fmt_num(v, 1) if v >= 0.05 else 'dưới 0,1'}" for k, v in timings.items()
             if k != "total"]
    total = timings.get("total", sum(timings.values()))
    return f"mất {fmt_num(total, 1)} giây" + (f" ({'; '.join(parts)})" if parts else "")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="lập báo cáo tuần / báo cáo nhanh dạng DOCX, XLSX, PDF", description=(
        "Lập báo cáo tuần (weekly) hoặc báo cáo nhanh (rapid) dạng DOCX, XLSX, PDF. Chỉ đọc cơ sở dữ liệu; khi serve "
        "đang chạy thì đọc bản chụp của serve. Ví dụ: langnghe report weekly --out var/reports. Mã thoát: 0 xong; "
        "1 một định dạng không ghi được (các định dạng khác vẫn ghi); 2 yêu cầu sai, không có cơ sở dữ liệu, cảnh báo "
        "hay vụ việc; 3 serve đang giữ cơ sở dữ liệu mà chưa có bản chụp; 4 cơ sở dữ liệu hỏng."))
    rs = p.add_subparsers(dest="report_kind", metavar="LOẠI")
    w = rs.add_parser("weekly", help="báo cáo tổng hợp tuần về báo chí và dư luận xã hội (DOCX, XLSX, PDF)")
    w.add_argument("--week", metavar="TUẦN", help="tuần ISO, ví dụ 2026-W47 (mặc định: tuần đang diễn ra nếu đã đến giờ lập báo cáo "
                                   "tuần — [reports] schedule_weekday/schedule_time, mặc định 16:00 thứ Sáu — nếu "
                                   "chưa thì tuần đã kết thúc gần nhất, thứ Hai–Chủ nhật giờ Việt Nam)")
    w.add_argument("--area", metavar="ĐỊA_BÀN", help='một địa bàn, ví dụ "Uông Bí", hoặc "toàn tỉnh" (mặc định: địa bàn của '
                   'cơ quan, như trang Báo cáo: toàn tỉnh, hoặc [area] focus khi [area] name là tên của nó)')
    w.add_argument("--proposals-file", metavar="TỆP", help="tệp văn bản cho mục VI (mặc định: nội dung đã lưu trên bảng điều khiển)")
    _common(w, "docx,xlsx,pdf")
    r = rs.add_parser("rapid", help="báo cáo nhanh về một cảnh báo hoặc vụ việc (DOCX, PDF)")
    g = r.add_mutually_exclusive_group(required=True)
    g.add_argument("--alert", metavar="MÃ", help="mã cảnh báo, ví dụ A000012")
    g.add_argument("--story", metavar="MÃ", help="mã vụ việc (vụ việc chưa có cảnh báo)")
    r.add_argument("--proposals-file", metavar="TỆP", help="tệp văn bản cho mục VI (mặc định: nội dung đã lưu trên bảng điều khiển)")
    _common(r, "docx,pdf")
    p.set_defaults(func=run)


def _common(p: argparse.ArgumentParser, formats: str) -> None:
    p.add_argument("--db", metavar="TỆP", help="tệp cơ sở dữ liệu (mặc định: storage.db_path, hoặc bản chụp khi serve đang chạy)")
    p.add_argument("--out", metavar="THƯ_MỤC", required=True, help="thư mục ghi tệp báo cáo (tự tạo nếu chưa có)")
    p.add_argument("--format", metavar="ĐỊNH_DẠNG", default=formats, help=f"các định dạng, cách nhau bởi dấu phẩy (mặc định {formats})")
    p.add_argument("--no-charts", action="store_true", help="bỏ biểu đồ (DOCX/XLSX khi đó không cần trình duyệt)")


def _open(cfg: Config, path: str | None):  # type: ignore[no-untyped-def]
    from store.db import Database, DatabaseLocked

    target = path or cfg.storage.db_path
    if not os.path.exists(target):
        raise FileNotFoundError(target)
    try:
        return Database(target, read_only=True)
    except DatabaseLocked:
        if path is None and os.path.exists(cfg.storage.snapshot_path):
            print(f"langnghe: {target} đang được `langnghe serve` sử dụng; đọc bản sao {cfg.storage.snapshot_path}",
                  file=sys.stderr)
            return Database(cfg.storage.snapshot_path, read_only=True)
        raise


def run(args: argparse.Namespace, cfg: Config) -> int:
    from collectors.encoding import decode
    from reports import rapid_report, weekly_report
    from reports.settings import ReportSettings, dmy, report_week, to_local, week_period
    from store.db import DatabaseLocked, utcnow

    if not getattr(args, "report_kind", None):
        print("langnghe report: chọn weekly hoặc rapid (langnghe report --help)", file=sys.stderr)
        return 2
    formats = [x.strip() for x in args.format.split(",") if x.strip()]
    allowed = ("docx", "xlsx", "pdf") if args.report_kind == "weekly" else ("docx", "pdf")
    bad = [x for x in formats if x not in allowed]
    if bad or not formats:
        print(f"langnghe report: định dạng không hợp lệ: {','.join(bad) or '(trống)'} (chọn trong {','.join(allowed)})",
              file=sys.stderr)
        return 2
    if (why := out_dir_error(args.out)):
        print(f"langnghe report: {why}", file=sys.stderr)
        return 2
    s = ReportSettings.from_config(cfg, **({"charts": False} if args.no_charts else {}))
    proposals = None
    if args.proposals_file:
        try:  # any encoding staff save text in (UTF-8, UTF-16, Windows-1258…), as for imported files
            proposals = decode(Path(args.proposals_file).read_bytes())[0]
        except OSError as exc:  # was a Python traceback
            print(f"langnghe report: --proposals-file: {open_error(args.proposals_file, exc)}", file=sys.stderr)
            return 2
    try:
        db = _open(cfg, args.db)
    except FileNotFoundError as exc:
        print(f"langnghe report: không tìm thấy cơ sở dữ liệu {exc}", file=sys.stderr)
        return 2
    except DatabaseLocked as exc:  # 3, as every command held by serve (it was 2, a bad request's code, until round 28)
        print(f"langnghe report: {exc}" + ("" if args.db else f" Chưa có bản chụp {cfg.storage.snapshot_path}: serve "
              "ghi bản đầu tiên sau lượt thu thập đầu; lập báo cáo trên trang Báo cáo của bảng điều khiển, hoặc chạy "
              "lại sau."), file=sys.stderr)
        return 3
    try:
        if args.report_kind == "weekly":
            today = to_local(utcnow()).date()
            # the week the office files now, as the Báo cáo page and the schedule: reports.settings.report_week
            week = args.week or report_week(utcnow(), s.schedule_weekday, s.schedule_time)
            try:
                first = week_period(week).first_day
            except ValueError as exc:
                print(f"langnghe report: {exc}", file=sys.stderr)
                return 2
            if first > today:  # a report of zeros dated before its week
                print(f"langnghe report: tuần {week} chưa bắt đầu (từ ngày {dmy(first)}); hôm nay là "
                      f"{dmy(today)}, chọn tuần hiện tại hoặc một tuần đã qua", file=sys.stderr)
                return 2
            # the area as the Báo cáo page and the schedule take it: reports.settings.ReportSettings.report_area
            res = weekly_report(db, s, week, args.out, area=s.report_area(args.area), proposals=proposals,
                                formats=formats)
        else:
            try:
                res = rapid_report(db, s, args.out, alert_id=args.alert, story_id=args.story, proposals=proposals,
                                   formats=formats)
            except KeyError:
                print(f"langnghe report: không có cảnh báo {args.alert}; mã cảnh báo có dạng A000012, xem ở trang Cảnh "
                      "báo của bảng điều khiển (hoặc cột «Mã» của Bảng 8 trong báo cáo tuần)" if args.alert else
                      f"langnghe report: không có vụ việc {args.story}", file=sys.stderr)  # it said «vấn đề», and
                # gave a story the form of an alert's code (round 28)
                return 2
    finally:
        db.close()
    for fmt, path in res.files.items():
        print(f"{fmt}\t{path}")
    for err in res.errors:
        print(f"langnghe report: {err}", file=sys.stderr)
    where = "trong phụ lục" if args.report_kind == "weekly" else "trong báo cáo"  # a rapid report has no appendix
    print(f"{number(res.n_items)} tin, bài {where}; {phases_text(res.timings)}", file=sys.stderr)
    missing = [f for f in formats if f not in res.files]
    return 1 if missing else 0
