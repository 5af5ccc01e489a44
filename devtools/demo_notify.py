"""The demo's push: the demo admin subscribes the console channel, so the burst alert (and the demo
watchlist's) is printed as a notification on the `make demo` console — no account anywhere."""

from __future__ import annotations

from store import notify as store_notify
from store.db import Database


def setup(db: Database, username: str) -> int:
    """Subscribe `username` (the demo admin, passed by the `demo` command) to the console channel."""
    with db.write() as cur:
        return store_notify.save_subscription(cur, store_notify.Subscription(
            0, username, "console", username, min_severity="medium"))
