"""`langnghe steps [--retry]`: the after-tagging steps queue (complaint cases, watchlist matching) for maintainers.

    item_steps_pending (an item's first tags mark it; the mark goes once both steps ran)
        │ langnghe steps          what is owed and what was given up after store.tags.STEP_ATTEMPTS failed runs,
        │                         counted by the step that failed last, with its newest error in words
        ▼ langnghe steps --retry  the given-up items back in the queue, attempts at 0 (store.tags.retry_steps_failed):
                                  serve runs them at its next start and in each tick's tag job

Why: until round 20 an item given up was counted by `langnghe status`, its cause only in the serve log, and put back
only by hand-written SQL. The listing reads like `status` (read-only; serve's snapshot while serve holds the file);
`--retry` writes, so it needs serve stopped, as every command that writes; admins do the same on Nguồn tin while
serve runs (dashboard.actions.retry_given_up_steps, round 20).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from vocab.config import Config
from vocab.labels import STEP_ATTEMPTS, STEP_LABELS
from vocab.numbers import number
from vocab.timefmt import fmt_local

if TYPE_CHECKING:
    from store.tags import StepsGroup

WHAT = "đối chiếu hồ sơ phản ánh và danh sách theo dõi"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "steps", help=f"hàng chờ {WHAT} của tin đã gán nhãn: tin còn chờ, tin đã dừng thử và lỗi gần nhất",
        description=f"Liệt kê tin đã gán nhãn còn chờ {WHAT}, và tin đã dừng thử sau {STEP_ATTEMPTS} lần "
                    "lỗi, theo bước bị lỗi, kèm lỗi gần nhất. Chỉ đọc (khi serve đang chạy thì đọc bản chụp của "
                    "serve); với --retry thì đưa các tin đã dừng thử vào lại hàng chờ (cần dừng serve trước). "
                    "Mã thoát: 0 xong; 2 lỗi cấu hình; 3 serve đang giữ cơ sở dữ liệu; 4 không đọc được cơ sở dữ liệu.")
    p.add_argument("--retry", action="store_true",
                   help="đưa các tin đã dừng thử vào lại hàng chờ (sau khi đã sửa nguyên nhân lỗi)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, cfg: Config) -> int:
    from store.db import DatabaseLocked, StorageError

    try:
        return _retry(cfg) if args.retry else _list(cfg)
    except DatabaseLocked as exc:
        print(f"langnghe steps: {exc}", file=sys.stderr)
        return 3
    except StorageError as exc:
        print(f"langnghe steps: {exc}", file=sys.stderr)
        return 4


def _retry(cfg: Config) -> int:
    from langnghe.commands._storing import open_for_writing
    from store import tags as tag_store

    db = open_for_writing(cfg, "steps", create=False)  # the one way every writer opens it (said as `run` said it, exit 3)
    if db is None:
        return 3
    with db:
        with db.write() as cur:
            n = tag_store.retry_steps_failed(cur)
    if n:
        print(f"Đã đưa {number(n)} tin vào lại hàng chờ {WHAT}; serve xử lý khi khởi động và ở mỗi lượt gán nhãn "
              f"(lỗi lại {STEP_ATTEMPTS} lần thì dừng thử như trước).")
    else:
        print("Không có tin nào đã dừng thử: không có gì để đưa lại hàng chờ.")
    return 0


def _list(cfg: Config) -> int:
    from orchestration.status import old_schema_note
    from store import tags as tag_store
    from store.db import open_read_only

    db, from_snapshot = open_read_only(cfg.storage)
    with db:
        if from_snapshot:
            print(f"Đọc từ bản chụp {cfg.storage.snapshot_path} (serve đang giữ cơ sở dữ liệu).")
        if missing := db.missing_migrations():
            print(old_schema_note(db.path, missing, "`langnghe steps` chỉ đọc, không nâng cấp, nên không liệt kê được."))
            return 0
        with db.read() as cur:
            groups = tag_store.steps_summary(cur)
    for line in summary_lines(groups):
        print(line)
    return 0


def summary_lines(groups: list[StepsGroup]) -> list[str]:
    """The listing, in Vietnamese: owed, then given up, each with its groups by failed step."""
    if not groups:
        return [f"Không có tin nào còn chờ {WHAT}."]
    out: list[str] = []
    for given_up, title in ((False, f"Tin còn chờ {WHAT}"),
                            (True, f"Tin đã dừng thử sau {STEP_ATTEMPTS} lần lỗi")):
        part = [g for g in groups if g.given_up == given_up]
        if part:
            out.append(f"{title}: {sum(g.items for g in part)}")
            out += [f"  {_group_line(g)}" for g in part]
    if any(g.given_up for g in groups):
        out.append("Sửa nguyên nhân lỗi rồi đưa các tin đã dừng thử vào lại hàng chờ: quản trị viên bấm «Thử lại các "
                   "tin đã dừng» ở trang Nguồn tin (serve vẫn chạy), hoặc dừng serve và chạy `langnghe steps --retry`.")
    return out


def _group_line(g: StepsGroup) -> str:
    if not g.step and g.given_up:  # given up before round 20 kept the step and the error (migration 178)
        return f"không rõ bước lỗi (dừng thử trước khi có ghi lại; xem nhật ký của serve): {g.items}"
    if g.step == "":  # failed before migration 178, not given up yet
        return f"không rõ bước lỗi (lỗi trước khi có ghi lại; serve thử lại ở lượt gán nhãn kế tiếp): {g.items}"
    if g.step is None:
        return f"chưa lỗi lần nào (serve xử lý ở lượt gán nhãn kế tiếp): {g.items}"
    line = f"lỗi ở bước {STEP_LABELS.get(g.step, g.step)}: {g.items}"
    if g.last_failed_at is not None:
        line += f" — lỗi gần nhất lúc {fmt_local(g.last_failed_at)}"
    return line + (f": {g.last_error}" if g.last_error else "")
