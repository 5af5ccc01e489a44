"""Round 29 (ux35): a failed try is no collection. `store.sources.last_success_at` (the last fetch that succeeded) and
`orchestration.status.last_failed_try` (the latest try when every enabled source's latest failed)."""

from __future__ import annotations

from datetime import datetime, timedelta

from orchestration import status
from store.sources import Outcome, last_collection_at, last_success_at, record_outcome
from tests.conftest import database, make_config

T = datetime(2026, 12, 7, 1, 10)


def src(name: str, failures: int, tried: datetime | None, enabled: bool = True) -> dict:
    return {"source": name, "enabled": enabled, "consecutive_failures": failures, "last_attempt_at": tried}


def test_last_failed_try_only_when_every_source_that_ran_failed_its_latest():
    a, b = T, T + timedelta(minutes=3)
    assert status.last_failed_try([src("a", 1, a), src("b", 4, b)]) == b
    assert status.last_failed_try([src("a", 1, a), src("b", 0, b)]) is None  # one still fetched
    assert status.last_failed_try([src("a", 1, a), src("p", 0, b, enabled=False)]) == a  # paused does not count
    assert status.last_failed_try([src("a", 1, a), src("n", 0, None)]) == a  # never run does not count
    assert status.last_failed_try([]) is None and status.last_failed_try([src("n", 0, None)]) is None


def test_last_success_is_the_last_fetch_that_did_not_fail(tmp_path):
    cfg = make_config(tmp_path)
    db = database(cfg.storage.db_path)
    try:
        with db.write() as cur:
            assert last_success_at(cur) is None
            for t, outcome in ((T, "ok"), (T + timedelta(minutes=15), "not_modified"),
                               (T + timedelta(minutes=30), "error")):
                record_outcome(cur, Outcome(source="a", started_at=t - timedelta(seconds=5), finished_at=t,
                                            outcome=outcome, next_due_at=t + timedelta(minutes=15),
                                            **({"error_kind": "network", "error": "x"} if outcome == "error" else {})))
        with db.read() as cur:
            assert last_success_at(cur) == T + timedelta(minutes=15)  # «nothing new» is a collection
            assert last_collection_at(cur) == T + timedelta(minutes=30)  # the try, for the stopped-server rule
    finally:
        db.close()
