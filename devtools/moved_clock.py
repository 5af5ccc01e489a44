"""Run one test file with the project's clock (`store.db.utcnow`) moved to a chosen Vietnam time.

    python devtools/moved_clock.py sunday   tests/reports/test_dashboard_page.py   # Sunday 23:59 (→ Monday 00:00)
    python devtools/moved_clock.py friday   tests/reports/test_rapid_cli_schedule.py  # Friday 15:59 (→ 16:00)
    python devtools/moved_clock.py midnight tests/dashboard/test_pages.py -k briefing  # 23:59 (→ 00:00)
    python devtools/moved_clock.py "2026-12-06 23:59:40" tests/x.py -x               # any Vietnam time

        this script ──env LANGNGHE_MOVED_CLOCK="<moved UTC ISO>|<real epoch at start>"──▶ python -m pytest
            -p devtools.moved_clock (imported before any conftest, in every xdist worker too)
            └─ store.db.utcnow = real now + (moved − real at start): the clock runs on from the moved time

For a maintainer who meets a failure that only happens at a time of day (round 21's «works except on Monday
00:00, Friday 16:00 or midnight»): a test that reads the clock twice across such a boundary fails here every time,
not once a week. The presets are the most recent such minute in Vietnam time, one minute before the boundary, so a
file that runs longer than a minute crosses it. Only `store.db.utcnow` moves (what the code reads: jobs, commands,
dashboard/clock.py; modules that bind it with `from store.db import utcnow` get the moved one, as they are imported
after the plugin); `datetime.now()`, `time.time()` and the browser do not: scripts/clock_audit.sh moves those
(libfaketime). Not part of the suite: a tool to run by hand. docs/ARCHITECTURE.md, "The clock".
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from vocab.timefmt import VN_OFFSET as VN

ENV = "LANGNGHE_MOVED_CLOCK"
# preset → (weekday Monday=0 or None for any day, hour, minute) in Vietnam time
PRESETS: dict[str, tuple[int | None, int, int]] = {"sunday": (6, 23, 59), "friday": (4, 15, 59),
                                                   "midnight": (None, 23, 59)}
ROOT = Path(__file__).resolve().parents[1]


def moved_utc(when: str, real_utc: datetime) -> datetime:
    """The naive UTC instant `when` names: a preset's most recent minute in Vietnam time at or before `real_utc`,
    or an explicit Vietnam time "YYYY-MM-DD HH:MM[:SS]". A time with a zone ("…+07:00") is a ValueError, as any
    other unreadable one: it made an aware datetime, and the naive clock arithmetic a TypeError (round 22 review)."""
    if when not in PRESETS:
        moved = datetime.fromisoformat(when)
        if moved.tzinfo is not None:
            raise ValueError(f"a Vietnam time without a zone is expected, not {when!r}")
        return moved - VN
    weekday, hour, minute = PRESETS[when]
    local = (real_utc + VN).replace(hour=hour, minute=minute, second=0, microsecond=0)
    while local > real_utc + VN or (weekday is not None and local.weekday() != weekday):
        local -= timedelta(days=1)
    return local - VN


def _install() -> None:
    """As a pytest plugin: move store.db.utcnow when the environment says so (every worker reads the same)."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    from store import db as store_db

    moved, started = spec.split("|")
    offset = datetime.fromisoformat(moved) - datetime.fromtimestamp(float(started), timezone.utc).replace(tzinfo=None)

    def utcnow() -> datetime:
        return datetime.now(timezone.utc).replace(tzinfo=None) + offset

    store_db.utcnow = utcnow


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        return 2
    started = time.time()
    real = datetime.fromtimestamp(started, timezone.utc).replace(tzinfo=None)
    try:
        moved = moved_utc(argv[0], real)
    except ValueError:
        print(f"moved_clock: không đọc được thời điểm «{argv[0]}» (sunday, friday, midnight hoặc "
              "YYYY-MM-DD HH:MM theo giờ Việt Nam)", file=sys.stderr)
        return 2
    from reports.settings import WEEKDAYS  # here, not at the top: the plugin imports nothing before it moves

    local = moved + VN
    print(f"moved_clock: đồng hồ dời về {WEEKDAYS[local.weekday()]} {local:%d/%m/%Y %H:%M:%S} giờ Việt Nam",
          file=sys.stderr)
    env = {**os.environ, ENV: f"{moved.isoformat()}|{started}",
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    return subprocess.call([sys.executable, "-m", "pytest", "-p", "devtools.moved_clock", *argv[1:]], cwd=ROOT,
                           env=env)


_install()

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
