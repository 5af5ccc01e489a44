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


def _random_outcomes(db: Database, seed: int) -> None:
    """A few hundred fetches of 20 sources in time order, ok, not modified or failed, written by either writer."""
    import random

    rng = random.Random(seed)
    t = NOW
    for _ in range(50):
        t += timedelta(minutes=rng.randint(1, 20))
        outs = [store_sources.Outcome(s, t, t + timedelta(seconds=rng.randint(1, 50)),
                                      rng.choice(["ok", "not_modified", "error", "error"]), t + timedelta(minutes=15),
                                      error_kind="network")
                for s in rng.sample([f"s{i}" for i in range(20)], rng.randint(1, 6))]
        with db.write() as cur:
            if rng.random() < 0.5:
                store_sources.record_outcomes(cur, outs)
            else:
                for o in outs:
                    store_sources.record_outcome(cur, o)


def test_the_server_s_last_try_and_success_are_source_state_s_and_match_the_fetch_log(tmp_path):
    """Round 31: the server's last success (and last try) is read from source_state, each source's latest, not from
    fetch_log, the history written beside it in the same transaction: the two agree on every database the writers
    leave, so one is read."""
    with Database(tmp_path / "r.duckdb") as db:
        _random_outcomes(db, 31)
        with db.read() as cur:
            got, tried = store_sources.last_success_at(cur), store_sources.last_collection_at(cur)
            log_got = cur.execute("SELECT max(finished_at) FROM fetch_log WHERE outcome <> 'error'").fetchall()[0][0]
            log_tried = cur.execute("SELECT max(finished_at) FROM fetch_log").fetchall()[0][0]
    assert got is not None and tried is not None and got <= tried
    assert (got, tried) == (log_got, log_tried)


def test_a_trimmed_fetch_log_keeps_the_last_success_known(tmp_path):
    """fetch_log is the history (it grows by every fetch: 2,4 million rows a year at 68 sources every 15 minutes); a
    copy of it trimmed by hand or by a later retention said the server had never collected («chưa thu thập») while
    every source's state knew when it last had."""
    with Database(tmp_path / "r.duckdb") as db:
        _random_outcomes(db, 5)
        with db.read() as cur:
            before = store_sources.last_success_at(cur), store_sources.last_collection_at(cur)
        with db.write() as cur:
            cur.execute("DELETE FROM fetch_log")
        with db.read() as cur:
            assert (store_sources.last_success_at(cur), store_sources.last_collection_at(cur)) == before
            assert before[0] is not None
    with Database(tmp_path / "new.duckdb") as db, db.read() as cur:  # nothing fetched yet: None, as before
        assert store_sources.last_success_at(cur) is None and store_sources.last_collection_at(cur) is None
