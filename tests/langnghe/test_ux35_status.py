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


# --- the last collection is the last fetch that succeeded; a failed try is said apart ------------------------------

def test_status_gives_the_last_success_and_says_the_server_still_tries(tmp_path, monkeypatch, capsys):
    """Collected at 08:10, every source failed at 08:25: status printed «Lần thu thập gần nhất: 08:25:00 …», a failed
    try read as a collection (round 29)."""
    from datetime import timedelta

    from store.db import Database
    from store.sources import Outcome, record_outcome
    from tests.conftest import make_config
    from tests.langnghe.test_cli34 import LAST_UTC, _collected, _status

    cfg = make_config(tmp_path)
    _collected(cfg)
    tried = LAST_UTC + timedelta(minutes=15)
    with Database(cfg.storage.db_path) as db, db.write() as cur:
        for s in cfg.sources:
            record_outcome(cur, Outcome(source=s.name, started_at=tried - timedelta(seconds=5), finished_at=tried,
                                        outcome="error", next_due_at=tried + timedelta(minutes=15),
                                        error_kind="network", error="ConnectError"))
    code, out = _status(cfg, monkeypatch, capsys, tried + timedelta(minutes=5), as_json=False)
    assert code == 0
    assert "Lần thu thập thành công gần nhất: 08:10:00 07/12/2026 (giờ Việt Nam)" in out, out
    assert ("Lần thử gần nhất: 08:25:00 07/12/2026 (giờ Việt Nam) — mọi nguồn đều lỗi từ lần thành công trên, không "
            "lấy được tin") in out, out
    code, js = _status(cfg, monkeypatch, capsys, tried + timedelta(minutes=5), as_json=True)
    assert js["last_collection_at"] == "2026-12-07T01:25:00Z" and js["last_success_at"] == "2026-12-07T01:10:00Z", js
    assert js["last_failed_try_at"] == "2026-12-07T01:25:00Z", js


def test_status_collecting_normally_says_one_line():
    from langnghe.commands.status import collection_text

    ok = {"last_collection_at": "2026-12-07T01:10:00Z", "last_success_at": "2026-12-07T01:10:00Z",
          "last_failed_try_at": None}
    assert collection_text(ok) == "Lần thu thập thành công gần nhất: 08:10:00 07/12/2026 (giờ Việt Nam)"
    never = {"last_collection_at": "2026-12-07T01:25:00Z", "last_success_at": None,
             "last_failed_try_at": "2026-12-07T01:25:00Z"}
    assert collection_text(never).splitlines() == [
        "Lần thu thập thành công gần nhất: chưa có",
        "Lần thử gần nhất: 08:25:00 07/12/2026 (giờ Việt Nam) — mọi nguồn đều lỗi, chưa lần nào thành công, không lấy "
        "được tin (`langnghe sources` cho biết lỗi của từng nguồn)."]
