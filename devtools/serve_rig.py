"""A real `langnghe serve` process wired to local stand-ins, all on 127.0.0.1: the demo feed server
(devtools/demo_server.py) with its clock set back so the Vàng Danh burst is already out, an SMTP server
and a Telegram/Zalo API stand-in (devtools/notify_standins.py). For tests/langnghe/test_serve_delivery.py
and bench/notify_serve.py.

    burst_feeds(minutes_ago)  ─▶ DemoFeedServer whose demo started `minutes_ago` minutes ago
    write_config(dir, …)      ─▶ cfg.toml: the demo's [[sources]] on that server, [notify] to the stand-ins
    subscribe(db_path, …)     ─▶ one user's email / telegram / zalo subscriptions, before serve starts
    ServeProcess(cfg, dir)    ─▶ `python -m langnghe.cli --config cfg.toml serve` with its output collected
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

from devtools import DEMO_CONFIG_PATH
from devtools.demo_server import DemoFeedServer, load_items

ROOT = Path(__file__).resolve().parents[1]
TELEGRAM_TOKEN = "123456:rig-token"
ZALO_TOKEN = "rig-zalo-token"
DEMO_TOKEN = "demo-token"
STOP_WAIT = 90  # seconds a Ctrl+C or SIGTERM stop may take before the rig kills serve (a job in flight ends first)


def burst_feeds(minutes_ago: float = 35, *, background: bool = True) -> DemoFeedServer:
    """The demo feed server as if the demo had started `minutes_ago` minutes ago: with 35, the whole
    Vàng Danh burst (+3 … +31 min) is published by the time serve first collects. Without `background`
    (the national news), the first pass has half the items to tag: tests use that."""
    start = datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)
    items = None if background else load_items(start, background=ROOT / "demo" / "no-background")
    return DemoFeedServer(0, start=start, items=items).start_background()


def write_config(folder: Path, feed_base: str, smtp_port: int, api_base: str, dashboard_port: int, *,
                 tick_seconds: float = 2, retry_base_seconds: float = 0.5, max_attempts: int = 30) -> Path:
    """A config file merged over the shipped defaults: temp database, fast ticks, no full-text fetching,
    no scheduled weekly report, the demo sources on `feed_base`, and every notification channel pointed
    at a stand-in."""
    demo = DEMO_CONFIG_PATH.read_text(encoding="utf-8")
    sources = demo[demo.index("[[sources]]"):].replace("http://127.0.0.1:8765", feed_base)
    head = f"""
[storage]
db_path = "{folder / 'serve.duckdb'}"
snapshot_path = "{folder / 'serve.snapshot.duckdb'}"
snapshot_every_minutes = 0

[schedule]
tick_seconds = {tick_seconds}
default_interval_minutes = 1

[http]
per_host_spacing_seconds = 0.0
allow_private_hosts = ["127.0.0.1"]

[fulltext]
enabled = false

[reports]
# off: the weekly report's catch-up at the first tick costs ~8 s of CPU and delays a clean stop
schedule_weekday = 0

[dashboard]
host = "127.0.0.1"
port = {dashboard_port}

[secrets]
dir = "{folder / 'secrets'}"

[notify]
max_attempts = {max_attempts}
retry_base_seconds = {retry_base_seconds}
timeout_seconds = 5
public_url = "http://127.0.0.1:{dashboard_port}"

[notify.email]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
sender = "lang-nghe@uongbi.test"

[notify.telegram]
base_url = "{api_base}"

[notify.zalo]
base_url = "{api_base}"
"""
    path = folder / "cfg.toml"
    path.write_text(head + "\n" + sources, encoding="utf-8")
    return path


def subscribe(db_path: str | Path, username: str = "chuyenvien", *, email: str = "chuyenvien@uongbi.test",
              chat_id: str = "-100200300", zalo_user: str = "8800990011") -> None:
    """One staff member's subscriptions on three channels (min severity medium, immediate)."""
    from store import notify as store_notify
    from store.db import Database

    with Database(db_path) as db, db.write() as cur:
        for channel, address in (("email", email), ("telegram", chat_id), ("zalo", zalo_user)):
            store_notify.save_subscription(cur, store_notify.Subscription(0, username, channel, address))


def serve_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "LANGNGHE_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
           "LANGNGHE_ZALO_TOKEN": ZALO_TOKEN, "LANGNGHE_DEMO_TOKEN": DEMO_TOKEN,
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    for k in ("LANGNGHE_DB", "LANGNGHE_CONFIG", "LANGNGHE_FAULTPOINT"):
        env.pop(k, None)
    return {**env, **(extra or {})}


class CliProcess:
    """A `langnghe …` subprocess (args after `langnghe.cli`) whose output is collected in the background.
    The browser tests' server and ServeProcess below are both this."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]):
        self.proc = subprocess.Popen([sys.executable, "-m", "langnghe.cli", *args], cwd=cwd, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_until(self, pred, timeout: float, why: str) -> None:  # type: ignore[no-untyped-def]
        """Poll `pred` until true; fail early with the output if the process has exited."""
        deadline = time.monotonic() + timeout
        while not pred():
            if self.proc.poll() is not None:
                raise AssertionError(f"langnghe exited ({self.proc.returncode}) before {why}:\n{self.output[-3000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{why}: not within {timeout:.0f} s:\n{self.output[-3000:]}")
            time.sleep(0.05)

    def wait_for_output(self, pattern: str, timeout: float = 60) -> re.Match[str]:
        self.wait_until(lambda: re.search(pattern, self.output) is not None, timeout, f"output {pattern!r}")
        m = re.search(pattern, self.output)
        assert m is not None
        return m

    def kill(self) -> int:
        """SIGKILL: no clean-up of any kind runs (no final snapshot, no state file update)."""
        self.proc.send_signal(signal.SIGKILL)
        return self.proc.wait(timeout=30)

    def terminate(self) -> int:
        """SIGTERM, as systemd or `kill` stops it: a clean stop like Ctrl+C, exit 0."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=STOP_WAIT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
            raise

    def stop(self) -> int:
        """Ctrl+C, as an operator stops it: the scheduler stops, the database is closed (exit 130, the CLI's code for Ctrl+C)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:  # a job in flight ends first (the models' load, a tag batch): at load 8–10 on 2 cores that passed 30 s
                self.proc.wait(timeout=STOP_WAIT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return self.proc.returncode


class ServeProcess(CliProcess):
    """`langnghe --config CFG serve` in `cwd` (its state file goes to cwd/var), output collected."""

    def __init__(self, config: Path, cwd: Path, env: dict[str, str] | None = None):
        super().__init__(["--config", str(config), "serve"], cwd, serve_env(env))


def wait_http(url: str, timeout: float = 60, interval: float = 0.3) -> None:
    """Until `url` answers 200 (a server process is up: the browser tests and bench/office_browser.py);
    TimeoutError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(interval)
    raise TimeoutError(f"{url} did not answer within {timeout} s")

