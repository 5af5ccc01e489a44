"""One byte budget for every response body being read in this process (`http.max_bodies_mb`).

The body cap (`http.max_body_mb`) bounds one fetch; `http.max_concurrency` fetches at that cap could hold
16 × 20 MB together. Every Fetcher of the process (the runner's pass, the full-text catch-up) takes its bytes
from the same budget as they arrive, and gives them back when the fetch ends:

    fetch wants n bytes ─┬─ fits in what is left ──────────────▶ taken
                         ├─ holds nothing yet ─▶ waits (polls) until it fits, or its deadline: BudgetSpentError
                         └─ already holds some ─▶ waits at most HOLDER_WAIT_SECONDS, then BudgetSpentError
                                                  (two fetches that each hold half and wait for the other
                                                  would otherwise wait until their deadline)

A fetch that declares its length reserves it before reading (it waits, holding nothing); a streamed one
reserves as it reads. The complaints mailbox (collectors/email_inbox.py, imaplib in a worker thread) takes
its messages from the same budget, one message's cap before each is fetched: with `take_blocking` (`take`'s
waits, slept in its thread) while it holds none, with `try_take` once it holds some (it stops there, the rest
left for the next poll). The budget is process-wide and thread-safe (the scheduler thread and the dashboard's
may each run a Fetcher in their own event loop), so waiting polls rather than using a loop-bound Condition.
"""

from __future__ import annotations

import asyncio
import threading
import time

from collectors.base import BudgetSpentError

POLL_SECONDS = 0.05
HOLDER_WAIT_SECONDS = 2.0
NEXT_PASS = "thử lại ở lần thu thập sau"  # what a spent budget's error says happens next
_MB = 1024 * 1024


class ByteBudget:
    """`total` bytes shared by every fetch that takes from it."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.used = 0
        self.peak = 0
        self._lock = threading.Lock()

    def try_take(self, n: int) -> bool:
        """Take `n` bytes if they fit now, without waiting (a reader in a worker thread: the IMAP poll)."""
        return self._try(n)

    def _try(self, n: int) -> bool:
        with self._lock:
            if self.used + n > self.total:
                return False
            self.used += n
            self.peak = max(self.peak, self.used)
            return True

    async def take(self, n: int, held: int, wait_until: float) -> None:
        """Take `n` bytes for a fetch that already holds `held`; see the module's drawing for when it waits."""
        wait_until = self._wait_limit(n, held, wait_until)
        while not self._try(n):
            self._not_past(wait_until)
            await asyncio.sleep(POLL_SECONDS)

    def take_blocking(self, n: int, held: int, wait_until: float, *, then: str = NEXT_PASS) -> None:
        """`take` for a reader in a worker thread (the IMAP poll): the same waits, slept with `time.sleep`.
        `then`: what the BudgetSpentError of a spent budget says happens next."""
        wait_until = self._wait_limit(n, held, wait_until)
        while not self._try(n):
            self._not_past(wait_until, then)
            time.sleep(POLL_SECONDS)

    def _wait_limit(self, n: int, held: int, wait_until: float) -> float:
        """When a fetch holding `held` stops waiting for `n` more bytes; BudgetSpentError when they can never fit."""
        if held + n > self.total:
            raise BudgetSpentError(f"nội dung cần hơn {(held + n) / _MB:.1f} MB, nhiều hơn cả bộ nhớ dành cho các lần "
                                   f"tải về cùng lúc ([http] max_bodies_mb = {self.total / _MB:g} MB)")
        return min(wait_until, time.monotonic() + HOLDER_WAIT_SECONDS) if held else wait_until

    def _not_past(self, wait_until: float, then: str = NEXT_PASS) -> None:
        """BudgetSpentError once `wait_until` has come: the other fetches still hold the budget."""
        if time.monotonic() >= wait_until:
            raise BudgetSpentError(
                f"bộ nhớ dành cho các lần tải về cùng lúc ([http] max_bodies_mb = {self.total / _MB:g} MB) "
                f"đang được các lần tải khác dùng hết: {then}", retry_after=60.0)

    def give(self, n: int) -> None:
        """Give back `n` bytes taken earlier (a fetch that ended, however it ended)."""
        with self._lock:
            self.used = max(0, self.used - n)


_budgets: dict[int, ByteBudget] = {}
_budgets_lock = threading.Lock()


def shared(total: int) -> ByteBudget:
    """The process's budget of `total` bytes (one per value: the deployment has one; tests may set their own)."""
    with _budgets_lock:
        return _budgets.setdefault(total, ByteBudget(total))
