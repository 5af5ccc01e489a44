"""The tests' CLI helpers (`tests.conftest.cli_in_process`, `tests.langnghe.test_crash_and_cli.cli`) run a command
without the developer's own $LANGNGHE_CONFIG (round 31): it was passed on, so a config exported in the shell that
runs pytest changed what a test's command read (another database, other sources), and a test passed or failed by
whose machine ran it. A test that means a config passes it in `env`."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from tests.conftest import cli_in_process
from tests.langnghe.test_crash_and_cli import cli


def test_cli_in_process_leaves_out_the_developer_s_config(tmp_path, monkeypatch):
    monkeypatch.setenv("LANGNGHE_CONFIG", str(tmp_path / "cua-toi.toml"))  # no such file: a ConfigError if read
    res = cli_in_process(["status", "--json"], {"LANGNGHE_DB": str(tmp_path / "chua-co.duckdb")})
    assert res.returncode == 2 and '"origin": "none"' in res.stdout, (res.returncode, res.stdout, res.stderr)
    assert "LANGNGHE_CONFIG" not in res.stderr, res.stderr
    assert os.environ["LANGNGHE_CONFIG"] == str(tmp_path / "cua-toi.toml")  # put back after the call


def test_cli_in_process_still_passes_a_config_the_test_names(tmp_path, monkeypatch):
    monkeypatch.delenv("LANGNGHE_CONFIG", raising=False)
    res = cli_in_process(["status"], {"LANGNGHE_CONFIG": str(tmp_path / "cua-test.toml")})
    assert res.returncode != 0 and "cua-test.toml" in res.stdout + res.stderr, (res.stdout, res.stderr)
    assert "LANGNGHE_CONFIG" not in os.environ


def test_the_process_helper_leaves_out_the_developer_s_config(tmp_path, monkeypatch):
    monkeypatch.setenv("LANGNGHE_CONFIG", str(tmp_path / "cua-toi.toml"))
    res = cli(["status", "--json"], env={"LANGNGHE_DB": str(tmp_path / "chua-co.duckdb")})
    assert res.returncode == 2 and '"origin": "none"' in res.stdout, (res.returncode, res.stdout, res.stderr)


def test_no_test_reads_the_developer_s_config_through_load(tmp_path):
    """tests/conftest.py's `no_developer_config`: `vocab.config.load()` with no path (reports' `settings()`, the
    limits, the collectors' contract) read a $LANGNGHE_CONFIG exported in the shell that ran pytest. Checked in a
    pytest run of its own (the fixture is this process's already) with one exported that names no file and a
    database elsewhere: load() would raise ConfigError, or name that database."""
    probe = tmp_path / "test_probe_env.py"
    probe.write_text(textwrap.dedent("""
        from vocab import config
        def test_defaults():
            assert config.load().storage.db_path == "var/langnghe.duckdb"
    """), encoding="utf-8")
    env = {**os.environ, "LANGNGHE_CONFIG": str(tmp_path / "cua-toi.toml"), "LANGNGHE_DB": "/khong/co.duckdb"}
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.conftest",
                          str(probe)], capture_output=True, text=True, env=env, timeout=300)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
