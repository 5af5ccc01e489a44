"""langnghe.commands._storing.open_for_writing: how the writing commands open the database, or say who holds it
(collect, fulltext, import, retention, survey import/recode, tag --pending, users; round 26)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from langnghe.commands._storing import open_for_writing
from store import db as store_db
from store.errors import DatabaseLocked
from vocab.config import load


@pytest.fixture
def cfg(tmp_path, monkeypatch):
    monkeypatch.delenv("LANGNGHE_CONFIG", raising=False)
    c = load()
    return replace(c, storage=replace(c.storage, db_path=str(tmp_path / "w.duckdb")))


def test_a_free_database_is_opened_for_writing(cfg, capsys):
    db = open_for_writing(cfg, "collect")
    assert db is not None
    with db, db.write() as cur:
        cur.execute("SELECT count(*) FROM items")
    assert capsys.readouterr().err == ""


def test_a_held_database_is_said_with_the_command_and_its_hint_and_nothing_opened(cfg, capsys, monkeypatch):
    def held(*_a, **_k):
        raise DatabaseLocked("Cơ sở dữ liệu đang được một tiến trình khác giữ.")

    monkeypatch.setattr(store_db, "Database", held)
    assert open_for_writing(cfg, "collect", "\n`langnghe serve` đang thu thập theo lịch.") is None
    assert capsys.readouterr().err == ("langnghe collect: Cơ sở dữ liệu đang được một tiến trình khác giữ.\n"
                                       "`langnghe serve` đang thu thập theo lịch.\n")
    assert open_for_writing(cfg, "tag --pending") is None
    assert capsys.readouterr().err == "langnghe tag --pending: Cơ sở dữ liệu đang được một tiến trình khác giữ.\n"


def test_users_list_has_a_header_and_says_times_in_vietnam_time(cfg, capsys):
    """`users list` printed bare rows with the last login in UTC, where `status` and the dashboard say Vietnam time;
    `users add` said «vai trò admin», the code only (round 26)."""
    from argparse import Namespace
    from datetime import datetime

    from langnghe.commands import users
    from orchestration.accounts import AuthService, AuthSettings
    from vocab.timefmt import to_local

    with store_db.Database(cfg.storage.db_path) as db:
        AuthService(db, AuthSettings(bcrypt_rounds=4)).create_user("lan", "mot-mat-khau-du-dai-1", "admin")
        with db.write() as cur:
            cur.execute("UPDATE users SET last_login_at = TIMESTAMP '2026-12-06 23:30:00' WHERE username = 'lan'")
    assert users.run(Namespace(users_cmd="list"), cfg) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("TÊN ĐĂNG NHẬP") and "giờ Việt Nam" in out[0]
    assert f"{to_local(datetime(2026, 12, 6, 23, 30)):%d/%m/%Y %H:%M}" == "07/12/2026 06:30" and "07/12/2026 06:30" in out[1]


def test_users_add_names_the_role_in_vietnamese(cfg, capsys, monkeypatch):
    import io
    from argparse import Namespace

    from langnghe.commands import users

    monkeypatch.setattr("sys.stdin", io.StringIO("mot-mat-khau-du-dai-1\n"))
    monkeypatch.setattr("orchestration.accounts.AuthSettings.from_config",
                        classmethod(lambda cls, _cfg: cls(bcrypt_rounds=4)))
    args = Namespace(users_cmd="add", name="lan", role="admin", display_name=None, password_stdin=True)
    assert users.run(args, cfg) == 0
    assert capsys.readouterr().out == "Đã tạo tài khoản lan (vai trò quản trị, admin).\n"


def test_retention_held_by_serve_says_serve_purges_every_day(cfg, capsys, monkeypatch):
    """`langnghe retention` while serve ran said only who held the database; serve runs the purge itself once a day
    (ux27's maintainer walk, round 26)."""
    from argparse import Namespace

    from langnghe.commands import retention

    def held(*_a, **_k):
        raise DatabaseLocked("Cơ sở dữ liệu đang được một tiến trình khác giữ.")

    Path(cfg.storage.db_path).touch()  # the file serve holds (a missing one is NoDatabase, round 28)
    monkeypatch.setattr(store_db, "Database", held)
    assert retention.run(Namespace(), cfg) == 3
    err = capsys.readouterr().err
    assert err.startswith("langnghe retention: Cơ sở dữ liệu đang được") and "tự dọn dữ liệu cũ mỗi ngày" in err, err


def test_a_database_held_by_another_collect_names_that_collect_not_serve(cfg, capsys, tmp_path):
    """hostile34: a second `langnghe collect` refused while another `collect` held the database was told
    «`langnghe serve` đang thu thập theo lịch.», the hint for serve, though no serve ran. DuckDB names the holder's
    pid; the command line of that pid names the command (fix34)."""
    import subprocess
    import sys

    fake = tmp_path / "bin" / "langnghe"  # argv «python …/langnghe collect --once», as the console script runs
    fake.parent.mkdir()
    fake.write_text("import sys, duckdb\ncon = duckdb.connect(sys.argv[3])\nprint('held', flush=True)\n"
                    "sys.stdin.read()\n", encoding="utf-8")
    holder = subprocess.Popen([sys.executable, str(fake), "collect", "--once", cfg.storage.db_path],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        assert open_for_writing(cfg, "collect", "\n`langnghe serve` đang thu thập theo lịch.") is None
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    err = capsys.readouterr().err
    assert f"`langnghe collect` (pid {holder.pid})" in err, err
    assert "serve` đang thu thập" not in err and "thường là" not in err, err


def test_the_holder_is_named_from_its_command_line():
    from langnghe.state import _langnghe_command

    assert _langnghe_command(["/usr/bin/python3.11", "-m", "langnghe", "collect", "--once"]) == "collect"
    assert _langnghe_command(["/venv/bin/python", "/venv/bin/langnghe", "--config", "x.toml", "import", "a.csv"]) == "import"
    assert _langnghe_command(["/venv/bin/langnghe", "serve"]) == "serve"
    assert _langnghe_command(["/usr/bin/python3.11", "-m", "langnghe.cli", "serve"]) == "serve"  # review33
    assert _langnghe_command(["/usr/bin/python3.11", "-c", "import duckdb"]) is None


def test_a_holder_whose_command_line_cannot_be_read_is_not_said_to_be_other_than_serve(monkeypatch):
    """It has just ended, or /proc hides it: the store's words and serve's hint, not «không phải serve» (review33)."""
    from langnghe import state
    from langnghe.commands._storing import held_by
    from store.errors import DatabaseLocked

    monkeypatch.setattr(state, "running", lambda: None)
    said = held_by(DatabaseLocked("Cơ sở dữ liệu x đang được một tiến trình khác giữ.", pid=2 ** 22 + 7), "x",
                   " Dừng `langnghe serve`.")
    assert "không phải" not in said and said.endswith("Dừng `langnghe serve`."), said
