"""A test leaves no thread running behind it (tests/conftest.py `threads_left_as_found`, round 29): a thread that
ends soon after is waited for, one that runs on is named."""

from __future__ import annotations

import threading

from tests import conftest as C


def test_a_thread_that_runs_on_is_named_and_one_that_ends_is_waited_for():
    before = set(threading.enumerate())
    go, ended = threading.Event(), threading.Event()
    stuck = threading.Thread(target=go.wait, name="stuck", daemon=True)
    stuck.start()
    ending = threading.Thread(target=lambda: ended.wait(0.05), name="ending")
    ending.start()
    try:
        assert C.threads_still_running(before, linger=1.0) == [stuck]
        assert not ending.is_alive()
        assert C._thread_target(stuck) == "threading.Event.wait"
    finally:
        go.set()
        stuck.join()
    assert C.threads_still_running(before, linger=1.0) == []
