"""The rapid report's handling log (section V) names the assignee in a note by display name, as it names
the actor: store.alerts.assign writes "Giao cho: <login>"; rapid_figures gives the login → display map."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from reports.document import Table
from reports.rapid import build_rapid
from store import reports as store_reports
from tests.reports.conftest import NOW, settings


def test_rapid_log_names_the_assignee_by_display_name():
    events = pd.DataFrame([dict(alert_id="A1", at=datetime(2026, 11, 20, 2), username="cv", action="assign",
                                from_state="new", to_state="assigned", note="Giao cho: nv.an; gọi lại",
                                display_name="Trần Thị Bình")])
    items = pd.DataFrame(columns=["id", "published_at", "outlet", "source_type", "title", "url", "summary",
                                  "sentiment", "n_sources", "place_units", "topics"])
    f = {"alert": None, "story": {"title": "Bụi than"}, "items": items, "events": events,
         "names": {"nv.an": "Nguyễn Văn An"}}
    doc = build_rapid(f, settings(), "", NOW).doc
    log = next(b for b in doc.blocks if isinstance(b, Table) and b.caption.startswith("Bảng 3"))
    assert log.rows[0][2] == "Trần Thị Bình" and log.rows[0][5] == "Giao cho: Nguyễn Văn An; gọi lại"


def test_rapid_figures_give_display_names(seeded):
    db, info = seeded
    with db.write() as cur:  # a user no event names: the shared week's figures stay as they were
        cur.execute("INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at) "
                    "VALUES ('nv.rapid', 'Nguyễn Văn Rapid', 'analyst', 'x', ?, ?) ON CONFLICT DO NOTHING", [NOW, NOW])
    with db.read() as cur:
        f = store_reports.rapid_figures(cur, alert_id=info["alerts"][0])
    assert f["names"]["nv.rapid"] == "Nguyễn Văn Rapid"
