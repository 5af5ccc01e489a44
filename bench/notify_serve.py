"""Alert raised → message received, through a real `langnghe serve` process and its scheduler tick, all on
127.0.0.1: the demo feed server releasing the Vàng Danh burst live, a local SMTP server (aiosmtpd) and a
Telegram/Zalo API stand-in (devtools/serve_rig.py, devtools/notify_standins.py).

    .venv/bin/python bench/notify_serve.py [--runs 3] [--tick 20] [--minutes-ago 7]

Each run: a fresh database, one staff member subscribed on e-mail, Telegram and Zalo, the demo watchlist
(as `make demo` has), the demo clock set `--minutes-ago` minutes back so the burst's alert comes a minute
or two after the start; serve runs until the burst alert has reached every channel, then stops (Ctrl+C).
The latency is the stand-in's clock when it accepted the message minus the alert row's raised_at (the
detection time of the tick that raised it). Prints every alert, then p50/max per channel against the tick.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def one_run(tick: float, minutes_ago: float, timeout: float) -> list[tuple[str, str, str, float, float]]:
    """(alert_id, title, channel, seconds from raised_at to received, seconds from serve's start to the
    raise) for every message of one run."""
    import duckdb

    from devtools import demo_watch, serve_rig
    from devtools.notify_standins import ApiStandIn, SmtpStandIn, free_port
    from store.db import Database

    tmp = Path(tempfile.mkdtemp(prefix="notify-serve-"))
    feeds = serve_rig.burst_feeds(minutes_ago)
    smtp, api = SmtpStandIn(), ApiStandIn(serve_rig.TELEGRAM_TOKEN, serve_rig.ZALO_TOKEN)
    try:
        cfg = serve_rig.write_config(tmp, feeds.base_url, smtp.port, api.base_url, free_port(), tick_seconds=tick)
        serve_rig.subscribe(tmp / "serve.duckdb")
        with Database(tmp / "serve.duckdb") as db:
            demo_watch.setup(db)
        started = time.time()
        srv = serve_rig.ServeProcess(cfg, tmp)

        def burst_everywhere() -> bool:  # the story alert; the watchlist's ("Theo dõi …") usually comes first
            got = {r.channel for r in smtp.received + api.received
                   if "bãi thải" in r.text.split("\n")[0] and "Theo dõi" not in r.text.split("\n")[0]}
            return got >= {"email", "telegram", "zalo"}

        try:
            srv.wait_until(burst_everywhere, timeout, "the burst alert on every channel")
        finally:
            srv.stop()
        con = duckdb.connect(str(tmp / "serve.duckdb"), read_only=True)
        raised = {a: (t, r) for a, t, r in con.execute("SELECT alert_id, title, raised_at FROM alerts").fetchall()}
        con.close()
        out = []
        for r in smtp.received + api.received:
            m = re.search(r"/alerts\?alert=(A\d+)", r.text)
            if not m or m.group(1) not in raised:
                continue
            title, at = raised[m.group(1)]
            t_raised = at.replace(tzinfo=timezone.utc).timestamp()
            out.append((m.group(1), title, r.channel, r.at - t_raised, t_raised - started))
        return out
    finally:
        smtp.stop()
        api.stop()
        feeds.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tick", type=float, default=20, help="schedule.tick_seconds (shipped default 20)")
    ap.add_argument("--minutes-ago", type=float, default=7, help="how long ago the demo 'started' (burst at +3…+31)")
    ap.add_argument("--timeout", type=float, default=600)
    a = ap.parse_args()
    per_channel: dict[str, list[float]] = defaultdict(list)
    for i in range(a.runs):
        rows = one_run(a.tick, a.minutes_ago, a.timeout)
        for aid, title, ch, lat, when in sorted(rows):
            print(f"run {i + 1}: {aid} raised {when:5.0f} s after serve started; {ch:8s} raised → received "
                  f"{lat:6.2f} s  ({title[:50]})", flush=True)
            per_channel[ch].append(lat)
    print(f"\ntick {a.tick:g} s, {a.runs} runs:")
    for ch, xs in sorted(per_channel.items()):
        print(f"{ch:8s} raised → received p50 {statistics.median(xs):.2f} s, max {max(xs):.2f} s ({len(xs)} messages)"
              f" — {'within' if max(xs) <= a.tick else 'NOT within'} one tick")


if __name__ == "__main__":
    main()
