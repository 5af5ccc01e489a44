"""When a screen left open says the server has stopped collecting (round 28, ux33): `orchestration.status.
collection_due_by` / `collection_late`, the scheduler's own plan (each enabled source's `next_due_at`) plus a tick,
one fetch's deadline and LATE_MARGIN."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from orchestration import status
from tests.conftest import make_config

T = datetime(2026, 12, 7, 8, 10)  # the last collection
SLACK = timedelta(seconds=20 + 60) + status.LATE_MARGIN  # tick_seconds 20 + fetch_deadline_seconds 60 + the margin


@pytest.fixture
def cfg(tmp_path):
    return make_config(tmp_path, schedule={"tick_seconds": 20}, http={"fetch_deadline_seconds": 60})


def row(name: str, next_due: datetime | None, enabled: bool = True) -> dict:
    return {"source": name, "enabled": enabled, "next_due_at": next_due}


def test_late_once_the_soonest_due_poll_is_past_by_more_than_the_slack(cfg):
    health = [row("a", T + timedelta(minutes=15)), row("b", T + timedelta(hours=4))]  # b backs off
    limit = T + timedelta(minutes=15) + SLACK
    assert status.collection_due_by(health, T, cfg) == limit
    assert not status.collection_late(health, T, cfg, limit)  # exactly at the limit: not yet
    assert status.collection_late(health, T, cfg, limit + timedelta(seconds=1))
    assert status.collection_late(health, T, cfg, datetime(2026, 12, 7, 15, 0))  # stopped at 08:10, read at 15:00


def test_a_collecting_server_is_not_late(cfg):
    """Read between two passes, as the scheduler leaves it: every source due after the last collection."""
    health = [row("a", T + timedelta(minutes=15)), row("b", T + timedelta(minutes=5))]
    for minutes in (0, 1, 5, 15):
        assert not status.collection_late(health, T, cfg, T + timedelta(minutes=minutes))


def test_no_collection_yet_is_not_late(cfg):
    """A new database says «chưa thu thập lần nào» (`ui.collected_text`), not «stopped since»."""
    assert status.collection_due_by([row("a", None)], None, cfg) is None
    assert not status.collection_late([row("a", None)], None, cfg, T + timedelta(days=3))


def test_no_sources_and_only_disabled_sources_are_not_late(cfg):
    """Nothing to collect is no stopped collection; a disabled source's interval does not count."""
    later = T + timedelta(days=2)
    assert status.collection_due_by([], T, cfg) is None
    assert not status.collection_late([], T, cfg, later)
    assert status.collection_due_by([row("a", T + timedelta(minutes=1), enabled=False)], T, cfg) is None
    assert not status.collection_late([row("a", T + timedelta(minutes=1), enabled=False)], T, cfg, later)


def test_a_disabled_source_does_not_bring_the_limit_forward(cfg):
    health = [row("paused", T + timedelta(minutes=1), enabled=False), row("a", T + timedelta(hours=1))]
    assert status.collection_due_by(health, T, cfg) == T + timedelta(hours=1) + SLACK
    assert not status.collection_late(health, T, cfg, T + timedelta(minutes=30))


def test_a_source_that_never_ran_or_was_enabled_again_was_due_by_the_last_collection(cfg):
    """No `next_due_at` (never ran), or an old one (enabled again after weeks): the scheduler fetches it at its next
    pass, so it was due by the last collection at the latest, not weeks ago."""
    assert status.collection_due_by([row("new", None), row("a", T + timedelta(hours=1))], T, cfg) == T + SLACK
    assert status.collection_due_by([row("back", T - timedelta(days=20))], T, cfg) == T + SLACK


def test_every_source_backing_off_is_not_a_stopped_server(cfg):
    """A server whose sources all fail collects less often (they back off, up to max_backoff_hours): its sources are
    shown failing elsewhere; the screen does not say the server stopped."""
    health = [row("a", T + timedelta(hours=8)), row("b", T + timedelta(hours=16))]
    assert not status.collection_late(health, T, cfg, T + timedelta(hours=8))
    assert status.collection_late(health, T, cfg, T + timedelta(hours=9))


def test_a_server_collecting_on_its_schedule_never_reads_late_and_one_stopped_does(tmp_path, server):
    """The judgement against what the real scheduler writes (its injected clock moved 5 minutes a pass): a source
    fetched every 10 minutes, one failing and backing off, one disabled. Read right after each pass and just before
    the next, it is never late; read 30 minutes after the last pass (the server stopped), it is."""
    from orchestration.jobs import Scheduler
    from store import sources as store_sources
    from store.db import Database
    from tests.conftest import rss_doc, rss_source, send

    server.routes["/ok.rss"] = lambda req: send(req, 200, rss_doc([{"title": "Tin về Hạ Long",
                                                                      "link": "https://a.vn/1"}]))
    server.routes["/down.rss"] = lambda req: send(req, 503, b"down")
    cfg = make_config(tmp_path, [rss_source("ok", server.url("/ok.rss"), interval_minutes=10),
                                 rss_source("down", server.url("/down.rss"), interval_minutes=10),
                                 rss_source("paused", server.url("/ok.rss"), interval_minutes=1, enabled=False)],
                      schedule={"tick_seconds": 0}, storage={"snapshot_every_minutes": 0},
                      fulltext={"enabled": False})
    now = [datetime(2026, 1, 5, 8, 0)]
    verdicts: list[tuple[datetime, bool, bool]] = []

    def late_at(db: Database, at: datetime) -> bool:
        with db.read() as cur:
            health = store_sources.health(cur, cfg.sources, at)
            return status.collection_late(health, store_sources.last_collection_at(cur), cfg, at)

    with Database(cfg.storage.db_path) as db:
        sched = Scheduler(cfg, db, clock=lambda: now[0])

        def next_pass():
            verdicts.append((now[0], late_at(db, now[0]), late_at(db, now[0] + timedelta(minutes=5, seconds=-1))))
            now[0] += timedelta(minutes=5)
            if sched.passes >= 11:  # passes at 8:00, 8:05 … 8:55
                sched.stop()

        sched.hooks.append(next_pass)
        sched.run()
        with db.read() as cur:
            failures = store_sources.get_states(cur)["down"].consecutive_failures
        stopped_late = late_at(db, datetime(2026, 1, 5, 9, 30))
    assert len(verdicts) == 12 and failures >= 3  # "down" backed off: 10, 20, 40 minutes…
    assert [v for v in verdicts if v[1] or v[2]] == []
    assert stopped_late  # last pass at 8:55 ("ok" due 9:00 + 11 min 20 s), read at 9:30


def test_a_copy_read_may_be_as_old_as_its_age_before_it_reads_late(cfg):
    """`langnghe status` beside a running serve reads its snapshot, up to `snapshot_every_minutes` behind: a source
    due just after the snapshot read «đã ngừng» 11 min 30 s later while serve collected normally (round 28's
    review)."""
    health = [row("a", T + timedelta(seconds=5))]
    age = timedelta(minutes=10)
    at = T + timedelta(seconds=5) + SLACK + timedelta(seconds=30)
    assert status.collection_late(health, T, cfg, at)
    assert not status.collection_late(health, T, cfg, at, copy_age=age)
    assert status.collection_due_by(health, T, cfg, age) == T + timedelta(seconds=5) + SLACK + age


def test_status_read_from_a_snapshot_allows_for_its_age(cfg, monkeypatch):
    """collect_status gives the snapshot's age to the rule when it read serve's snapshot, and none otherwise."""
    from collections import defaultdict

    class Closed:
        def close(self) -> None:
            pass

    now = status.utcnow()
    last = now - SLACK - timedelta(minutes=3)  # past the slack by 3 minutes, inside a 10-minute-old snapshot's
    health = [{**row("a", last), "status": "ok"}]
    monkeypatch.setattr(status, "_old_schema", lambda *a: None)
    monkeypatch.setattr(status, "_figures", lambda *a: (defaultdict(int), [dict(r) for r in health], (last, last), {}))
    for origin, late in (("snapshot", False), ("database", True)):
        monkeypatch.setattr(status, "_open", lambda cfg_, o=origin: (Closed(), o, None))
        assert status.collect_status(cfg)["collection_late"] is late, origin


def test_every_source_failing_is_a_server_that_runs_but_brings_nothing(cfg):
    """A network cut at the office: each failed try is a collection by the scheduler's plan, so the stopped-server
    rule is silent and the page was quiet with no word (round 28). Every enabled source that has run `failing` (3
    failures in a row) says so, with when one last succeeded."""
    def src(name, st, ok, enabled=True, ran=True):
        return {"source": name, "enabled": enabled, "status": st, "last_success_at": ok,
                "last_attempt_at": T if ran else None}

    a, b = T - timedelta(hours=2), T - timedelta(hours=1)
    assert status.collection_failing([src("a", "failing", a), src("b", "failing", b)]) == (True, b)
    assert status.collection_failing([src("a", "failing", None)]) == (True, None)  # never brought anything
    assert status.collection_failing([src("a", "failing", a), src("b", "error", b)]) == (False, None)  # one may yet
    assert status.collection_failing([src("a", "failing", a), src("b", "ok", b)]) == (False, None)
    assert status.collection_failing([src("a", "failing", a), src("p", "paused", b, enabled=False),
                                      src("n", "never_run", None, ran=False)]) == (True, a)
    assert status.collection_failing([]) == (False, None)
    assert status.collection_failing([src("n", "never_run", None, ran=False)]) == (False, None)


def test_status_says_what_the_pages_collection_says(cfg, monkeypatch):
    """`langnghe status` and the pages read collection through one object, `status.Collection.of` (round 30, fix30:
    collect_status judged `collection_late` and `last_failed_try` itself): what `of` decides is what status prints,
    and the figures are the same as before (the failed try, the due time, late)."""
    from collections import defaultdict

    class Closed:
        def close(self) -> None:
            pass

    now = status.utcnow()
    last = now - SLACK - timedelta(minutes=3)
    health = [{**row("a", last), "status": "error", "consecutive_failures": 1, "last_attempt_at": last}]
    monkeypatch.setattr(status, "_old_schema", lambda *a: None)
    monkeypatch.setattr(status, "_figures", lambda *a: (defaultdict(int), [dict(r) for r in health], (last, None), {}))
    monkeypatch.setattr(status, "_open", lambda cfg_: (Closed(), "database", None))
    st = status.collect_status(cfg)
    assert st["collection_late"] is True and st["last_failed_try_at"] == last.isoformat(timespec="seconds") + "Z"
    assert st["collection_due_by"] == (last + SLACK).isoformat(timespec="seconds") + "Z"
    assert st["last_collection_at"] == st["last_failed_try_at"] and st["last_success_at"] is None

    seen = []
    real = status.Collection.of

    def of(*a, **kw):
        col = real(*a, **kw)
        seen.append(col)
        return status.Collection(col.tried_at, col.got_at, None, False, col.failing, None)  # what `of` says, goes

    monkeypatch.setattr(status.Collection, "of", of)
    st = status.collect_status(cfg)
    assert len(seen) == 1 and seen[0].late and seen[0].failed_try_at == last
    assert st["collection_late"] is False and st["last_failed_try_at"] is None and st["collection_due_by"] is None
