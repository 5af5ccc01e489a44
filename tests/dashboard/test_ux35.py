"""Round 29 (ux35): the collection line under Tổng quan's title and Tin bài's count says when the server last
*collected* (a fetch that succeeded), and, when every source's latest try has failed since, that it still tries and
when. It gave the last fetch, failed or not: a server whose every source failed read as fresh."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from store.sources import Outcome, record_outcome
from tests.dashboard.conftest import Env
from tests.dashboard.test_ux33 import INTERVAL, LAST_UTC, PAGES, at_time, collected, line, run

TRY_UTC = LAST_UTC + timedelta(minutes=15)  # 08:25 in Vietnam: the next pass, failed


def failed_once(e: Env, names=None) -> None:
    """Every source (or those named) tried at 08:25 and failed once, due again 15 minutes later (backing off)."""
    with e.db.write() as cur:
        for s in e.cfg.sources:
            if names is None or s.name in names:
                record_outcome(cur, Outcome(source=s.name, started_at=TRY_UTC - timedelta(seconds=5),
                                            finished_at=TRY_UTC, outcome="error", next_due_at=TRY_UTC + INTERVAL,
                                            error_kind="network", error="ConnectError"))


@pytest.mark.parametrize("page,start", PAGES)
def test_a_failed_try_is_not_a_collection_and_the_line_says_it_still_tries(env, monkeypatch, page, start):
    collected(env)
    failed_once(env)
    at_time(monkeypatch, TRY_UTC + timedelta(minutes=5))  # 08:30: neither late nor «failing» (1 failure, not 3)
    at = run(env, page)
    assert line(at, start).endswith(
        "Máy chủ thu thập được tin lần gần nhất lúc 08:10:00; từ đó vẫn thử nhưng lỗi ở mọi nguồn, lần thử gần nhất "
        "lúc 08:25:00."), line(at, start)  # was «Máy chủ thu thập lần gần nhất lúc 08:25:00.»
    assert not [w.value for w in at.warning if "thu thập" in w.value or "nguồn nào" in w.value]


@pytest.mark.parametrize("page,start", PAGES)
def test_a_server_that_never_got_anything_says_so(env, monkeypatch, page, start):
    failed_once(env)
    at_time(monkeypatch, TRY_UTC + timedelta(minutes=5))
    at = run(env, page)
    assert line(at, start).endswith(
        "Máy chủ chưa thu thập được tin lần nào: đã thử nhưng lỗi ở mọi nguồn, lần thử gần nhất lúc 08:25:00."), \
        line(at, start)


@pytest.mark.parametrize("page,start", PAGES)
def test_one_source_still_working_is_a_collection(env, monkeypatch, page, start):
    """Some sources failing, one still fetched: the line gives the last success, no word of failing (Nguồn tin's)."""
    collected(env)
    names = [s.name for s in env.cfg.sources]
    assert len(names) > 1
    failed_once(env, names[1:])
    at_time(monkeypatch, TRY_UTC + timedelta(minutes=5))
    at = run(env, page)
    assert line(at, start).endswith("Máy chủ thu thập lần gần nhất lúc 08:10:00."), line(at, start)


def test_overview_health_line_gives_the_last_success(env, monkeypatch):
    collected(env)
    failed_once(env)
    at_time(monkeypatch, TRY_UTC + timedelta(minutes=5))
    at = run(env, "overview")
    (health,) = [c.value for c in at.caption if c.value.startswith("Tình trạng nguồn tin:")]
    assert "Lần thu thập thành công gần nhất: 07/12/2026 08:10:00" in health, health


def test_a_server_that_failed_everywhere_then_stopped_says_both(env, monkeypatch):
    """Every source failed at 08:25, then the server stopped: the warning gives when it stopped trying and when it last
    collected."""
    collected(env)
    failed_once(env)
    at_time(monkeypatch, datetime(2026, 12, 7, 8, 0))  # 15:00 in Vietnam
    at = run(env, "overview")
    (warn,) = [w.value for w in at.warning if "ngừng thu thập" in w.value]
    assert warn.startswith("Máy chủ đã ngừng thu thập tin từ 08:25 (đã 6 giờ 35 phút); trước đó đã lỗi ở mọi nguồn, "
                           "lần thu thập được tin gần nhất lúc 08:10: tin mới không về"), warn


def test_sources_page_says_a_server_that_never_got_anything(env, monkeypatch):
    failed_once(env)
    at_time(monkeypatch, TRY_UTC + timedelta(minutes=5))
    at = run(env, "sources")
    assert "Chưa thu thập được lần nào: mọi lần thử đều lỗi (lỗi của từng nguồn ở bảng dưới)." in [
        c.value for c in at.caption]


def test_sources_page_gives_the_last_success(env, monkeypatch):
    collected(env)
    failed_once(env)
    at_time(monkeypatch, TRY_UTC + timedelta(minutes=5))
    at = run(env, "sources")
    assert "Lần thu thập thành công gần nhất: 07/12/2026 08:10:00" in [c.value for c in at.caption]
