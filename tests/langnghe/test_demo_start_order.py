"""`langnghe demo`'s start order (round 27, perf30): the survey import, which loads the NLP model, no longer runs
before the dashboard starts; serve's `at_start` runs it first in the scheduler thread."""

from __future__ import annotations

import threading

from store.db import Database
from store.surveys import list_surveys
from tests.conftest import make_config


def test_demo_set_up_before_the_dashboard_leaves_the_survey_to_the_scheduler(tmp_path):
    from langnghe.commands import demo

    cfg = make_config(tmp_path)
    with Database(cfg.storage.db_path) as db:
        demo._demo_hooks(cfg)(db)  # accounts, the watchlist, the console channel: what must be there first
        with db.read() as cur:
            assert list_surveys(cur) == []  # before: both waves imported here, the model loaded with them
            assert cur.execute("SELECT count(*) FROM users").fetchall()[0][0] == 2


def test_serve_runs_at_start_in_the_scheduler_thread(tmp_path, monkeypatch):
    from langnghe import service, state

    cfg = make_config(tmp_path, schedule={"tick_seconds": 0.2}, storage={"snapshot_every_minutes": 0},
                      fulltext={"enabled": False})
    ran: list[str] = []
    done = threading.Event()

    def at_start(db):  # type: ignore[no-untyped-def]
        ran.append(threading.current_thread().name)
        done.set()

    monkeypatch.setattr(service, "route_logs", lambda cfg: tmp_path / "serve.log")
    monkeypatch.setattr(service, "_stop_on_sigterm", lambda: None)
    monkeypatch.setattr(service, "_warn_mail_servers", lambda cfg, db: None)
    monkeypatch.setattr(state, "record", lambda cfg, path: tmp_path / "state.json")
    monkeypatch.setattr(state, "clear", lambda: None)
    monkeypatch.setattr(service, "run_dashboard", lambda cfg: done.wait(120))  # a guard, not a timing
    monkeypatch.setattr(service, "listen_refusal", lambda *_a: None)  # no dashboard listens: 8501 may be taken
    assert service.serve(cfg, at_start=at_start) == 0
    assert ran == ["langnghe-scheduler"]
