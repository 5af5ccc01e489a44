"""Which tests leave threads or child processes behind: a pytest plugin that records them, and their summary.

    PYTHONPATH=. python -m pytest -p devtools.thread_probe -n 2 -q tests/     # writes var/thread-probe/*.jsonl
    PYTHONPATH=. python devtools/thread_probe.py [var/thread-probe]            # grouped by where they were started

Around each test (setup, call and teardown, so wider-scoped fixtures' teardowns count where they run) it compares
`threading.enumerate()` and this process's children (/proc) before and after, and writes one line per thread still
alive after the test that started it (its name, target, the test, the stack that started it, where it is now), one
when such a thread ends (and after which test), and one per new child process; one file per xdist worker
($LANGNGHE_THREAD_PROBE_DIR, default var/thread-probe). A thread that ends after a later test of the same module is a
module-scoped fixture's; one that ends after the next test ran on into it. Round 29 ran it over the whole suite:
docs/ARCHITECTURE.md, "Tests that fail only for real reasons" (tests/conftest.py `threads_left_as_found` now
checks each test). Not part of the suite: a tool to run by hand; it patches `threading.Thread.start` to note who
started each thread.
"""

from __future__ import annotations

import collections
import json
import os
import sys
import threading
import traceback
from pathlib import Path
from typing import Any, TextIO

import pytest

OUT = Path(os.environ.get("LANGNGHE_THREAD_PROBE_DIR", "var/thread-probe"))
_current = ["<collection>"]
_live: dict[int, dict[str, Any]] = {}  # id(thread) → the leak's record, while the thread is alive
_out: list[TextIO] = []


def _frames(stack: traceback.StackSummary) -> list[str]:
    return [f"{f.filename}:{f.lineno} {f.name}" for f in stack]


_real_start = threading.Thread.start


def _start(self: threading.Thread, *a: Any, **kw: Any) -> None:
    self._probe_origin = _frames(traceback.extract_stack(limit=16)[:-1])  # type: ignore[attr-defined]
    self._probe_test = _current[0]  # type: ignore[attr-defined]
    _real_start(self, *a, **kw)


def pytest_configure(config: Any) -> None:
    threading.Thread.start = _start  # type: ignore[method-assign]


def _write(rec: dict[str, Any]) -> None:
    if not _out:
        OUT.mkdir(parents=True, exist_ok=True)
        _out.append((OUT / f"leaks-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.jsonl").open("a", encoding="utf-8"))
    _out[0].write(json.dumps(rec, ensure_ascii=False) + "\n")
    _out[0].flush()


def _children() -> set[int]:
    out: set[int] = set()
    try:
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children") as f:
                out |= {int(p) for p in f.read().split()}
    except OSError:
        pass
    return out


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")[:200]
    except OSError:
        return "?"


def target(t: threading.Thread) -> str:
    fn = getattr(t, "_target", None)
    if fn is None:
        return f"{type(t).__module__}.{type(t).__qualname__}.run"
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: Any, nextitem: Any) -> Any:
    _current[0] = item.nodeid
    threads, kids = set(threading.enumerate()), _children()
    try:
        return (yield)
    finally:
        now = threading.enumerate()
        frames = sys._current_frames()
        for t in now:
            if t in threads or id(t) in _live:
                continue
            at = frames.get(t.ident or -1)
            _live[id(t)] = {"test": item.nodeid, "name": t.name, "thread": t}
            _write({"ev": "leak", "test": item.nodeid, "name": t.name, "target": target(t), "daemon": t.daemon,
                    "started_in": getattr(t, "_probe_test", "?"), "origin": getattr(t, "_probe_origin", None),
                    "now": _frames(traceback.extract_stack(at))[-8:] if at else None})
        alive = {id(t) for t in now}
        for key in [k for k in _live if k not in alive]:
            r = _live.pop(key)
            _write({"ev": "ended", "leaked_by": r["test"], "name": r["name"], "ended_after": item.nodeid})
        for pid in sorted(_children() - kids):
            _write({"ev": "child", "test": item.nodeid, "pid": pid, "cmd": _cmdline(pid)})
        _current[0] = "<between tests>"


def pytest_sessionfinish(session: Any) -> None:
    for r in _live.values():
        _write({"ev": "alive_at_end", "leaked_by": r["test"], "name": r["name"]})


def summary(folder: Path) -> str:
    """The leaks grouped by the target and the line of ours that started them, each with its tests and when it
    ended; then the child processes."""
    recs = [json.loads(line) for f in sorted(folder.glob("leaks-*.jsonl")) for line in f.open(encoding="utf-8")]
    ended = {(r["leaked_by"], r["name"]): r["ended_after"] for r in recs if r["ev"] == "ended"}
    root = str(Path(__file__).resolve().parent.parent) + os.sep
    groups: dict[tuple[str, str], list[dict[str, Any]]] = collections.defaultdict(list)
    for r in recs:
        if r["ev"] == "leak":
            ours = [o for o in (r["origin"] or []) if o.startswith(root)]
            groups[(r["target"], " ← ".join(o[len(root):] for o in reversed(ours[-3:])) or "?")].append(r)
    out = []
    for (tgt, where), rs in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        out.append(f"{len(rs)} × {tgt} (started at {where}){'' if rs[0]['daemon'] else ', not a daemon'}")
        for r in rs:
            out.append(f"    {r['test']}  →  ended after {ended.get((r['test'], r['name']), 'the session')}")
    out += [f"child of {r['test']}: {r['cmd']}" for r in recs if r["ev"] == "child"]
    return "\n".join(out) or "nothing left behind"


if __name__ == "__main__":
    print(summary(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
