"""Notification latency: from the moment an alert is raised to its arrival at a local SMTP server (aiosmtpd)
and a local Telegram Bot API stand-in (HTTP), through the outbox and the delivery job, all on 127.0.0.1.
    .venv/bin/python bench/notify.py [--alerts 20]
Prints per-channel p50/p95 of raise → delivered (the job runs right after detection in the same scheduler
tick, so this is the delay inside one tick), and the job's own time per pass.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--alerts", type=int, default=20)
    a = ap.parse_args()
    from devtools.notify_standins import ApiStandIn, SmtpStandIn
    from orchestration import notify
    from store import alerts as store_alerts
    from store import notify as store_notify
    from store.db import Database, utcnow
    from tests.conftest import make_config
    from vocab.alerts import NewAlert

    smtp, tg = SmtpStandIn(), ApiStandIn(telegram_token="bench-token")
    os.environ["LANGNGHE_TELEGRAM_TOKEN"] = "bench-token"
    tmp = Path(tempfile.mkdtemp())
    cfg = make_config(tmp, notify={"telegram": {"base_url": tg.base_url},
                                   "email": {"host": "127.0.0.1", "port": smtp.port, "security": "none"}})
    db = Database(cfg.storage.db_path)
    with db.write() as cur:
        store_notify.save_subscription(cur, store_notify.Subscription(0, "u", "email", "canbo@example.vn"))
        store_notify.save_subscription(cur, store_notify.Subscription(0, "u", "telegram", "-1001"))
    lat: dict[str, list[float]] = {"email": [], "telegram": []}
    job = []
    for i in range(a.alerts):
        t0 = time.time()
        with db.write() as cur:
            store_alerts.raise_alert(cur, NewAlert.of(f"Sự cố thử {i}", "high", "3 tin từ 3 nguồn trong 5 phút",
                                                      places=["Phường Vàng Danh"], n_items=3, n_outlets=3), utcnow())
        t1 = time.time()
        notify.deliver(cfg, db)
        job.append(time.time() - t1)
        lat["email"].append(smtp.received[-1].at - t0)
        lat["telegram"].append(tg.of("telegram")[-1].at - t0)
    for ch, xs in lat.items():
        xs.sort()
        print(f"{ch}: raise → delivered p50 {1000 * statistics.median(xs):.0f} ms, p95 {1000 * xs[int(0.95 * (len(xs) - 1))]:.0f} ms "
              f"({len(xs)} alerts)")
    print(f"delivery job per pass: p50 {1000 * statistics.median(job):.0f} ms")
    smtp.stop()
    tg.stop()


if __name__ == "__main__":
    main()
