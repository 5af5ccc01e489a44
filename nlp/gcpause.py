"""One pause of Python's cyclic garbage collector, shared by every thread of the process.

    restore a text (nlp/diacritics.py) ─┐
    unpickle a ready model copy (nlp/unpacked.py) ─┴─> gc_paused(): collector off while any of them runs

Both make millions of objects that hold no reference cycle, so reference counting frees them and the collections
their allocations would trigger only walk them for nothing. Threads share one collector: the first pause that starts
turns it off (if it was on), the last one to finish turns it back on, so one thread never resumes it under another;
a forked child starts with no pause running.
"""

from __future__ import annotations

import gc
import os
import threading
from contextlib import contextmanager
from typing import Iterator

_LOCK = threading.Lock()
_state = {"running": 0, "paused": False}


@contextmanager
def gc_paused() -> Iterator[None]:
    with _LOCK:
        if _state["running"] == 0 and gc.isenabled():
            gc.disable()
            _state["paused"] = True
        _state["running"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _state["running"] -= 1
            if _state["running"] == 0 and _state["paused"]:
                _state["paused"] = False
                gc.enable()


def _after_fork() -> None:
    global _LOCK
    _LOCK = threading.Lock()
    if _state["paused"]:
        gc.enable()
    _state.update(running=0, paused=False)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)
