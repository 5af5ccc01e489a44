"""`langnghe search TỪ_KHÓA [--json] [--limit SỐ] [--since NGÀY] [--until NGÀY] [--in-area] [--newest]`.

The same search as the Tin bài page, from the command line: store.search.search_rows, its typed rows (the page
reads the same rows as a DataFrame; this command loads no pandas). Reads the database read-only
(never upgrades it: an older file gets `langnghe status`'s words), or the snapshot while `serve` holds it, opened
as `langnghe status` opens it (store.db.open_read_only). --json prints one JSON object a line.
The periodic job that keeps the search index sorted is `search_upkeep` in orchestration/jobs.py.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from vocab.config import Config
from vocab.numbers import fmt_num, number
from vocab.privacy import mask_mentions_in, mentions_masked_by

if TYPE_CHECKING:
    from store.db import Database

log = logging.getLogger(__name__)
TZ_OFFSET = timedelta(hours=7)  # dates on the command line are Vietnam dates

SYNTAX_HELP = """cú pháp:
  lũ lụt                  có cả hai từ (tin có "lũ lụt" liền nhau xếp trước)
  "bụi than"              đúng cụm từ, các từ liền nhau
  than AND bụi            AND có thể bỏ: mọi từ đều phải có
  lũ OR "sạt lở"          một trong hai nhóm
  ô nhiễm -"bổ nhiệm"     dấu trừ: loại tin có từ hoặc cụm từ đó
  ""                      không có từ khóa: các tin mới nhất, như trang Tin bài khi ô tìm để trống
Gõ có dấu thì khớp đúng từ có dấu đó; gõ không dấu thì khớp mọi cách bỏ dấu ("o nhiem" tìm ra "ô nhiễm").
Địa danh gõ có dấu ("Vàng Danh") cũng ra tin có dấu viết địa danh đó không dấu ("ở Vang Danh", "ở vang danh")
khi hệ thống đã nhận ra địa danh ở đó ("vang danh" nghĩa là nổi tiếng thì không). Muốn không sót cách viết nào, gõ
không dấu ("vang danh"): ra mọi tin có hai tiếng đó, kể cả nghĩa khác.
Tìm trong tiêu đề, tóm tắt và toàn văn bài báo đã lưu."""


# The most items one search lists: they are held together before the first line is printed (20,000 listed: 168 MB peak
# against 88 MB for 50). Past 2⁶³ it was DuckDB's ConversionException traceback out of LIMIT (round 29, `hostile32`).
MAX_LIMIT = 100_000
# the days whose Vietnam-time bounds are datetimes (round 29: `--since 0001-01-01` / `--until 9999-12-31` tracebacks)
FIRST_DAY, LAST_DAY = date.min + timedelta(days=1), date.max - timedelta(days=1)


def _date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not FIRST_DAY <= day <= LAST_DAY:  # 0001-01-01 and 9999-12-31: their UTC bounds were an OverflowError
            raise argparse.ArgumentTypeError(f"ngày ngoài khoảng tìm được: {text!r} (từ 02/01/0001 đến 30/12/9999)")
        return day
    raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {text!r} (dùng YYYY-MM-DD hoặc DD/MM/YYYY)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="tìm tin bài (như trang Tin bài)", description="Tìm tin bài theo từ khóa.",
                       epilog=SYNTAX_HELP, formatter_class=argparse.RawDescriptionHelpFormatter, add_help=False)
    p._positionals.title, p._optionals.title = "tham số", "tùy chọn"
    p.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")
    p.add_argument("query", metavar="TỪ_KHÓA", help="từ khóa (xem cú pháp bên dưới); \"\" (để trống): liệt kê các tin mới nhất")
    p.add_argument("--json", action="store_true", help="in mỗi tin một dòng JSON (cho chương trình khác đọc)")
    p.add_argument("--limit", metavar="SỐ", type=int, default=50, help="số tin tối đa (mặc định 50, nhiều nhất 100.000)")
    p.add_argument("--since", metavar="NGÀY", type=_date, help="từ ngày này (giờ Việt Nam), ví dụ 2026-11-20 hoặc 20/11/2026")
    p.add_argument("--until", metavar="NGÀY", type=_date, help="đến hết ngày này (giờ Việt Nam)")
    p.add_argument("--in-area", action="store_true", help="chỉ tin về địa bàn theo dõi")
    p.add_argument("--newest", action="store_true", help="xếp mới nhất trước (mặc định: phù hợp nhất trước)")
    p.set_defaults(func=run)


def _open(cfg: Config) -> tuple[Database | None, str | None]:
    """The database read-only, or the snapshot while `serve` holds it (store.db.open_read_only, as `langnghe
    status`); (None, why) when neither can be read or the file is older than this release."""
    from orchestration.status import old_schema_note
    from store.db import DatabaseLocked, NoDatabase, open_read_only

    try:
        db, from_snapshot = open_read_only(cfg.storage)
    except (NoDatabase, DatabaseLocked) as exc:
        return None, str(exc)
    if from_snapshot:
        print(f"(đọc bản chụp {cfg.storage.snapshot_path} vì serve đang giữ cơ sở dữ liệu)", file=sys.stderr)
    if missing := db.missing_migrations():  # its tables may lack what the search reads
        db.close()
        return None, old_schema_note(db.path, missing, "`langnghe search` chỉ đọc, không nâng cấp, nên chưa tìm được.")
    return db, None


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat(timespec="seconds") + "Z" if dt is not None else None


def run(args: argparse.Namespace, cfg: Config) -> int:
    import duckdb

    from store import search as store_search
    from store import users as store_users

    if not 1 <= args.limit <= MAX_LIMIT:
        print(f"langnghe search: --limit phải lớn hơn 0 và tối đa {number(MAX_LIMIT)}", file=sys.stderr)
        return 2
    since = datetime.combine(args.since, datetime.min.time()) - TZ_OFFSET if args.since else None
    until = datetime.combine(args.until, datetime.min.time()) + timedelta(days=1) - TZ_OFFSET if args.until else None
    # no words: the newest items, as Tin bài lists them with an empty box (round 28, cli34: «0 điểm» rows in relevance
    # order, under «N tin khớp» counting only the last 30 days, read as a search that matched everything)
    empty = _no_words(args.query)
    db, why = _open(cfg)
    if db is None:
        print(f"langnghe search: {why}", file=sys.stderr)
        return 3
    with db:
        with db.read() as cur:
            try:
                res = store_search.search_rows(cur, args.query, since=since, until=until, in_area_only=args.in_area,
                                               order="newest" if args.newest or empty else "relevance", limit=args.limit)
            except duckdb.CatalogException:  # a snapshot written before the search tables existed
                print("langnghe search: bản chụp chưa có chỉ mục tìm kiếm; chờ serve chụp bản mới", file=sys.stderr)
                return 3
            except store_search.QueryError as exc:
                print(f"langnghe search: không đọc được truy vấn: {exc}", file=sys.stderr)
                return 2
            saved = store_users.get_settings(cur)
    found = res.items
    if mentions_masked_by(cfg, saved):
        found = mask_mentions_in(found)  # as the Tin bài page lists them: a private handle is "@n***4" here too
    if empty:  # said on stderr with --json, so that a script reading stdout reads only the items
        print(f"Không có từ khóa: liệt kê {number(len(found))} tin mới nhất (như trang Tin bài khi ô tìm để trống).",
              file=sys.stderr if args.json else sys.stdout)
    if args.json:
        for r in found:
            print(json.dumps({
                "id": r.id, "url": r.url, "title": r.title, "published_at": _iso(r.published_at),
                "outlet": r.outlet, "source_type": r.source_type, "topics": list(r.topics or []),
                "sentiment": r.sentiment, "in_area": r.in_area, "score": round(r.score, 4),
            }, ensure_ascii=False, default=str))
        return 0
    print(f"{number(res.total)}{'' if res.total_exact else '+'} tin" + ("" if empty else " khớp")
          + (f", hiện {number(len(found))} tin" if res.total > len(found) else "") + ".")
    if not found:
        return 0
    print(f"{'Thời gian':16}  {'Điểm':>5}  {'Cơ quan, kênh':22}  Tiêu đề")
    for r in found:
        when = (r.published_at + TZ_OFFSET).strftime("%H:%M %d/%m/%Y")
        title = " ".join(str(r.title).split())
        print(f"{when:16}  {fmt_num(r.score, 1):>5}  {str(r.outlet)[:22]:22}  {title[:100]}")
        print(f"{'':16}  {'':5}  {'':22}  {r.url}")
    return 0


# --- periodic job: keep the index sorted ------------------------------------------------------


def _no_words(query: str) -> bool:
    """A query with nothing to search for: blank, or only signs and operators («...», «AND», «?!»), which the
    parser reads as none and which listed rows of score 0 in relevance order (the third review, round 28). A query
    that cannot be read is not "none": its error is said by the search."""
    from store.search_query import QueryError, parse

    try:
        return parse(query) is None
    except QueryError:
        return False
