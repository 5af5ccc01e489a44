"""The dev-data generators write one way: through named store functions, so their data has the shape
production writes (issue 12). No SQL in devtools/, and synthetic alert histories follow the lifecycle."""

from __future__ import annotations

import re
from pathlib import Path

from devtools import synth
from store import alerts as A
from vocab.alerts import ALLOWED
from tests.conftest import database

DEVTOOLS = Path(__file__).resolve().parents[2] / "devtools"
SQL = re.compile(r"\.execute\(|\.register\(|\b(INSERT\s+INTO|SELECT\s+.+\s+FROM|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b",
                 re.IGNORECASE)


def test_devtools_holds_no_sql():
    hits = [f"{p.name}:{n}: {line.strip()}" for p in sorted(DEVTOOLS.glob("*.py"))
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if SQL.search(line)]
    assert hits == []


def test_synthetic_alert_histories_follow_the_lifecycle(tmp_path):
    with database(tmp_path / "s.duckdb") as db:
        counts = synth.seed(db, n_items=800, n_stories=40, n_alerts=14)
        with db.read() as cur:
            events = A.audit_log(cur, limit=10_000)
            statuses = {a: A.get_alert(cur, a)["status"] for a in events["alert_id"].unique()}
    assert counts["alerts"] == 14 and len(events) == counts["alert_events"]
    assert set(statuses.values()) >= {"new", "acknowledged", "assigned", "resolved", "dismissed", "reopened"}
    for aid, evs in events.iloc[::-1].groupby("alert_id", sort=False):  # oldest first (audit_log is newest first)
        assert evs.iloc[0]["action"] == "raise"
        state = "new"
        for ev in evs.iloc[1:].itertuples():
            assert ev.from_state == state, aid
            assert ev.to_state in ALLOWED[state] or ev.to_state == state, (aid, state, ev.to_state)
            state = ev.to_state
        assert state == statuses[aid]
