"""Round 26's maintainer walk (ux27): a fresh install followed by README's words, on a scratch database. What a
maintainer met that said what happened but not what to do, or not in Vietnamese."""

from __future__ import annotations

from pathlib import Path

import pytest

from langnghe import cli


def _run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


# --- the config file ----------------------------------------------------------------------------------------------

def test_a_missing_config_file_says_where_the_path_came_from_and_what_to_do(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("LANGNGHE_CONFIG", raising=False)
    code, _out, err = _run(capsys, "--config", str(tmp_path / "langnghe.tomll"), "status")
    assert code == 2 and "không có tệp cấu hình" in err
    assert "--config hoặc biến môi trường LANGNGHE_CONFIG" in err and "Traceback" not in err


def test_a_toml_syntax_error_is_said_in_vietnamese_with_its_line(tmp_path, capsys):
    """tomllib's English («Expected '=' after a key in a key/value pair (at line 2, column 9)») was all it said."""
    bad = tmp_path / "ghi-de.toml"
    bad.write_text('[storage]\ndb_path "var/x.duckdb"\n', encoding="utf-8")
    code, _out, err = _run(capsys, "--config", str(bad), "status")
    assert code == 2 and "không đọc được TOML ở dòng 2, cột 9" in err, err
    assert "`tên = giá trị`" in err and "(at line" not in err


@pytest.mark.parametrize("text, hint", [
    ("[alerts]\nmin_outlet = 3\n", "[alerts] min_outlet (có phải min_outlets?)"),  # a part's section, read as a dict
    ("[http]\nmax_body_mbb = 3\n", "max_body_mbb (có phải max_body_mb?)"),  # a typed section
])
def test_a_misspelt_setting_is_named_with_the_close_one(tmp_path, capsys, text, hint):
    """The typo was named, and the maintainer sent to read vocab/langnghe.toml for the right name."""
    over = tmp_path / "ghi-de.toml"
    over.write_text(text, encoding="utf-8")
    code, _out, err = _run(capsys, "--config", str(over), "status")
    assert code == 2 and hint in err, err
    assert f"{over}: " in err, err  # which file to open: a typed section's typo did not say (round 26)


def test_an_unknown_setting_far_from_any_gets_no_guess(tmp_path, capsys):
    over = tmp_path / "ghi-de.toml"
    over.write_text("[alerts]\nxyz = 3\n", encoding="utf-8")
    code, _out, err = _run(capsys, "--config", str(over), "status")
    assert code == 2 and "[alerts] xyz (các thiết lập" in err and "có phải" not in err, err


# --- status and restore -------------------------------------------------------------------------------------------

def test_status_without_a_database_says_so_once_and_what_to_run(tmp_path, capsys, monkeypatch):
    """`status` on a path with no database read «Cơ sở dữ liệu: … (đọc từ chưa có cơ sở dữ liệu)», then zero items of
    «0 / 0» sources, as if it had read one."""
    monkeypatch.delenv("LANGNGHE_CONFIG", raising=False)
    monkeypatch.setenv("LANGNGHE_DB", str(tmp_path / "chua-co" / "langnghe.duckdb"))
    code, out, _err = _run(capsys, "status")
    assert code == 2 and out.splitlines()[0].endswith("langnghe.duckdb (chưa có)"), out  # exit 2 since round 29
    assert "langnghe init-db" in out and "đọc từ chưa có" not in out and "Nguồn lỗi" not in out, out


def test_a_held_database_at_restore_says_the_wait_with_a_decimal_comma(tmp_path):
    """The help says «đã đợi tối đa 4,5 giây»; the refusal said «đã đợi 4.5 giây»."""
    from store import db as store_db

    said = str(store_db._held(tmp_path / "langnghe.duckdb"))
    assert "đã đợi 4,5 giây" in said and str(tmp_path / "langnghe.duckdb") in said, said


# --- init-db ------------------------------------------------------------------------------------------------------

def test_init_db_says_the_next_step_of_a_new_install_until_an_admin_exists(tmp_path, capsys, monkeypatch):
    """A new install's `init-db` said «…: sẵn sàng, phiên bản cấu trúc 178» and nothing of the first admin account,
    without which nobody can sign in to the dashboard `serve` then starts (README gives it further down)."""
    monkeypatch.delenv("LANGNGHE_CONFIG", raising=False)
    monkeypatch.setenv("LANGNGHE_DB", str(tmp_path / "langnghe.duckdb"))
    code, out, _err = _run(capsys, "init-db")
    assert code == 0 and "sẵn sàng" in out and "`langnghe users add TÊN --role admin`" in out, out
    from datetime import datetime

    from store.db import Database
    from store.users import add_user

    with Database(tmp_path / "langnghe.duckdb") as db, db.write() as cur:
        add_user(cur, "quantri", "Quản trị", "admin", "x" * 60, None, datetime(2026, 12, 7))
    code, out, _err = _run(capsys, "init-db")
    assert code == 0 and "sẵn sàng" in out and "users add" not in out, out


def test_init_db_help_says_where_the_database_goes():
    help_text = cli.build_parser()._subparsers._group_actions[0].choices["init-db"].format_help()  # type: ignore[union-attr]
    assert "var/langnghe.duckdb" in help_text and "LANGNGHE_DB" in help_text and "thư mục đang đứng" in help_text


# --- serve's stop -------------------------------------------------------------------------------------------------

def test_serve_says_on_the_console_that_it_stopped_and_let_go_of_the_database(tmp_path, capsys, monkeypatch):
    """Ctrl+C ended `serve` without a word after the dashboard's last line: a maintainer about to back up or restore
    could not tell it had closed the database and written its last snapshot."""
    from langnghe import service
    from tests.conftest import make_config

    monkeypatch.chdir(tmp_path)  # the state file goes beside the default database, relative to the cwd
    cfg = make_config(tmp_path, sources=[])
    monkeypatch.setattr(service, "run_dashboard", lambda _cfg: None)  # the dashboard stopped at once (Ctrl+C)
    monkeypatch.setattr(service, "listen_refusal", lambda *_a: None)  # no dashboard listens: 8501 may be taken
    monkeypatch.setattr(service, "_stop_on_sigterm", lambda: None)
    monkeypatch.setattr(service, "install_jobs", lambda *_a, **_k: None)
    try:
        assert service.serve(cfg) == 0
    finally:
        import logging

        from orchestration import runtime

        runtime.reset()  # serve installed its Database, closed now
        for h in list(logging.getLogger().handlers):  # serve's log file handler
            if getattr(h, "baseFilename", "").startswith(str(tmp_path)):
                logging.getLogger().removeHandler(h)
                h.close()
    out = capsys.readouterr().out
    last = out.strip().splitlines()[-1]
    assert last == (f"Đã dừng Lắng Nghe; cơ sở dữ liệu {cfg.storage.db_path} đã đóng, bản chụp cuối ở "
                    f"{cfg.storage.snapshot_path}."), out


def test_the_sources_note_is_bracketed_once():
    """`langnghe sources` while serve ran: «(dữ liệu từ bản chụp … (serve đang giữ cơ sở dữ liệu))» (round 26)."""
    from langnghe.commands.sources import note_line

    held = "dữ liệu từ bản chụp var/snap.duckdb (serve đang giữ cơ sở dữ liệu)"
    assert note_line(held) == f"Lưu ý: {held}"
    assert note_line("chưa có cơ sở dữ liệu: chạy `langnghe init-db`") == "(chưa có cơ sở dữ liệu: chạy `langnghe init-db`)"


def test_init_db_with_a_config_file_says_the_next_steps_with_it(tmp_path, capsys, monkeypatch):
    """A new office ran `langnghe --config langnghe.toml init-db` (its own area, its own sources) and was told to run
    `langnghe serve`: without --config that serves the shipped defaults, Quảng Ninh's area and its real feeds, fetched
    at once (ux41's walk, round 32). The next steps now carry the same --config."""
    monkeypatch.delenv("LANGNGHE_CONFIG", raising=False)
    monkeypatch.delenv("LANGNGHE_DB", raising=False)
    conf = tmp_path / "cấu hình.toml"
    conf.write_text(f'sources = []\n[storage]\ndb_path = "{tmp_path / "x.duckdb"}"\n', encoding="utf-8")
    code, out, _err = _run(capsys, "--config", str(conf), "init-db")
    assert code == 0 and "sẵn sàng" in out, out
    quoted = f"'{conf}'"  # a path with a space, as the shell needs it
    assert f"`langnghe --config {quoted} users add TÊN --role admin`" in out, out
    assert f"`langnghe --config {quoted} serve`" in out, out
