"""Every subcommand's help is in Vietnamese, argparse's own words included (issue 15)."""

from __future__ import annotations

import argparse
import re

from langnghe.cli import build_parser

VI = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)
ENGLISH = ("usage:", "options:", "positional arguments", "show this help message", "default:", "(default")


def _parsers(parser: argparse.ArgumentParser, path: str = "langnghe"):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                assert choice.help and VI.search(choice.help), f"{path} {choice.dest}: {choice.help!r}"
            for name, sub in action.choices.items():
                yield from _parsers(sub, f"{path} {name}")


def test_every_subcommand_help_is_vietnamese():
    seen = 0
    for path, parser in _parsers(build_parser()):
        seen += 1
        text = parser.format_help()
        assert not any(w in text for w in ENGLISH), f"{path}: English in\n{text}"
        assert "đối số" not in text, f"{path}: positional arguments are 'tham số' in every other command"
        for action in parser._actions:
            if action.help == argparse.SUPPRESS or isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help and VI.search(action.help), f"{path} {action.option_strings or action.dest}: {action.help!r}"
    assert seen > 20


def test_every_command_says_what_it_does_in_its_own_help():
    """`langnghe collect --help`, `users add --help`… printed the usage and the options only: what the command does
    was on the list of `langnghe --help` (or its parent's) alone (round 22). The summary line is the fallback."""
    for path, parser in _parsers(build_parser()):
        assert parser.description and VI.search(parser.description), f"{path}: no description in its --help"
        # a sentence: `survey` and its actions began in lower case without a full stop (round 28)
        assert parser.description[:1].isupper() and parser.description.rstrip()[-1] in ".:)", \
            f"{path}: {parser.description!r}"
    collect = build_parser().parse_known_args(["collect"])  # the parser still parses after the descriptions
    assert collect[0].command == "collect"
    users = dict(_parsers(build_parser()))["langnghe users add"]
    assert users.description == "Tạo tài khoản."


def test_a_command_with_actions_names_them_all_in_its_summary():
    """`langnghe --help` said of `survey` «nhập, liệt kê, lập báo cáo» while it also deletes an import (round 22)."""
    survey = dict(_parsers(build_parser()))["langnghe survey"]
    assert all(w in survey.description for w in ("nhập", "liệt kê", "xóa", "lập báo cáo"))


def test_the_operations_commands_say_what_they_do_and_their_exit_codes():
    """`langnghe backup|restore|status|serve --help` printed only the usage line and the options (what the command
    does and what its exit codes mean were in the code's docstrings only), and serve's placeholders were English
    (`--port PORT`, `--host HOST`)."""
    subs = {path.split()[-1]: p for path, p in _parsers(build_parser()) if path.count(" ") == 1}
    for name in ("backup", "restore", "status", "serve"):
        text = " ".join(subs[name].format_help().split())  # argparse wraps the description
        assert subs[name].description and "Mã thoát: 0" in text, f"{name}:\n{text}"
        usage = subs[name].format_usage()
        assert not re.search(r"\b(?:PORT|HOST|DEST|SOURCE|PATH|FILE)\b", usage), usage


def test_every_placeholder_is_vietnamese():
    """`langnghe search --help` showed `--until DATE`, `QUERY`, `N`; others showed argparse's default placeholder, the
    option's English name in capitals (`--out OUT`, `--db DB`, `file`, `name`). Every value an option or argument
    takes now has a Vietnamese placeholder (choices show their own values, which are typed as they are)."""
    plain = {"TRANG"}  # Vietnamese words without marks
    for path, parser in _parsers(build_parser()):
        for action in parser._actions:
            if action.nargs == 0 or action.choices or isinstance(action, argparse._SubParsersAction):
                continue
            shown = action.metavar
            assert shown and (VI.search(shown) or shown in plain), \
                f"{path} {action.option_strings or action.dest}: {shown or action.dest!r}\n{parser.format_usage()}"


def test_a_wrong_invocation_says_what_to_do_in_vietnamese(capsys):
    """Round 21 walk: `--limit abc` said «giá trị int không hợp lệ»; an option the subcommand lacks was refused by
    the top level (`langnghe status --bogus` showed `langnghe`'s usage); no error said where the help is."""
    import pytest

    from langnghe.cli import build_parser, parse

    parser = build_parser()
    for argv, prog, said in ((["search", "x", "--limit", "abc"], "langnghe search", "cần một số nguyên"),
                             (["status", "--bogus"], "langnghe status", "tham số không nhận ra: --bogus"),
                             (["users", "add", "x", "--bogus"], "langnghe users add", "không nhận ra: --bogus"),
                             (["report", "weekly"], "langnghe report weekly", "thiếu tham số bắt buộc: --out")):
        with pytest.raises(SystemExit) as exit_:
            parse(parser, argv)
        err = capsys.readouterr().err
        assert exit_.value.code == 2 and f"{prog}: lỗi: " in err and said in err, err
        assert f"cách dùng: {prog} " in err and f"Xem cách dùng: {prog} --help" in err, err
        assert " int " not in err and "invalid" not in err, err
    assert parse(parser, ["search-feeds", "--interval", "1,5"]).interval == 1.5


def test_a_mistyped_command_names_the_closest_one(capsys):
    """Round 26's maintainer walk: `langnghe srve` and `langnghe users reset` listed every choice and left the reader
    to find the one meant; a word with nothing close is refused as before."""
    import pytest

    from langnghe.cli import build_parser, parse

    parser = build_parser()
    for argv, said, hint in ((["srve"], "'srve' (chọn một trong ", "; có phải «serve»?"),
                             (["users", "reset", "lan"], "'reset' (chọn một trong ", "; có phải «passwd»?"),
                             (["zzzz"], "'zzzz' (chọn một trong ", "")):
        with pytest.raises(SystemExit):
            parse(parser, argv)
        err = capsys.readouterr().err
        assert said in err and (hint in err if hint else "có phải" not in err), err


def test_a_commands_log_lines_read_without_english_levels():
    """Round 21 walk: `langnghe backup` printed «2026-12-06 16:16:35,258 INFO langnghe.store: Sao lưu: …»."""
    import logging

    from langnghe.console import ConsoleFormatter

    f = ConsoleFormatter()
    info = logging.LogRecord("langnghe.store", logging.INFO, __file__, 1, "Sao lưu: %s", ("x",), None)
    warn = logging.LogRecord("langnghe.store", logging.WARNING, __file__, 1, "ổ đĩa gần đầy", (), None)
    assert re.fullmatch(r"\d\d:\d\d Sao lưu: x", f.format(info))
    assert re.fullmatch(r"\d\d:\d\d CHÚ Ý: ổ đĩa gần đầy", f.format(warn))
    assert "INFO" not in f.format(info) and "langnghe.store" not in f.format(warn)


def test_status_prints_the_last_collection_in_vietnam_time():
    """Round 21 walk: `langnghe status` printed «Lần thu thập gần nhất: 2026-12-06T16:45:07Z»."""
    from langnghe.commands.status import local_text

    assert local_text("2026-12-06T16:45:07Z") == "23:45:07 06/12/2026 (giờ Việt Nam)"
    assert local_text(None) == "chưa có"


def test_users_while_serve_holds_the_database_says_what_to_do_in_vietnamese(tmp_path):
    """Round 21 walk: «Stop `langnghe serve`, or use the Quản trị page of the dashboard.»"""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from store.db import Database

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "LANGNGHE_DB": str(tmp_path / "u.duckdb"), "PYTHONPATH": str(root)}
    env.pop("LANGNGHE_CONFIG", None)
    from tests.conftest import pretend_serve_holds

    pretend_serve_holds(tmp_path, tmp_path / "u.duckdb")  # this process is the running serve (its state file)
    with Database(tmp_path / "u.duckdb"):  # held by this process, as serve holds it
        res = subprocess.run([sys.executable, "-m", "langnghe", "users", "list"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=120)
    assert res.returncode == 3, res.stderr  # as every writer held by serve (it was 1 until round 26)
    assert "Dừng `langnghe serve`" in res.stderr and "trang Quản trị" in res.stderr and "Stop" not in res.stderr


def test_console_times_are_vietnam_time_whatever_the_servers_zone():
    """Round 21 walk: serve's console said «16:54 Đã thu thập …» on a UTC server while the dashboard said 23:54."""
    import logging

    from langnghe.console import ConsoleFormatter

    rec = logging.LogRecord("langnghe.status", logging.INFO, __file__, 1, "Đã thu thập", (), None)
    rec.created = 0.0  # 00:00 UTC, 1 January 1970
    assert ConsoleFormatter().format(rec) == "07:00 Đã thu thập"


def test_every_option_with_a_default_says_it():
    """A newcomer reads the default in `--help`: `search-feeds --interval` (60), `survey report --format`
    (docx,xlsx) and `replay --tagger` (auto) had one and did not say it (round 28)."""
    for path, parser in _parsers(build_parser()):
        for action in parser._actions:
            if not action.option_strings or action.nargs == 0 or action.default in (None, "", [], argparse.SUPPRESS):
                continue
            assert "mặc định" in (action.help or ""), f"{path} {action.option_strings}: {action.help!r}"
