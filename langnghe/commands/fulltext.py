"""`langnghe fulltext [--limit N]`: fetch and extract the full text of recent press items (trafilatura), then say
which articles of the last [fulltext] max_age_hours wait for another try after a failure that may pass (a timeout,
a 5xx answer, robots.txt not answering) and which were given up after max_attempts tries."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

from langnghe.commands._storing import open_for_writing
from vocab.config import Config


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fulltext", help="lấy toàn văn các bài báo gần đây (tôn trọng robots.txt, tải từ tốn)")
    p.add_argument("--limit", metavar="SỐ", type=int, help="tối đa bấy nhiêu bài (mặc định fulltext.max_per_run)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, cfg: Config) -> int:
    import asyncio

    from collectors import fulltext
    from store import fulltext as store_fulltext
    from store.db import utcnow

    if args.limit is not None and args.limit < 1:  # 0 read as "no limit" and fetched max_per_run articles (round 25)
        print("langnghe fulltext: --limit phải lớn hơn 0", file=sys.stderr)
        return 2
    db = open_for_writing(cfg, "fulltext", create=False)
    if db is None:
        return 3
    st = fulltext.settings(cfg)
    with db:
        counts = asyncio.run(fulltext.run(cfg, db, limit=args.limit))
        with db.read() as cur:
            rows = store_fulltext.outcomes_since(cur, utcnow() - timedelta(hours=st.max_age_hours))
    print("Toàn văn: " + ("; ".join(f"{fulltext.status_label(k)}: {v}" for k, v in sorted(counts.items()))
                          or "không có bài nào cần lấy"))
    for line in fulltext.retry_lines(rows, st.max_attempts):
        print(line)
    return 0
