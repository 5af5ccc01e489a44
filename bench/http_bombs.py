"""Peak memory of one fetch of a compression bomb (collectors/http.py + collectors/decoding.py).

Usage: .venv/bin/python bench/http_bombs.py [--mb 2000]
  (PYTHONPATH=. from a worktree measures that worktree's code; compare two checkouts the same way)

Builds, streaming (never held whole), four answers of --mb MB of zeros: gzip, "gzip, gzip", "br" (if the
brotli package is installed) and a plain 1 KB feed as the baseline, serves them from 127.0.0.1 in this
process, and fetches each in a child process with the shipped [http] settings (127.0.0.1 allowed): once with
the collectors' Fetcher (GET), once with the notification channels' blocking client (POST, as a webhook
subscriber's server would answer; collectors/netguard.guarded_client). Prints bytes on the wire, the outcome
and the child's peak RSS (its own ru_maxrss, os.wait4).
"""

from __future__ import annotations

import argparse
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.measure import last_line_of_child  # noqa: E402
from devtools.coded_server import serve_coded  # noqa: E402

MB = 1 << 20

CHILD = r"""
import asyncio, sys
from dataclasses import replace
from collectors.http import Fetcher
from vocab import config
cfg = replace(config.load().http, allow_private_hosts=("127.0.0.1",), fetch_deadline_seconds=120.0)
if sys.argv[2] == "post":
    from collectors import netguard
    client = netguard.guarded_client(netguard.parse_allow(["127.0.0.1"]), 120.0, RuntimeError, deadline_seconds=120.0,
                                      answer_max_bytes=config.DEFAULT_LIMITS.answer_bytes)
    try:
        r = client.post(sys.argv[1], content=b"{}")
        print(f"read {len(r.content):,} B")
    except Exception as e:
        print(f"{type(e).__name__}: {e}")
    sys.exit(0)
async def go():
    async with Fetcher(cfg) as f:
        try:
            r = await f.get(sys.argv[1])
            print(f"fetched {len(r.body):,} B")
        except Exception as e:
            print(f"{type(e).__name__}: {e}")
asyncio.run(go())
"""


def zeros_compressed(mb: int, layers: int) -> bytes:
    """`mb` MB of zeros through `layers` gzip compressors, streamed."""
    comps = [zlib.compressobj(9, zlib.DEFLATED, 31) for _ in range(layers)]

    def push(data: bytes, i: int) -> bytes:
        return data if i == layers else push(comps[i].compress(data), i + 1)

    def flush(i: int) -> bytes:
        if i == layers:
            return b""
        tail = comps[i].flush()
        return push(tail, i + 1) + flush(i + 1) if i + 1 < layers else tail

    out = bytearray()
    block = bytes(MB)
    for _ in range(mb):
        out += push(block, 0)
    out += flush(0)
    return bytes(out)


def brotli_zeros(mb: int) -> bytes | None:
    try:
        import brotli
    except ImportError:
        return None
    c, out, block = brotli.Compressor(quality=5), bytearray(), bytes(MB)
    for _ in range(mb):
        out += c.process(block)
    return bytes(out + c.finish())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=2000, help="decoded size of each bomb, MB")
    args = ap.parse_args()
    answers: dict[str, tuple[bytes, str]] = {"/baseline": (b"<rss><channel/></rss>" * 50, "")}
    answers["/gzip"] = (zeros_compressed(args.mb, 1), "gzip")
    answers["/gzip-gzip"] = (zeros_compressed(args.mb, 2), "gzip, gzip")
    br = brotli_zeros(args.mb)
    if br is not None:
        answers["/br"] = (br, "br")
    httpd = serve_coded(answers, "application/rss+xml")
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    print(f"{'client':<8} {'answer':<11} {'on the wire':>12}  {'peak RSS':>9}  outcome")
    for method, client in (("get", "Fetcher"), ("post", "notify")):
        for path, (body, _) in answers.items():
            outcome, rss = last_line_of_child(CHILD, base + path, method)
            print(f"{client:<8} {path[1:]:<11} {len(body):>10,} B  {rss:>6} MB  {outcome[:100]}")
    httpd.stop()


if __name__ == "__main__":
    main()
