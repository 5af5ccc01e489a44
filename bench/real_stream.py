"""Real third-party news through the whole product: local RSS feeds → collect → NLP → stories → alerts.

    PYTHONPATH=. .venv/bin/python bench/real_stream.py [--n 3000] [--days 10] [--step-minutes 60]
                                                      [--db var/realstream.duckdb] [--seed 7] [--model-dir D]

Material: the VNTC sample in /work/shared/data/shippable/news_vntc_10topics_sample (MIT; VnExpress, Tuổi Trẻ,
Thanh Niên, Người Lao Động articles of 2005–06, no dates). The articles carry no dates, so each outlet × topic
group is laid over the simulated days in the order of its original file number (the crawl order, the only order
the corpus has), with a few minutes of jitter. The simulated days end at the wall clock's current hour, so the
dashboard (which reads the real clock) shows them.

The feeds are served from 127.0.0.1 (one per outlet × topic, the newest 40 items published by the simulated now,
ETag + 304); full text is on and fetched from the same server. Every step of simulated time runs the real
collection path (collectors.runner.Runner with the simulated clock, orchestration.ingest.processor: full text,
NLP tags, cases, watchlists) and the scheduler's detection (detection.jobs.Detector.run at the simulated time).

Prints: items, in-area share and places, 30 in-area items to read, topic and sentiment distribution, story
sizes, the negative share per VNTC section (also on the articles that are not rows of data/training/labelled_V*.jsonl,
which the press sentiment model may train on: round 15), 30 random same-story pairs, the most similar cross-outlet pairs with whether they were merged, every
alert with its reason and items, and wall time / CPU / peak RSS per 1,000 items. The database is kept (--db);
--pages renders Tổng quan and Cảnh báo on a copy of it in AppTest (--report-only --pages: on an earlier run).
--tag-only skips collection: the same articles are tagged as the ingest path reads them (title; the lead, then the
article's beginning, store.tags.summary_and_article) and only the negative share per section is printed — a quick
check of a model variant (round 15), not the product's path.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import html
import json
import random
import re
import sys
import threading
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.measure import peak_rss_mb  # noqa: E402
from devtools.vntc import clean, title_lead_body  # noqa: E402  (after the path: run as a script)

VNTC = Path("/work/shared/data/shippable/news_vntc_10topics_sample")
OUTLETS = {"vnexpress.net": "VnExpress", "tuoitre.vn": "Tuổi Trẻ", "thanhnien.vn": "Thanh Niên",
           "nld.com.vn": "Người Lao Động"}
FEED_SIZE = 40


@dataclass(frozen=True)
class Article:
    feed: str  # outlet key × topic key
    slug: str
    outlet: str
    title: str
    lead: str
    body: str
    published: datetime  # aware UTC


def load_articles(n: int, days: float, end: datetime, seed: int) -> list[Article]:
    rows: list[dict[str, Any]] = []
    for name in ("train.jsonl", "test.jsonl"):
        rows += [json.loads(line) for line in (VNTC / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    seen: set[str] = set()
    uniq = []
    for r in rows:
        key = clean(r["text"])[:300]
        if key not in seen:
            seen.add(key)
            uniq.append(r)
    rng = random.Random(seed)
    pick = rng.sample(uniq, min(n, len(uniq)))
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in pick:
        topic = re.sub(r"\W+", "", unicodedata.normalize("NFKD", r["label"]).lower())[:10]
        groups[f"{r['source'].split('.')[0]}-{topic}"].append(r)
    start = end - timedelta(days=days)
    out = []
    for feed, rs in groups.items():
        rs.sort(key=lambda r: int(re.sub(r"\D", "", r["id"]) or 0))
        for k, r in enumerate(rs):
            at = start + timedelta(days=days) * (k + rng.random()) / len(rs)
            title, lead, body = title_lead_body(r)
            slug = re.sub(r"\W+", "-", r["id"].lower()).strip("-")
            out.append(Article(feed, slug, OUTLETS.get(r["source"], r["source"]), title, lead[:400],
                               "\n".join(body), at))
    out.sort(key=lambda a: a.published)
    return out


class Feeds:
    """Threaded 127.0.0.1 server: /feeds/<feed>.rss (newest FEED_SIZE published by `now`), /a/<feed>/<slug>.html."""

    def __init__(self, articles: list[Article]):
        self.now = datetime(2000, 1, 1, tzinfo=timezone.utc)
        self.by_feed: dict[str, list[Article]] = defaultdict(list)
        for a in articles:
            self.by_feed[a.feed].append(a)
        self.by_slug = {(a.feed, a.slug): a for a in articles}
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def visible(self, feed: str) -> list[Article]:
        return [a for a in self.by_feed[feed] if a.published <= self.now][-FEED_SIZE:]

    def rss(self, feed: str, items: list[Article]) -> bytes:
        out = ['<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>',
               f"<title>{html.escape(feed)}</title><link>{self.base}/</link><language>vi</language>",
               f"<lastBuildDate>{format_datetime(self.now, usegmt=True)}</lastBuildDate>"]
        for a in reversed(items):
            link = f"{self.base}/a/{a.feed}/{a.slug}.html"
            out.append(f"<item><title>{html.escape(a.title)}</title><link>{link}</link>"
                       f"<guid isPermaLink=\"false\">{a.slug}</guid>"
                       f"<pubDate>{format_datetime(a.published, usegmt=True)}</pubDate>"
                       f"<description><![CDATA[<a href=\"{link}\"><img src=\"{self.base}/t.jpg\"></a></br>"
                       f"{html.escape(a.lead)}]]></description></item>")
        out.append("</channel></rss>")
        return "".join(out).encode("utf-8")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        feeds = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a: Any) -> None:
                pass

            def _send(self, code: int, ctype: str, body: bytes, etag: str | None = None) -> None:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                p = self.path.split("?", 1)[0]
                if p.startswith("/feeds/") and p.endswith(".rss"):
                    items = feeds.visible(p[7:-4])
                    etag = '"' + hashlib.sha1("|".join(a.slug for a in items).encode()).hexdigest()[:16] + '"'
                    if self.headers.get("If-None-Match") == etag:
                        self._send(304, "application/rss+xml", b"", etag)
                    else:
                        self._send(200, "application/rss+xml; charset=utf-8", feeds.rss(p[7:-4], items), etag)
                    return
                if p.startswith("/a/") and p.endswith(".html"):
                    a = feeds.by_slug.get(tuple(p[3:-5].split("/", 1)))  # type: ignore[arg-type]
                    if a is not None and a.published <= feeds.now:
                        paras = "".join(f"<p>{html.escape(x)}</p>" for x in a.body.split("\n"))
                        page = (f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>"
                                f"{html.escape(a.title)}</title></head><body><article><h1>{html.escape(a.title)}"
                                f"</h1>{paras}</article></body></html>")
                        self._send(200, "text/html; charset=utf-8", page.encode("utf-8"))
                        return
                self._send(404, "text/plain", b"not found")

        return H


def config(db_path: str, feeds: Feeds, model_dir: str = "") -> Any:
    from vocab import config as config_mod

    data = config_mod.read_toml(config_mod.DEFAULTS_PATH)
    host = feeds.base.split("//", 1)[1]
    srcs = [{"name": f"rs-{f}", "kind": "rss", "url": f"{feeds.base}/feeds/{f}.rss",
             "outlet": feeds.by_feed[f][0].outlet, "source_type": "press", "interval_minutes": 1}
            for f in sorted(feeds.by_feed)]
    over = {"storage": {"db_path": db_path, "snapshot_path": db_path + ".snap"},
            "http": {"allow_private_hosts": [host], "per_host_spacing_seconds": 0.0},
            "fulltext": {"per_host_spacing_seconds": 0.0, "max_age_hours": 24 * 400.0, "max_per_run": 500,
                         "respect_robots": False}}
    if model_dir:  # the models of `langnghe train --out DIR` (a variant) instead of the configured ones
        over["nlp"] = {"model_dir": model_dir}
    data = config_mod._merge(data, over)
    data["sources"] = srcs
    return config_mod.parse(data)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2000, 1, 1)

    def __call__(self) -> datetime:
        return self.now


def run_stream(args: argparse.Namespace) -> dict[str, Any]:
    from collectors.runner import Runner
    from detection.jobs import detector
    from orchestration import ingest
    from store.db import Database

    end = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    arts = load_articles(args.n, args.days, end, args.seed)
    feeds = Feeds(arts)
    for p in (args.db, args.db + ".wal", args.db + ".snap"):
        Path(p).unlink(missing_ok=True)
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    cfg = config(args.db, feeds, args.model_dir)
    clock = Clock()
    step = timedelta(minutes=args.step_minutes)
    t = arts[0].published.replace(tzinfo=None, minute=0, second=0, microsecond=0) + step
    stop = end.replace(tzinfo=None) + step
    w0, c0 = time.monotonic(), time.process_time()
    n_alerts = 0
    with Database(args.db) as db:
        runner = Runner(cfg, db, on_new_items=ingest.processor(cfg, db, clock), clock=clock)
        det = detector(cfg, db)
        loop = asyncio.new_event_loop()
        while t <= stop:
            clock.now, feeds.now = t, t.replace(tzinfo=timezone.utc)
            loop.run_until_complete(runner.run_due(force=True))
            n_alerts += len(det.run(t))
            t += step
        loop.close()
    wall, cpu = time.monotonic() - w0, time.process_time() - c0
    feeds.httpd.shutdown()
    rss_mb = peak_rss_mb()
    return {"articles": len(arts), "wall": wall, "cpu": cpu, "rss_mb": rss_mb, "alerts": n_alerts}


def report(db_path: str, seed: int, figures: dict[str, Any] | None) -> None:
    import duckdb

    con = duckdb.connect(db_path, read_only=True)
    q = lambda sql, *p: con.execute(sql, list(p)).fetchall()  # noqa: E731
    n_items = q("SELECT count(*) FROM items")[0][0]
    n_tag = q("SELECT count(*) FROM item_tags")[0][0]
    n_ft = q("SELECT count(*) FROM item_fulltext WHERE status = 'ok'")[0][0]
    n_area = q("SELECT count(*) FROM item_tags WHERE in_area")[0][0]
    print(f"items {n_items}, tagged {n_tag}, with full text {n_ft}; in area {n_area} ({100 * n_area / max(n_tag, 1):.1f}%)")
    if figures:
        k = max(n_items, 1) / 1000
        print(f"time: wall {figures['wall']:.0f} s, CPU {figures['cpu']:.0f} s for {n_items} items = "
              f"{figures['wall'] / k:.1f} s wall, {figures['cpu'] / k:.1f} s CPU per 1,000 items; peak RSS "
              f"{figures['rss_mb']:.0f} MB; alerts raised {figures['alerts']}")
    places = Counter(p for (ps,) in q("SELECT places FROM item_tags WHERE places IS NOT NULL") for p in ps)
    print("places (items):", ", ".join(f"{p} {c}" for p, c in places.most_common(40)))
    print("\n== topics")
    topics = Counter(t for (ts,) in q("SELECT topics FROM item_tags") for t in (ts or ["(none)"]))
    for tp, c in topics.most_common():
        print(f"  {tp:20} {c:5} {100 * c / max(n_tag, 1):5.1f}%")
    print("== sentiment")
    for s, c in q("SELECT sentiment, count(*) FROM item_tags GROUP BY 1 ORDER BY 2 DESC"):
        print(f"  {s!s:10} {c:5} {100 * c / max(n_tag, 1):5.1f}%")
    print("== sentiment by VNTC section (feed)")
    rows = q("SELECT regexp_extract(i.source, 'rs-[a-z]+-(.*)', 1), t.sentiment, count(*) FROM items i "
             "JOIN item_tags t ON t.item_id = i.id GROUP BY 1, 2")
    by: dict[str, Counter[str]] = defaultdict(Counter)
    for f, s, c in rows:
        by[f][str(s)] += c
    for f, cs in sorted(by.items()):
        tot = sum(cs.values())
        print(f"  {f:12} " + " ".join(f"{s} {100 * c / tot:.0f}%" for s, c in cs.most_common()))
    negative_shares([(f, slug, str(s)) for f, slug, s in q(
        "SELECT regexp_extract(i.source, 'rs-[a-z]+-(.*)', 1), regexp_extract(i.url, '/([^/]*)[.]html$', 1), "
        "t.sentiment FROM items i JOIN item_tags t ON t.item_id = i.id")])
    print("== topics by VNTC section (feed): the three most frequent ((none): no topic)")
    rows = q("SELECT regexp_extract(i.source, 'rs-[a-z]+-(.*)', 1), t.topics FROM items i "
             "JOIN item_tags t ON t.item_id = i.id")
    tby: dict[str, Counter[str]] = defaultdict(Counter)
    nby: Counter[str] = Counter()
    for f, ts in rows:
        nby[f] += 1
        tby[f].update(ts or ["(none)"])
    for f in sorted(tby):
        print(f"  {f:12} " + " ".join(f"{t} {100 * c / nby[f]:.0f}%" for t, c in tby[f].most_common(3)))
    rng = random.Random(seed)
    area = q("SELECT i.id, i.outlet, i.title, t.place_details::VARCHAR, i.title || ' ' || i.summary || ' ' || "
             "coalesce(f.text, '') FROM items i JOIN item_tags t ON t.item_id = i.id "
             "LEFT JOIN item_fulltext f ON f.item_id = i.id WHERE t.in_area ORDER BY i.id")
    print(f"\n== {min(30, len(area))} in-area items (of {len(area)}) to read: each area place in its context")
    for r in rng.sample(area, min(30, len(area))):
        print(f"  [{r[0][:8]}] {r[1]}: {r[2][:100]}")
        for d in json.loads(r[3] or "[]"):
            if d.get("in_area"):
                m = str(d.get("matched_text") or "")
                k = r[4].find(m) if m else -1
                ctx = r[4][max(0, k - 70):k + len(m) + 50].replace("\n", " ") if k >= 0 else "?"
                print(f"      {d['display']} ← «{m}»: …{ctx}…")
    print("\n== stories")
    sizes = Counter(c for (c,) in q("SELECT count(*) FROM story_items GROUP BY story_id"))
    print("  size → stories:", ", ".join(f"{s}:{c}" for s, c in sorted(sizes.items())))
    big = q("SELECT s.story_id, count(*) n, any_value(st.title) FROM story_items s JOIN stories st USING (story_id) "
            "GROUP BY 1 ORDER BY 2 DESC LIMIT 15")
    for sid, n, title in big:
        print(f"  {sid} {n} items: {title}")
    members = q("SELECT story_id, list(item_id) FROM story_items GROUP BY 1 HAVING count(*) > 1")
    pairs = []  # at most two pairs per story, so one long chain does not fill the sample
    for _, ids in members:
        own = [(ids[i], ids[j]) for i in range(len(ids)) for j in range(i + 1, len(ids))]
        pairs += rng.sample(own, min(2, len(own)))
    title = dict(q("SELECT id, outlet || ' | ' || title FROM items"))
    print(f"\n== {min(30, len(pairs))} random merged pairs (of {len(pairs)}, at most two per story)")
    for a, b in rng.sample(pairs, min(30, len(pairs))):
        print(f"  - {title[a]}\n    {title[b]}")
    print("\n== alerts")
    for aid, at, ttl, sev, reason, n, places_, ids in q(
            "SELECT alert_id, raised_at, title, severity, reason, n_items, places, item_ids FROM alerts "
            "ORDER BY raised_at"):
        print(f"  {aid} {at} [{sev}] {n} items places={places_}: {ttl}\n     reason: {reason}")
        for iid in ids or []:
            print(f"       · {title.get(iid)}")
    con.close()


def negative_shares(rows: list[tuple[str, str, str]]) -> None:
    """Print the negative share per VNTC section (rows: section key, article slug, sentiment), on all items and on the
    items that are not rows of data/training/labelled_V*.jsonl."""
    vslugs = labelled_v_slugs()
    neg: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # negative, all; the same without the V rows
    for f, slug, s in rows:
        v = slug in vslugs
        neg[f][0] += s == "negative"
        neg[f][1] += 1
        neg[f][2] += s == "negative" and not v
        neg[f][3] += not v
    n_v = sum(c[1] - c[3] for c in neg.values())
    print(f"== negative share by VNTC section: all items / items that are not labelled_V rows ({n_v} V rows left out)")
    for f, (a, n, b, m) in sorted(neg.items()):
        print(f"  {f:12} {100 * a / max(n, 1):5.1f}% of {n:4}   {100 * b / max(m, 1):5.1f}% of {m:4}")
    a, n, b, m = (sum(c[k] for c in neg.values()) for k in range(4))
    print(f"  {'all':12} {100 * a / max(n, 1):5.1f}% of {n:4}   {100 * b / max(m, 1):5.1f}% of {m:4}")


def tag_only(args: argparse.Namespace) -> None:
    """--tag-only: the articles tagged directly by the pipeline, as the ingest path reads a press item with its full
    text (title; lead + article beginning, [nlp] fulltext_chars 2000), no server, no collection."""
    from nlp.eval import load_pipeline
    from store.tags import summary_and_article

    end = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    arts = load_articles(args.n, args.days, end, args.seed)
    pipe = load_pipeline(args.model_dir)
    rows = [{"id": f"{a.feed}/{a.slug}", "title": a.title, "source_type": "press",
             "text": summary_and_article(a.lead, f"{a.title}\n{a.body}", 2000)} for a in arts]
    out = pipe.tag(rows)
    negative_shares([(a.feed.split("-", 1)[1], a.slug, str(o["sentiment"])) for a, o in zip(arts, out)])


def labelled_v_slugs() -> set[str]:
    """The article slugs (as load_articles makes them from the VNTC id) of the rows of data/training/labelled_V*.jsonl."""
    out: set[str] = set()
    for p in sorted((ROOT / "data" / "training").glob("labelled_V*.jsonl")):
        for ln in p.read_text(encoding="utf-8").splitlines():
            if ln.strip():
                out.add(re.sub(r"\W+", "-", json.loads(ln)["vntc_id"].lower()).strip("-"))
    return out


def pages(db_path: str, names: tuple[str, ...] = ("overview", "alerts")) -> None:
    """Render the Tổng quan and Cảnh báo pages on a copy of the database in AppTest, as the admin; print what
    they show (metrics, captions, notices, the first rows of their tables)."""
    import shutil
    import tempfile

    import duckdb
    from streamlit.testing.v1 import AppTest

    from orchestration import runtime
    from store.db import Database
    from vocab import config as config_mod

    tmp = Path(tempfile.mkdtemp()) / "pages.duckdb"
    shutil.copy(db_path, tmp)
    con = duckdb.connect(str(tmp), read_only=True)
    srcs = [{"name": n, "kind": "rss", "url": f"http://127.0.0.1:9/{n}.rss", "outlet": o, "source_type": "press"}
            for n, o in con.execute("SELECT source, any_value(outlet) FROM items GROUP BY 1").fetchall()]
    con.close()
    data = config_mod._merge(config_mod.read_toml(config_mod.DEFAULTS_PATH),
                             {"storage": {"db_path": str(tmp), "snapshot_path": f"{tmp}.snap"}})
    data["sources"] = srcs
    db = Database(str(tmp))
    runtime.install(config_mod.parse(data), db)
    try:
        for name in names:
            at = AppTest.from_string(f"from dashboard.views import {name} as _p\n_p.render()\n", default_timeout=120)
            at.session_state["user"] = {"username": "quantri", "display_name": "Cán bộ", "role": "admin"}
            at.run()
            print(f"\n== page {name}: exceptions {[e.value for e in at.exception]}")
            for kind in ("metric", "caption", "info", "warning", "error"):
                for el in getattr(at, kind):
                    print(f"  [{kind}] {getattr(el, 'label', '') or ''} {el.value}"[:300])
            for df in at.dataframe:
                print("  [table]", "; ".join(str(r)[:160] for r in df.value.head(5).to_dict("records")))
    finally:
        runtime.reset()
        db.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3000, help="articles (of about 7,000)")
    ap.add_argument("--days", type=float, default=10.0, help="simulated days the articles are spread over")
    ap.add_argument("--step-minutes", type=float, default=60.0, help="simulated minutes between collection passes")
    ap.add_argument("--db", default="var/realstream.duckdb")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--model-dir", default="", help="models to run (`langnghe train --out DIR`; default: [nlp] model_dir)")
    ap.add_argument("--report-only", action="store_true", help="only print the report of an existing --db")
    ap.add_argument("--pages", action="store_true", help="also render Tổng quan and Cảnh báo on the database")
    ap.add_argument("--tag-only", action="store_true", help="only tag the articles with the pipeline (no collection) "
                    "and print the negative share per section")
    args = ap.parse_args()
    if args.tag_only:
        tag_only(args)
        return
    figures = None if args.report_only else run_stream(args)
    report(args.db, args.seed, figures)
    if args.pages:
        pages(args.db)


if __name__ == "__main__":
    main()
