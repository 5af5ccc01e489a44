"""What a tab click and the tablet copies of the grids cost, per page, in AppTest on a seeded database (round 23).

    PYTHONPATH=. .venv/bin/python bench/tabs_and_copies.py [--items 600] [--clicks 3]

For each page: the wall seconds of its first run (caches cold), of a rerun with nothing changed, and of a click on
another tab (pages with `ui.tabs`: `on_change="rerun"`, so a tab click reruns the whole page script); and the bytes
of grid data the run sends (every st.dataframe's Arrow table), with those of the tablet copies (`ui.desk_or_tablet`:
a grid drawn twice, the page's CSS shows the one that fits). Nothing leaves the process; no browser.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TABS = {"reports": ("rep_tab", "Lưu trữ"), "sources": ("src_tab", "Thêm nguồn"),
        "admin": ("admin_tab", "Người dùng và quyền")}
PAGES = ["overview", "briefing", "sources", "reports", "admin"]


def grid_bytes(at) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Bytes of every grid the run sends (its proto: the Arrow table and the column settings), and of those drawn in
    a tablet container (`ui.desk_or_tablet`'s «tablet-…» keys)."""
    total = tablet = 0

    def walk(node, in_tablet: bool) -> None:  # type: ignore[no-untyped-def]
        nonlocal total, tablet
        proto = getattr(node, "proto", None)
        in_tablet = in_tablet or "tablet-" in str(getattr(proto, "id", "") or getattr(node, "key", "") or "")
        if getattr(node, "type", "") == "dataframe":
            n = proto.ByteSize()
            total += n
            tablet += n if in_tablet else 0
        for child in (getattr(node, "children", None) or {}).values():
            walk(child, in_tablet)

    walk(at._tree, False)
    return total, tablet


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=600)
    ap.add_argument("--clicks", type=int, default=3)
    args = ap.parse_args(argv)

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from bench.app_db import installed
    from devtools import synth
    from orchestration.accounts import service

    with installed(auth={"bcrypt_rounds": 4}) as (cfg, db):
        synth.seed(db, n_items=args.items)
        service(cfg, db).create_user("quantri", "mat-khau-dai-123", "admin", display_name="Quản trị")
        print(f"{args.items:,} items; seconds (wall); grid data in kB")
        print(f"{'page':10} {'first run':>9} {'rerun':>7} {'tab click':>10} {'grids kB':>9} {'tablet kB':>10}")
        for name in PAGES:
            st.cache_data.clear()
            at = AppTest.from_string(f"from dashboard.views import {name} as _p\n_p.render()\n",
                                     default_timeout=300)
            at.session_state["user"] = {"username": "quantri", "display_name": "Quản trị", "role": "admin"}
            t = time.perf_counter()
            at.run()
            first = time.perf_counter() - t
            reruns, clicks = [], []
            for _ in range(args.clicks):
                t = time.perf_counter()
                at.run()
                reruns.append(time.perf_counter() - t)
            if name in TABS:
                key, label = TABS[name]
                for i in range(args.clicks):
                    at.session_state[key] = label if i % 2 == 0 else None
                    t = time.perf_counter()
                    at.run()
                    clicks.append(time.perf_counter() - t)
            total, tablet = grid_bytes(at)
            click = f"{statistics.median(clicks):10.2f}" if clicks else f"{'—':>10}"
            print(f"{name:10} {first:9.2f} {statistics.median(reruns):7.2f} {click} {total / 1e3:9.1f} "
                  f"{tablet / 1e3:10.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
