"""The dashboard's one clock, without Streamlit.

    dashboard/clock.now ◀── data.now (pages, the cached reads in data*.py)
                        ◀── actions.py, report_actions.py (the time a write and its audit row carry)

Every figure a page draws («24 giờ qua», «hôm nay so với thường lệ») and every time a staff action records is
read from here, so a test stops all of them at once (`monkeypatch.setattr(clock, "now", lambda: NOW)`) and a
page read twice in a test cannot straddle a minute, a midnight or Monday 00:00. Until round 22 data.py and
actions.py called `store.db.utcnow()` directly and only the pages' own reads followed `data.now`.
"""

from __future__ import annotations

from datetime import datetime

from store import db as store_db


def now() -> datetime:
    """Naive UTC now. Reads `store.db.utcnow` at each call (not a copy bound at import), so a clock moved there
    (devtools/moved_clock.py) moves the dashboard too."""
    return store_db.utcnow()
