"""`langnghe tag`: JSONL in (id, title, text [, source, url, published]) → JSONL out, same order.

Each output row: id, topics, sentiment, in_area, places, place_details, lang, model_version,
no_diacritics, folded (and `error` for an input line that is not a JSON object).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Iterator

from vocab.config import Config


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tag", help="tag JSONL items from stdin (topics, sentiment, places) → JSONL on stdout")
    p.add_argument("--batch", type=int, default=1000, help="items tagged per batch (default 1000)")
    p.add_argument("--workers", type=int, default=0, help="worker processes (default: [nlp] workers)")
    p.add_argument("--compact", action="store_true", help="leave out place_details and folded")
    p.add_argument("--pending", action="store_true",
                   help="instead of stdin: tag the stored items that have no tags or tags of an older model "
                        "(needs the database; `serve` does this itself)")
    p.set_defaults(func=run)


def _batches(stream: Any, size: int) -> Iterator[list[tuple[dict | None, str | None]]]:
    buf: list[tuple[dict | None, str | None]] = []
    for line in stream:
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("not a JSON object")
            buf.append((obj, None))
        except ValueError as exc:
            buf.append((None, f"invalid JSON line: {exc}"))
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def run(args: argparse.Namespace, cfg: Config) -> int:
    from nlp.pipeline import Pipeline

    pipeline = Pipeline.from_config(cfg)
    if args.pending:
        return _pending(cfg, pipeline)
    workers = args.workers or pipeline.workers
    stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(encoding="utf-8")  # JSONL is UTF-8 whatever the locale
    for batch in _batches(stdin, max(1, args.batch)):
        good = [obj for obj, err in batch if obj is not None]
        tagged = iter(pipeline.tag_parallel(good, workers=workers) if good else [])
        for obj, err in batch:
            if obj is None:
                row: dict[str, Any] = {"id": None, "error": err, "model_version": pipeline.model_version}
            else:
                row = next(tagged)
                if args.compact:
                    row.pop("place_details", None)
                    row.pop("folded", None)
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        out.flush()
    return 0


def _pending(cfg: Config, pipeline) -> int:  # type: ignore[no-untyped-def]
    from vocab.config import section
    from nlp.service import tag_pending
    from store.db import Database, DatabaseLocked

    try:
        db = Database(cfg.storage.db_path)
    except DatabaseLocked as exc:
        print(f"langnghe tag --pending: {exc}", file=sys.stderr)
        return 3
    with db:
        n = tag_pending(cfg, db, batch=int(section(cfg, "nlp").get("batch_size", 500)), pipeline=pipeline)
    print(f"Đã gán nhãn {n} tin (mô hình {pipeline.model_version}).", file=sys.stderr)
    return 0
