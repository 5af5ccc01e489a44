"""`langnghe replay`: run a recorded stream through the live detection on a simulated clock.

    STREAM.jsonl (id, source, url, title, text, published ISO 8601 with offset; optional outlet,
                  source_type, tags)
        │ sorted by published; clock starts at the first step boundary
        ▼ every --step of simulated time t:
    items published ≤ t ──store.items.insert_items (fetched_at = t)──▶ items, item_links
        │ tags: the NLP pipeline exactly as the collector runner calls it (--tagger auto), or the
        │       rows' own "tags" (--tagger fixture), or none
        ▼
    detection.jobs.run_detection(cfg, db, t)   ← the same function the Scheduler hook calls
        ▼
    ALERTS.jsonl: one row per alert raised (alert_id, raised_at, title, topics, places, item_ids,
                  severity, reason, story_id, score, previous_alert_id)
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import unicodedata
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from langnghe.commands._files import open_error
from vocab.config import Config
from vocab.numbers import number

if TYPE_CHECKING:
    from detection.jobs import Tagger, TagRequest

log = logging.getLogger("langnghe.replay")
_SOCIAL = re.compile(r"(facebook|^fb|[-_]fb|zalo|tiktok|youtube|^yt|[-_]yt|forum|voz|group|nhom|mastodon|telegram|"
                     r"threads|twitter|reddit|social)", re.I)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("replay", help="phát lại luồng tin JSONL qua bước gom vụ việc và phát hiện cảnh báo")
    p.add_argument("--input", metavar="TỆP", required=True, help="tệp JSONL: id, source, url, title, text, published (ISO 8601 có múi giờ)")
    p.add_argument("--db", metavar="TỆP", required=True, help="tệp DuckDB sẽ tạo; phải là tệp mới (một tệp đã có bị từ chối)")
    p.add_argument("--alerts-out", metavar="TỆP", required=True, help="tệp JSONL ghi mỗi cảnh báo phát sinh một dòng")
    p.add_argument("--step", metavar="KHOẢNG", default="15m", help="thời gian giả lập giữa các bước phát hiện: 15m, 1h, 900s (mặc định 15m)")
    p.add_argument("--tagger", choices=("auto", "fixture", "none"), default="auto",
                   help="auto: dùng bộ phân tích NLP nếu có; fixture: trường 'tags' của từng dòng; none: không gán nhãn (mặc định auto)")
    p.add_argument("--alarms-out", metavar="TỆP", help="tệp JSONL ghi các cảnh báo về tình trạng nguồn tin")
    p.set_defaults(func=run)


def parse_step(s: str) -> timedelta:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", s or "")
    if not m:
        raise ValueError(f"--step không hợp lệ: {s!r} (ví dụ 15m, 1h, 900s)")
    n, unit = float(m.group(1)), m.group(2) or "s"
    td = timedelta(**{{"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[unit]: n})
    if td.total_seconds() <= 0:
        raise ValueError("--step phải lớn hơn 0")
    return td


def parse_time(s: str) -> datetime:
    """ISO 8601 (with offset; 'Z' accepted) → naive UTC. A time without offset is taken as UTC."""
    dt = datetime.fromisoformat(str(s).strip().replace("Z", "+00:00"))
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt


def read_stream(path: str | Path) -> list[dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:  # each fault said in Vietnamese with its line (it was json's English, or a traceback; round 28)
                r = json.loads(line)
            except ValueError:
                raise ValueError(f"{path}, dòng {n}: không phải JSON hợp lệ (mỗi dòng một đối tượng JSON)") from None
            if not isinstance(r, dict):
                raise ValueError(f"{path}, dòng {n}: không phải đối tượng JSON {{…}}")
            missing = [k for k in ("id", "source", "title", "published") if not r.get(k)]
            if missing:
                raise ValueError(f"{path}, dòng {n}: thiếu {', '.join(missing)}")
            try:
                r["published_at"] = parse_time(r["published"])
            except ValueError:
                raise ValueError(f"{path}, dòng {n}: published không đọc được: {r['published']!r} (ISO 8601, ví dụ "
                                 "2026-11-20T08:00:00+07:00)") from None
            rows.append(r)
    rows.sort(key=lambda r: (r["published_at"], str(r["id"])))
    return rows


def _source_type(cfg: Config | None, row: dict[str, Any]) -> str:
    if row.get("source_type") in ("press", "social"):
        return row["source_type"]
    if cfg is not None:
        for s in cfg.sources:
            if s.name == row["source"]:
                return s.source_type
    return "social" if _SOCIAL.search(str(row["source"])) else "press"


def to_item(cfg: Config | None, row: dict[str, Any], fetched_at: datetime) -> Any:
    from vocab.item import Item
    from collectors.textutil import canonical_url, content_hash, tidy

    url = row.get("url") or f"https://replay.invalid/{row['id']}"
    canon = canonical_url(url)
    title = tidy(row.get("title"))
    text = tidy(row.get("text") or row.get("summary") or "")
    outlet = row.get("outlet")
    if not outlet and cfg is not None:
        outlet = next((s.outlet for s in cfg.sources if s.name == row["source"]), None)
    return Item(
        id=str(row["id"]), source=str(row["source"]), collector="replay", source_type=_source_type(cfg, row),
        outlet=unicodedata.normalize("NFC", outlet or str(row["source"])), url=url, canonical_url=canon,
        title=title, summary=text, published_at=row["published_at"], published_estimated=False,
        fetched_at=fetched_at, content_hash=content_hash(title, text, canon),
    )


def fixture_tagger(rows: Iterable[dict[str, Any]]) -> Tagger:
    """A tagger that answers with each row's own "tags" (for scenarios with known labels)."""
    by_id = {str(r["id"]): dict(r.get("tags") or {}) for r in rows}

    def tag(items: list[TagRequest]) -> list[dict[str, Any]]:
        return [{"id": it.id, **by_id.get(str(it.id), {})} for it in items]

    return tag


class SimClock:
    """The replay's simulated time, read by the processor: the cases and watchlist hits it opens are
    stamped t like the alerts detection raises, not by the wall clock. `replay` moves it each step."""

    def __init__(self) -> None:
        self.now = datetime(2000, 1, 1)

    def __call__(self) -> datetime:
        return self.now


def pipeline_tagging(cfg: Config, db: Any, clock: Callable[[], datetime]
                     ) -> tuple[Callable[[list[str]], None] | None, Any, str]:
    """(processor writing item_tags like the live runner, no in-process tagger, description); `clock` is the
    SimClock given to `replay`."""
    from orchestration import ingest

    return ingest.processor(cfg, db, clock), None, "NLP pipeline (nlp.service, như khi chạy thật)"


def replay(
    cfg: Config,
    db: Any,
    rows: Sequence[dict[str, Any]],
    step: timedelta,
    *,
    tagger: Tagger | None = None,
    processor: Callable[[list[str]], None] | None = None,
    on_alert: Callable[[dict[str, Any], Any], None] | None = None,
    on_step: Callable[[datetime, Any], None] | None = None,
    tail_steps: int = 2,
    clock: SimClock | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Feed `rows` (sorted by published_at) step by step and run the live detection each step; `clock`
    (the processor's) is set to each step's simulated time before the step's items are processed.

    Returns (alerts, source alarms) as the files' rows (`RaisedAlert.as_row`, `RaisedAlarm.as_row`: the one place
    the typed alerts become dicts). `on_alert(alert, db)` and `on_step(t, db)` let scenarios act
    like staff (dismiss an alert) or like a broken source between steps.
    """
    from detection.jobs import detector
    from store import items as store_items

    alerts: list[dict[str, Any]] = []
    alarms: list[dict[str, Any]] = []
    if not rows:
        return alerts, alarms
    det = detector(cfg, db)
    first = rows[0]["published_at"]
    epoch = datetime(2000, 1, 1)
    steps_in = (first - epoch) // step
    t = epoch + step * steps_in
    if t < first:
        t += step
    end = rows[-1]["published_at"] + step * tail_steps
    i = 0
    while t <= end:
        if clock is not None:
            clock.now = t
        batch = []
        while i < len(rows) and rows[i]["published_at"] <= t:
            batch.append(to_item(cfg, rows[i], t))
            i += 1
        if batch:
            with db.write() as cur:
                new_ids = store_items.insert_items(cur, batch)
            if processor is not None and new_ids:
                processor(new_ids)
        if on_step is not None:
            on_step(t, db)
        for raised in det.run(t, tagger):
            row = raised.as_row()  # the file's row: what scenarios read by key and --alerts-out holds
            alerts.append(row)
            if on_alert is not None:
                on_alert(row, db)
        alarms.extend(a.as_row() for a in det.last_source_alarms)
        t += step
    return alerts, alarms


def _jsonable(a: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    t = datetime.fromisoformat(out["raised_at"]) if isinstance(out["raised_at"], str) else out["raised_at"]
    out["raised_at"] = t.replace(tzinfo=timezone.utc).isoformat()
    return out


def run(args: argparse.Namespace, cfg: Config) -> int:
    from store.db import Database

    try:
        step = parse_step(args.step)
        rows = read_stream(args.input)
    except OSError as exc:
        print(f"langnghe replay: {open_error(args.input, exc)}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"langnghe replay: {exc}", file=sys.stderr)
        return 2
    if os.path.lexists(args.db):  # the office's own database named by mistake got the replayed items (round 28)
        print(f"langnghe replay: đã có tệp {args.db}. Replay ghi tin và cảnh báo giả lập vào cơ sở dữ liệu --db, nên "
              "cần một tệp mới: chọn tên khác, hoặc xóa tệp của lần replay trước (đừng bao giờ dùng cơ sở dữ liệu "
              "đang dùng thật).", file=sys.stderr)
        return 2
    cfg = replace(cfg, storage=replace(cfg.storage, db_path=args.db))
    with Database(args.db) as db:
        processor, tagger, how = None, None, "không gắn nhãn"
        clock = SimClock()
        if args.tagger == "auto":
            processor, tagger, how = pipeline_tagging(cfg, db, clock)
            if processor is not None:  # items an earlier, crashed run stored untagged
                from langnghe.commands._storing import tag_leftovers

                tag_leftovers(cfg, db)
        elif args.tagger == "fixture":
            tagger, how = fixture_tagger(rows), "nhãn có sẵn trong tệp (fixture)"
        print(f"Phát lại {number(len(rows))} tin, bước {args.step}; gắn nhãn: {how}", file=sys.stderr, flush=True)
        alerts, alarms = replay(cfg, db, rows, step, tagger=tagger, processor=processor, clock=clock)
        if processor is not None:  # a step whose tagging failed leaves none behind
            from langnghe.commands._storing import tag_leftovers

            tag_leftovers(cfg, db)
    out = Path(args.alerts_out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for a in alerts:
            fh.write(json.dumps(_jsonable(a), ensure_ascii=False) + "\n")
    if args.alarms_out:
        with open(args.alarms_out, "w", encoding="utf-8") as fh:
            for a in alarms:
                fh.write(json.dumps(a, ensure_ascii=False, default=str) + "\n")
    print(f"Xong: {number(len(alerts))} cảnh báo, {number(len(alarms))} cảnh báo nguồn → {out}", file=sys.stderr)
    return 0
