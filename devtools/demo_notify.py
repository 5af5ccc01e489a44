"""The demo's push: the demo admin subscribes the console channel, so the burst alert (and the demo
watchlist's) is printed as a notification on the `make demo` console — no account anywhere."""

from __future__ import annotations

from devtools.demo_accounts import DEMO_ADMIN
from store import notify as store_notify
from store.db import Database


def setup(db: Database) -> int:
    with db.write() as cur:
        return store_notify.save_subscription(cur, store_notify.Subscription(
            0, DEMO_ADMIN, "console", DEMO_ADMIN, min_severity="medium"))
