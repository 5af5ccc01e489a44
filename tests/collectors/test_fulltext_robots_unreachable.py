"""Full text: a robots.txt that did not answer (5xx, connection refused) is recorded apart from a refusal by
robots.txt, and tried again by a later run once RETRY_AFTER has gone by; a refusal stays final. Local servers on
127.0.0.1 only."""

from __future__ import annotations

import asyncio
import socket
from datetime import timedelta

import pytest

from collectors import fulltext, robots
from store.items import insert_items
from store.db import utcnow
from tests.conftest import make_config, send
from test_fulltext import ARTICLE, _item
from kindhelpers import db, fresh_gates, kserver, server  # noqa: F401

pytestmark = pytest.mark.usefixtures("fresh_gates")
LATER = fulltext.RETRY_AFTER + timedelta(minutes=1)


def _later(monkeypatch) -> None:
    """The robots.txt cache's clock moved past its wait, as RETRY_AFTER later."""
    start = robots._clock()
    monkeypatch.setattr(robots, "_clock", lambda: start + LATER.total_seconds())


def _status(db, item_id: str) -> str:
    with db.read() as cur:
        return cur.execute("SELECT status FROM item_fulltext WHERE item_id = ?", [item_id]).fetchone()[0]


def test_a_robots_txt_that_errors_is_recorded_apart_and_tried_again_later(server, db, tmp_path, monkeypatch):
    server.routes["/robots.txt"] = lambda r: send(r, 503, b"busy", "text/plain")
    server.routes["/bai-1.html"] = lambda r: send(r, 200, ARTICLE, "text/html; charset=utf-8")
    item = _item(server.url("/bai-1.html"), 1)
    with db.write() as cur:
        insert_items(cur, [item])
    cfg = make_config(tmp_path, [], fulltext={"per_host_spacing_seconds": 0.0})
    assert asyncio.run(fulltext.run(cfg, db)) == {"robots_unreachable": 1}
    assert "/bai-1.html" not in server.hits and _status(db, item.id) == "robots_unreachable"
    assert asyncio.run(fulltext.run(cfg, db)) == {}  # not before RETRY_AFTER
    server.routes["/robots.txt"] = lambda r: send(r, 200, b"User-agent: *\nAllow: /\n", "text/plain")
    _later(monkeypatch)
    assert asyncio.run(fulltext.run(cfg, db, now=utcnow() + LATER)) == {"ok": 1}
    assert _status(db, item.id) == "ok"


def test_a_robots_txt_on_a_refused_connection_is_unreachable_not_a_refusal(db, tmp_path):
    with socket.socket() as s:  # a port nothing listens on: connection refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    item = _item(f"http://127.0.0.1:{port}/bai-1.html", 1)
    with db.write() as cur:
        insert_items(cur, [item])
    cfg = make_config(tmp_path, [], fulltext={"per_host_spacing_seconds": 0.0})
    assert asyncio.run(fulltext.run(cfg, db)) == {"robots_unreachable": 1}


def test_a_refusal_by_robots_txt_stays_final(server, db, tmp_path, monkeypatch):
    server.routes["/robots.txt"] = lambda r: send(r, 200, b"User-agent: *\nDisallow: /\n", "text/plain")
    item = _item(server.url("/bai-1.html"), 1)
    with db.write() as cur:
        insert_items(cur, [item])
    cfg = make_config(tmp_path, [], fulltext={"per_host_spacing_seconds": 0.0})
    assert asyncio.run(fulltext.run(cfg, db)) == {"robots": 1}
    _later(monkeypatch)
    assert asyncio.run(fulltext.run(cfg, db, now=utcnow() + LATER)) == {}
    assert _status(db, item.id) == "robots"


def test_staff_read_the_two_apart_in_vietnamese():
    assert fulltext.status_label("robots") == "robots.txt không cho phép"
    assert fulltext.status_label("robots_unreachable") == "không tải được robots.txt"  # tried again or not: said beside it
    assert fulltext.status_label("http_404") == "máy chủ trả lỗi HTTP 404"
    assert fulltext.status_label("fetch_timeout") == "hết thời gian chờ"
