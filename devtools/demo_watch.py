"""The demo's watchlist: one active watchlist that fires during the live burst (coal-waste slide in
phường Vàng Danh, demo/corpus), so `make demo` shows a watchlist alert beside the emerging-issue alert.
Demo only; a real install starts with the area defaults shipped paused (store/migrations/080)."""

from __future__ import annotations

from store import users as store_users
from store import watchlists as store_watch
from store.db import Database, utcnow

DEMO_WATCHLIST = {
    "name": "Sạt lở bãi thải (demo)",
    "query": '"bãi thải" OR "bùn thải"',
    "places": [], "topics": [], "source_types": [],
    "min_items": 2, "window_minutes": 60, "severity": "high",
}


def setup(db: Database) -> int:
    """Create the demo watchlist (or switch it back on); returns its id."""
    now = utcnow()
    with db.write() as cur:
        for w in store_watch.list_watchlists(cur):
            if w["name"] == DEMO_WATCHLIST["name"]:
                if not w["active"]:
                    store_watch.update(cur, w["id"], {"active": True}, "(demo)", now)
                return int(w["id"])
        wid = store_watch.create(cur, DEMO_WATCHLIST, "(demo)", now)
        store_users.audit(cur, "(demo)", "watchlist.create", DEMO_WATCHLIST["name"], DEMO_WATCHLIST, now)
        return wid
