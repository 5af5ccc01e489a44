"""`serve`/`demo` console: a short Vietnamese status; details in a log file whose path is printed (issue 15)."""

from __future__ import annotations

import contextlib
import io
import logging
import re

from langnghe import service
from langnghe.console import TechnicalFormatter
from tests.conftest import make_config


@contextlib.contextmanager
def _cli_serve(tmp_path, monkeypatch, *flags: str):  # type: ignore[no-untyped-def]
    """`langnghe [flags] serve` through cli.main, as far as serve's log routing (service.route_logs): the console
    (stderr) and its handler the CLI set up, on a root logger of its own, put back after the block."""
    from langnghe import cli

    console = io.StringIO()
    monkeypatch.setattr("sys.stderr", console)
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])  # basicConfig adds its console only to a root without handlers
    monkeypatch.setattr(root, "level", root.level)
    monkeypatch.setattr(logging.getLogger("httpx"), "level", logging.getLogger("httpx").level)
    monkeypatch.setattr(cli, "_config", lambda args: make_config(tmp_path))
    paths = []
    monkeypatch.setattr(service, "serve", lambda cfg, **kw: paths.append(service.route_logs(cfg)) or 0)
    assert cli.main([*flags, "serve"]) == 0
    handlers = list(root.handlers)
    try:
        yield console, next(h for h in handlers if getattr(h, "stream", None) is console), paths[0]
    finally:
        for h in handlers:
            h.close()


def test_details_go_to_the_log_file_and_the_console_keeps_the_status(tmp_path, monkeypatch):
    with _cli_serve(tmp_path, monkeypatch) as (console, _handler, path):
        logging.getLogger("langnghe.fulltext").info("full text: {'ok': 14}")
        logging.getLogger("langnghe.status").info("Đã thu thập 14 nguồn: 552 tin mới.")
        logging.getLogger("langnghe.jobs").warning("nguồn x lỗi")
    shown = console.getvalue()
    assert "full text" not in shown and "Đã thu thập 14 nguồn" in shown and "nguồn x lỗi" in shown
    assert re.search(r"^\d\d:\d\d CHÚ Ý: nguồn x lỗi$", shown, re.M), shown
    assert path.name == service.LOG_NAME
    assert "full text: {'ok': 14}" in path.read_text(encoding="utf-8")


def test_streamlit_banner_is_off(tmp_path):
    flags = service.streamlit_flags(make_config(tmp_path))
    assert flags["logger_hideWelcomeMessage"] is True


@contextlib.contextmanager
def _serve_log(tmp_path):  # type: ignore[no-untyped-def]
    """serve's log file (service.route_logs) for the block, its handler taken off the root logger after."""
    path = service.route_logs(make_config(tmp_path))
    root = logging.getLogger()
    try:
        yield path
    finally:
        for h in list(root.handlers):
            if getattr(h, "baseFilename", None) == str(path):
                root.removeHandler(h)
                h.close()


def test_a_token_read_from_secrets_never_reaches_the_log_file(tmp_path, monkeypatch):
    """`langnghe -v serve` lets httpx log each request's URL; a Telegram bot's URL holds its token."""
    from vocab import secrets

    token = "123456:AAbbCCddEEffGGhhIIjj"
    assert secrets.secret("LANGNGHE_TELEGRAM_TOKEN", env={"LANGNGHE_TELEGRAM_TOKEN": token}) == token
    monkeypatch.setattr(logging.getLogger(), "level", logging.DEBUG)
    with _serve_log(tmp_path) as path:
        logging.getLogger("httpx").warning('HTTP Request: POST %s "HTTP/1.1 200 OK"',
                                           f"https://api.telegram.org/bot{token}/sendMessage")
    logged = path.read_text(encoding="utf-8")
    assert "/bot***/sendMessage" in logged and token not in logged


def test_a_token_in_a_logged_traceback_never_reaches_the_log_file(tmp_path, monkeypatch):
    """log.exception writes the exception's text after the message: an httpx error names the request's URL, and a
    Telegram bot's URL holds its token. The filter hid it in the message only."""
    from vocab import secrets

    token = "654321:ZZyyXXwwVVuuTTssRRqq"
    assert secrets.secret("LANGNGHE_TELEGRAM_TOKEN", env={"LANGNGHE_TELEGRAM_TOKEN": token}) == token
    with _serve_log(tmp_path) as path:
        try:
            raise RuntimeError(f"Server error '502 Bad Gateway' for url 'https://api.telegram.org/bot{token}/getMe'")
        except RuntimeError:
            logging.getLogger("langnghe.jobs").exception("periodic job failed")
    logged = path.read_text(encoding="utf-8")
    assert "RuntimeError: Server error" in logged and "/bot***/getMe" in logged and token not in logged


def test_serve_and_a_command_word_the_console_alike(tmp_path, monkeypatch):
    """Round 22: serve's console had its own formatter («16:16 WARNING langnghe.jobs: …») beside the commands'
    («16:16 CHÚ Ý: …»). One formatter now (langnghe/console.py): the level in Vietnamese, no module, Vietnam time."""
    from langnghe.console import ConsoleFormatter

    with _cli_serve(tmp_path, monkeypatch) as (console, handler, _path):
        assert type(handler.formatter) is ConsoleFormatter
        logging.getLogger("langnghe.jobs").warning("nguồn %s không trả lời", "x")
        try:
            raise RuntimeError("hỏng")
        except RuntimeError:
            logging.getLogger("langnghe.jobs").exception("bước sau gắn nhãn lỗi")
    lines = console.getvalue().splitlines()
    assert re.fullmatch(r"\d\d:\d\d CHÚ Ý: nguồn x không trả lời", lines[0]), lines
    assert re.fullmatch(r"\d\d:\d\d LỖI: bước sau gắn nhãn lỗi", lines[1]), lines
    assert "RuntimeError: hỏng" in lines[-1]
    assert not any(w in console.getvalue() for w in ("WARNING", "ERROR", "langnghe.jobs"))
    rec = logging.LogRecord("langnghe.jobs", logging.WARNING, __file__, 1, "ổ đĩa gần đầy", (), None)
    rec.created = 17 * 3600.0  # 17:00 UTC is midnight in Vietnam
    assert handler.format(rec) == "00:00 CHÚ Ý: ổ đĩa gần đầy"


def test_verbose_serve_keeps_the_technical_console_lines(tmp_path, monkeypatch):
    """Round 22: `langnghe -v serve` lost the date, level and module -v asks for: route_logs set the short Vietnamese
    formatter again after the CLI had chosen the technical one. langnghe.console.configure alone decides now."""
    with _cli_serve(tmp_path, monkeypatch, "-v") as (console, handler, _path):
        assert type(handler.formatter) is TechnicalFormatter
        logging.getLogger("langnghe.jobs").warning("nguồn %s không trả lời", "x")
        logging.getLogger("langnghe.fulltext").info("full text: {'ok': 14}")  # details still go to the file only
    line = console.getvalue().splitlines()[-1]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING langnghe.jobs: nguồn x không trả lời", line), line
    assert "full text" not in console.getvalue()


def test_the_log_file_and_verbose_lines_are_in_vietnam_time_whatever_the_machine_s_zone(tmp_path, monkeypatch):
    """serve's log file and `-v`'s console wrote the machine's local time (round 30): on a server kept in UTC the
    file said 17:00 of a fault the console showed at 00:00, and the same run under another TZ wrote other times.
    Checked under a zone 14 hours from UTC (the machine's zone is set, and put back, for the block)."""
    import time

    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        with _serve_log(tmp_path) as path:
            [handler] = [h for h in logging.getLogger().handlers if getattr(h, "baseFilename", None) == str(path)]
            rec = logging.LogRecord("langnghe.jobs", logging.WARNING, __file__, 1, "ổ đĩa gần đầy", (), None)
            rec.created, rec.msecs = 17 * 3600.0, 0.0  # 17:00 UTC on 1/1/1970 is midnight in Vietnam
            assert handler.format(rec) == "1970-01-02 00:00:00,000 WARNING langnghe.jobs: ổ đĩa gần đầy"
        with _cli_serve(tmp_path, monkeypatch, "-v") as (_console, console_handler, _path):
            assert console_handler.format(rec) == "1970-01-02 00:00:00,000 WARNING langnghe.jobs: ổ đĩa gần đầy"
    finally:
        monkeypatch.undo()
        time.tzset()
