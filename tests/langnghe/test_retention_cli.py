"""`langnghe retention` says its cutoffs in Vietnam time, as staff read every other time (it said UTC)."""

from __future__ import annotations

import argparse
from datetime import datetime

from langnghe.commands import retention as cmd
from orchestration import retention as job
from store.db import Database
from tests.langnghe.test_crash_and_cli import write_config
from vocab.config import load


def test_retention_prints_its_cutoffs_and_log_in_vietnam_time(tmp_path, monkeypatch, capsys):
    cfg = load(write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1))
    monkeypatch.delenv("LANGNGHE_DB", raising=False)
    monkeypatch.setattr(job, "utcnow", lambda: datetime(2026, 12, 5, 20, 30))  # 03:30 on the 6th in Vietnam
    Database(cfg.storage.db_path).close()  # retention refuses a database that does not exist (round 28)
    assert cmd.run(argparse.Namespace(dry_run=True, log=False), cfg) == 0
    run = capsys.readouterr().out
    assert "Sẽ xóa" in run and "/12/" in run and "03:30" in run and "UTC" not in run and "20:30" not in run
    assert cmd.run(argparse.Namespace(dry_run=False, log=True), cfg) == 0
    log = capsys.readouterr().out
    assert "06/12/2026 03:30" in log and "(thử)" in log  # the run's own time, in Vietnam time


def test_retention_help_names_everything_a_run_purges(tmp_path, monkeypatch):
    """`langnghe retention --help` said «Xóa dữ liệu gốc và tin cũ» while the job also purges the notifications'
    outbox and send log and, since fix33, the fetch log (fix34). The help is drawn from vocab.labels.PURGES (store.retention re-exports it); a run
    purges nothing that list leaves out."""
    from store import retention as store_retention
    from vocab.labels import purge_label

    cfg = load(write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1))
    monkeypatch.delenv("LANGNGHE_DB", raising=False)
    parser = argparse.ArgumentParser()
    cmd.register(parser.add_subparsers())
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["retention"]
    text = " ".join(sub.format_help().split())  # argparse wraps lines
    for what, setting in store_retention.PURGES:
        assert purge_label(what) in text and f"retention.{setting}" in text, (what, text)
    assert all(purge_label(w) != w for w, _ in store_retention.PURGES)  # each said in Vietnamese, not by its code
    with Database(cfg.storage.db_path) as db:
        ran = {p.what for p in job.run_retention(cfg, db, dry_run=True)}
    listed = {w for w, _ in store_retention.PURGES}
    assert {w for w in ran if not w.startswith("item_rows:")} <= listed
    assert {"notify_outbox", "notify_log", "fetch_log", "raw_payloads", "items"} <= ran
