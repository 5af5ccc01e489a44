"""Memory and time of what a collector does with a body after the fetch returns it (docs/SECURITY.md).

The body budget (`[http] max_bodies_mb`, collectors/budget.py) bounds the bytes being read; the parse that
follows (feedparser, json, lexbor, trafilatura) and the mapping into Items run outside it. Each case builds one
hostile body of --mb MB (default 79: just under the 80 MB budget, with `max_body_mb` raised to match) and hands
it to the real collector (rss, reddit JSON, html_list) or to full text's `fetch_one`, through a fetch function
that returns it (no network), in a child process of its own.

Usage: PYTHONPATH=. /work/main/.venv/bin/python bench/hostile_parse.py [--mb 79] [--case NAME…]
  (rss_entity, a flat entity referenced until the body is full, is not in the default cases: run it with --mb 7)
Prints per case: the child's RSS once the body is built (the body itself, twice at most), its peak after the
collector (ru_maxrss), the growth, seconds, and the outcome. A child is limited to --limit-mb of address space
(MemoryError rather than a machine out of memory) and --timeout seconds.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEASURE = str(Path(__file__).with_name("measure.py"))

CHILD = r'''
import asyncio, resource, runpy, sys, time
from datetime import datetime
from collectors import fulltext, registry
from collectors.base import CollectContext, Fetched
from vocab.config import DEFAULT_LIMITS, SourceConfig

case, mb, limit_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
# this bench's bench/measure.py by its path: the tree measured (PYTHONPATH) may predate it
peak_rss_mb = runpy.run_path(sys.argv[4])["peak_rss_mb"]
resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))
N = mb * 1_000_000


def fill(head: bytes, unit: bytes, tail: bytes) -> bytes:
    return head + unit * ((N - len(head) - len(tail)) // len(unit)) + tail


RSS_HEAD = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
ITEM = b"<item><title>Tin %d</title><link>https://bao.vn/a</link></item>"
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">' + b"".join(
    b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10)) + b']><rss version="2.0"><channel>'
    b"<title>T</title><item><title>Bom</title><link>https://bao.vn/b</link><description>")
# round 22: one flat entity of 250 characters, referenced until the body is full (run it with --mb 7: under
# max_feed_mb, so nothing but the entity check stands before feedparser)
ENTITY = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e "' + b"A" * 250 + b'">]><rss version="2.0"><channel>'
          b"<title>T</title><item><title>Bom</title><link>https://bao.vn/b</link><description>")
BODIES = {
    "rss_entity": lambda: fill(ENTITY, b"&e;", b"</description></item></channel></rss>"),
    "rss_nested": lambda: fill(RSS_HEAD + b"<item><title>Sau</title><link>https://bao.vn/a</link><description>", b"<a>",
                               b"</description></item></channel></rss>"),
    "rss_laughs": lambda: fill(LAUGHS, b"&l3;", b"</description></item></channel></rss>"),
    "rss_line": lambda: fill(RSS_HEAD + b"<item><title>Dai</title><link>https://bao.vn/a</link><description>", b"x",
                             b"</description></item></channel></rss>"),
    "rss_many": lambda: fill(RSS_HEAD, ITEM % 1, b"</channel></rss>"),
    "rss_flat": lambda: fill(RSS_HEAD + b"<item><title>Phang</title><link>https://bao.vn/a</link><description>",
                             b"<b></b>", b"</description></item></channel></rss>"),
    "json_many": lambda: fill(b'{"kind": "Listing", "data": {"children": [',
                              b'{"kind": "t3", "data": {"title": "t", "permalink": "/r/a", "name": "x"}},', b"{}]}}"),
    "json_line": lambda: fill(b'{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"title": "', b"x",
                              b'", "permalink": "/r/a"}}]}}'),
    "json_nested": lambda: fill(b"", b"[", b""),
    "html_many": lambda: fill(b"<html><body><ul>", b'<li><a href="/a">Tin</a></li>', b"</ul></body></html>"),
    "html_line": lambda: fill(b"<html><body><ul><li><a href='/a'>", b"x", b"</a></li></ul></body></html>"),
    "fulltext_many": lambda: fill(b"<html><body><article>", "<p>Bụi than ở Vàng Danh.</p>".encode(), b"</article></body></html>"),
    "fulltext_line": lambda: fill(b"<html><body><article><p>", b"x", b"</p></article></body></html>"),
}
KIND = {"rss": ("rss", "application/rss+xml", {}), "json": ("reddit", "application/json", {}),
        "html": ("html_list", "text/html; charset=utf-8", {"item": "li", "title": "a", "link": "a"})}

def report_peak() -> None:  # a child stopped at the timeout still says how far it got
    import threading

    def loop() -> None:
        while True:
            time.sleep(5)
            print(f"peak so far {peak_rss_mb():.0f} MB", file=sys.stderr, flush=True)
    threading.Thread(target=loop, daemon=True).start()


report_peak()
body = BODIES[case]()
ctype = KIND.get(case.split("_")[0], ("", "text/html; charset=utf-8", {}))[1]
before = peak_rss_mb()
start = time.perf_counter()


async def fetch(url, **_):
    return Fetched(url=url, status=200, headers={"content-type": ctype}, body=body)


async def go():
    if case.startswith("fulltext"):
        st = fulltext.FulltextSettings(respect_robots=False) if hasattr(fulltext, "FulltextSettings") else None
        text, status = await fulltext.fetch_one(fetch, "https://bao.vn/a", st, None, DEFAULT_LIMITS)
        return f"{status}, {len(text or ''):,} chars"
    kind, _, options = KIND[case.split("_")[0]]
    src = SourceConfig(name="b", kind=kind, url="https://bao.vn/rss", outlet="B", source_type="press", options=options)
    ctx = CollectContext(fetch=fetch, now=datetime(2026, 12, 6), limits=DEFAULT_LIMITS)
    batch = await registry.get(kind).collect(src, ctx)
    return f"{len(batch.items):,} items, skipped {dict(batch.skipped.most_common(2))}"

try:
    said = asyncio.run(go())
except BaseException as exc:
    said = f"{type(exc).__name__}: {str(exc)[:90]}"
peak = peak_rss_mb()
print(f"{before:8.0f} {peak:8.0f} {peak - before:+8.0f} {time.perf_counter() - start:7.1f}  {said}")
'''


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=int, default=79)
    ap.add_argument("--limit-mb", type=int, default=6000)
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--case", nargs="*", default=None)
    args = ap.parse_args()
    cases = args.case or ["rss_nested", "rss_laughs", "rss_line", "rss_many", "rss_flat", "json_many", "json_line", "json_nested",
                          "html_many", "html_line", "fulltext_many", "fulltext_line"]
    paths = os.environ.get("PYTHONPATH", str(ROOT)).split(os.pathsep)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(os.path.abspath(p) for p in paths if p)}  # the child runs in /
    print(f"{args.mb} MB bodies; RSS in MB: built, peak, growth; seconds; outcome")
    for case in cases:
        try:
            out = subprocess.run([sys.executable, "-c", CHILD, case, str(args.mb), str(args.limit_mb), MEASURE],
                                 env=env, capture_output=True, text=True, timeout=args.timeout, cwd="/")  # PYTHONPATH decides
            line = out.stdout.strip() or f"(no output) {out.stderr.strip().splitlines()[-1:]}"
        except subprocess.TimeoutExpired as exc:
            said = (exc.stderr or b"").decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
            line = f"over {args.timeout:g} s (stopped; {said.strip().splitlines()[-1] if said.strip() else 'no figure'})"
        print(f"{case:<14} {line}", flush=True)


if __name__ == "__main__":
    main()
