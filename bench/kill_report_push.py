"""The server killed (SIGKILL) while the scheduled weekly report's push is being written, then restarted on the same
database file: is the report archived and pushed, once? A child process runs the schedule's hook with the report's
making replaced by a small file (the archive row and the push are what is measured), and kills itself inside
`enqueue_note`; the parent then runs a new hook two minutes later. docs/SECURITY.md «Round 28 sweep».

Usage: PYTHONPATH=. .venv/bin/python bench/kill_report_push.py
Round 28: main «archived: ['2026-W47'] pushes: []» (the push lost for good); hostile31 «pushes: [('report:weekly:…',)]»."""
import os
import signal
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reports import generate, schedule
from reports.generate import Result
from store import notify as store_notify, reports as store_reports
from store.db import Database
from tests.reports.conftest import settings
tmp = Path(tempfile.mkdtemp())
db = Database(tmp / "k.duckdb")
with db.write() as cur:
    store_notify.save_subscription(cur, store_notify.Subscription(0, "u", "console", "u", "medium", (), (), (), "immediate", "07:30", "", "", True))
db.close()
def made(db_, s_, week, out, *, area, now, progress=None):
    out.mkdir(parents=True, exist_ok=True); (out / "b.docx").write_bytes(b"x")
    return Result(files={"docx": out / "b.docx"}, n_items=3)
generate.weekly_report = made
s = settings(charts=False, schedule_weekday=5, schedule_time="16:00", schedule_areas=("",), schedule_notify=True, archive_dir=str(tmp / "a"))
t0 = datetime(2026, 11, 20, 9, 0)
pid = os.fork()
if pid == 0:
    db = Database(tmp / "k.duckdb")
    schedule.store_notify.enqueue_note = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
    schedule.weekly_hook(None, db, settings=s, clock=lambda: t0)()
    os._exit(0)
_, status = os.waitpid(pid, 0)
print("child killed by signal", os.WTERMSIG(status) if os.WIFSIGNALED(status) else None)
db = Database(tmp / "k.duckdb")
schedule.weekly_hook(None, db, settings=s, clock=lambda: t0 + timedelta(minutes=2))()
with db.read() as cur:
    print("archived:", list(store_reports.list_archive(cur, "weekly")["period"]), "pushes:", cur.execute("SELECT event_key FROM outbox").fetchall())
