"""Restart → waiting message received, through a real `langnghe serve` process, all on 127.0.0.1
(devtools/serve_rig.py, devtools/notify_standins.py):

    .venv/bin/python bench/notify_restart.py [--runs 2]

Each run: serve collects the demo burst while every channel refuses, so its messages wait in the outbox;
it is killed (SIGKILL); the channels accept again and serve starts on the same database. Prints, per
channel, the seconds from the second process's start (Popen) to the stand-in accepting the message.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHANNELS = ("email", "telegram", "zalo")


def one_run(timeout: float) -> dict[str, float]:
    from devtools import serve_rig
    from devtools.notify_standins import ApiStandIn, SmtpStandIn, free_port

    tmp = Path(tempfile.mkdtemp(prefix="notify-restart-"))
    feeds = serve_rig.burst_feeds(35, background=False)
    smtp, api = SmtpStandIn(), ApiStandIn(serve_rig.TELEGRAM_TOKEN, serve_rig.ZALO_TOKEN)
    try:
        cfg = serve_rig.write_config(tmp, feeds.base_url, smtp.port, api.base_url, free_port())
        serve_rig.subscribe(tmp / "serve.duckdb")
        smtp.refuse = api.refuse = True
        first = serve_rig.ServeProcess(cfg, tmp)
        try:
            for ch in CHANNELS:
                first.wait_for_output(rf"notification via {ch} failed", timeout)
        finally:
            first.kill()
        smtp.refuse = api.refuse = False
        t0 = time.time()
        second = serve_rig.ServeProcess(cfg, tmp)
        try:
            second.wait_until(lambda: all(Counter(r.channel for r in smtp.received + api.received)[c] >= 1
                                          for c in CHANNELS), timeout, "the waiting messages")
        finally:
            second.stop()
        return {r.channel: r.at - t0 for r in smtp.received + api.received}
    finally:
        smtp.stop()
        api.stop()
        feeds.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=180)
    args = ap.parse_args()
    every: list[float] = []
    for i in range(args.runs):
        got = one_run(args.timeout)
        every += got.values()
        print(f"run {i + 1}: " + ", ".join(f"{ch} {got[ch]:.2f} s" for ch in CHANNELS), flush=True)
    print(f"restart → received: p50 {statistics.median(every):.2f} s, max {max(every):.2f} s "
          f"({len(every)} messages)")


if __name__ == "__main__":
    main()
