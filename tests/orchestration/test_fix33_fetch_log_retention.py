"""fix33: fetch_log, one row per fetch (2.4 million a year at 68 sources every 15 minutes), was never purged; the
retention job purges it after [retention] fetch_log_days, counted by a dry run as the others are, and keeps what its
readers show: the newest rows and errors (Nguồn tin's «lỗi gần đây»), however old, and every source's last try,
last success and health line (source_state since round 31)."""

from __future__ import annotations

import inspect
from datetime import datetime, timedelta

import pytest

from orchestration import retention
from store import dashboard as store_dashboard
from store import retention as store_retention
from store import sources as store_sources
from tests.conftest import database, make_config
from vocab.config import SourceConfig
from vocab.labels import PURGE_LABELS

NOW = datetime(2026, 12, 7, 3, 0)


def _outcome(source: str, at: datetime, ok: bool) -> store_sources.Outcome:
    return store_sources.Outcome(source=source, started_at=at, finished_at=at + timedelta(seconds=2),
                                 outcome="ok" if ok else "error", next_due_at=at + timedelta(minutes=15),
                                 http_status=200 if ok else 503, entries_seen=3 if ok else 0,
                                 error_kind=None if ok else "http", error=None if ok else "503 Service Unavailable")


def _log(db, outcomes):  # type: ignore[no-untyped-def]
    """The outcomes as the runner records them; all but each source's last straight into fetch_log (one statement:
    thousands of record_outcome calls took 20 s), the last through record_outcome, which keeps source_state too."""
    last = {o.source: o for o in outcomes}
    rest = [o for o in outcomes if last[o.source] is not o]
    with db.write() as cur:
        if rest:
            cur.executemany(
                """INSERT INTO fetch_log (source, started_at, finished_at, outcome, http_status, error_kind, error)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [(o.source, o.started_at, o.finished_at, o.outcome, o.http_status, o.error_kind, o.error)
                 for o in rest])
        for o in last.values():
            store_sources.record_outcome(cur, o)


def _seen(db):  # type: ignore[no-untyped-def]
    """What staff read of it: Nguồn tin's recent errors and health lines, the server's last try and success."""
    srcs = [SourceConfig(name=n, kind="rss", url=f"https://{n}.vn/rss", outlet=n) for n in ("a", "b", "c")]
    with db.read() as cur:
        return (store_dashboard.recent_errors(cur, 30).to_dict("records"),
                [{k: v for k, v in h.items()} for h in store_sources.health(cur, srcs, NOW)],
                store_sources.last_success_at(cur), store_sources.last_collection_at(cur))


def _count(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as cur:
        return cur.execute("SELECT count(*) FROM fetch_log").fetchone()[0]


def test_old_fetches_are_purged_and_what_staff_read_stays(tmp_path):
    cfg = make_config(tmp_path, retention={"fetch_log_days": 30})
    db = database(cfg.storage.db_path)
    # a: fetched every 15 minutes for 60 days, an error every 10th; b: failed 200 days ago, never since; c: only old
    a = [_outcome("a", NOW - timedelta(days=60) + timedelta(minutes=15 * k), k % 10 != 0) for k in range(60 * 96)]
    _log(db, [_outcome("b", NOW - timedelta(days=200), False), _outcome("c", NOW - timedelta(days=300), True), *a])
    before, total = _seen(db), _count(db)
    old = sum(o.started_at < NOW - timedelta(days=30) for o in a) + 2
    kept_errors = {o.started_at for o in a if not o.started_at < NOW - timedelta(days=30) and o.outcome == "error"}
    assert len(kept_errors) >= store_retention.FETCH_LOG_KEEP_ERRORS  # nothing old is kept for the readers here

    dry = {p.what: p.rows for p in retention.run_retention(cfg, db, dry_run=True, now=NOW)}
    assert dry["fetch_log"] == old and _count(db) == total  # counted, nothing deleted
    done = {p.what: p.rows for p in retention.run_retention(cfg, db, now=NOW)}
    assert done["fetch_log"] == old and _count(db) == total - old
    assert _seen(db) == before  # health lines (b's last error, c's last success), recent errors, last success
    with db.read() as cur:
        logged = sorted((r["rows"], r["dry_run"]) for r in store_retention.recent_log(cur) if r["what"] == "fetch_log")
    assert logged == [(old, False), (old, True)] and "fetch_log" in PURGE_LABELS
    db.close()


def test_the_newest_rows_stay_however_old(tmp_path):
    """A server stopped for months: its run at start keeps the newest errors and fetches Nguồn tin shows."""
    cfg = make_config(tmp_path, retention={"fetch_log_days": 30})
    db = database(cfg.storage.db_path)
    start = NOW - timedelta(days=400)
    _log(db, [_outcome("a", start + timedelta(minutes=15 * k), k % 4 != 0) for k in range(1000)])
    before = _seen(db)
    with db.read() as cur:
        latest = store_sources.recent_fetches(cur).to_dict("records")
    retention.run_retention(cfg, db, now=NOW)
    with db.read() as cur:
        assert store_sources.recent_fetches(cur).to_dict("records") == latest
        errors = store_dashboard.recent_errors(cur).to_dict("records")
    assert _seen(db) == before and len(errors) == store_retention.FETCH_LOG_KEEP_ERRORS
    assert _count(db) < 1000
    db.close()


def test_the_kept_rows_cover_every_reader():
    """A reader that shows more rows than the purge keeps would lose some after a long stop: raise the constant."""
    default = lambda f: inspect.signature(f).parameters["limit"].default  # noqa: E731
    assert default(store_sources.recent_fetches) <= store_retention.FETCH_LOG_KEEP_LATEST
    assert default(store_dashboard.recent_errors) <= store_retention.FETCH_LOG_KEEP_ERRORS
    from dashboard import data

    assert default(data.recent_errors) <= store_retention.FETCH_LOG_KEEP_ERRORS


def test_the_setting_is_read_and_bounded(tmp_path):
    from vocab import config as C

    assert C.load(None).retention.fetch_log_days == 90
    (tmp_path / "a.toml").write_text("[retention]\nfetch_log_days = 7\n", encoding="utf-8")
    assert C.load(tmp_path / "a.toml").retention.fetch_log_days == 7
    (tmp_path / "b.toml").write_text("[retention]\nfetch_log_days = 0\n", encoding="utf-8")
    with pytest.raises(C.ConfigError, match=r"\[retention\] fetch_log_days phải từ 1"):
        C.load(tmp_path / "b.toml")
