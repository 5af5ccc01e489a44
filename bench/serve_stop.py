"""Seconds from a stop request (Ctrl+C, SIGTERM in `serve`) to the scheduler thread's end, with work in flight.

Usage: .venv/bin/python bench/serve_stop.py [--articles 20] [--quick 5] [--hang 120] [--case fulltext tag]

`fulltext`: a local feed (127.0.0.1) of `--articles` press items whose article pages are on the same local host:
the first `--quick` asked for answer at once, the rest hold the connection for `--hang` seconds. The defaults' timeouts
and politeness ([http] read timeout 20 s, [fulltext] 3 s between two articles of a site). The stop comes as the
first hanging article is asked for, in the collection pass's full-text step.
`tag`: 6,000 stored items without tags, tagged by `serve`'s start-up catch-up in [nlp] batch_size batches; the stop
comes once the first batch is saved. (Loads the model: 5–9 s before the first batch.)
Prints the seconds to stop, then what was stored (items, full texts, tagged items); all traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import LocalServer, make_config, rss_doc, rss_source, send  # noqa: E402

ARTICLE = (ROOT / "tests/fixtures/fulltext/baoquangninh_article.html").read_bytes()
PRODUCTION_HTTP = {"connect_timeout_seconds": 10, "read_timeout_seconds": 20, "fetch_deadline_seconds": 60,
                   "per_host_spacing_seconds": 1.0}


def counts(db) -> tuple[int, int, int]:  # noqa: ANN001
    with db.read() as cur:
        return (cur.execute("SELECT count(*) FROM items").fetchone()[0],
                cur.execute("SELECT count(*) FROM item_fulltext WHERE status = 'ok'").fetchone()[0],
                cur.execute("SELECT count(DISTINCT item_id) FROM item_tags").fetchone()[0])


def stop_and_time(sched, asked: threading.Event, wait: float) -> float:  # noqa: ANN001
    sched.start()
    if not asked.wait(wait):
        raise SystemExit("the work to interrupt never started")
    t = time.perf_counter()
    sched.stop()
    sched.join()
    return time.perf_counter() - t


def fulltext_case(tmp: Path, n: int, quick: int, hang: float) -> None:
    from orchestration.jobs import Scheduler
    from store.db import Database

    server = LocalServer()
    asked, release = threading.Event(), threading.Event()
    served = [0]

    def article(j: int):  # noqa: ANN202
        def route(req) -> None:  # noqa: ANN001
            served[0] += 1
            if served[0] > quick:  # the first `quick` asked for answer at once
                asked.set()
                release.wait(hang)
            send(req, 200, ARTICLE, "text/html; charset=utf-8")
        return route

    for j in range(n):
        server.routes[f"/a/{j}.html"] = article(j)
    server.routes["/f.rss"] = lambda req: send(req, 200, rss_doc([
        {"title": f"Tin {j} về Uông Bí", "link": server.url(f"/a/{j}.html"), "description": f"Tóm tắt {j}"}
        for j in range(n)]))
    cfg = make_config(tmp, [rss_source("f", server.url("/f.rss"))], http=PRODUCTION_HTTP,
                      schedule={"tick_seconds": 20}, storage={"snapshot_every_minutes": 0})
    with Database(cfg.storage.db_path) as db:
        secs = stop_and_time(Scheduler(cfg, db), asked, 120)
        release.set()
        items, texts, tagged = counts(db)
    server.stop()
    print(f"fulltext: stopped in {secs:.2f} s; stored {items} items, {texts} full texts, {tagged} tagged", flush=True)


def tag_case(tmp: Path) -> None:
    from orchestration.jobs import Scheduler
    from store import items as store_items
    from store.db import Database
    from tests.store.test_batch_storage import item

    cfg = make_config(tmp, [], schedule={"tick_seconds": 20}, storage={"snapshot_every_minutes": 0},
                      fulltext={"enabled": False}, nlp={"batch_size": 500})
    asked = threading.Event()
    with Database(cfg.storage.db_path) as db:
        with db.write() as cur:
            store_items.insert_items(cur, [item(i, title=f"Ngập úng ở Hạ Long, tin {i}") for i in range(6000)])
        sched = Scheduler(cfg, db)
        from nlp import service

        real = service.tag_store.save_tags

        def saved(cur, out, *a, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
            n = real(cur, out, *a, **kw)
            asked.set()
            return n

        service.tag_store.save_tags = saved
        secs = stop_and_time(sched, asked, 300)
        service.tag_store.save_tags = real
        items, _texts, tagged = counts(db)
    print(f"tag: stopped in {secs:.2f} s; {tagged} of {items} items tagged", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=20)
    ap.add_argument("--quick", type=int, default=5)
    ap.add_argument("--hang", type=float, default=120.0)
    ap.add_argument("--case", nargs="+", default=["fulltext", "tag"], choices=["fulltext", "tag"])
    args = ap.parse_args()
    for case in args.case:
        tmp = Path(tempfile.mkdtemp(prefix="bench-stop-"))
        if case == "fulltext":
            fulltext_case(tmp, args.articles, args.quick, args.hang)
        else:
            tag_case(tmp)


if __name__ == "__main__":
    main()
