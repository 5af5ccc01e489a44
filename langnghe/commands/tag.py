"""`langnghe tag`: lines in (JSON objects with id, title, text [, source, url, published], or plain
text) → JSONL out, same order.

A line that does not start with "{" is plain text: it is tagged as {"id": <line number>, "text": line},
so `echo "Ngập ở Uông Bí" | langnghe tag` works. A line that starts with "{" but is not a JSON object
gets a row with `error`, and the command then exits with code 1 (never an error with exit 0).

Each output row: id, topics, sentiment, in_area, places, place_details, lang, model_version,
no_diacritics, folded (and `error` for a broken JSON line).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Iterator

from langnghe.commands._storing import open_for_writing
from vocab.config import Config
from vocab.numbers import number


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tag", help="gán nhãn tin từ đầu vào chuẩn (chủ đề, sắc thái, địa danh) → JSONL ở đầu ra",
        description="Gán nhãn từng dòng ở đầu vào chuẩn, trả về mỗi dòng một đối tượng JSON, đúng thứ tự.",
        epilog=TAG_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch", metavar="SỐ", type=int, default=None,
                   help="số tin gán nhãn mỗi lô, tối đa 10.000 (mặc định 1000; với --pending mặc định theo "
                        "[nlp] batch_size)")
    p.add_argument("--workers", metavar="SỐ", type=int, default=None,
                   help="số tiến trình (mặc định 0: theo [nlp] workers); không dùng cùng --pending, vì tin đã lưu được "
                        "gán nhãn trong một tiến trình như serve làm")
    p.add_argument("--compact", action="store_true", help="bỏ place_details và folded khỏi kết quả")
    p.add_argument("--pending", action="store_true",
                   help="thay cho đầu vào chuẩn: gán nhãn các tin đã lưu chưa có nhãn hoặc nhãn của mô hình cũ "
                        "(cần cơ sở dữ liệu; `serve` tự làm việc này)")
    p.set_defaults(func=run)


TAG_HELP = """Đầu vào, mỗi dòng một tin, một trong hai dạng:
  văn bản thường     Ngập sâu ở phường Vàng Danh      (id = số thứ tự dòng)
  đối tượng JSON     {"id": "a1", "title": "…", "text": "…", "source": "…", "url": "…", "published": "2026-11-20T08:00:00+07:00"}
                     (cần title hoặc text; id, source, url, published không bắt buộc)
Đầu ra, mỗi dòng một JSON: id, topics, sentiment, in_area, places, place_details, lang, model_version,
no_diacritics, title_restored, folded; dòng bắt đầu bằng "{" mà không phải JSON hợp lệ cho {"id": null, "error": …} và
lệnh kết thúc với mã 1.

Ví dụ:  echo "Người dân phản ánh bụi than ở Vàng Danh" | langnghe tag --compact"""


def _batches(stream: Any, size: int) -> Iterator[list[tuple[dict | None, str | None]]]:
    buf: list[tuple[dict | None, str | None]] = []
    for n, line in enumerate(stream, 1):
        line = line.strip()
        if not line:
            continue
        buf.append(_parse_line(line, n))
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def _parse_line(line: str, n: int) -> tuple[dict | None, str | None]:
    """A JSON object, or plain text (a line not starting with "{"), or an error for broken JSON."""
    if not line.startswith("{"):
        return {"id": n, "text": line}, None
    try:
        obj = json.loads(line)
    except ValueError as exc:
        return None, f"dòng {n} không phải JSON hợp lệ: {exc}"
    if not isinstance(obj, dict):
        return None, f"dòng {n} không phải đối tượng JSON"
    return obj, None


# The largest --batch: the items of a batch, their texts and tags are held together until it is saved (or, from stdin,
# written out). `tag --pending --batch 1000000000` over 20,000 waiting items peaked at 1,029 MB, against 714 MB at
# [nlp] batch_size's 500 and 909 MB at this cap: about 16 KB an item, so an office's 300,000 at once would be 5 GB
# (round 29, `hostile32`; `bench/tag_batch_rss.py`: a child process, peak RSS from os.wait4).
MAX_BATCH = 10_000


def run(args: argparse.Namespace, cfg: Config) -> int:
    if (args.batch is not None and not 1 <= args.batch <= MAX_BATCH) or (args.workers is not None and args.workers < 0):
        # 0 and -3 were taken without a word (round 28); 10⁹ held every item waiting at once (round 29)
        print(f"langnghe tag: --batch phải lớn hơn 0 và tối đa {number(MAX_BATCH)}, --workers không được âm (0: theo "
              "[nlp] workers)", file=sys.stderr)
        return 2

    # the pipeline kept per NLP settings: a process that runs the command again (the tests, in-process) loads
    # the models once (3–4 s), not once a run
    if args.pending:
        if args.workers is not None:  # stored items are tagged in one process (nlp.service.tag_pending), as serve does
            print("langnghe tag: --workers không dùng được cùng --pending: tin đã lưu được gán nhãn trong một tiến "
                  "trình (như serve làm); bỏ --workers.", file=sys.stderr)
            return 2
        return _pending(cfg, args.batch)
    pipeline = _pipeline_or_say(cfg, "tag")
    if pipeline is None:
        return 2
    workers = args.workers or pipeline.workers
    stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(encoding="utf-8")  # JSONL is UTF-8 whatever the locale
    errors = 0
    for batch in _batches(stdin, args.batch or 1000):
        good = [obj for obj, err in batch if obj is not None]
        tagged = iter(pipeline.tag_parallel(good, workers=workers) if good else [])
        for obj, err in batch:
            if obj is None:
                errors += 1
                row: dict[str, Any] = {"id": None, "error": err, "model_version": pipeline.model_version}
            else:
                row = next(tagged)
                if args.compact:
                    row.pop("place_details", None)
                    row.pop("folded", None)
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        out.flush()
    if errors:
        print(f"langnghe tag: {errors} dòng không đọc được (xem trường error ở đầu ra).", file=sys.stderr)
        return 1
    return 0


def _pipeline_or_say(cfg: Config, command: str) -> Any:
    """The pipeline, or None after saying why on stderr: no model at [nlp] model_dir was a traceback in English
    (round 28). One place for `tag` from stdin and `tag --pending`."""
    from nlp.service import get_pipeline

    try:
        return get_pipeline(cfg)
    except FileNotFoundError as exc:
        print(f"langnghe {command}: {exc}", file=sys.stderr)
        return None


def _pending(cfg: Config, batch: int | None = None) -> int:
    """Tag the stored items waiting for this model's tags, a progress line a batch; the first Ctrl+C stops after the
    batch in hand (every batch done is kept: each commits its own tags), and says how many were tagged and that
    running it again goes on, exit 130. Until round 28 it said nothing until the end (≈ 20 s for 2.500 items) and a
    Ctrl+C ended it without a word. The database is opened before the models load (3–4 s), so a missing or held one
    is said at once. `batch` is --batch, else [nlp] batch_size (round 28 took --batch and used batch_size)."""
    import threading

    from langnghe.commands._storing import stop_on_ctrl_c, tag_progress
    from nlp.service import batch_size, tag_pending

    db = open_for_writing(cfg, "tag --pending", create=False)
    if db is None:
        return 3
    try:
        pipeline = _pipeline_or_say(cfg, "tag --pending")
    except BaseException:
        db.close()
        raise
    if pipeline is None:
        db.close()
        return 2
    stop = threading.Event()
    with db, stop_on_ctrl_c(stop):
        n = tag_pending(cfg, db, batch=batch or batch_size(cfg), pipeline=pipeline, stop=stop, progress=tag_progress)
    if stop.is_set():
        print(f"Đã dừng theo yêu cầu: đã gán nhãn {number(n)} tin (đã lưu); chạy lại `langnghe tag --pending` để gán "
              "tiếp các tin còn lại.", file=sys.stderr)
        return 130
    print(f"Đã gán nhãn {number(n)} tin (mô hình {pipeline.model_version})." if n else
          f"Không có tin nào chờ gán nhãn: mọi tin đã có nhãn của mô hình {pipeline.model_version}.", file=sys.stderr)
    return 0
