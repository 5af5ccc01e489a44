"""`langnghe status [--json]`: item counts, per-source health, last collection time and whether the server has
stopped collecting by its own schedule (the dashboard's rule, orchestration.status.collection_late). Read-only: the database is
opened with DuckDB's `read_only=True` (never migrated), or serve's snapshot while serve holds it
(orchestration/status.py)."""

from __future__ import annotations

import argparse
import json
import os
from datetime import datetime

from vocab.config import Config
from vocab.numbers import number
from vocab.timefmt import to_local


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "status", help="số tin, tình trạng nguồn tin và lần thu thập gần nhất (chỉ đọc)",
        description="Số tin, tình trạng nguồn tin và lần thu thập gần nhất. Chỉ đọc: không ghi, không nâng cấp cơ sở "
                    "dữ liệu; khi serve đang giữ nó thì đọc bản chụp của serve (storage.snapshot_path) và nói vậy. Mã "
                    "thoát: 0 xong (cả khi máy chủ đã ngừng thu thập, quá lịch của chính nó: một dòng «CHÚ Ý» nói vậy); 2 lỗi "
                    "cấu hình, hoặc chưa có cơ sở dữ liệu ở đường dẫn đã cấu hình (vẫn in tình trạng, cả với --json); 3 serve "
                    "đang giữ cơ sở dữ liệu mà chưa có bản chụp; 4 cơ sở dữ liệu hỏng và không có bản chụp.")
    p.add_argument("--json", action="store_true", help="in JSON (cho kịch bản và công cụ kiểm tra đọc; "
                   "collection_late: true khi máy chủ đã ngừng thu thập, quá lịch của chính nó)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, cfg: Config) -> int:
    from orchestration.status import (ORIGIN_LABELS, collect_status, stale_snapshots_text, steps_failed_text,
                                      steps_pending_text)

    st = collect_status(cfg)
    # no database at the configured path: exit 2, as every command that finds none (README *Commands*). It was 0, so
    # a script or a monitor that checks the code read a mistyped LANGNGHE_DB, or a serve never started, as a healthy
    # empty server (round 29, ux35); the report is still printed, JSON included, for what reads it
    missing = 2 if st["origin"] == "none" else 0
    if args.json:
        print(json.dumps(st, ensure_ascii=False, indent=2, default=str))
        return missing
    if missing:  # read «(đọc từ chưa có cơ sở dữ liệu)», then zero items of «0 / 0» sources (round 26)
        print(f"Cơ sở dữ liệu: {st['db_path']} (chưa có)\n{no_database_text(st['db_path'])}")
        return missing
    print(f"Cơ sở dữ liệu: {st['db_path']} (đọc từ {ORIGIN_LABELS.get(st['origin'], st['origin'])})")
    print(f"Tin bài: {number(st['items'])} (24 giờ qua: {number(st.get('items_last_24h', 0))})")
    if st.get("items_to_tag"):
        print(f"Tin chờ gán nhãn (chưa có nhãn, hoặc nhãn của mô hình/phiên bản cũ): {st['items_to_tag']} "
              "— serve gán dần khi chạy, tin mới trước; hoặc dừng serve rồi chạy `langnghe tag --pending`")
    if st.get("items_steps_pending"):
        print(steps_pending_text(st["items_steps_pending"]))
    if st.get("items_steps_failed"):
        print(steps_failed_text(st["items_steps_failed"]))
    print(collection_text(st))
    if st.get("collection_late"):
        print(late_text(st["last_collection_at"], st["collection_due_by"], st["generated_at"]))
    print(f"Nguồn lỗi: {st.get('sources_failing', 0)} / {len(st['sources'])}")
    if st.get("stale_snapshots"):
        print(stale_snapshots_text(st["stale_snapshots"]))
    if st.get("note"):
        print(st["note"])
    return 0


def collection_text(st: dict) -> str:
    """«Lần thu thập thành công gần nhất: …», and when every source's latest try failed since, the try too: is the
    server still trying. It printed «Lần thu thập gần nhất:» with the last fetch, failed or not, so a server whose every
    source failed read as fresh (round 29, ux35). A JSON of before round 29 (no `last_success_at`): the old line."""
    if "last_success_at" not in st:
        return f"Lần thu thập gần nhất: {local_text(st.get('last_collection_at'))}"
    got, failed = st.get("last_success_at"), st.get("last_failed_try_at")
    line = f"Lần thu thập thành công gần nhất: {local_text(got)}"
    if failed:
        since = " từ lần thành công trên" if got else ", chưa lần nào thành công"
        # not «serve still tries»: status reads the live file only while serve is stopped; whether it still runs is the
        # stopped-server line's (CHÚ Ý)
        line += (f"\nLần thử gần nhất: {local_text(failed)} — mọi nguồn đều lỗi{since}, không lấy được tin "
                 "(`langnghe sources` cho biết lỗi của từng nguồn).")
    return line


def no_database_text(db_path: str) -> str:
    """What `status` says when there is no file at the configured path: where it looked (a relative path is read from
    the folder the command runs in: a newcomer who ran `serve` in another folder looked at an empty one), and what to
    run. It said «chưa có cơ sở dữ liệu: chạy `langnghe init-db` hoặc `langnghe serve`», and exited 0 (round 29)."""
    where = os.path.abspath(db_path)
    rel = "" if os.path.isabs(db_path) else f" (đường dẫn tương đối, tính từ thư mục đang đứng: {where})"
    return (f"Chưa có cơ sở dữ liệu tại {db_path}{rel}. Nếu đây là lần cài đầu tiên: chạy `langnghe init-db`, rồi "
            "`langnghe serve`. Nếu serve đã chạy ở nơi khác: chạy lệnh này từ đúng thư mục đó, hoặc chỉ đường dẫn bằng "
            "biến môi trường LANGNGHE_DB hoặc --config (cùng tệp cấu hình serve dùng). Mã thoát 2.")


def late_text(last_iso: str, due_iso: str, now_iso: str) -> str:
    """The line under «Lần thu thập gần nhất» when the server is late by its own schedule (`collection_late` in the
    JSON: orchestration.status.collection_late, the rule of the dashboard's «Máy chủ đã ngừng thu thập tin» warning).
    Until round 28 (cli34) status printed a last collection hours old as calmly as one a minute old."""
    from detection.explain import fmt_duration

    def utc(iso: str) -> datetime:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).replace(tzinfo=None)

    ago = fmt_duration(max((utc(now_iso) - utc(last_iso)).total_seconds() / 60.0, 0.0))
    return (f"CHÚ Ý: máy chủ đã ngừng thu thập tin (lần gần nhất cách đây {ago}; theo lịch của chính nó, lẽ ra đã thu "
            f"thập lại trước {local_text(due_iso)}): tin mới không về, Tổng quan và Tin bài cũng báo vậy. Kiểm tra "
            "`langnghe serve` còn chạy không, và xem nhật ký của nó (langnghe-serve.log, cạnh cơ sở dữ liệu).")


def local_text(iso_utc: str | None) -> str:
    """'2026-12-06T16:45:07Z' (the JSON's form) as staff read a time: '23:45:07 06/12/2026 (giờ Việt Nam)'; the
    text output printed the ISO UTC form until round 21."""
    if not iso_utc:
        return "chưa có"
    try:
        t = to_local(datetime.fromisoformat(iso_utc.replace("Z", "+00:00")).replace(tzinfo=None))
    except ValueError:
        return iso_utc
    return f"{t:%H:%M:%S %d/%m/%Y} (giờ Việt Nam)"
