"""Bad input against a real local HTTP server: each failure is recorded, the other sources go on,
and nothing is lost or duplicated."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta

import pytest

from collectors.runner import Runner, backoff_seconds
from store import items as store_items
from store import sources as store_sources
from tests.conftest import FIXTURES, database, make_config, rss_doc, rss_source, send

GOOD = rss_doc([
    {"title": f"Tin tốt {i}", "link": f"https://bao.vn/tin-{i}", "pubDate": "Sun, 22 Nov 2026 08:00:00 +0700",
     "description": f"Nội dung {i} về Uông Bí"}
    for i in range(5)
])


def run(cfg, db, **kw):
    return asyncio.run(Runner(cfg, db, **kw).run_due(force=True))


def health_by_source(cfg, db):
    with db.read() as cur:
        return {h["source"]: h for h in store_sources.health(cur, cfg.sources, datetime(2030, 1, 1))}


@pytest.fixture
def bad_server(server):
    def good(req):
        send(req, 200, GOOD)

    def not_found(req):
        send(req, 404, b"khong thay", "text/plain")

    def error500(req):
        send(req, 500, b"loi", "text/plain")

    def rate_limited(req):
        send(req, 429, b"cham lai", "text/plain", {"Retry-After": "7200"})

    def slow_headers(req):
        time.sleep(2.5)  # longer than read timeout (1 s)
        send(req, 200, GOOD)

    def never_ends(req):
        req.send_response(200)
        req.send_header("Content-Type", "application/rss+xml")
        req.end_headers()
        req.wfile.write(b'<?xml version="1.0"?><rss><channel>')
        for _ in range(400):  # dribbles a byte every 20 ms: never idle long enough for the read timeout
            req.wfile.write(b" ")
            req.wfile.flush()
            time.sleep(0.02)

    def huge(req):
        chunk = b"<item><title>x</title></item>" * 4096
        req.send_response(200)
        req.send_header("Content-Type", "application/rss+xml")
        req.end_headers()
        req.wfile.write(b"<rss><channel>")
        sent = 0
        while sent < 25 * 1024 * 1024:
            req.wfile.write(chunk)
            sent += len(chunk)

    def html_page(req):
        send(req, 200, b"<!doctype html><html><body><h1>Trang chu</h1></body></html>", "text/html")

    def wrong_charset(req):
        body = rss_doc([{"title": "Người dân phản ánh", "link": "https://bao.vn/cs"}])
        send(req, 200, body, "application/rss+xml; charset=ISO-8859-1")

    def vne_malformed(req):
        send(req, 200, (FIXTURES / "rss" / "vnexpress_tin-moi-nhat_2017-11-14_browser-prefix_MALFORMED.xml").read_bytes())

    for path, h in {
        "/good.rss": good, "/404.rss": not_found, "/500.rss": error500, "/429.rss": rate_limited,
        "/slow.rss": slow_headers, "/endless.rss": never_ends, "/huge.rss": huge, "/html.rss": html_page,
        "/charset.rss": wrong_charset, "/vne.rss": vne_malformed,
    }.items():
        server.routes[path] = h
    return server


def test_each_failure_is_recorded_and_others_keep_going(tmp_path, bad_server):
    names = ["good", "404", "500", "429", "slow", "endless", "huge", "html", "charset", "vne"]
    cfg = make_config(tmp_path, [rss_source(n, bad_server.url(f"/{n}.rss")) for n in names],
                      http={"max_body_mb": 20.0, "fetch_deadline_seconds": 4.0})
    with database(cfg.storage.db_path) as db:
        summary = run(cfg, db)
        h = health_by_source(cfg, db)
        with db.read() as cur:
            n_items = store_items.count_items(cur)

    by = {o.source: o for o in summary.outcomes}
    assert by["good"].outcome == "ok" and by["good"].items_new == 5
    assert by["charset"].outcome == "ok" and by["charset"].items_new == 1
    assert by["vne"].outcome == "ok" and by["vne"].items_new == 24
    assert n_items == 5 + 1 + 24

    expect = {
        "404": ("http_status", "HTTP 404"),
        "500": ("http_status", "HTTP 500"),
        "429": ("http_status", "HTTP 429"),
        "slow": ("timeout", "hết thời gian chờ"),
        "endless": ("timeout", "fetch_deadline_seconds"),
        "huge": ("too_large", "20 MB"),
        "html": ("document", "HTML"),
    }
    for name, (kind, text) in expect.items():
        row = h[name]
        assert row["status"] == "error", name
        assert row["last_error_kind"] == kind, (name, row["last_error"])
        assert text in row["last_error"], (name, row["last_error"])
        assert row["consecutive_failures"] == 1
        assert row["next_due_at"] is not None
    assert h["good"]["status"] == "ok" and h["good"]["last_error"] is None
    assert h["vne"]["last_skipped"] == {"no http(s) link": 1}


def test_retry_after_is_honoured(tmp_path, bad_server):
    cfg = make_config(tmp_path, [rss_source("429", bad_server.url("/429.rss"), interval_minutes=5)])
    with database(cfg.storage.db_path) as db:
        before = datetime.utcnow()
        run(cfg, db)
        h = health_by_source(cfg, db)["429"]
    wait = h["next_due_at"] - before
    assert timedelta(seconds=7190) <= wait <= timedelta(seconds=7300)


def test_failing_source_backs_off_but_is_never_disabled(tmp_path, bad_server):
    cfg = make_config(tmp_path, [rss_source("500", bad_server.url("/500.rss"), interval_minutes=15)])
    src = cfg.sources[0]
    delays = [backoff_seconds(cfg, src, n, None) for n in range(1, 12)]
    assert delays[0] == 900 and delays[1] == 1800 and delays[2] == 3600
    assert delays == sorted(delays) and max(delays) == 48 * 3600
    with database(cfg.storage.db_path) as db:
        for _ in range(4):
            run(cfg, db)
        h = health_by_source(cfg, db)["500"]
    assert h["consecutive_failures"] == 4 and h["status"] == "failing" and h["enabled"]


def test_success_resets_failures(tmp_path, server):
    state = {"fail": True}

    def flaky(req):
        if state["fail"]:
            send(req, 503, b"busy", "text/plain")
        else:
            send(req, 200, GOOD)

    server.routes["/flaky.rss"] = flaky
    cfg = make_config(tmp_path, [rss_source("flaky", server.url("/flaky.rss"))])
    with database(cfg.storage.db_path) as db:
        run(cfg, db)
        state["fail"] = False
        run(cfg, db)
        h = health_by_source(cfg, db)["flaky"]
    assert h["consecutive_failures"] == 0 and h["status"] == "ok" and h["last_error"] is not None


def test_conditional_get_uses_etag_and_last_modified(tmp_path, server):
    def cond(req):
        if req.headers.get("If-None-Match") == '"v1"':
            req.send_response(304)
            req.send_header("Content-Length", "0")
            req.end_headers()
            return
        send(req, 200, GOOD, headers={"ETag": '"v1"', "Last-Modified": "Sun, 22 Nov 2026 01:00:00 GMT"})

    server.routes["/c.rss"] = cond
    cfg = make_config(tmp_path, [rss_source("c", server.url("/c.rss"))])
    with database(cfg.storage.db_path) as db:
        first = run(cfg, db).outcomes[0]
        second = run(cfg, db).outcomes[0]
    assert first.outcome == "ok" and first.items_new == 5
    assert second.outcome == "not_modified" and second.items_new == 0
    sent = server.request_headers["/c.rss"][1]
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Sun, 22 Nov 2026 01:00:00 GMT"


def test_same_url_from_two_feeds_and_same_text_at_another_url_are_one_item(tmp_path, server):
    a = rss_doc([{"title": "Sạt lở bãi thải than ở Vàng Danh", "link": "https://a.vn/sat-lo",
                  "description": "Nhiều hộ dân bị ảnh hưởng"}])
    b = rss_doc([
        {"title": "Sạt lở bãi thải than ở Vàng Danh", "link": "https://a.vn/sat-lo?utm_source=rss",
         "description": "Nhiều hộ dân bị ảnh hưởng"},
        {"title": "Sạt lở bãi thải than ở Vàng Danh", "link": "https://news.google.com/articles/xyz",
         "description": "Nhiều hộ dân bị ảnh hưởng"},
    ])
    server.routes["/a.rss"] = lambda req: send(req, 200, a)
    server.routes["/b.rss"] = lambda req: send(req, 200, b)
    cfg = make_config(tmp_path, [rss_source("a", server.url("/a.rss")), rss_source("b", server.url("/b.rss"))])
    with database(cfg.storage.db_path) as db:
        run(cfg, db)
        run(cfg, db)
        with db.read() as cur:
            assert store_items.count_items(cur) == 1
            assert store_items.link_counts(cur) == {"a": 1, "b": 1}


def test_duplicate_guids_missing_and_future_dates(tmp_path, server):
    doc = rss_doc([
        {"title": "Tin trùng", "link": "https://a.vn/dup", "guid": "same"},
        {"title": "Tin trùng", "link": "https://a.vn/dup", "guid": "same"},
        {"title": "Không ngày", "link": "https://a.vn/nodate"},
        {"title": "Ngày tương lai", "link": "https://a.vn/future", "pubDate": "Mon, 01 Jan 2035 00:00:00 +0700"},
    ])
    server.routes["/d.rss"] = lambda req: send(req, 200, doc)
    cfg = make_config(tmp_path, [rss_source("d", server.url("/d.rss"))])
    with database(cfg.storage.db_path) as db:
        o = run(cfg, db).outcomes[0]
        with db.read() as cur:
            rows = cur.execute("SELECT url, published_estimated, flags FROM items ORDER BY url").fetchall()
    assert o.items_new == 3 and o.entries_seen == 4
    flags = {r[0]: (r[1], list(r[2])) for r in rows}
    assert flags["https://a.vn/nodate"] == (True, ["no_date"])
    assert flags["https://a.vn/future"] == (True, ["future_date"])
    assert flags["https://a.vn/dup"] == (True, ["no_date"])


def test_mock_transport_injected(tmp_path):
    import httpx

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/ok.rss":
            return httpx.Response(200, content=GOOD, headers={"content-type": "application/rss+xml"})
        raise httpx.ConnectError("refused", request=request)

    cfg = make_config(tmp_path, [rss_source("ok", "http://feeds.test/ok.rss"),
                                 rss_source("down", "http://feeds.test/down.rss")],
                      http={"allow_private_hosts": ["feeds.test"]})  # a made-up name: no DNS lookup
    with database(cfg.storage.db_path) as db:
        summary = run(cfg, db, transport=httpx.MockTransport(handler))
    by = {o.source: o for o in summary.outcomes}
    assert by["ok"].items_new == 5
    assert by["down"].error_kind == "transport" and "refused" in by["down"].error


def test_a_feed_cut_at_max_entries_keeps_no_validators_so_its_tail_is_asked_again(tmp_path, server):
    """A feed over [limits] max_entries is read for its first 1,000 entries, the rest counted. Had its ETag and
    Last-Modified been kept, the server answered 304 from then on and the tail was never read: the next poll
    must ask for the whole feed again (the entries already stored dedupe as usual)."""
    from collectors.base import ENTRIES_CUT
    from vocab.config import DEFAULT_LIMITS

    MAX_ENTRIES = DEFAULT_LIMITS.max_entries

    big = rss_doc([{"title": f"Tin dài {i}", "link": f"https://bao.vn/dai-{i}", "description": f"Nội dung {i}"}
                   for i in range(MAX_ENTRIES + 5)])

    def cond(req):
        if server.hits["/big.rss"] == 1:  # a small feed first, whose validators are stored
            send(req, 200, GOOD, headers={"ETag": '"v0"', "Last-Modified": "Sat, 21 Nov 2026 01:00:00 GMT"})
            return
        if req.headers.get("If-None-Match") == '"v1"' or req.headers.get("If-Modified-Since", "").startswith("Sun"):
            req.send_response(304)
            req.send_header("Content-Length", "0")
            req.end_headers()
            return
        send(req, 200, big, headers={"ETag": '"v1"', "Last-Modified": "Sun, 22 Nov 2026 01:00:00 GMT"})

    server.routes["/big.rss"] = cond
    cfg = make_config(tmp_path, [rss_source("big", server.url("/big.rss"))])
    with database(cfg.storage.db_path) as db:
        run(cfg, db)
        first = run(cfg, db).outcomes[0]
        second = run(cfg, db).outcomes[0]
        with db.read() as cur:
            state = store_sources.get_states(cur)["big"]
        h = health_by_source(cfg, db)["big"]
    assert first.outcome == "ok" and first.items_new == MAX_ENTRIES and first.skipped[ENTRIES_CUT] == 5
    assert state.etag is None and state.last_modified is None
    assert server.request_headers["/big.rss"][1]["if-none-match"] == '"v0"'
    sent = server.request_headers["/big.rss"][2]
    assert "if-none-match" not in sent and "if-modified-since" not in sent
    assert second.outcome == "ok" and second.items_new == 0 and second.skipped[ENTRIES_CUT] == 5
    assert "5" in str(h["last_skipped"])


def test_a_failed_source_is_logged_in_vietnamese(tmp_path, server, caplog):
    """`langnghe collect` printed «CHÚ Ý: source x failed (http_status): …; next try in 900 s» (round 28)."""
    import logging

    server.routes["/gone.rss"] = lambda req: send(req, 404, b"khong thay", "text/plain")
    cfg = make_config(tmp_path, [rss_source("gone", server.url("/gone.rss"))])
    with database(cfg.storage.db_path) as db, caplog.at_level(logging.WARNING, logger="langnghe.collect"):
        run(cfg, db)
    said = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(m.startswith("nguồn gone lỗi (") and "thử lại sau" in m for m in said), said
    assert not any("failed" in m or "next try" in m for m in said), said
