"""The demo: a local feed server on 127.0.0.1 replaying the shipped corpus as real RSS.

    demo/corpus/quangninh.jsonl  (team-written Quảng Ninh items, offsets in minutes from start)
    demo/background/vntc.jsonl   (national background news, VNTC, MIT)
            │ dated relative to the moment the server starts; future items appear as time passes
            ▼
    DemoFeedServer  GET /feeds/<feed>.rss   (ETag + 304, like a real site)
                    GET /a/<feed>/<slug>.html  (the "original article")
            ▼
    the normal collector path (devtools/demo.toml lists these feeds as [[sources]])

Nothing here is special-cased downstream: the dashboard sees what a live deployment would.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
import socket
import sys
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from vocab.timefmt import VN_TZ

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "demo" / "corpus" / "quangninh.jsonl"
BACKGROUND = ROOT / "demo" / "background" / "vntc.jsonl"

# feed key → (outlet shown to staff, feed title, source_type)
FEEDS: dict[str, tuple[str, str, str]] = {
    "baoquangninh": ("Báo Quảng Ninh", "Báo Quảng Ninh - Tin mới", "press"),
    "vnexpress": ("VnExpress", "Thời sự - VnExpress RSS", "press"),
    "tuoitre": ("Tuổi Trẻ", "Tuổi Trẻ Online - Thời sự", "press"),
    "dantri": ("Dân trí", "Dân trí - Xã hội", "press"),
    "thanhnien": ("Thanh Niên", "Thanh Niên - Thời sự", "press"),
    "vietnamnet": ("VietNamNet", "VietNamNet - Thời sự", "press"),
    "laodong": ("Lao Động", "Báo Lao Động - Xã hội", "press"),
    "vtv": ("VTV News", "VTV News - Trong nước", "press"),
    "tienphong": ("Tiền Phong", "Tiền Phong - Xã hội", "press"),
    "nguoilaodong": ("Người Lao Động", "Người Lao Động - Thời sự", "press"),
    "fb-uongbi": ("Nhóm Uông Bí 24h", "Uông Bí 24h (nhóm công khai)", "social"),
    "forum-voz": ("Diễn đàn VOZ", "voz.vn - Chuyện trò linh tinh", "social"),
    "yt-qtv": ("QTV Quảng Ninh (YouTube)", "QTV - Quảng Ninh TV", "social"),
    "mastodon": ("Mastodon #QuangNinh", "#quangninh trên Mastodon", "social"),
}
_BACKGROUND_FEED = {"vnexpress.net": "vnexpress", "tuoitre.vn": "tuoitre", "thanhnien.com.vn": "thanhnien",
                    "nld.com.vn": "nguoilaodong"}


@dataclass(frozen=True)
class DemoItem:
    feed: str
    slug: str
    title: str
    summary: str
    published: datetime  # aware UTC
    author: str | None = None


def load_items(start: datetime, *, corpus: Path = CORPUS, background: Path = BACKGROUND) -> list[DemoItem]:
    """All demo items with absolute times, given the demo start (aware UTC)."""
    items: list[DemoItem] = []
    if corpus.exists():
        for line in corpus.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            feed = r["feed"] if r["feed"] in FEEDS else "baoquangninh"
            items.append(
                DemoItem(feed, r["slug"], r["title"], r["summary"],
                         start + timedelta(minutes=int(r["offset_minutes"])), r.get("author"))
            )
    if background.exists():
        rng = random.Random(20261122)
        for line in background.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            feed = _BACKGROUND_FEED.get(r.get("outlet_code", ""), "vnexpress")
            offset = rng.randint(-14 * 24 * 60, 6 * 60)  # history, and some released later
            slug = r["id"].lower()
            items.append(DemoItem(feed, slug, r["title"], r["summary"], start + timedelta(minutes=offset)))
    items.sort(key=lambda it: it.published)
    return items


def render_rss(feed: str, items: list[DemoItem], base_url: str, now: datetime) -> bytes:
    """RSS 2.0 in the shape Vietnamese outlets publish (CDATA description with a thumbnail link)."""
    outlet, title, _ = FEEDS[feed]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel>",
        f"<title>{html.escape(title)}</title>",
        f"<link>{base_url}/</link>",
        f"<description>{html.escape(outlet)}</description>",
        "<language>vi</language>",
        f"<lastBuildDate>{format_datetime(now, usegmt=True)}</lastBuildDate>",
    ]
    for it in sorted(items, key=lambda x: x.published, reverse=True):
        link = f"{base_url}/a/{feed}/{it.slug}.html"
        local = it.published.astimezone(VN_TZ)
        desc = f'<a href="{link}"><img width=130 height=100 src="{base_url}/static/thumb.jpg" ></a></br>{html.escape(it.summary)}'
        out += [
            "<item>",
            f"<title>{html.escape(it.title)}</title>",
            f"<description><![CDATA[{desc}]]></description>",
            f"<pubDate>{local.strftime('%a, %d %b %Y %H:%M:%S +0700')}</pubDate>",
            f"<link>{link}</link>",
            f'<guid isPermaLink="false">{feed}-{it.slug}</guid>',
        ]
        if it.author:
            out.append(f"<dc:creator>{html.escape(it.author)}</dc:creator>")
        out.append("</item>")
    out += ["</channel>", "</rss>"]
    return "\n".join(out).encode("utf-8")


def render_article(it: DemoItem) -> bytes:
    outlet = FEEDS[it.feed][0]
    body = (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
        f"<title>{html.escape(it.title)} - {html.escape(outlet)}</title></head><body>"
        f"<article><h1>{html.escape(it.title)}</h1>"
        f"<p class='date'>{it.published.astimezone(VN_TZ):%d/%m/%Y %H:%M}</p>"
        f"<p class='lead'>{html.escape(it.summary)}</p>"
        "<p>(Bài viết mẫu trong dữ liệu trình diễn của Lắng Nghe.)</p></article></body></html>"
    )
    return body.encode("utf-8")


class ServedInThread:
    """A threading socketserver (mixed in before it) served by a thread of its own, whose `stop` waits for every
    thread it started: the serving one, and each connection's, whose socket is shut first. `shutdown` alone returned
    before the serving thread had ended and `server_close` waits for none of the daemon connection threads: an
    HTTP/1.1 client's kept-alive connection held its thread reading after the test that made it (round 29: a
    thread left behind by one test ran on in the next, the way the CI failure of stop 44 came about)."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        self._serving: threading.Thread | None = None
        self._handlers: dict[threading.Thread, Any] = {}  # connection thread → its socket
        super().__init__(*args, **kw)  # type: ignore[call-arg]

    def serve_in_thread(self, name: str | None = None) -> threading.Thread:
        self._serving = threading.Thread(target=self.serve_forever, name=name, daemon=True)  # type: ignore[attr-defined]
        self._serving.start()
        return self._serving

    def process_request(self, request: Any, client_address: Any) -> None:
        """As ThreadingMixIn's (daemon threads), each connection's thread kept with its socket for `stop`; the
        finished ones are forgotten here, so a long-running demo keeps only the open ones."""
        for t in [t for t in self._handlers if not t.is_alive()]:
            del self._handlers[t]
        t = threading.Thread(target=self.process_request_thread, args=(request, client_address),  # type: ignore[attr-defined]
                             daemon=True)
        self._handlers[t] = request
        t.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving (if `serve_in_thread` started it), close the listening socket, end the connections."""
        if self._serving is not None:
            self.shutdown()  # type: ignore[attr-defined]
            self._serving.join(timeout)
        self.server_close()  # type: ignore[attr-defined]
        self.end_connections(timeout)

    def end_connections(self, timeout: float = 5.0) -> None:
        """Shut every open connection and wait for its thread (a server kept for a module of tests does this after
        each test, so that a connection a client kept alive ends with the test that opened it)."""
        for t, request in list(self._handlers.items()):
            if t.is_alive():
                try:
                    request.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                t.join(timeout)


class QuietHTTPServer(ServedInThread, ThreadingHTTPServer):
    """A client that hangs up early (a collector's timeout, a cancelled poll) is not worth a traceback.

    Its listen queue is long (`request_queue_size`, the standard library's is 5): the demo server runs in serve's own
    process, and at start-up the models load there while the first pass opens 16 fetches at once (`[http]
    max_concurrency`) plus the full-text fetches. With the accept thread starved of the GIL for a few seconds, the
    connections past the sixth had their SYN dropped, and the kernel's retries (1, 3, 7, 15 s) outlasted the
    10 s connect timeout: the demo's first robots.txt fetch (Telegram) said «hết thời gian chờ»."""

    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class DemoFeedServer:
    """Threaded HTTP server on 127.0.0.1 that releases items as their time comes."""

    def __init__(self, port: int = 0, *, start: datetime | None = None, items: list[DemoItem] | None = None,
                 clock: Any = None):
        self.start = start or datetime.now(timezone.utc)
        self.items = items if items is not None else load_items(self.start)
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.extra_routes: dict[str, Any] = {}  # path → callable(now) -> (content_type, bytes)
        self.by_slug = {(it.feed, it.slug): it for it in self.items}
        handler = self._handler()
        self.httpd = QuietHTTPServer(("127.0.0.1", port), handler)
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.post_handler: Any = None  # path, body → (content_type, bytes): the own-channel APIs' replies
        from devtools import demo_channels, demo_social

        demo_social.mount(self)
        demo_channels.mount(self)

    def visible(self, feed: str, now: datetime) -> list[DemoItem]:
        return [it for it in self.items if it.feed == feed and it.published <= now]

    def feed_urls(self) -> dict[str, str]:
        return {f: f"{self.base_url}/feeds/{f}.rss" for f in FEEDS}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                now = server.clock()
                path = self.path.split("?", 1)[0]
                if path in server.extra_routes:
                    ctype, body = server.extra_routes[path](now)
                    self._send(200, ctype, body)
                    return
                if path.startswith("/feeds/") and path.endswith(".rss"):
                    feed = path[len("/feeds/"):-len(".rss")]
                    if feed not in FEEDS:
                        self._send(404, "text/plain; charset=utf-8", b"no such feed")
                        return
                    visible = server.visible(feed, now)
                    etag = '"' + hashlib.sha1("|".join(i.slug for i in visible).encode()).hexdigest()[:16] + '"'
                    if self.headers.get("If-None-Match") == etag:
                        self._send(304, "application/rss+xml", b"", {"ETag": etag})
                        return
                    body = render_rss(feed, visible, server.base_url, now)
                    self._send(200, "application/rss+xml; charset=utf-8", body, {"ETag": etag})
                    return
                if path.startswith("/a/") and path.endswith(".html"):
                    parts = path[3:-5].split("/", 1)
                    it = server.by_slug.get((parts[0], parts[1])) if len(parts) == 2 else None
                    if it is None or it.published > now:
                        self._send(404, "text/plain; charset=utf-8", b"not found")
                        return
                    self._send(200, "text/html; charset=utf-8", render_article(it))
                    return
                if path == "/":
                    links = "".join(f"<li><a href='{u}'>{f}</a></li>" for f, u in server.feed_urls().items())
                    self._send(200, "text/html; charset=utf-8", f"<ul>{links}</ul>".encode())
                    return
                self._send(404, "text/plain; charset=utf-8", b"not found")

            do_HEAD = do_GET

            def do_POST(self) -> None:  # noqa: N802
                size = min(int(self.headers.get("Content-Length") or 0), 1 << 20)
                body = self.rfile.read(size)
                if server.post_handler is None:
                    self._send(405, "text/plain; charset=utf-8", b"no POST here")
                    return
                ctype, out = server.post_handler(self.path.split("?", 1)[0], body)
                self._send(200, ctype, out)

        return Handler

    def start_background(self) -> "DemoFeedServer":
        self.httpd.serve_in_thread("demo-feeds")
        return self

    def stop(self) -> None:
        self.httpd.stop()
