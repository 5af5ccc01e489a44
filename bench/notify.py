"""Notification latency: from the moment an alert is raised to its arrival at a local SMTP server (aiosmtpd)
and a local Telegram Bot API stand-in (HTTP), through the outbox and the delivery job, all on 127.0.0.1.
    .venv/bin/python bench/notify.py [--alerts 20]
Prints per-channel p50/p95 of raise → delivered (the job runs right after detection in the same scheduler
tick, so this is the delay inside one tick), and the job's own time per pass.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--alerts", type=int, default=20)
    a = ap.parse_args()
    from aiosmtpd.controller import Controller

    from orchestration import notify
    from store import alerts as store_alerts
    from store import notify as store_notify
    from store.db import Database, utcnow
    from tests.conftest import free_port, make_config
    from vocab.alerts import NewAlert

    arrived: dict[str, list[float]] = {"email": [], "telegram": []}

    class Box:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            arrived["email"].append(time.perf_counter())
            return "250 OK"

    class TG(BaseHTTPRequestHandler):
        def log_message(self, *x):  # quiet
            pass

        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            arrived["telegram"].append(time.perf_counter())
            body = json.dumps({"ok": True, "result": {"message_id": 1}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    smtp_port = free_port()
    ctl = Controller(Box(), hostname="127.0.0.1", port=smtp_port)
    ctl.start()
    tg = ThreadingHTTPServer(("127.0.0.1", 0), TG)
    threading.Thread(target=tg.serve_forever, daemon=True).start()
    os.environ["LANGNGHE_TELEGRAM_TOKEN"] = "bench-token"
    tmp = Path(tempfile.mkdtemp())
    cfg = make_config(tmp, notify={"telegram": {"base_url": f"http://127.0.0.1:{tg.server_address[1]}"},
                                   "email": {"host": "127.0.0.1", "port": smtp_port, "security": "none"}})
    db = Database(cfg.storage.db_path)
    with db.write() as cur:
        store_notify.save_subscription(cur, store_notify.Subscription(0, "u", "email", "canbo@example.vn"))
        store_notify.save_subscription(cur, store_notify.Subscription(0, "u", "telegram", "-1001"))
    lat: dict[str, list[float]] = {"email": [], "telegram": []}
    job = []
    for i in range(a.alerts):
        t0 = time.perf_counter()
        with db.write() as cur:
            store_alerts.raise_alert(cur, NewAlert.of(f"Sự cố thử {i}", "high", "3 tin từ 3 nguồn trong 5 phút",
                                                      places=["Phường Vàng Danh"], n_items=3, n_outlets=3), utcnow())
        t1 = time.perf_counter()
        notify.deliver(cfg, db)
        job.append(time.perf_counter() - t1)
        for ch in lat:
            lat[ch].append(arrived[ch][-1] - t0)
    for ch, xs in lat.items():
        xs.sort()
        print(f"{ch}: raise → delivered p50 {1000 * statistics.median(xs):.0f} ms, p95 {1000 * xs[int(0.95 * (len(xs) - 1))]:.0f} ms "
              f"({len(xs)} alerts)")
    print(f"delivery job per pass: p50 {1000 * statistics.median(job):.0f} ms")
    ctl.stop()
    tg.shutdown()


if __name__ == "__main__":
    main()
