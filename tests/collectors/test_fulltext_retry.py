"""Full text (round 20): a page that timed out, whose connection failed or whose server answered 5xx is tried again
by a later run, 10 minutes after the first try and twice as long after each next, up to [fulltext] max_attempts
tries, and `langnghe fulltext` says what waits and what was given up; a 4xx answer stays final. Until round 20 all
of these were final. Local servers on 127.0.0.1 only, a real DuckDB file."""

from __future__ import annotations

import argparse
import asyncio
import socket
import time
from datetime import timedelta

import pytest

from collectors import budget as budgets
from collectors import fulltext
from langnghe.commands import fulltext as fulltext_cmd
from store import fulltext as store_fulltext
from store.db import utcnow
from store.items import insert_items
from tests.conftest import make_config, send
from test_fulltext import ARTICLE, _item
from kindhelpers import db, fresh_gates, kserver, server  # noqa: F401

pytestmark = pytest.mark.usefixtures("fresh_gates")
MIN = timedelta(minutes=1)


def _row(db, item_id: str) -> tuple[str, int, bool]:
    with db.read() as cur:
        status, tries, retry_at = cur.execute(
            "SELECT status, attempts, retry_at FROM item_fulltext WHERE item_id = ?", [item_id]).fetchone()
    return status, tries, retry_at is not None


def _cfg(tmp_path, **ft):
    return make_config(tmp_path, [], fulltext={"per_host_spacing_seconds": 0.0, **ft})


def test_a_5xx_page_is_tried_again_later_and_its_text_kept_once_it_answers(server, db, tmp_path):
    answers = iter([503, 200])
    server.routes["/bai-1.html"] = lambda r: send(r, s := next(answers), ARTICLE if s == 200 else b"busy", "text/html")
    item = _item(server.url("/bai-1.html"), 1)
    with db.write() as cur:
        insert_items(cur, [item])
    cfg, now = _cfg(tmp_path), utcnow()
    assert asyncio.run(fulltext.run(cfg, db, now=now)) == {"http_503": 1}
    assert _row(db, item.id) == ("http_503", 1, True)
    assert asyncio.run(fulltext.run(cfg, db, now=now + 9 * MIN)) == {}  # not before RETRY_AFTER
    assert asyncio.run(fulltext.run(cfg, db, now=now + 11 * MIN)) == {"ok": 1}
    assert _row(db, item.id) == ("ok", 2, False)


def test_a_failure_that_may_pass_is_given_up_after_max_attempts_with_growing_waits(server, db, tmp_path):
    server.routes["/bai-1.html"] = lambda r: send(r, 502, b"bad gateway", "text/html")
    item = _item(server.url("/bai-1.html"), 1)
    with db.write() as cur:
        insert_items(cur, [item])
    cfg, now = _cfg(tmp_path, max_attempts=3), utcnow()
    assert asyncio.run(fulltext.run(cfg, db, now=now)) == {"http_502": 1}
    assert asyncio.run(fulltext.run(cfg, db, now=now + 11 * MIN)) == {"http_502": 1}  # 2nd try, 10 min after the 1st
    assert _row(db, item.id) == ("http_502", 2, True)
    assert asyncio.run(fulltext.run(cfg, db, now=now + 30 * MIN)) == {}  # the next waits 20 min after the 2nd
    assert asyncio.run(fulltext.run(cfg, db, now=now + 32 * MIN)) == {"http_502": 1}
    assert _row(db, item.id) == ("http_502", 3, False)  # given up: final
    assert asyncio.run(fulltext.run(cfg, db, now=now + 5 * 60 * MIN)) == {}
    assert server.hits["/bai-1.html"] == 3


def test_a_refused_connection_and_a_timeout_may_pass_a_4xx_does_not(server, db, tmp_path):
    with socket.socket() as s:  # a port nothing listens on: connection refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    def slow(r):
        time.sleep(1.5)  # past make_config's read timeout (1 s)
        send(r, 200, ARTICLE, "text/html")

    server.routes["/cham.html"] = slow
    refused, late, gone = (_item(f"http://127.0.0.1:{port}/bai.html", 1), _item(server.url("/cham.html"), 2),
                           _item(server.url("/mat.html"), 3))
    with db.write() as cur:
        insert_items(cur, [refused, late, gone])
    cfg = _cfg(tmp_path, respect_robots=False)
    assert asyncio.run(fulltext.run(cfg, db)) == {"fetch_transport": 1, "fetch_timeout": 1, "http_404": 1}
    assert _row(db, refused.id) == ("fetch_transport", 1, True)
    assert _row(db, late.id) == ("fetch_timeout", 1, True)
    assert _row(db, gone.id) == ("http_404", 1, False)


def test_langnghe_fulltext_says_what_waits_and_what_was_given_up(server, db, tmp_path, capsys):
    server.routes["/bai-1.html"] = lambda r: send(r, 503, b"busy", "text/html")
    server.routes["/bai-2.html"] = lambda r: send(r, 500, b"loi", "text/html")
    one, two = _item(server.url("/bai-1.html"), 1), _item(server.url("/bai-2.html"), 2)
    with db.write() as cur:
        insert_items(cur, [one, two])
    cfg = _cfg(tmp_path)
    asyncio.run(fulltext.run(cfg, db, ids=[two.id], now=utcnow() - 100 * MIN))
    asyncio.run(fulltext.run(cfg, db, ids=[two.id], now=utcnow() - 80 * MIN))
    asyncio.run(fulltext.run(cfg, db, ids=[two.id], now=utcnow() - 50 * MIN))  # the 3rd: given up
    db.close()
    assert fulltext_cmd.run(argparse.Namespace(limit=None), cfg) == 0
    out = capsys.readouterr().out
    assert "Toàn văn: máy chủ trả lỗi HTTP 503: 1" in out
    assert "Bài lỗi tạm thời chờ thử lại (tối đa 3 lần" in out and "máy chủ trả lỗi HTTP 503 — đã thử 1 lần: 1" in out
    assert "Bài lỗi tạm thời đã thôi thử lại: 1" in out and "máy chủ trả lỗi HTTP 500 — đã thử 3 lần: 1" in out


def test_a_page_that_found_the_body_budget_held_by_other_fetches_is_tried_again(server, db, tmp_path):
    """[http] max_bodies_mb full (other fetches of the process held it until the deadline) says nothing of the page:
    it was stored as final, fetch_memory_budget, and the article never got its text (round 20)."""
    server.routes["/bai-1.html"] = lambda r: send(r, 200, ARTICLE, "text/html")
    item = _item(server.url("/bai-1.html"), 1)
    with db.write() as cur:
        insert_items(cur, [item])
    cfg = make_config(tmp_path, [], fulltext={"per_host_spacing_seconds": 0.0, "respect_robots": False},
                      http={"max_body_mb": 1, "max_bodies_mb": 1.25, "fetch_deadline_seconds": 1.0})
    held = budgets.shared(int(1.25 * (1 << 20)))  # the process's budget for that setting (the Fetcher takes it)
    assert held.try_take(held.total)  # another fetch holds it all
    now = utcnow()
    try:
        assert asyncio.run(fulltext.run(cfg, db, now=now)) == {"fetch_memory_budget": 1}
    finally:
        held.give(held.total)
    assert _row(db, item.id) == ("fetch_memory_budget", 1, True)
    assert asyncio.run(fulltext.run(cfg, db, now=now + 11 * MIN)) == {"ok": 1}
    assert _row(db, item.id) == ("ok", 2, False)


def test_which_failures_may_pass():
    assert all(fulltext.may_pass(s) for s in ("http_500", "http_503", "fetch_timeout", "fetch_transport",
                                              "robots_unreachable", "fetch_memory_budget"))
    assert not any(fulltext.may_pass(s) for s in ("http_404", "http_429", "robots", "fetch_blocked_address",
                                                  "fetch_too_large", "empty", "not_html", "ok", "http_5000"))
    now = utcnow()
    assert fulltext.next_try("http_503", 1, now, 3) == now + fulltext.RETRY_AFTER
    assert fulltext.next_try("http_503", 2, now, 3) == now + 2 * fulltext.RETRY_AFTER
    assert fulltext.next_try("http_503", 3, now, 3) is None and fulltext.next_try("http_404", 1, now, 3) is None


def test_a_given_up_robots_txt_failure_is_not_promised_another_try():
    """`langnghe fulltext` lists robots.txt failures whose tries are spent under «đã thôi thử lại»: the status's own
    words said «(sẽ thử lại sau)» (written when it was retried without a bound), contradicting the heading (review12)."""
    given_up = store_fulltext.Outcomes("robots_unreachable", 3, False, 2)
    lines = fulltext.retry_lines([given_up], 3)
    assert lines[0].startswith("Bài lỗi tạm thời đã thôi thử lại")
    assert not any("sẽ thử lại" in line for line in lines)
