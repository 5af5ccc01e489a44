"""A running serve/demo records its config and database; the other commands find them (issue 15)."""

from __future__ import annotations

import json
import os
from types import SimpleNamespace

from langnghe import cli, state
from store.db import Database


def _server_state(tmp_path, monkeypatch, pid: int):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LANGNGHE_CONFIG", raising=False)
    monkeypatch.delenv("LANGNGHE_DB", raising=False)
    conf = tmp_path / "demo.toml"
    conf.write_text('[storage]\ndb_path = "var/demo.duckdb"\nsnapshot_path = "var/demo.snapshot.duckdb"\n',
                    encoding="utf-8")
    cfg = state.config_of({"config": str(conf), "db_path": str(tmp_path / "var/demo.duckdb")})
    with Database(cfg.storage.db_path):
        pass
    path = state.record(cfg, conf)
    body = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**body, "pid": pid}), encoding="utf-8")
    return path, cfg


def test_status_finds_the_database_a_running_demo_holds(tmp_path, monkeypatch, capsys):
    path, cfg = _server_state(tmp_path, monkeypatch, os.getpid())
    assert path == tmp_path / "var" / "langnghe-serve.json"
    assert cli.main(["status", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["db_path"] == str(tmp_path / "var" / "demo.duckdb")
    assert "--config " + str(tmp_path / "demo.toml") in err  # says which config it used


def test_a_stale_state_file_is_ignored_and_an_explicit_config_wins(tmp_path, monkeypatch, capsys):
    _server_state(tmp_path, monkeypatch, pid=2**22 + 12345)  # no such process
    assert state.running() is None
    assert cli._config(SimpleNamespace(config=None, command="status")).storage.db_path == "var/langnghe.duckdb"
    _server_state(tmp_path, monkeypatch, os.getpid())
    monkeypatch.setenv("LANGNGHE_DB", str(tmp_path / "other.duckdb"))
    assert cli._config(SimpleNamespace(config=None, command="status")).storage.db_path == str(tmp_path / "other.duckdb")


def test_clear_marks_only_our_own_state_stopped_and_then_a_command_says_which_config(tmp_path, monkeypatch,
                                                                                      capsys):
    path, _ = _server_state(tmp_path, monkeypatch, os.getpid() + 1)
    state.clear()
    assert json.loads(path.read_text())["pid"] == os.getpid() + 1
    path.write_text(json.dumps({**json.loads(path.read_text()), "pid": os.getpid()}))
    state.clear()
    assert json.loads(path.read_text())["pid"] is None and state.running() is None
    assert cli.main(["status", "--json"]) == 2  # no database at that path (exit 2 since round 29)
    err = capsys.readouterr().err
    assert "--config " + str(tmp_path / "demo.toml") in err and "chưa có cơ sở dữ liệu" in err


def test_a_state_file_whose_pid_now_belongs_to_another_process_is_ignored(tmp_path, monkeypatch):
    """After a power cut (or on the machine a backup of var/ was restored to) the file keeps the dead serve's
    pid, and another process may hold that number: commands then followed the old config and database."""
    import subprocess

    _server_state(tmp_path, monkeypatch, os.getpid())
    assert state.running() is not None  # this process started before the file was written
    other = subprocess.Popen(["sleep", "30"])
    try:
        _server_state(tmp_path, monkeypatch, other.pid)
        path = state.state_path()
        body = json.loads(path.read_text(encoding="utf-8"))
        earlier = "2000-01-01T00:00:00+00:00"  # written long before `sleep` started
        path.write_text(json.dumps({**body, "started_at": earlier}), encoding="utf-8")
        assert state.running() is None
    finally:
        other.kill()
        other.wait()
