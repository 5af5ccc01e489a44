"""Seconds from a stop request (Ctrl+C, SIGTERM in `serve`) to the scheduler thread's end, with work in flight.

Usage: .venv/bin/python bench/serve_stop.py [--articles 20] [--quick 5] [--hang 120] [--items 3000]
                                           [--case fulltext tag]

`fulltext`: a local feed (127.0.0.1) of `--articles` press items whose article pages are on the same local host:
the first `--quick` asked for answer at once, the rest hold the connection for `--hang` seconds. The defaults' timeouts
and politeness ([http] read timeout 20 s, [fulltext] 3 s between two articles of a site). The stop comes as the
first hanging article is asked for, in the collection pass's full-text step.
`tag`: a local feed of `--items` new items (full text off), tagged by the collection pass ([nlp] batch_size 500 at
a time since speed4; in one call before); the stop comes as the tagging starts. (Loads the model first: 5–9 s.)
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


def tag_case(tmp: Path, n: int) -> None:
    from nlp.pipeline import Pipeline
    from orchestration.jobs import Scheduler
    from store.db import Database

    server = LocalServer()
    doc = rss_doc([{"title": f"Ngập úng ở Hạ Long, tin {j}", "link": f"https://bao.vn/tin-{j}",
                    "description": f"Người dân phường Vàng Danh phản ánh đường ngập sau mưa lớn, số {j}"}
                   for j in range(n)])
    server.routes["/f.rss"] = lambda req: send(req, 200, doc)
    cfg = make_config(tmp, [rss_source("f", server.url("/f.rss"))], schedule={"tick_seconds": 20},
                      storage={"snapshot_every_minutes": 0}, fulltext={"enabled": False})
    asked = threading.Event()
    real = Pipeline.tag

    def tag(self, rows):  # noqa: ANN001, ANN202
        asked.set()  # the stop comes as the new items' tagging starts
        return real(self, rows)

    Pipeline.tag = tag
    with Database(cfg.storage.db_path) as db:
        secs = stop_and_time(Scheduler(cfg, db), asked, 300)
        items, _texts, tagged = counts(db)
    Pipeline.tag = real
    server.stop()
    print(f"tag: stopped in {secs:.2f} s; {tagged} of {items} new items tagged (the rest: the catch-up at the next "
          "start)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=20)
    ap.add_argument("--quick", type=int, default=5)
    ap.add_argument("--hang", type=float, default=120.0)
    ap.add_argument("--items", type=int, default=3000, help="new items of the `tag` case")
    ap.add_argument("--case", nargs="+", default=["fulltext", "tag"], choices=["fulltext", "tag"])
    args = ap.parse_args()
    for case in args.case:
        tmp = Path(tempfile.mkdtemp(prefix="bench-stop-"))
        if case == "fulltext":
            fulltext_case(tmp, args.articles, args.quick, args.hang)
        else:
            tag_case(tmp, args.items)


if __name__ == "__main__":
    main()
