"""How the benches read a process's CPU: user + system seconds from getrusage, the figure docs/SCALE.md plans with
(it does not move with the load of the machine as wall time does). One definition: bench/collect.py, writer.py,
fulltext_index.py and tag.py each wrote it again."""

from __future__ import annotations

import resource


def cpu() -> float:
    """CPU seconds this process has used so far (user + system; a child's are not in it)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
