"""The crash tests' hook: a leaf module (imports nothing of `store`) so that any store module can mark a point."""

from __future__ import annotations

import os
import time

_hits: dict[str, int] = {}


def fault_point(name: str) -> None:
    """Crash-test hook: with LANGNGHE_FAULTPOINT=name:N:/path, the N-th time execution passes here it
    touches /path and stalls mid-transaction, so a test can SIGKILL the process there. Inert otherwise."""
    spec = os.environ.get("LANGNGHE_FAULTPOINT")
    if not spec:
        return
    point, nth, marker = spec.split(":", 2)
    if point != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] == int(nth):
        with open(marker, "a") as fh:
            fh.write("hit\n")
        time.sleep(120)
