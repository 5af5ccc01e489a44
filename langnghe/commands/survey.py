"""`langnghe survey import|list|delete|report`: public-opinion survey forms (phiếu điều tra dư luận xã hội).

    langnghe survey import FILE [--title T] [--like ID] [--keep-pii COT] [--preview]
    langnghe survey list
    langnghe survey delete ID
    langnghe survey report ID [--format docx,xlsx] [--compare ID|--no-compare] [--out DIR]

`import` proposes the questionnaire from the file (question kinds, answer order, personal-data columns
dropped) and prints it; --preview stops there. --like ID reuses the questionnaire saved with survey ID,
so a second wave imports in one step and is numbered as the next wave of that survey. The import is one
transaction: an error or Ctrl-C leaves nothing behind.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from langnghe.commands._files import CannotOpen, open_named, out_dir_error
from langnghe.commands._storing import open_for_writing
from langnghe.commands.import_ import _StopOnCtrlC
from surveys.model import KIND_LABELS, ROLE_LABELS, Questionnaire, SurveyError
from vocab.config import Config
from vocab.numbers import number

if TYPE_CHECKING:
    from store.db import Database


def _parser(sub: argparse._SubParsersAction, name: str, help_: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_, description=help_, add_help=False)
    p._positionals.title, p._optionals.title = "tham số", "tùy chọn"
    p.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")
    return p


def register(sub: argparse._SubParsersAction) -> None:
    p = _parser(sub, "survey", "phiếu khảo sát dư luận xã hội: nhập, liệt kê, xóa, lập báo cáo")
    ss = p.add_subparsers(dest="survey_cmd", metavar="VIỆC", required=True)
    i = _parser(ss, "import", "nhập một đợt khảo sát từ CSV/XLSX (Google Forms, Microsoft Forms, KoboToolbox, bảng gõ tay)")
    i.add_argument("file", metavar="TỆP", help="tệp xuất từ công cụ khảo sát (.csv, .xlsx)")
    i.add_argument("--title", metavar="TÊN", help="tên khảo sát (mặc định: tên tệp, hoặc tên của khảo sát --like)")
    i.add_argument("--like", metavar="SỐ", type=int, help="dùng mô tả phiếu đã lưu của khảo sát SỐ (đợt sau)")
    i.add_argument("--keep-pii", metavar="CỘT", action="append", default=[],
                   help="giữ cột dữ liệu cá nhân này (có ghi nhật ký; mặc định bỏ)")
    i.add_argument("--preview", action="store_true", help="chỉ in mô tả phiếu đề xuất, không ghi gì")
    i.add_argument("--sheet", metavar="TRANG", help="tên trang tính XLSX (mặc định: trang đầu)")
    i.set_defaults(func=run_import)
    li = _parser(ss, "list", "liệt kê các khảo sát đã nhập")
    li.set_defaults(func=run_list)
    d = _parser(ss, "delete", "xóa một khảo sát đã nhập (nhập nhầm, hoặc để nhập lại tệp đầy đủ hơn); có ghi nhật ký")
    d.add_argument("id", metavar="SỐ", type=int, help="số khảo sát (xem `langnghe survey list`)")
    d.set_defaults(func=run_delete)
    r = _parser(ss, "report", "lập báo cáo kết quả khảo sát (DOCX, XLSX) với các phụ lục")
    r.add_argument("id", metavar="SỐ", type=int, help="số khảo sát (xem `langnghe survey list`)")
    r.add_argument("--format", metavar="ĐỊNH_DẠNG", default="docx,xlsx", help="docx, xlsx, pdf (một hoặc nhiều, cách nhau dấu phẩy; mặc định docx,xlsx)")
    r.add_argument("--compare", metavar="SỐ", type=int, help="so sánh với đợt này (mặc định: đợt trước của cùng khảo sát)")
    r.add_argument("--no-compare", action="store_true", help="không so sánh với đợt trước")
    r.add_argument("--out", metavar="THƯ_MỤC", default="var/reports/survey", help="thư mục ghi tệp (mặc định var/reports/survey)")
    r.set_defaults(func=run_report)

_HELD_HINT = " Hoặc nhập tệp trên trang «Khảo sát» của bảng điều khiển."  # serve holds the database


def _fail(exc: BaseException | str, code: int = 2) -> int:
    print(f"langnghe survey: {exc}", file=sys.stderr)
    return code


def _print_questionnaire(q: Questionnaire) -> None:
    for x in q.questions:
        kind = KIND_LABELS[x.kind] + (f" ({ROLE_LABELS.get(x.role, x.role)})" if x.role else "")
        extra = f" · tách bằng «{x.separator}»" if x.separator else ""
        opts = f" · {' | '.join(x.options[:8])}{' …' if len(x.options) > 8 else ''}" if x.options else ""
        print(f"  {x.code or '—':>4}  {kind}: {x.column}{extra}{opts}")


def run_import(args: argparse.Namespace, cfg: Config) -> int:
    from collectors.imports import ImportFormatError
    from orchestration import surveys as importer
    from store import surveys as store_surveys
    from store.db import utcnow

    try:
        fh = open_named(args.file)
    except CannotOpen as exc:
        return _fail(exc)
    with fh:
        try:
            pv = importer.preview(args.file, fh, cfg.imports, sheet=args.sheet)
        except (SurveyError, ImportFormatError) as exc:
            return _fail(exc)
        if args.preview:
            print(f"Tệp: {args.file} — mô tả phiếu đề xuất:")
            _print_questionnaire(pv.questionnaire)
            return 0
        db = open_for_writing(cfg, "survey", _HELD_HINT)
        if db is None:
            return 3
        with db, _StopOnCtrlC() as stop:
            q, title, series = pv.questionnaire, args.title or importer.title_from_file(args.file), None
            if args.like is not None:
                with db.read() as cur:
                    base = store_surveys.get_survey(cur, args.like)
                if base is None:
                    return _fail(f"không có khảo sát số {args.like}.")
                q, title, series = Questionnaire.from_json(base.questionnaire), args.title or base.title, base.series
            for x in q.questions:
                if x.kind == "pii" and x.column in args.keep_pii:
                    x.keep = True
            try:
                res = importer.import_survey(db, cfg, args.file, fh, q, title=title, series=series,
                                             username="cli", now=utcnow(), sheet=args.sheet,
                                             on_progress=_progress, should_stop=lambda: stop.asked)
            except importer.SurveyInterrupted:
                return _fail("đã dừng theo yêu cầu; không có gì được ghi.", 130)
            except (SurveyError, ImportFormatError) as exc:
                return _fail(f"{exc} Không có gì được ghi.")
    print(f"Đã nhập khảo sát số {res.survey_id} «{res.title}», đợt {res.wave}: {number(res.respondents)} phiếu, "
          f"{res.text_answers} ý kiến tự do.")
    if res.dropped_pii:
        print("Đã bỏ các cột dữ liệu cá nhân: " + ", ".join(f"«{c}»" for c in res.dropped_pii))
    if res.unknown_columns:
        print("Các cột của tệp không có trong mô tả phiếu đã lưu, không được nhập: "
              + ", ".join(f"«{c}»" for c in res.unknown_columns)
              + ". Muốn có các câu mới này, nhập tệp như khảo sát mới với cùng tên (--title), không dùng --like.")
    if res.empty_rows:
        print(f"Bỏ qua {number(res.empty_rows)} dòng không có câu trả lời nào hoặc là dòng tổng cộng.")
    _print_questionnaire(q)
    return 0


def run_delete(args: argparse.Namespace, cfg: Config) -> int:
    """A wrong import could not be undone: delete the survey (answers, tags) in one transaction, audited."""
    from orchestration import surveys as importer
    from store.db import utcnow

    db = open_for_writing(cfg, "survey", _HELD_HINT, create=False)
    if db is None:
        return 3
    with db:
        try:
            s = importer.delete_survey(db, args.id, username="cli", now=utcnow())
        except SurveyError as exc:
            return _fail(exc)
    print(f"Đã xóa khảo sát số {s.id} «{s.title}», đợt {s.wave} ({number(s.respondents)} phiếu, tệp «{s.file_name}»).")
    return 0


def _progress(n: int, share: float | None) -> None:
    pct = f" ({share:.0%})" if share is not None else ""
    print(f"  đã đọc {n:,} phiếu{pct}".replace(",", "."), file=sys.stderr, flush=True)


def _read_db(cfg: Config) -> Database | None:
    """The database read-only, or serve's snapshot while serve holds it (said on stderr), as `status` opens it: no file
    raises NoDatabase (exit 2), serve holding it without a snapshot DatabaseLocked with when one comes (exit 3). Until
    round 28 both were «chưa có cơ sở dữ liệu (hoặc đang bị `serve` giữ …)», exit 2."""
    from store.db import open_read_only

    db, from_snapshot = open_read_only(cfg.storage)
    if from_snapshot:
        print(f"(đọc bản chụp {cfg.storage.snapshot_path} vì serve đang giữ cơ sở dữ liệu)", file=sys.stderr)
    return db


def run_list(args: argparse.Namespace, cfg: Config) -> int:
    from store import surveys as store_surveys

    db = _read_db(cfg)
    if db is None:
        return 2
    with db, db.read() as cur:
        rows = store_surveys.list_surveys(cur)
    if not rows:
        print("Chưa có khảo sát nào. Nhập bằng: langnghe survey import TỆP")
    for s in rows:
        print(f"{s.id:>4}  {s.title} — đợt {s.wave}, {number(s.respondents)} phiếu, tệp {s.file_name}")
    return 0


def run_report(args: argparse.Namespace, cfg: Config) -> int:
    from reports.pdf_out import PdfError
    from reports.survey import previous_wave, write_survey_report
    from store import surveys as store_surveys
    from store.db import utcnow

    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    bad = set(formats) - {"docx", "xlsx", "pdf"}
    if bad or not formats:
        return _fail(f"định dạng không hỗ trợ: {', '.join(sorted(bad)) or '(trống)'} (dùng docx, xlsx, pdf).")
    db = _read_db(cfg)
    if db is None:
        return 2
    with db:
        with db.read() as cur:
            if store_surveys.get_survey(cur, args.id) is None:
                return _fail(f"không có khảo sát số {args.id}.")
            compare = None if args.no_compare else (args.compare or previous_wave(cur, args.id))
        if (why := out_dir_error(args.out)):
            return _fail(why)
        try:
            files = write_survey_report(cfg, db, args.id, args.out, formats, compare_to=compare, now=utcnow())
        except (ValueError, PdfError) as exc:
            return _fail(exc)
    for kind, path in files.items():
        print(f"{kind}: {path}")
    return 0
