"""`langnghe serve`: the one process that owns the database.

    ┌──────────────── langnghe serve (one process) ─────────────────┐
    │ Scheduler thread:  at start, the notification outbox (no wait)  │
    │                    every schedule.tick_seconds → Runner.run_due │
    │                    every snapshot_every_minutes → db.snapshot   │
    │ Main thread:       Streamlit server (dashboard/app.py)          │
    │                    pages read through runtime.get_db() cursors  │
    └──────────────────────────┬────────────────────────────────────┘
                               ▼
                  var/langnghe.duckdb  (+ snapshot for other processes)

DuckDB allows one process per file, so collection and the dashboard share one handle here.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path
from typing import Callable

from langnghe.console import TechnicalFormatter
from orchestration import runtime
from orchestration.jobs import Scheduler, install_jobs
from store.db import Database, remove_stale_copies
from vocab.config import Config
from vocab.secrets import redact_logs

log = logging.getLogger("langnghe.serve")
APP_PATH = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"


def streamlit_flags(cfg: Config) -> dict[str, object]:
    """Streamlit's settings for serve: headless, no telemetry, and the upload limit of our pages."""
    return {
        "server_port": cfg.dashboard.port,
        "server_address": cfg.dashboard.host,
        "server_headless": True,
        "server_fileWatcherType": "none",
        "server_runOnSave": False,
        "browser_gatherUsageStats": False,
        "global_developmentMode": False,
        "client_toolbarMode": "minimal",
        "theme_base": "light",
        # the largest upload any page takes (imports; the collaborator form sets 5 MB on its own box):
        # Streamlit's default says "200MB per file" beside our "tối đa … MB"
        "server_maxUploadSize": max(1, int(cfg.imports.max_uncompressed_mb)),
        # the console shows our short Vietnamese status, not Streamlit's English banner
        "logger_hideWelcomeMessage": True,
        "logger_level": "warning",
    }


LOG_NAME = "langnghe-serve.log"
CONSOLE_LOGGERS = ("langnghe.status",)  # INFO lines that still reach the console (Vietnamese status)


def route_logs(cfg: Config) -> Path:
    """Details go to a log file beside the database (rotated at 10 MB, 3 older files kept: 40 MB at most); the
    console keeps warnings, errors and the `langnghe.status` lines. Returns the log file's path (serve prints it)."""
    from logging.handlers import RotatingFileHandler

    path = Path(cfg.storage.db_path).resolve().parent / LOG_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for h in root.handlers:  # the format stays the CLI's (langnghe.console.configure: `-v` keeps the technical one)
        if getattr(h, "stream", None) in (sys.stderr, sys.stdout) and _console_filter not in h.filters:
            h.addFilter(_console_filter)
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        fh = RotatingFileHandler(path, maxBytes=10_000_000, backupCount=3, encoding="utf-8")
        fh.setFormatter(TechnicalFormatter())
        redact_logs(fh)  # a token read from secrets (the Telegram bot's, in its URL) never reaches the file
        root.addHandler(fh)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return path


def _console_filter(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING or record.name in CONSOLE_LOGGERS


def run_dashboard(cfg: Config) -> None:
    """Start Streamlit in this thread (blocks until the server stops). It runs as an st.App
    (dashboard/server.py) so that report files are served by our authenticated /download/ route."""
    from streamlit.web import bootstrap

    flags = streamlit_flags(cfg)
    bootstrap.load_config_options(flag_options=flags)  # without this, the server ignores the flags (port…)
    bootstrap.run_asgi_app(str(APP_PATH), "dashboard.server:app", [], flags)


def _stop_on_sigterm() -> None:
    """systemd and `kill` stop a service with SIGTERM. uvicorn shuts the dashboard down on it and then
    re-raises the signal; with the default handler that kills the process before the scheduler stops, the
    final snapshot is written and the state file is marked stopped. Exit cleanly (0) instead."""
    def handler(signum: int, frame: object) -> None:
        raise SystemExit(0)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


def _warn_mail_servers(cfg: Config, db: Database) -> None:
    """Mail servers the address guard will refuse (orchestration/preflight.py), said once at start."""
    from orchestration.preflight import mail_servers_refused
    from orchestration.sources import effective_config

    try:
        warnings = mail_servers_refused(cfg, effective_config(cfg, db).sources)
    except Exception:  # a check must never stop serve
        log.exception("mail server check failed")
        return
    for w in warnings:
        log.warning("%s", w)
        print(f"Cảnh báo: {w}", file=sys.stderr, flush=True)


def remove_stale_copies_at_start(cfg: Config) -> list[Path]:
    """The temporary copies a power cut left beside the database and the snapshot (`store.db.remove_stale_copies`):
    before, one stayed, as large as the database, until the next copy to the same name."""
    folders = dict.fromkeys(Path(p).resolve().parent for p in (cfg.storage.db_path, cfg.storage.snapshot_path))
    return [p for folder in folders for p in remove_stale_copies(folder)]


class CannotListen(RuntimeError):
    """The dashboard cannot listen where it is told to (`listen_refusal`'s reason): nothing was started."""


def listen_refusal(host: str, port: int) -> str | None:
    """Why the dashboard could not listen at host:port (Vietnamese), or None: tried before anything starts. A host
    that is no address of this machine («999.1.1.1», a typo) started the scheduler, then ended on Streamlit's
    `socket.gaierror` traceback; a port another program holds said «Port 8501 is not available» in English after
    the scheduler had started (round 29, `hostile32`). The trial socket is closed at once (Streamlit binds with
    SO_REUSEADDR, as this does): a port taken in the moment between is still Streamlit's own message."""
    import socket

    where = f"{host or '0.0.0.0'}:{port}"
    try:
        found = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError):  # gaierror is an OSError
        return (f"địa chỉ «{host[:100]}» không dùng được (--host hoặc [dashboard] host): không phải địa chỉ IP hay "
                "tên máy tra được; thường dùng 127.0.0.1 (chỉ máy này) hoặc 0.0.0.0 (mọi máy trong mạng)")
    # every address the name gives, refused only when none binds: «localhost» may give ::1 first on a machine
    # with IPv6 switched off, where Streamlit (Tornado) skips it and listens on 127.0.0.1 (review29)
    refusals = [_bind_refusal(entry, host, port, where) for entry in found]
    if not refusals or None in refusals:
        return None
    # the most telling reason: «localhost» → ::1 (IPv6 off) and 127.0.0.1 (port held) said the first one, an English
    # «Address family not supported», and not the held port (review29b)
    return min(r for r in refusals if r is not None)[1]  # by rank (no None is left here: see above)


def _bind_refusal(entry: tuple, host: str, port: int, where: str) -> tuple[int, str] | None:
    """(rank, reason) when the address cannot be bound, None when it can; rank 0 is the most telling: a port held or
    forbidden, then an address that is not this machine's, then anything else (an address family switched off)."""
    import errno
    import socket

    family, kind, proto, _, addr = entry
    try:
        probe = socket.socket(family, kind, proto)
    except OSError as exc:  # an address family this machine has switched off
        return 3, (f"máy này không mở được loại địa chỉ của {where} (IPv6 bị tắt?): dùng 127.0.0.1 hoặc 0.0.0.0 "
                   f"(chi tiết: {exc.strerror or exc})")
    with probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(addr)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return 0, (f"cổng {port} đang được một chương trình khác dùng ({where}; có thể là một `langnghe serve` "
                           "khác): chọn cổng khác bằng --port hoặc [dashboard] port")
            if exc.errno == errno.EACCES:
                return 0, (f"không có quyền mở cổng {port} ({where}): cổng dưới 1024 cần quyền quản trị; chọn cổng "
                           "từ 1024")
            if exc.errno == errno.EADDRNOTAVAIL:
                return 1, (f"địa chỉ {host} không phải của máy này (--host hoặc [dashboard] host): dùng 127.0.0.1 "
                           "hoặc 0.0.0.0")
            return 2, f"không mở được {where} (chi tiết: {exc.strerror or exc})"
    return None


def _end_abandoned_imports(db: Database) -> int:
    """Imports a killed process left «running» marked interrupted (orchestration.imports.end_abandoned, fix34)."""
    from orchestration.imports import end_abandoned

    n = end_abandoned(db)
    if n:
        log.warning("Đánh dấu %d lần nhập tệp bị ngắt giữa chừng (tiến trình nhập đã dừng trước khi ghi xong).", n)
    return n


def serve(cfg: Config, *, before_start: Callable[[Database], None] | None = None,
          at_start: Callable[[Database], None] | None = None, config_path: str | None = None) -> int:
    """Own the database, run the scheduler and the dashboard. `config_path` (the override file, if any)
    goes into the state file so that other commands use the same config and database. `before_start(db)` runs before
    the dashboard starts; `at_start(db)` once the dashboard is starting, first in the scheduler thread (after its own
    start jobs, before catch-up tagging and the first collection pass): set-up that the first page need not wait for
    (the demo's survey import, round 27)."""
    from langnghe import state

    log_path = route_logs(cfg)  # first: an upgrade's lines (store.db: the copy taken, the steps) reach the log file
    db = Database(cfg.storage.db_path, keep_upgrade_copies=cfg.storage.keep_upgrade_copies)
    # after the database: a second serve on it is said as that (DatabaseLocked), not as the port its twin holds
    refused = listen_refusal(cfg.dashboard.host, cfg.dashboard.port)
    if refused:
        db.close()
        raise CannotListen(refused)
    remove_stale_copies_at_start(cfg)
    _end_abandoned_imports(db)
    state.record(cfg, config_path)
    runtime.install(cfg, db)
    if before_start:
        before_start(db)
    scheduler = Scheduler(cfg, db)
    install_jobs(scheduler, cfg, db)
    if at_start:
        scheduler.start_hooks.append(lambda: at_start(db))
    # Import the heavy libraries once, here, before any other thread exists: a module imported for the
    # first time by two threads at once can be seen half-initialised (seen: pandas under streamlit).
    import pandas  # noqa: F401
    import plotly.express  # noqa: F401
    import streamlit.web.bootstrap  # noqa: F401

    scheduler.start()
    url = f"http://{cfg.dashboard.host}:{cfg.dashboard.port}"
    print(f"Lắng Nghe đang chạy: mở {url} (Ctrl+C để dừng)", flush=True)
    print(f"Đang thu thập tin theo lịch; nhật ký chi tiết: {log_path}", flush=True)
    _warn_mail_servers(cfg, db)
    _stop_on_sigterm()
    try:
        run_dashboard(cfg)
    finally:
        print("Đang dừng: chờ việc đang làm xong phần dở, ghi bản chụp cuối…", flush=True)
        scheduler.stop()
        scheduler.join(timeout=30)
        snapped = True
        try:
            db.snapshot(cfg.storage.snapshot_path)
        except Exception:
            snapped = False
            log.exception("final snapshot failed")
        db.close()
        state.clear()
        # said on the console: Ctrl+C ended with the dashboard's last line, and a maintainer about to back up,
        # restore or start another command could not tell it had let go of the database (round 26)
        print(f"Đã dừng Lắng Nghe; cơ sở dữ liệu {cfg.storage.db_path} đã đóng"
              + (f", bản chụp cuối ở {cfg.storage.snapshot_path}." if snapped else
                 f"; KHÔNG ghi được bản chụp cuối (xem {log_path})."), flush=True)
    return 0
