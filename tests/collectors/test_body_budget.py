"""Every fetch of the process takes its body's bytes from one budget (`http.max_bodies_mb`, collectors/budget.py).

The body cap was per fetch, so 16 fetches in flight could hold 16 × 20 MB. Here: bodies read together never hold
more than the budget; a fetch that declares its length waits for room and then succeeds; a streamed one that
finds the budget spent while reading stops with a clear Vietnamese error, and its bytes are given back. Peak
memory figures are in bench/body_budget.py. Traffic stays on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import threading
import time
from dataclasses import replace
from types import SimpleNamespace

import pytest

from collectors.base import BudgetSpentError, error_kind_label
from collectors import budget as budget_module
from collectors.budget import ByteBudget
from collectors.http import Fetcher
from kindhelpers import fresh_gates, http_cfg, kserver, server  # noqa: F401
from tests.conftest import make_config
from vocab.config import ConfigError

pytestmark = pytest.mark.usefixtures("fresh_gates")
MB = 1 << 20


def slow_body(body: bytes, coding: str = ""):  # type: ignore[no-untyped-def]
    """A route that sends its headers, then its body a little later, so that fetches overlap."""

    def handler(req):  # type: ignore[no-untyped-def]
        req.send_response(200)
        req.send_header("Content-Type", "application/rss+xml")
        req.send_header("Content-Length", str(len(body)))
        if coding:
            req.send_header("Content-Encoding", coding)
        req.end_headers()
        time.sleep(0.1)
        req.wfile.write(body)

    return handler


def fetch_all(urls: list[str], budget: ByteBudget) -> list[object]:
    async def go():  # type: ignore[no-untyped-def]
        async with Fetcher(replace(http_cfg(), max_body_mb=1.0), budget=budget) as f:
            return await asyncio.gather(*(f.get(u) for u in urls), return_exceptions=True)

    return asyncio.run(go())


def test_fetches_in_flight_never_hold_more_than_the_budget_and_a_declared_body_waits_its_turn(server):
    body = b"x" * (900 * 1024)
    server.routes["/f"] = slow_body(body)
    budget = ByteBudget(2 * MB)
    results = fetch_all([server.url("/f")] * 6, budget)
    assert [getattr(r, "body", r) for r in results] == [body] * 6  # each waited for room, none failed
    assert 900 * 1024 < budget.peak <= 2 * MB
    assert budget.used == 0


def test_a_streamed_body_that_finds_the_budget_spent_stops_clearly_and_gives_its_bytes_back(server):
    server.routes["/f"] = slow_body(gzip.compress(b"y" * (900 * 1024)), "gzip")  # decoded size known only when read
    budget = ByteBudget(2 * MB)
    asyncio.run(budget.take(int(1.5 * MB), 0, 0))  # another fetch holds most of it
    [result] = fetch_all([server.url("/f")], budget)
    assert isinstance(result, BudgetSpentError)
    assert "max_bodies_mb" in str(result) and "thử lại" in str(result)
    assert error_kind_label(result.kind) == "hết bộ nhớ dành cho tải về"
    assert budget.used == int(1.5 * MB)  # what the failed fetch had taken is back


def test_a_fetch_holding_nothing_waits_until_another_gives_back():
    budget = ByteBudget(100)

    async def go() -> None:
        await budget.take(80, 0, 0)
        waiting = asyncio.ensure_future(budget.take(50, 0, time.monotonic() + 30))
        await asyncio.sleep(0.2)
        assert not waiting.done()
        budget.give(80)
        await waiting

    asyncio.run(go())
    assert budget.used == 50


def test_a_budget_smaller_than_one_body_is_refused_at_load(tmp_path):
    with pytest.raises(ConfigError, match="max_bodies_mb"):
        make_config(tmp_path, http={"max_body_mb": 20, "max_bodies_mb": 10})


def test_a_blocking_take_holding_nothing_waits_in_its_thread_until_another_gives_back():
    """`take_blocking` is `take` for a worker thread (the IMAP poll): the same waits, slept rather than awaited."""
    budget = ByteBudget(100)
    budget.take_blocking(80, 0, 0)
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            budget.take_blocking(50, 0, time.monotonic() + 30)
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            errors.append(exc)

    waiting = threading.Thread(target=reader)
    waiting.start()
    waiting.join(0.2)
    assert waiting.is_alive()
    budget.give(80)
    waiting.join(30)
    assert not waiting.is_alive() and not errors and budget.used == 50


def test_a_blocking_take_gives_up_at_its_deadline_saying_what_comes_next():
    budget = ByteBudget(100)
    budget.take_blocking(80, 0, 0)
    with pytest.raises(BudgetSpentError, match="max_bodies_mb = .*: hộp thư được đọc ở lần thu thập sau") as spent:
        budget.take_blocking(50, 0, time.monotonic() + 0.2, then="hộp thư được đọc ở lần thu thập sau")
    assert spent.value.retry_after == 60.0 and budget.used == 80
    with pytest.raises(BudgetSpentError, match="thử lại ở lần thu thập sau"):
        budget.take_blocking(50, 0, 0)


def test_a_blocking_take_for_a_holder_waits_no_longer_than_a_holder_may(monkeypatch):
    """A reader that already holds bytes waits at most HOLDER_WAIT_SECONDS (here none), whatever its deadline: two
    that each hold half and wait for the other would otherwise wait until their deadlines. More than the whole
    budget is refused at once."""
    budget = ByteBudget(100)
    budget.take_blocking(80, 0, 0)
    monkeypatch.setattr(budget_module, "HOLDER_WAIT_SECONDS", 0.0)
    never_sleeps = SimpleNamespace(monotonic=time.monotonic, sleep=lambda _s: pytest.fail("a holder waited"))
    monkeypatch.setattr(budget_module, "time", never_sleeps)
    with pytest.raises(BudgetSpentError, match="dùng hết"):
        budget.take_blocking(30, 10, time.monotonic() + 3600)
    with pytest.raises(BudgetSpentError, match="nhiều hơn cả bộ nhớ"):
        budget.take_blocking(60, 50, time.monotonic() + 3600)
    assert budget.used == 80
