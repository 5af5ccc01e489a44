"""HTML list pages with CSS selectors (phản ánh kiến nghị portal) and robots.txt, on a local server."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace

import pytest

from collectors import html_list, robots
from collectors.base import CollectContext
from collectors.http import Fetcher
from collectors.runner import Runner
from store import sources as store_sources
from tests.conftest import database, make_config, send
from kindhelpers import collect, fresh_gates, http_cfg, kserver, server, source  # noqa: F401
from kindspecs import FIX, NOW, PAKN_OPTIONS, to_cp1258
from vocab.config import DEFAULT_LIMITS

pytestmark = pytest.mark.usefixtures("fresh_gates")


def _pakn(server, body=None, ctype="text/html; charset=utf-8"):
    body = body if body is not None else (FIX / "html_list/pakn_quangninh_list.html").read_bytes()
    server.routes["/pakn/danh-sach"] = lambda r: send(r, 200, body, ctype)
    return source("html_list", server.url("/pakn/danh-sach"), options=PAKN_OPTIONS, outlet="PAKN Quảng Ninh")


def test_portal_list_items(server):
    b = collect(_pakn(server))
    a, k, y = b.items
    assert a.title == "Phản ánh về việc bụi than trên tuyến đường Vàng Danh, phường Vàng Danh"
    assert a.url == server.url("/pakn/chi-tiet/20241120-0012")  # relative link resolved
    assert str(a.published_at) == "2024-11-20 01:15:00"  # 08:15 in Việt Nam
    assert a.author == "N*** V*** A" and a.summary.startswith("Xe tải chở than đi qua khu dân cư")
    assert "GPMB" in k.title
    assert y.url == "https://dichvucong.quangninh.gov.vn/pakn/chi-tiet/20241118-0003"  # absolute link kept


def test_windows_1258_page(server):
    text = (FIX / "html_list/pakn_quangninh_list.html").read_text(encoding="utf-8").replace("charset=utf-8",
                                                                                            "charset=windows-1258")
    b = collect(_pakn(server, to_cp1258(text), "text/html"))
    assert b.items[0].title == "Phản ánh về việc bụi than trên tuyến đường Vàng Danh, phường Vàng Danh"


def test_missing_title_in_one_entry_is_counted(server):
    html = ("<ul><li class='pakn-item'><h3 class='pakn-title'><a href='/a'>Có tiêu đề</a></h3></li>"
            "<li class='pakn-item'><h3 class='pakn-title'><a>không có liên kết</a></h3></li>"
            "<li class='pakn-item'><p>khác hẳn</p></li></ul>").encode()
    b = collect(_pakn(server, html))
    assert len(b.items) == 1
    assert b.skipped == {"no link (selector or attribute missing in the entry)": 1,
                         "no title (selector matched nothing in the entry)": 1}


@pytest.mark.parametrize("text,expected", [
    ("Ngày gửi: 20/11/2024 08:15", "2024-11-20 01:15:00"),
    ("08:15 20/11/2024", "2024-11-20 01:15:00"),
    ("Thứ tư, 20/11/2024 - 08:15", "2024-11-20 01:15:00"),
    ("2024-11-20T08:15:00+07:00", "2024-11-20 01:15:00"),
    ("2024-11-20 08:15", "2024-11-20 01:15:00"),
    ("20-11-2024 8h15", "2024-11-20 01:15:00"),
    ("không có ngày", "None"),
    ("31/02/2024", "None"),
    ("20/11/2024 14.30", "2024-11-20 07:30:00"),  # a dotted time was not read: midnight
    ("20/11/2024 - 1.000 lượt xem", "2024-11-19 17:00:00"),  # a number is not a time
    ("20/11/2024 25:10", "2024-11-19 17:00:00"),  # an impossible time lost the date too
])
def test_vietnamese_dates(text, expected):
    assert str(html_list.parse_vn_date(text)) == expected


def test_robots_disallow_is_an_error_not_a_fetch(server):
    server.routes["/robots.txt"] = lambda r: send(r, 200, b"User-agent: *\nDisallow: /pakn/\n", "text/plain")
    src = _pakn(server)
    with pytest.raises(robots.RobotsDisallowed, match="robots.txt không cho phép"):
        collect(src)
    assert "/pakn/danh-sach" not in server.hits


def test_robots_rules_for_our_token(server):
    server.routes["/robots.txt"] = lambda r: send(
        r, 200, b"User-agent: LangNghe\nDisallow: /\n\nUser-agent: *\nAllow: /\n", "text/plain")
    with pytest.raises(robots.RobotsDisallowed):
        collect(_pakn(server))


def test_robots_opt_out_and_cache(server):
    server.routes["/robots.txt"] = lambda r: send(r, 200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
    src = _pakn(server)
    collect(src)
    collect(src)
    assert server.hits["/robots.txt"] == 1  # cached
    robots.clear_cache()
    server.routes["/robots.txt"] = lambda r: send(r, 200, b"User-agent: *\nDisallow: /\n", "text/plain")
    opted_out = source("html_list", server.url("/pakn/danh-sach"), options={**PAKN_OPTIONS, "respect_robots": False})
    assert len(collect(opted_out).items) == 3


def test_robots_unreachable_means_disallow(server):
    server.routes["/robots.txt"] = lambda r: send(r, 503, b"down", "text/plain")
    with pytest.raises(robots.RobotsDisallowed, match="Chưa thu thập .*không tải được robots.txt"):
        collect(_pakn(server))


def test_robots_disallow_shows_on_source_health(server, tmp_path):
    server.routes["/robots.txt"] = lambda r: send(r, 200, b"User-agent: *\nDisallow: /\n", "text/plain")
    src = {"name": "pakn", "kind": "html_list", "url": server.url("/pakn/danh-sach"), "outlet": "PAKN",
           "source_type": "social", "options": PAKN_OPTIONS}
    cfg = make_config(tmp_path, [src])
    with database(cfg.storage.db_path) as db:
        summary = asyncio.run(Runner(cfg, db).run_due(force=True))
        assert summary.errors and summary.errors[0].error_kind == "robots"
        with db.read() as cur:
            row = store_sources.health(cur, cfg.sources, summary.outcomes[0].finished_at)[0]
    assert row["last_error_kind"] == "robots" and "robots.txt không cho phép" in row["last_error"]


def _stalls_then_answers(server, release: threading.Event, rules: bytes) -> None:
    """robots.txt that does not answer (until `release` is set: longer than the read timeout), then answers `rules`."""
    def handler(r):
        if not release.is_set():
            release.wait(5)
            return  # the client gave up long ago: nothing to answer
        send(r, 200, rules, "text/plain")
    server.routes["/robots.txt"] = handler


def _allowed(url: str) -> tuple[bool, str]:
    """One robots.txt decision through the Fetcher, with a read timeout short enough for a stalled answer."""
    async def go() -> tuple[bool, str]:
        async with Fetcher(replace(http_cfg(), read_timeout_seconds=0.3, fetch_deadline_seconds=1.0)) as f:
            v = await robots.verdict(CollectContext(fetch=f.get, now=NOW, limits=DEFAULT_LIMITS), url)
            return v.allowed, v.note

    return asyncio.run(go())


def test_a_robots_txt_that_timed_out_is_asked_again_after_a_minute_then_less_often(server, monkeypatch):
    """One timeout at start-up (the demo under load) kept a source dark for 10 minutes (UNREACHABLE_TTL). A timeout
    is asked again after 60 s, the wait doubled while it keeps failing, never over 600 s; answered, the rules
    apply. The clock is moved, not waited for."""
    clock = [1000.0]
    monkeypatch.setattr(robots, "_clock", lambda: clock[0])
    release = threading.Event()
    _stalls_then_answers(server, release, b"User-agent: *\nDisallow: /private/\n")
    url = server.url("/pakn/danh-sach")
    asked_at = []
    try:
        ok, note = _allowed(url)
        assert not ok and note.startswith("không tải được robots.txt (hết thời gian chờ)")
        asked_at.append(clock[0])
        while len(asked_at) < 6:  # it keeps timing out; asked every 30 s of the clock
            clock[0] += 30
            assert not _allowed(url)[0]
            if server.hits["/robots.txt"] > len(asked_at):
                asked_at.append(clock[0])
        assert [b - a for a, b in zip(asked_at, asked_at[1:])] == [60, 120, 240, 480, 600]
    finally:
        release.set()
    clock[0] += 600
    assert _allowed(url) == (True, "theo robots.txt của trang")  # it answers: the site's rules apply
    assert not _allowed(server.url("/private/x"))[0]


def test_a_robots_txt_answering_503_is_still_asked_again_after_ten_minutes(server, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(robots, "_clock", lambda: clock[0])
    server.routes["/robots.txt"] = lambda r: send(r, 503, b"down", "text/plain")
    url = server.url("/pakn/danh-sach")
    assert not _allowed(url)[0]
    clock[0] += 599
    assert not _allowed(url)[0] and server.hits["/robots.txt"] == 1
    clock[0] += 2
    _allowed(url)
    assert server.hits["/robots.txt"] == 2


@pytest.mark.parametrize("status", [503, 429])
def test_an_unreachable_robots_txt_is_told_apart_by_its_type_not_its_wording(server, monkeypatch, status):
    """ensure_allowed told "robots.txt did not answer" from "the site forbids us" by the note's first words
    (`note.startswith(…)`): a reworded note would have turned every outage into "robots.txt không cho phép". The
    verdict now says it (`Verdict.unreachable`) and the error is its own type and kind."""
    monkeypatch.setattr(robots, "_UNREACHABLE", "robots.txt không trả lời")          # a note worded otherwise
    server.routes["/robots.txt"] = lambda r: send(r, status, b"down", "text/plain")
    with pytest.raises(robots.RobotsUnreachable) as ei:
        collect(_pakn(server))
    assert ei.value.kind == "robots_unreachable" and "Chưa thu thập" in str(ei.value)
    robots.clear_cache()
    server.routes["/robots.txt"] = lambda r: send(r, 200, b"User-agent: *\nDisallow: /\n", "text/plain")
    with pytest.raises(robots.RobotsDisallowed) as ei:
        collect(_pakn(server))
    assert type(ei.value) is robots.RobotsDisallowed and ei.value.kind == "robots"
