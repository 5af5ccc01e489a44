"""A test leaves no thread running behind it (tests/conftest.py `threads_left_as_found`, round 29): a thread that
ends at once is fine, one that ends later is waited for and named, one that runs on fails the test."""

from __future__ import annotations

import threading

from tests import conftest as C


def test_a_thread_that_runs_on_is_named_and_one_that_ends_late_is_waited_for():
    before = set(threading.enumerate())
    go, late = threading.Event(), threading.Event()
    stuck = threading.Thread(target=go.wait, name="stuck", daemon=True)
    ending = threading.Thread(target=lambda: late.wait(1.0), name="ending")  # ends after the grace, not the linger
    quick = threading.Thread(target=lambda: None, name="quick")
    for t in (stuck, ending, quick):
        t.start()
    try:
        assert C.threads_left(before, grace=0.5, linger=2.5) == ([ending], [stuck])
        assert C._threads_named([stuck]) == "thread stuck (threading.Event.wait, daemon)"
    finally:
        go.set()
        stuck.join()
    assert C.threads_left(before, grace=0.5, linger=2.5) == ([], [])
