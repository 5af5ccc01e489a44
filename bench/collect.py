"""Collector throughput: 500 local feeds × 40 items, 100 ms server latency, first pass and conditional re-poll.

Usage: .venv/bin/python bench/collect.py [--feeds 500] [--items 40] [--latency 0.1] [--concurrency 16]
                                         [--profile PREFIX]
Prints feeds/s, items/s, CPU seconds (of the collector process; the feed server runs in a child process
so its request handling is not counted) and peak RSS for each pass. All traffic stays on 127.0.0.1.
--profile PREFIX writes, per pass (PASS = first, repoll), PREFIX.PASS.prof and its top 25 by cumulative and by
own time (PREFIX.PASS.cumulative.txt, PREFIX.PASS.tottime.txt): cProfile in every thread with a per-thread
CPU clock, so blocking waits are not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import hashlib
import io
import multiprocessing
import pstats
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.measure import cpu, peak_rss_mb  # noqa: E402
from collectors.runner import Runner  # noqa: E402
from vocab import config as C
from store import items as store_items  # noqa: E402
from store.db import Database  # noqa: E402


def make_feed(i: int, n: int) -> bytes:
    parts = [f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Báo {i}</title>']
    for j in range(n):
        parts.append(
            f"<item><title>Báo {i}: tin {j} về tình hình Quảng Ninh, phường Vàng Danh</title>"
            f"<link>https://bao{i}.vn/tin-{j}.html</link><pubDate>Sun, 22 Nov 2026 08:{j % 60:02d}:00 +0700</pubDate>"
            f"<description><![CDATA[<a href='https://bao{i}.vn/tin-{j}.html'><img src='x.jpg'></a></br>"
            f"Người dân phản ánh về vấn đề số {j} tại địa phương, chính quyền đã vào cuộc.]]></description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def serve(feeds: dict[str, bytes], latency: float) -> ThreadingHTTPServer:
    etags = {p: '"' + hashlib.sha1(b).hexdigest()[:16] + '"' for p, b in feeds.items()}

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):  # noqa: ANN002
            pass

        def do_GET(self):  # noqa: N802
            time.sleep(latency)
            body = feeds.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.headers.get("If-None-Match") == etags[self.path]:
                self.send_response(304)
                self.send_header("ETag", etags[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("ETag", etags[self.path])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
    httpd.daemon_threads = True
    httpd.request_queue_size = 1024
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def _server_process(n_feeds: int, n_items: int, latency: float, port_out: "multiprocessing.Queue[int]") -> None:
    feeds = {f"/f{i}.rss": make_feed(i, n_items) for i in range(n_feeds)}
    httpd = serve(feeds, latency)
    port_out.put(httpd.server_address[1])
    threading.Event().wait()  # until terminated


def start_server(n_feeds: int, n_items: int, latency: float) -> tuple[str, multiprocessing.Process]:
    """The feed server in a child process: its CPU and GIL are not the collector's."""
    ctx = multiprocessing.get_context("fork")
    port_q: multiprocessing.Queue[int] = ctx.Queue()
    proc = ctx.Process(target=_server_process, args=(n_feeds, n_items, latency, port_q), daemon=True)
    proc.start()
    return f"http://127.0.0.1:{port_q.get(timeout=60)}", proc


class ThreadProfiles:
    """cProfile in every thread (event loop, to_thread workers), timed by each thread's own CPU clock."""

    def __init__(self) -> None:
        self.profiles: list[cProfile.Profile] = []
        self._lock = threading.Lock()

    def _start(self, *_: object) -> None:
        p = cProfile.Profile(time.thread_time)
        with self._lock:
            self.profiles.append(p)
        p.enable()

    def __enter__(self) -> "ThreadProfiles":
        threading.setprofile(self._start)
        self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        threading.setprofile(None)  # type: ignore[arg-type]
        self.profiles[0].disable()

    def write(self, prefix: str) -> None:
        stats: pstats.Stats | None = None
        for p in self.profiles:
            p.create_stats()
            if p.stats:  # type: ignore[attr-defined]
                stats = pstats.Stats(p) if stats is None else stats.add(p)
        assert stats is not None
        stats.dump_stats(f"{prefix}.prof")
        for key in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(f"{prefix}.prof", stream=out).sort_stats(key).print_stats(25)
            Path(f"{prefix}.{key}.txt").write_text(out.getvalue())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=500)
    ap.add_argument("--items", type=int, default=40)
    ap.add_argument("--latency", type=float, default=0.1)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--profile", metavar="PREFIX", help="write cProfile stats of both passes to PREFIX.*")
    a = ap.parse_args()

    base, server = start_server(a.feeds, a.items, a.latency)
    tmp = Path(tempfile.mkdtemp())
    data = C._merge(
        C.read_toml(C.DEFAULTS_PATH),
        {
            "storage": {"db_path": str(tmp / "bench.duckdb"), "snapshot_path": str(tmp / "s.duckdb")},
            "http": {"per_host_spacing_seconds": 0.0, "max_concurrency": a.concurrency,
                     "allow_private_hosts": ["127.0.0.1"]},  # the bench's own feed server
        },
    )
    data["sources"] = [
        {"name": f"f{i}", "kind": "rss", "url": f"{base}/f{i}.rss", "outlet": f"Báo {i}"} for i in range(a.feeds)
    ]
    cfg = C.parse(data)
    print(f"bench/collect: {a.feeds} feeds × {a.items} items, {a.latency * 1000:.0f} ms latency, "
          f"concurrency {a.concurrency}, per-host spacing 0 (all feeds share 127.0.0.1)")
    with Database(cfg.storage.db_path) as db:
        runner = Runner(cfg, db)
        for label, tag in (("first pass", "first"), ("conditional re-poll", "repoll")):
            profiles = ThreadProfiles() if a.profile else None
            c0, t0 = cpu(), time.perf_counter()
            with profiles or _nothing():
                summary = asyncio.run(runner.run_due(force=True))
            wall, cpus = time.perf_counter() - t0, cpu() - c0
            if profiles:
                profiles.write(f"{a.profile}.{tag}")
            n_items = summary.items_new if label == "first pass" else sum(o.entries_seen for o in summary.outcomes)
            outcomes = {}
            for o in summary.outcomes:
                outcomes[o.outcome] = outcomes.get(o.outcome, 0) + 1
            peak = peak_rss_mb()
            print(
                f"  {label:20s} wall {wall:6.2f} s  feeds/s {len(summary.outcomes) / wall:7.1f}  "
                f"items/s {n_items / wall:8.1f}  CPU {cpus:6.2f} s  peak RSS {peak:6.1f} MB  outcomes {outcomes}"
            )
        with db.read() as cur:
            print(f"  items stored: {store_items.count_items(cur)}")
    server.terminate()
    if a.profile:
        print(f"  profiles: {a.profile}.{{first,repoll}}.{{prof,cumulative.txt,tottime.txt}}")


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


if __name__ == "__main__":
    main()
