"""Round 29 (ux35): `langnghe status` with no database at the configured path exits 2, as every command that finds
none, and says where it looked and what to run. It exited 0: a script or a monitor checking the code read a mistyped
LANGNGHE_DB, or a serve never started, as a healthy empty server."""

from __future__ import annotations

import json

from tests.conftest import cli_in_process


def test_status_without_a_database_exits_2_and_says_where_it_looked(tmp_path):
    res = cli_in_process(["status"], {"LANGNGHE_DB": "var/chua-co.duckdb"}, unset=("LANGNGHE_CONFIG",), cwd=tmp_path)
    assert res.returncode == 2, (res.returncode, res.stdout, res.stderr)
    out = res.stdout
    assert out.splitlines()[0] == "Cơ sở dữ liệu: var/chua-co.duckdb (chưa có)", out
    # a relative path is read from the folder the command runs in: said whole, with what to run
    assert f"tính từ thư mục đang đứng: {tmp_path / 'var' / 'chua-co.duckdb'}" in out, out
    assert "`langnghe init-db`" in out and "LANGNGHE_DB" in out and "Traceback" not in res.stderr, out


def test_status_json_without_a_database_exits_2_and_still_prints_its_json(tmp_path):
    """A script gets the code and can still read the JSON (`origin`: none)."""
    db = tmp_path / "chua-co" / "langnghe.duckdb"
    res = cli_in_process(["status", "--json"], {"LANGNGHE_DB": str(db)}, unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 2, (res.returncode, res.stdout, res.stderr)
    js = json.loads(res.stdout)
    assert js["origin"] == "none" and js["items"] == 0 and js["collection_late"] is False, js
    assert not db.exists()  # nothing made at the mistyped path


def test_status_with_a_database_still_exits_0(tmp_path):
    from store.db import Database

    db = tmp_path / "langnghe.duckdb"
    with Database(db):
        pass
    for argv in (["status"], ["status", "--json"]):
        res = cli_in_process(argv, {"LANGNGHE_DB": str(db)}, unset=("LANGNGHE_CONFIG",))
        assert res.returncode == 0, (argv, res.stdout, res.stderr)
