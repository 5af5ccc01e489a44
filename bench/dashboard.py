"""Dashboard speed at scale: p50/p95 of every query the pages run, and of a full page render in AppTest.

    .venv/bin/python bench/dashboard.py                      # 1M items, 20k stories, 2k alerts (~2 min to load)
    .venv/bin/python bench/dashboard.py --items 100000 --stories 2000 --alerts 200
    .venv/bin/python bench/dashboard.py --db var/bench-dashboard.duckdb   # keep / reuse the loaded database
    .venv/bin/python bench/dashboard.py --db /tmp/search-bench-1m.duckdb --search --repeat 30  # search p95 at 1M

Items are synthetic (devtools/synth.py): Vietnamese headlines over two years, with tags, place details,
stories, alerts and their events. Queries are timed uncached (the store functions dashboard/data.py
calls), each `--repeat` times with a cold DuckDB cursor; page renders are AppTest runs with the
Streamlit cache cleared before each, so every query of the page really runs. Targets: p95 under
300 ms per query and under 2 s per page at 1M items. Prints a table; --json FILE also writes the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable
from devtools import DEMO_CONFIG_PATH

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.measure import pct  # noqa: E402

QUERY_TARGET_MS = 300.0
PAGE_TARGET_MS = 2000.0


def load(db_path: Path, n_items: int, n_stories: int, n_alerts: int) -> dict[str, Any]:
    from devtools import synth
    from store.db import Database

    t0 = time.perf_counter()
    with Database(db_path) as db:
        with db.read() as cur:
            have = cur.execute("SELECT count(*) FROM items").fetchone()[0]
        if have >= n_items:
            print(f"reusing {db_path}: {have:,} items", flush=True)
            return {"reused": True, "items": have, **index_search(db)}
        last = [time.perf_counter()]

        def progress(n: int) -> None:
            if time.perf_counter() - last[0] > 10:
                print(f"  loaded {n:,} items ({time.perf_counter() - t0:.0f} s)", flush=True)
                last[0] = time.perf_counter()

        counts = synth.seed(db, n_items=n_items, n_stories=n_stories, n_alerts=n_alerts, days=730,
                            progress=progress)
        from orchestration.accounts import AuthService, AuthSettings

        auth = AuthService(db, AuthSettings(bcrypt_rounds=4))
        for name, role in (("xem", "viewer"), ("chuyenvien", "analyst"), ("quantri", "admin")):
            auth.create_user(name, "mat-khau-bench-1", role)
        with db.write() as cur:
            cur.execute("CHECKPOINT")
    counts["load_seconds"] = round(time.perf_counter() - t0, 1)
    print(f"loaded in {counts['load_seconds']} s: {counts}", flush=True)
    return counts


def index_search(db: Any) -> dict[str, Any]:
    """Index items a bulk load left unindexed, then sort the postings; prints and returns the times."""
    from store import search
    from store.db import utcnow

    t0 = time.perf_counter()
    with db.write() as cur:
        added = search.index_missing(cur)
    t1 = time.perf_counter()
    if not added:
        return {}
    with db.write() as cur:
        n = search.compact(cur, utcnow())
    t2 = time.perf_counter()
    print(f"search index: {added:,} postings built in {t1 - t0:.0f} s, {n:,} sorted in {t2 - t1:.0f} s", flush=True)
    return {"search_index_seconds": round(t1 - t0, 1), "search_sort_seconds": round(t2 - t1, 1)}


def queries(db: Any, cfg: Any) -> dict[str, Callable[[], Any]]:
    """Every query the pages run, as the data layer calls it (dashboard/data.py), uncached."""
    from dashboard.data import local_day_start
    from orchestration import sources as sources_store
    from store import alerts as A
    from store import dashboard as q
    from store import items as store_items
    from store import search as S
    from store import sources as store_sources
    from store import tags as store_tags
    from store import users as U
    from store.db import utcnow

    now = utcnow()
    with db.read() as cur:
        row = cur.execute("SELECT alert_id FROM alerts ORDER BY raised_at DESC LIMIT 1").fetchone()
        some_alert = row[0] if row else "A000001"  # a load cut short has no alerts
        some_item = cur.execute("SELECT id FROM items ORDER BY published_at DESC LIMIT 1 OFFSET 7").fetchone()[0]

    def r(fn: Callable[..., Any], *a: Any, **k: Any) -> Callable[[], Any]:
        def run() -> Any:
            with db.read() as cur:
                return fn(cur, *a, **k)
        return run

    srcs = sources_store.effective_config(cfg, db).sources
    d7, d14, d30, d90 = (now - timedelta(days=d) for d in (7, 14, 30, 90))
    open_states = ["new", "reopened", "acknowledged", "assigned"]
    return {
        # overview
        "overview.totals": r(store_items.totals, now),
        "overview.today_vs_usual": r(q.today_vs_usual, now, local_day_start(now), cfg.dashboard.baseline_days),
        "overview.sentiment_share_7d": r(q.sentiment_share, d7),
        "overview.topics_over_time_14d": r(q.topics_over_time, d14, "day", 7),
        "overview.latest_items_50": r(q.latest_items, cfg.dashboard.latest_items),
        "overview.open_alerts": r(A.list_alerts, open_states, 200),
        "overview.source_health": r(store_sources.health, srcs, now),
        "overview.last_collection_at": r(store_sources.last_collection_at),
        # alerts
        "alerts.queue_open": r(A.list_alerts, open_states, 2000),
        "alerts.queue_all": r(A.list_alerts, None, 2000),
        "alerts.status_counts": r(q.alert_status_counts),
        "alerts.get_alert": r(A.get_alert, some_alert),
        "alerts.alert_items": r(A.alert_items, some_alert),
        "alerts.alert_timeline": r(A.alert_timeline, some_alert, 7),
        "alerts.alert_history": r(q.alert_history, some_alert),
        "alerts.users": r(U.list_users),
        # briefing
        "briefing.last_briefing": r(U.last_briefing),
        "briefing.alerts_since_7d": r(q.alerts_for_briefing, d7),
        "briefing.notes_since_7d": r(q.alert_notes_since, d7),
        "briefing.top_stories_7d": r(q.top_stories, d7, 10),
        "briefing.negative_items_7d": r(q.negative_items, d7, cfg.dashboard.briefing_negative_items),
        # explorer
        "explorer.filter_options_90d": r(q.filter_options, d90),
        "explorer.default_7d": r(S.search, "", since=d7, limit=cfg.dashboard.explorer_limit),
        "explorer.default_all": r(S.search, "", limit=cfg.dashboard.explorer_limit),
        # search (store.search): one word, and a three-term boolean query, over everything and over 7 days
        "search.one_word_all": r(S.search, "than", limit=500),
        "search.one_word_7d": r(S.search, "than", since=d7, limit=500),
        "search.boolean_3_terms_all": r(S.search, '"bụi than" OR "ô nhiễm" -"Cẩm Phả"', limit=500),
        "search.boolean_3_terms_7d": r(S.search, '"bụi than" OR "ô nhiễm" -"Cẩm Phả"', since=d7, limit=500),
        "search.plain_words_newest_30d": r(S.search, "o nhiem uong bi", since=d30, order="newest", limit=500),
        "explorer.filters_30d": r(S.search, "", since=d30, topics=["environment", "health"],
                                  sentiments=["negative"], in_area_only=True, source_types=["social"], limit=500),
        "explorer.place_filter_all": r(S.search, "", places=["phường Vàng Danh (TP Uông Bí cũ)"], limit=500),
        "explorer.item_detail": r(q.item_detail, some_item),
        "explorer.label_history": r(store_tags.label_history, some_item),
        # topics & places
        "topics.topic_trends_7d": r(q.topic_trends, now - timedelta(days=14), d7, now),
        "topics.place_trends_7d": r(q.place_trends, now - timedelta(days=14), d7, now),
        "topics.topic_trends_90d": r(q.topic_trends, now - timedelta(days=180), d90, now),
        "topics.place_trends_90d": r(q.place_trends, now - timedelta(days=180), d90, now),
        # sources
        "sources.health": r(store_sources.health, srcs, now),
        "sources.alarms": r(A.source_alarms),
        "sources.recent_errors": r(q.recent_errors, 30),
        "sources.managed": r(U.list_managed_sources),
        # admin
        "admin.alert_audit_7d": r(A.audit_log, since=d7, limit=1000),
        "admin.dashboard_audit_7d": r(U.list_audit, d7, 1000),
        "admin.logins": r(U.recent_logins, 1000),
        "admin.settings": r(U.get_settings),
    }


def time_queries(db: Any, cfg: Any, repeat: int, only: str = "") -> dict[str, dict[str, float]]:
    """p50/p95/max wall ms of each query, and p50/p95 CPU ms (this process, all DuckDB threads: what the
    query costs whatever else the shared machine runs; wall time grows with the load average)."""
    out = {}
    for name, fn in queries(db, cfg).items():
        if not name.startswith(only):
            continue
        fn()  # warm: first use of a table pulls it from disk into DuckDB's buffer
        ms, cpu = [], []
        for _ in range(repeat):
            t, c = time.perf_counter(), time.process_time()
            fn()
            ms.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        out[name] = {"p50": statistics.median(ms), "p95": pct(ms, 95), "max": max(ms),
                     "cpu_p50": statistics.median(cpu), "cpu_p95": pct(cpu, 95)}
        print(f"  {name:38} p50 {out[name]['p50']:7.1f} ms   p95 {out[name]['p95']:7.1f} ms   "
              f"cpu p50 {out[name]['cpu_p50']:6.1f} ms   cpu p95 {out[name]['cpu_p95']:6.1f} ms", flush=True)
    return out


SEARCH_SHAPES = {  # issue 14: the two query shapes with a p95 target at 1M items
    "search.one_word_all": "one word, all time",
    "search.one_word_7d": "one word, 7 days",
    "search.boolean_3_terms_all": "three-term boolean, all time",
    "search.boolean_3_terms_7d": "three-term boolean, 7 days",
}


def search_summary(qres: dict[str, dict[str, float]], n_items: int) -> bool:
    """Print the search p95 (wall and CPU) of the two query shapes at `n_items`; True if all are under
    the target. The load average is printed with it: wall times on a shared machine depend on it."""
    rows = [(label, qres[name]) for name, label in SEARCH_SHAPES.items() if name in qres]
    if not rows:
        return True
    print(f"\nsearch at {n_items:,} items (p95 over the runs; target < {QUERY_TARGET_MS:.0f} ms wall):")
    for label, r in rows:
        ok = r["p95"] < QUERY_TARGET_MS
        print(f"  {label:32} p95 wall {r['p95']:7.0f} ms   p95 cpu {r['cpu_p95']:6.0f} ms   {'OK' if ok else 'OVER'}")
    print(f"  load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return all(r["p95"] < QUERY_TARGET_MS for _, r in rows)


def page_run_ms(name: str, repeat: int, timeout: float) -> tuple[list[float], str | None]:
    """Wall ms of `repeat` AppTest runs of page `name` as the admin, the data cache cleared before each (a first
    run, which imports the page's modules, is not counted); or the exception of the run that failed. Also
    bench/office_walk.py's."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    script = f"from dashboard.views import {name} as _p\n_p.render()\n"
    ms: list[float] = []
    for i in range(repeat + 1):
        st.cache_data.clear()
        at = AppTest.from_string(script, default_timeout=timeout)
        at.session_state["user"] = {"username": "quantri", "display_name": "Quản trị", "role": "admin"}
        t = time.perf_counter()
        at.run()
        took = (time.perf_counter() - t) * 1000
        if at.exception:
            return ms, str(at.exception[0].value)
        if i:
            ms.append(took)
    return ms, None


def time_pages(cfg: Any, db: Any, repeat: int) -> dict[str, dict[str, float]]:
    from dashboard import nav
    from orchestration import runtime
    runtime.install(cfg, db)
    out = {}
    for spec in nav.discover():
        ms, failed = page_run_ms(spec.name, repeat, 120)
        if failed:
            raise SystemExit(f"page {spec.name} failed: {failed}")
        out[spec.name] = {"p50": statistics.median(ms), "p95": pct(ms, 95), "max": max(ms)}
        print(f"  {spec.name:38} p50 {out[spec.name]['p50']:7.0f} ms   p95 {out[spec.name]['p95']:7.0f} ms",
              flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=1_000_000)
    ap.add_argument("--stories", type=int, default=20_000)
    ap.add_argument("--alerts", type=int, default=2_000)
    ap.add_argument("--repeat", type=int, default=20, help="timed runs per query")
    ap.add_argument("--page-repeat", type=int, default=5, help="timed AppTest runs per page")
    ap.add_argument("--db", help="database file to load into / reuse (default: a temporary file)")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--only", default="", help="time only the queries whose name starts with this (e.g. search.)")
    ap.add_argument("--no-pages", action="store_true", help="skip the AppTest page renders")
    ap.add_argument("--search", action="store_true",
                    help="only the search queries at --items items (same as --only search. --no-pages), "
                         "with the p95 wall and CPU of the issue-14 query shapes")
    args = ap.parse_args(argv)
    if args.search:
        args.only, args.no_pages = "search.", True

    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from vocab import config as config_mod
    from store.db import Database

    tmp = None
    if args.db:
        db_path = Path(args.db)
        db_path.parent.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="langnghe-bench-")
        db_path = Path(tmp.name) / "bench.duckdb"
    print(f"loading {args.items:,} items, {args.stories:,} stories, {args.alerts:,} alerts into {db_path}", flush=True)
    counts = load(db_path, args.items, args.stories, args.alerts)
    data = config_mod.read_toml(config_mod.DEFAULTS_PATH)
    data = config_mod._merge(data, {"storage": {"db_path": str(db_path)}})
    data["sources"] = config_mod.read_toml(DEMO_CONFIG_PATH)["sources"]
    cfg = config_mod.parse(data)
    db = Database(db_path)
    try:
        with db.read() as cur:
            n = cur.execute("SELECT count(*) FROM items").fetchone()[0]
        print(f"\nqueries ({args.repeat} runs each, uncached) at {n:,} items:", flush=True)
        with db.read() as cur:
            from store import search as S

            print(f"search index: {cur.execute('SELECT count(*) FROM search_postings').fetchone()[0]:,} postings, "
                  f"unsorted tail {S.tail_rows(cur):,}", flush=True)
        qres = time_queries(db, cfg, args.repeat, args.only)
        pres: dict[str, dict[str, float]] = {}
        if not args.no_pages:
            print(f"\nfull page renders in AppTest ({args.page_repeat} runs each, cache cleared before each):",
                  flush=True)
            pres = time_pages(cfg, db, args.page_repeat)
    finally:
        db.close()
        if tmp:
            tmp.cleanup()
    search_summary(qres, n)
    worst_q = max(qres.items(), key=lambda kv: kv[1]["p95"])
    worst_p = max(pres.items(), key=lambda kv: kv[1]["p95"]) if pres else ("(skipped)", {"p95": 0.0})
    q_ok = worst_q[1]["p95"] < QUERY_TARGET_MS
    p_ok = worst_p[1]["p95"] < PAGE_TARGET_MS
    print(f"\nslowest query p95: {worst_q[0]} {worst_q[1]['p95']:.0f} ms (target < {QUERY_TARGET_MS:.0f} ms): "
          f"{'OK' if q_ok else 'OVER'}")
    print(f"slowest page  p95: {worst_p[0]} {worst_p[1]['p95']:.0f} ms (target < {PAGE_TARGET_MS:.0f} ms): "
          f"{'OK' if p_ok else 'OVER'}")
    print(f"machine: {os.cpu_count()} CPUs; python {sys.version.split()[0]}")
    if args.json:
        Path(args.json).write_text(json.dumps({"items": n, "load": counts, "queries": qres, "pages": pres},
                                              indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return 0 if (q_ok and p_ok) else 1


if __name__ == "__main__":
    sys.exit(main())
