"""The rapid report's handling log (section V) names the assignee in a note by display name, as it names
the actor: store.alerts.assign writes "Giao cho: <login>"; rapid_figures gives the login → display map."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from reports.document import Table
from reports.rapid import build_rapid
from store import reports as store_reports
from tests.reports.conftest import NOW, settings
from tests.conftest import database


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


def test_rapid_figures_read_only_the_alerts_items_with_links_and_corrections(tmp_path):
    """The rapid report's items are read with each joined table cut to the alert's items (walk at 300k items:
    the read built hash tables of every tag row, +200 MB); what it gives is unchanged: sources per item from
    item_links, a staff correction over the model's tag."""
    from devtools.sample_reports import seed_week
    from store import tags as store_tags
    from tests.reports.conftest import WEEK

    db = database(tmp_path / "r.duckdb")  # its own: a correction in the package's shared week would change it
    info = seed_week(db, WEEK, n_items=150)
    with db.read() as cur:
        before = store_reports.rapid_figures(cur, alert_id=info["alerts"][0])["items"]
    some = str(before["id"].iloc[0])
    flip = "positive" if before["sentiment"].iloc[0] != "positive" else "negative"
    with db.write() as cur:
        store_tags.add_human_label(cur, some, "sentiment", flip, "cv", NOW)
    with db.read() as cur:
        f = store_reports.rapid_figures(cur, alert_id=info["alerts"][0])["items"]
        links = dict(cur.execute("SELECT item_id, count(*) FROM item_links GROUP BY item_id").fetchall())
    assert list(f["id"]) == list(before["id"]) and len(f) > 1
    assert list(f["n_sources"]) == [links.get(i, 0) for i in f["id"]]
    assert f.set_index("id").loc[some, "sentiment"] == flip
    assert list(f["sentiment"].iloc[1:]) == list(before["sentiment"].iloc[1:])


def test_rapid_log_leaves_a_missing_state_blank_not_nan():
    """A re-rating event has no state (NULL from_state/to_state, read by DuckDB's .df() as NaN, which is truthy):
    the log printed «nan» in its Trạng thái column (round 21, the demo's A000002)."""
    events = pd.DataFrame([
        dict(alert_id="A1", at=datetime(2026, 11, 20, 2), username="system", action="create", from_state=None,
             to_state="new", note="3 tin", display_name="system"),
        dict(alert_id="A1", at=datetime(2026, 11, 20, 3), username="system", action="severity",
             from_state=float("nan"), to_state=float("nan"), note="Mức độ: trung bình → cao", display_name="system"),
        dict(alert_id="A1", at=datetime(2026, 11, 20, 4), username="cv", action="note",
             from_state=float("nan"), to_state=float("nan"), note=float("nan"), display_name=float("nan"))])
    items = pd.DataFrame(columns=["id", "published_at", "outlet", "source_type", "title", "url", "summary",
                                  "sentiment", "n_sources", "place_units", "topics"])
    f = {"alert": None, "story": {"title": "Bụi than"}, "items": items, "events": events, "names": {}}
    doc = build_rapid(f, settings(), "", NOW).doc
    log = next(b for b in doc.blocks if isinstance(b, Table) and b.caption.startswith("Bảng 3"))
    assert [r[4] for r in log.rows] == ["Mới, chưa tiếp nhận", "", ""]
    # no name: a login no account has is named by nobody (round 27, tests/reports/test_ux29.py); it printed «cv»
    assert log.rows[2][2] == "" and log.rows[2][5] == ""
    assert not any("nan" in cell for row in log.rows for cell in row)
