"""The CLI used the wrong way (round 28's walk as a provincial office's IT staff): a mistyped database path, a
closed pipe, Ctrl+C in `tag --pending`. Each says what happened in Vietnamese, with a non-zero exit and no
traceback, and keeps the work done."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import cli_in_process

ROOT = Path(__file__).resolve().parents[2]


def _env(db: Path) -> dict[str, str]:
    return {"LANGNGHE_DB": str(db)}


@pytest.mark.parametrize("argv", [["steps"], ["users", "list"], ["users", "disable", "lan"], ["retention", "--log"],
                                  ["retention", "--dry-run"], ["steps", "--retry"], ["tag", "--pending"],
                                  ["fulltext"], ["survey", "delete", "1"]])
def test_a_missing_database_is_said_not_made(tmp_path, argv):
    """`steps` ended on a NoDatabase traceback; `users list`, `retention --log`… made the mistyped path's folder and
    an empty database there, then said «chưa có tài khoản» or listed nothing, exit 0."""
    db = tmp_path / "go" / "langnghe.duckdb"
    res = cli_in_process(argv, _env(db), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 2, (res.stdout, res.stderr)
    assert f"langnghe {argv[0]}: chưa có cơ sở dữ liệu" in res.stderr and "langnghe init-db" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr and not (tmp_path / "go").exists()


def test_users_add_still_makes_the_database_as_the_first_step_may(tmp_path):
    """The first admin account on a new install: `users add` makes the database, as before."""
    db = tmp_path / "new.duckdb"
    # --password-stdin reads the real stdin: a child process with its input
    env = {**os.environ, "LANGNGHE_DB": str(db), "PYTHONPATH": str(ROOT)}
    env.pop("LANGNGHE_CONFIG", None)
    res = subprocess.run([sys.executable, "-m", "langnghe", "users", "add", "quantri", "--role", "admin",
                          "--password-stdin"], input="mat-khau-du-dai-2026\n", capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=120)
    assert res.returncode == 0 and db.exists(), res.stderr


def test_a_closed_pipe_ends_quietly_with_141(tmp_path):
    """`langnghe search x | head -1` and `langnghe sources | head -1` ended on a BrokenPipeError traceback, exit 1."""
    from store.db import Database

    db = tmp_path / "p.duckdb"
    with Database(db):
        pass
    env = {**os.environ, "LANGNGHE_DB": str(db), "PYTHONPATH": str(ROOT)}
    env.pop("LANGNGHE_CONFIG", None)
    for argv in (["search", "lũ"], ["sources"]):
        p = subprocess.Popen([sys.executable, "-m", "langnghe", *argv], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env, cwd=tmp_path)
        p.stdout.close()  # the reader is gone before the command writes its first line
        err = p.stderr.read().decode("utf-8")
        assert p.wait(timeout=120) == 141, (argv, err)
        assert "Traceback" not in err and "BrokenPipeError" not in err, (argv, err)


def test_a_broken_pipe_that_is_not_stdout_is_not_hidden(monkeypatch, tmp_path):
    """Only a reader gone from stdout is a quiet 141: a broken pipe elsewhere (a socket) stays an error."""
    from langnghe import cli

    monkeypatch.setattr(cli, "_stdout_closed", lambda: False)

    def broken(_args, _cfg):
        raise BrokenPipeError("socket")

    monkeypatch.setattr("langnghe.commands.sources.run", broken)  # the parser is built with it inside main
    monkeypatch.setenv("LANGNGHE_DB", str(tmp_path / "x.duckdb"))
    with pytest.raises(BrokenPipeError):
        cli.main(["sources"])


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(),
                    reason="signal handlers are only set in the main thread")
def test_tag_pending_shows_progress_and_a_ctrl_c_stops_after_the_batch_keeping_it(tmp_path, monkeypatch):
    """`tag --pending` said nothing for its whole run (≈ 20 s for 2.500 items) and Ctrl+C ended it silently, exit
    130: now a line a batch, and the first Ctrl+C stops after the batch in hand, saying how many were tagged."""
    from nlp import service

    class Pipe:
        model_version = "9.9/test"

    calls: dict = {}

    def tag_pending(cfg, db, batch=500, pipeline=None, *, stop=None, progress=None, **_kw):
        calls["stop"] = stop
        done = 0
        for _ in range(4):
            done += 500
            if progress:
                progress(done)
            if done == 1000:
                os.kill(os.getpid(), signal.SIGINT)  # Ctrl+C while the second batch is written
                assert stop is not None and stop.wait(5)
            if stop is not None and stop.is_set():
                break
        return done

    monkeypatch.setattr(service, "get_pipeline", lambda cfg: Pipe())
    monkeypatch.setattr(service, "tag_pending", tag_pending)
    from store.db import Database

    with Database(tmp_path / "t.duckdb"):
        pass
    before = signal.getsignal(signal.SIGINT)
    res = cli_in_process(["tag", "--pending"], _env(tmp_path / "t.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert signal.getsignal(signal.SIGINT) is before
    assert res.returncode == 130, res.stderr
    assert "đã gắn nhãn 500 tin" in res.stderr and "đã gắn nhãn 1.000 tin" in res.stderr, res.stderr
    assert "Đã dừng theo yêu cầu: đã gán nhãn 1.000 tin" in res.stderr and "tag --pending" in res.stderr, res.stderr


def _models_dir_config(tmp_path: Path) -> Path:
    cfg = tmp_path / "cfg.toml"
    cfg.write_text(f'[nlp]\nmodel_dir = "{tmp_path / "khong-co"}"\n[storage]\ndb_path = "{tmp_path / "m.duckdb"}"\n',
                   encoding="utf-8")
    return cfg


@pytest.mark.parametrize("argv", [["evaluate"], ["tag", "--pending"]])
def test_no_models_at_the_configured_folder_is_said_in_vietnamese(tmp_path, argv):
    """`evaluate --model-dir` on a folder without models, or `[nlp] model_dir` mistyped, ended on a traceback with
    «FileNotFoundError: no trained models in …»."""
    from store.db import Database

    with Database(tmp_path / "m.duckdb"):
        pass
    res = cli_in_process(["--config", str(_models_dir_config(tmp_path)), *argv], unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 2, res.stderr
    assert f"langnghe {' '.join(argv)}: không có mô hình đã huấn luyện trong {tmp_path / 'khong-co'}" in res.stderr
    assert "Traceback" not in res.stderr and "no trained models" not in res.stderr, res.stderr


def test_tag_from_stdin_without_models_is_said_in_vietnamese(tmp_path, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("Ngập ở Uông Bí\n"))
    res = cli_in_process(["--config", str(_models_dir_config(tmp_path)), "tag"], unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 2 and "langnghe tag: không có mô hình đã huấn luyện" in res.stderr, res.stderr


def test_train_refuses_an_out_it_cannot_write_before_training(tmp_path, monkeypatch):
    """`train --out` naming a file was found by nlp.train.save after the whole training, in a traceback."""
    import argparse

    from langnghe.commands import train
    from nlp import train as T
    from vocab.config import load

    monkeypatch.setattr(T, "train", lambda **_kw: pytest.fail("trained before checking --out"))
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    args = argparse.Namespace(out=str(tmp_path / "a-file"), no_save=False, no_human_labels=True, version="",
                              no_vntc=True)
    monkeypatch.delenv("LANGNGHE_CONFIG", raising=False)
    assert train.run(args, load()) == 2
    assert train.unwritable(tmp_path / "new" / "models") is None and (tmp_path / "new" / "models").is_dir()


def test_train_says_the_staff_corrections_are_left_out_while_serve_holds_the_database(tmp_path, monkeypatch, capsys):
    """The corrections were skipped without a word when serve held the database and had no snapshot yet."""
    from dataclasses import replace

    from langnghe.commands import train
    from store import db as store_db
    from store.errors import DatabaseLocked
    from vocab.config import load

    def held(*_a, **_k):
        raise DatabaseLocked("held")

    (tmp_path / "live.duckdb").touch()
    monkeypatch.setattr(store_db, "Database", held)
    c = load()
    c = replace(c, storage=replace(c.storage, db_path=str(tmp_path / "live.duckdb"),
                                   snapshot_path=str(tmp_path / "snap.duckdb")))
    assert train.human_rows(c) == []
    assert "không có các sửa nhãn của cán bộ" in capsys.readouterr().err


def test_counts_are_written_the_vietnamese_way(tmp_path):
    """`import --preview` said «60000 dòng», «Sẽ nhập được 60000 mục» and `search` «5000 tin khớp» where `status`
    said «5.000» (round 28)."""
    f = tmp_path / "big.csv"
    f.write_text("title,text\n" + "".join(f"Tin {i},Nội dung {i}\n" for i in range(1500)), encoding="utf-8")
    res = cli_in_process(["import", str(f), "--map", "title=title,text=text", "--preview"],
                         _env(tmp_path / "none.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 0, res.stderr
    assert "— 1.500 dòng;" in res.stdout and "Sẽ nhập được 1.500 mục" in res.stdout, res.stdout


def test_report_while_serve_holds_the_database_without_a_snapshot_exits_3(tmp_path, monkeypatch):
    """Every command held by serve exits 3; `report` said it with 2, a bad request's code (round 28)."""
    from store import db as store_db
    from store.errors import DatabaseLocked

    (tmp_path / "held.duckdb").touch()

    def held(*_a, **_k):
        raise DatabaseLocked("Cơ sở dữ liệu đang được một tiến trình khác giữ.")

    monkeypatch.setattr(store_db, "Database", held)
    res = cli_in_process(["report", "weekly", "--out", str(tmp_path / "out"), "--format", "docx"],
                         _env(tmp_path / "held.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 3 and "Chưa có bản chụp" in res.stderr, res.stderr


def test_report_rapid_on_a_missing_story_names_a_story(tmp_path):
    """`report rapid --story 9` said «không có vấn đề 9; mã cảnh báo có dạng A000012…»."""
    from store.db import Database

    with Database(tmp_path / "r.duckdb"):
        pass
    res = cli_in_process(["report", "rapid", "--story", "9", "--out", str(tmp_path / "out"), "--format", "docx"],
                         _env(tmp_path / "r.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 2 and "không có vụ việc 9" in res.stderr and "A000012" not in res.stderr, res.stderr


def test_survey_list_tells_a_missing_database_from_one_serve_holds(tmp_path, monkeypatch):
    """Both were «chưa có cơ sở dữ liệu (hoặc đang bị `serve` giữ và chưa có bản sao)», exit 2 (round 28)."""
    res = cli_in_process(["survey", "list"], _env(tmp_path / "none.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 2 and "chưa có cơ sở dữ liệu" in res.stderr and "serve` giữ" not in res.stderr, res.stderr
    from store import db as store_db
    from store.errors import DatabaseLocked

    (tmp_path / "held.duckdb").touch()

    def held(*_a, **_k):
        raise DatabaseLocked("Cơ sở dữ liệu đang được một tiến trình khác giữ.")

    monkeypatch.setattr(store_db, "Database", held)
    res = cli_in_process(["survey", "list"], _env(tmp_path / "held.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 3 and "đang được một tiến trình khác giữ" in res.stderr, res.stderr


@pytest.mark.parametrize("line, said", [("cách dùng", "dòng 1: không phải JSON hợp lệ"),
                                        ("[1, 2]", "dòng 1: không phải đối tượng JSON"),
                                        ('{"id": "a", "source": "s", "title": "t", "published": "hôm qua"}',
                                         "dòng 1: published không đọc được: 'hôm qua'"),
                                        ('{"id": "a", "source": "s"}', "dòng 1: thiếu title, published")])
def test_replay_says_a_bad_line_in_vietnamese_with_its_number(tmp_path, line, said):
    """A JSON array line ended on an AttributeError traceback; the others said json's or datetime's English."""
    f = tmp_path / "s.jsonl"
    f.write_text(line + "\n", encoding="utf-8")
    res = cli_in_process(["replay", "--input", str(f), "--db", str(tmp_path / "r.duckdb"), "--alerts-out",
                          str(tmp_path / "a.jsonl"), "--tagger", "none"], unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 2 and said in res.stderr and "Traceback" not in res.stderr, res.stderr
    assert not (tmp_path / "r.duckdb").exists()


def test_replay_refuses_a_database_that_exists(tmp_path):
    """`replay --db` naming the office's own database wrote the replayed items into it."""
    from store.db import Database

    with Database(tmp_path / "live.duckdb"):
        pass
    f = tmp_path / "s.jsonl"
    f.write_text('{"id": "a", "source": "s", "title": "t", "published": "2026-11-20T08:00:00+07:00"}\n',
                 encoding="utf-8")
    before = (tmp_path / "live.duckdb").stat().st_mtime_ns
    res = cli_in_process(["replay", "--input", str(f), "--db", str(tmp_path / "live.duckdb"), "--alerts-out",
                          str(tmp_path / "a.jsonl"), "--tagger", "none"], unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 2 and "đã có tệp" in res.stderr, res.stderr
    assert (tmp_path / "live.duckdb").stat().st_mtime_ns == before


@pytest.mark.parametrize("argv, said", [(["search-feeds", "--interval", "-5"], "--interval phải lớn hơn 0"),
                                        # printed a line the loader refuses since fix30 (review30)
                                        (["search-feeds", "--interval", "2000"], "từ 1 đến 1.440 phút"),
                                        (["tag", "--batch", "0"], "--batch phải lớn hơn 0"),
                                        # round 29: every item waiting held at once (20,000: 1,029 MB against 714)
                                        (["tag", "--pending", "--batch", "1000000000"], "tối đa 10.000"),
                                        (["tag", "--batch", "10001"], "tối đa 10.000"),
                                        (["tag", "--workers", "-3"], "--workers không được âm")])
def test_numbers_out_of_range_are_refused(tmp_path, argv, said):
    """`search-feeds --interval -5` printed `interval_minutes = -5.0` to paste; `tag --batch 0` ran (round 28)."""
    res = cli_in_process(argv, _env(tmp_path / "x.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 2 and said in res.stderr and not res.stdout, (res.stdout, res.stderr)


def test_backup_says_its_size_with_a_decimal_comma(tmp_path):
    """«Đã sao lưu vào …: 0 tin bài, 2.4 MB» (round 28): a decimal point, where every other figure has a comma."""
    import re

    from store.db import Database

    with Database(tmp_path / "b.duckdb"):
        pass
    res = cli_in_process(["backup", str(tmp_path / "copy.duckdb")], _env(tmp_path / "b.duckdb"),
                         unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 0, res.stderr
    assert re.search(r"tin bài, \d+(,\d)? MB", res.stdout) and not re.search(r"\d\.\d MB", res.stdout), res.stdout


@pytest.mark.parametrize("argv", [["serve", "--port", "99999"], ["demo", "--port", "0"],
                                  ["demo", "--feed-port", "70000"]])
def test_a_port_out_of_range_is_refused_before_anything_starts(tmp_path, monkeypatch, argv):
    """`serve --port 99999` started the scheduler, then ended on Streamlit's «OverflowError: bind(): port must be
    0-65535» traceback (round 28). Nothing starts here: serve and the demo feed server are stand-ins."""
    from langnghe import service

    started = []
    monkeypatch.setattr(service, "serve", lambda *a, **k: started.append("serve") or 0)
    import devtools.demo_server as demo_server

    monkeypatch.setattr(demo_server.DemoFeedServer, "start_background",
                        lambda self: started.append("feeds") or pytest.fail("feed server started"))
    res = cli_in_process(argv, _env(tmp_path / "x.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 2 and "không hợp lệ (" in res.stderr and "65535" in res.stderr, res.stderr
    assert started == []


def test_sources_json_without_a_database_says_why_the_list_is_empty(tmp_path):
    """`sources --json` printed «[]» alone, exit 0, on a mistyped database path (the table said why; round 28)."""
    import json

    res = cli_in_process(["sources", "--json"], _env(tmp_path / "none.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert json.loads(res.stdout) == [] and "chưa có cơ sở dữ liệu" in res.stderr, (res.stdout, res.stderr)


def test_an_interrupted_command_says_so(tmp_path, monkeypatch):
    """Ctrl+C in a command without its own stop (or a second one) ended with exit 130 and not a word."""
    def interrupted(_args, _cfg):
        raise KeyboardInterrupt

    monkeypatch.setattr("langnghe.commands.sources.run", interrupted)
    res = cli_in_process(["sources"], _env(tmp_path / "x.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 130 and "langnghe sources: đã dừng theo yêu cầu (Ctrl+C)." in res.stderr, res.stderr


def test_a_big_import_says_it_reads_the_whole_file_first(tmp_path, monkeypatch):
    """The count of undated rows (and --preview) read a 60.000-row file in silence (18 s under load)."""
    from langnghe.commands import import_

    monkeypatch.setattr(import_, "BIG_FILE_BYTES", 10)
    f = tmp_path / "a.csv"
    f.write_text("title,text\nTin,Nội dung\n", encoding="utf-8")
    res = cli_in_process(["import", str(f), "--map", "title=title,text=text", "--preview"],
                         _env(tmp_path / "none.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 0 and "Đang đọc cả tệp (" in res.stderr, res.stderr


# --- round 29 (`hostile32`): where serve listens, checked before the scheduler starts ---------------------------

def test_serve_port_zero_is_refused_not_ignored(tmp_path, monkeypatch):
    """`serve --port 0` was dropped (`if args.port`): the dashboard opened on [dashboard] port without a word."""
    from langnghe import service

    monkeypatch.setattr(service, "serve", lambda *a, **k: pytest.fail("serve started"))
    res = cli_in_process(["serve", "--port", "0"], _env(tmp_path / "x.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 2 and "cổng 0 không hợp lệ" in res.stderr, res.stderr


def test_serve_where_it_cannot_listen_says_why_before_anything_starts(tmp_path, monkeypatch):
    """A host that is no address here («999.1.1.1») started the scheduler, then Streamlit's `socket.gaierror`
    traceback; a port another program holds, Streamlit's English «Port … is not available» after the scheduler."""
    import socket

    from langnghe import service
    from tests.conftest import free_port

    started = []
    monkeypatch.setattr(service, "Scheduler", lambda *a, **k: started.append("scheduler") or pytest.fail("started"))
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        busy = held.getsockname()[1]
        for argv, said in ((["--host", "999.1.1.1", "--port", str(free_port())], "không phải địa chỉ IP hay tên máy"),
                           (["--host", "127.0.0.1", "--port", str(busy)], f"cổng {busy} đang được một chương trình")):
            res = cli_in_process(["serve", *argv], _env(tmp_path / "x.duckdb"), unset=("LANGNGHE_CONFIG",))
            assert res.returncode == 2 and said in res.stderr and "Traceback" not in res.stderr, res.stderr
    assert started == []


def test_serve_listens_when_one_of_the_hosts_addresses_binds(monkeypatch):
    """«localhost» may give ::1 first where IPv6 is switched off: only the first address was tried, and serve was
    refused though Streamlit (Tornado) skips it and listens on 127.0.0.1 (review29)."""
    import socket

    from langnghe import service

    v4 = (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 0))
    off = (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::9", 0, 0, 0))  # no address of this machine
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [off, v4])
    assert service.listen_refusal("localhost", 0) is None
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [off])
    assert service.listen_refusal("localhost", 0) is not None


def test_serve_says_the_held_port_not_the_address_family_switched_off(monkeypatch):
    """«localhost» → ::1 with IPv6 off, then 127.0.0.1 with the port held: the first refusal was said, an English
    «Address family not supported by protocol», not the held port (review29b)."""
    import socket

    from langnghe import service

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        busy = held.getsockname()[1]
        off = (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::9", busy, 0, 0))
        v4 = (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", busy))
        monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [off, v4])
        said = service.listen_refusal("localhost", busy)
    assert said is not None and f"cổng {busy} đang được một chương trình khác dùng" in said, said
