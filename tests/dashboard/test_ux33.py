"""Round 28 (ux33): Tổng quan and Tin bài left open say, as a warning, when the server has stopped collecting. The line
«Máy chủ thu thập lần gần nhất lúc 08:10:00» read at 15:00 drew no eye, and staff believed the quiet screen."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from dashboard import clock
from store.sources import Outcome, record_outcome
from tests.dashboard.conftest import Env, no_exception

LAST_UTC = datetime(2026, 12, 7, 1, 10)  # 08:10 in Vietnam: the last collection
INTERVAL = timedelta(minutes=15)


def collected(e: Env) -> None:
    """Every configured source fetched at 08:10, each due again 15 minutes later, as the scheduler leaves them."""
    with e.db.write() as cur:
        for s in e.cfg.sources:
            record_outcome(cur, Outcome(source=s.name, started_at=LAST_UTC - timedelta(seconds=5),
                                        finished_at=LAST_UTC, outcome="ok", next_due_at=LAST_UTC + INTERVAL,
                                        http_status=200, entries_seen=3))


def at_time(monkeypatch, utc: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: utc)


def run(e: Env, page: str):
    at = e.page(page, "viewer").run()
    no_exception(at)
    return at


def line(at, start: str) -> str:
    (one,) = [c.value for c in at.caption if c.value.startswith(start)]
    return one


PAGES = [("overview", "Địa bàn theo dõi:"), ("explorer", "Danh sách đọc lúc")]


@pytest.mark.parametrize("page,start", PAGES)
def test_a_server_that_stopped_collecting_at_08_10_is_a_warning_at_15_00(env, monkeypatch, page, start):
    collected(env)
    at_time(monkeypatch, datetime(2026, 12, 7, 8, 0))  # 15:00 in Vietnam
    at = run(env, page)
    warnings = [w.value for w in at.warning if "ngừng thu thập" in w.value]
    assert warnings == [
        "Máy chủ đã ngừng thu thập tin từ 08:10 (đã 6 giờ 50 phút): tin mới không về, số liệu và danh sách trên trang "
        "dừng ở lúc đó. Hãy báo quản trị viên kiểm tra máy chủ Lắng Nghe (lệnh `langnghe status` cho biết lần thu "
        "thập gần nhất và nguồn nào lỗi)."], [w.value for w in at.warning]
    assert "Máy chủ thu thập lần gần nhất" not in line(at, start)  # said once, as the warning


@pytest.mark.parametrize("page,start", PAGES)
def test_a_server_collecting_on_its_schedule_shows_no_warning(env, monkeypatch, page, start):
    collected(env)
    at_time(monkeypatch, LAST_UTC + timedelta(minutes=20))  # a pass due at 08:25, read at 08:30: not late yet
    at = run(env, page)
    assert not [w.value for w in at.warning if "thu thập" in w.value]
    assert line(at, start).endswith("Máy chủ thu thập lần gần nhất lúc 08:10:00.")


@pytest.mark.parametrize("page,start", PAGES)
def test_a_database_never_collected_says_so_not_late(env, monkeypatch, page, start):
    at_time(monkeypatch, datetime(2026, 12, 7, 8, 0))
    at = run(env, page)
    assert not [w.value for w in at.warning if "thu thập" in w.value]
    assert line(at, start).endswith("Máy chủ chưa thu thập lần nào.")


@pytest.mark.parametrize("page,start", PAGES)
def test_the_seeded_demo_database_shows_no_warning(demo_env, page, start):
    """The demo's data (devtools.synth: each source fetched two minutes before it was seeded, due again ten minutes
    after) read now: no warning."""
    at = run(demo_env, page)
    assert not [w.value for w in at.warning if "ngừng thu thập" in w.value]
    assert "Máy chủ thu thập lần gần nhất lúc" in line(at, start)


def failing(e: Env) -> None:
    """Fetched at 08:10, then three failed tries in a row for every source (a network cut), the last at 08:40, each
    backing off: the scheduler's plan is kept, so the server is not «stopped»."""
    collected(e)
    with e.db.write() as cur:
        for s in e.cfg.sources:
            for k in (1, 2, 3):
                t = LAST_UTC + timedelta(minutes=10 * k)
                record_outcome(cur, Outcome(source=s.name, started_at=t - timedelta(seconds=5), finished_at=t,
                                            outcome="error", next_due_at=t + INTERVAL, error_kind="network",
                                            error="ConnectError"))


@pytest.mark.parametrize("page,start", PAGES)
def test_a_server_whose_every_source_fails_says_so(env, monkeypatch, page, start):
    """Round 28: a network cut left the page quiet with no word, each failed try counting as a collection."""
    failing(env)
    at_time(monkeypatch, LAST_UTC + timedelta(minutes=35))  # 08:45 in Vietnam: not late by the plan
    at = run(env, page)
    assert [w.value for w in at.warning if "nguồn nào" in w.value] == [
        "Máy chủ vẫn chạy nhưng không lấy được tin từ nguồn nào: mọi nguồn đang lỗi (lần lấy được gần nhất lúc 08:10). "
        "Tin mới không về cho đến khi sửa được. Hãy báo quản trị viên kiểm tra kết nối mạng của máy chủ; trang Nguồn "
        "tin cho biết lỗi của từng nguồn."], [w.value for w in at.warning]
    assert not [w.value for w in at.warning if "ngừng thu thập" in w.value]
