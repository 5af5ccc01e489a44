"""record_outcomes (the collector's grouped health write) leaves exactly the rows record_outcome does."""

from __future__ import annotations

from datetime import datetime, timedelta

from store import sources as store_sources
from store.db import Database

NOW = datetime(2026, 11, 22, 8, 0)


def test_record_outcomes_matches_record_outcome_one_by_one(tmp_path):
    def outcomes(t: datetime) -> list[store_sources.Outcome]:
        nd = t + timedelta(hours=1)
        return [
            store_sources.Outcome("a", t, t, "ok", nd, 200, 5, 3, {"no http(s) link": 2}, '"e1"', "Sun, 22 Nov",
                                  decode_replaced=4, items_repaired=1),
            store_sources.Outcome("b", t, t, "not_modified", nd, 304, 0, 0, {}, None, None),
            store_sources.Outcome("c", t, t, "error", nd, 503, error_kind="http", error="HTTP 503"),
        ]

    rows = {}
    for mode in ("one_by_one", "together"):
        with Database(tmp_path / f"{mode}.duckdb") as db:
            for t in (NOW, NOW + timedelta(hours=2)):  # second round: upserts (etag kept on 304, failures + 1)
                with db.write() as cur:
                    if mode == "together":
                        store_sources.record_outcomes(cur, outcomes(t))
                    else:
                        for o in outcomes(t):
                            store_sources.record_outcome(cur, o)
            with db.read() as cur:
                rows[mode] = (
                    cur.execute("SELECT * EXCLUDE (id) FROM fetch_log ORDER BY started_at, source").fetchall(),
                    cur.execute("SELECT * FROM source_state ORDER BY source").fetchall(),
                    cur.execute("SELECT consecutive_failures, last_items_repaired, last_decode_replaced "
                                "FROM source_state ORDER BY source").fetchall(),
                )
    assert rows["together"] == rows["one_by_one"]
    a, _, c = rows["together"][2]
    assert a[1:] == (1, 4) and c[0] == 2
