"""Issue 16, end to end through a real `langnghe serve` process, everything on 127.0.0.1: the demo feed
server (its demo started 35 minutes ago, so the Vàng Danh burst is out), an SMTP server (aiosmtpd) and a
Telegram/Zalo API stand-in (devtools/notify_standins.py). The burst's alert reaches one staff member by
e-mail, Telegram and Zalo; killed with SIGKILL while the message waits, serve sends it after a restart,
exactly once per recipient. (How fast: bench/notify_serve.py; tests do not time things.)"""

from __future__ import annotations

import json
import re
import signal
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from devtools import serve_rig
from devtools.notify_standins import ApiStandIn, SmtpStandIn
from tests.conftest import free_port

pytestmark = pytest.mark.slow  # ~20 s and ~40 s: real serve processes (no subset of the suite skips them)

CHANNELS = ("email", "telegram", "zalo")
WAIT = 150  # seconds; the first pass collects and tags ~300 items on a shared 2-core machine


@pytest.fixture(scope="module")
def feeds():
    s = serve_rig.burst_feeds(35, background=False)
    yield s
    s.stop()


@pytest.fixture
def standins():
    smtp, api = SmtpStandIn(), ApiStandIn(serve_rig.TELEGRAM_TOKEN, serve_rig.ZALO_TOKEN)
    yield smtp, api
    smtp.stop()
    api.stop()


@pytest.fixture
def config(tmp_path, feeds, standins) -> Path:
    smtp, api = standins
    cfg = serve_rig.write_config(tmp_path, feeds.base_url, smtp.port, api.base_url, free_port())
    serve_rig.subscribe(tmp_path / "serve.duckdb")
    return cfg


def received(standins) -> list:
    smtp, api = standins
    return smtp.received + api.received


def one_each(standins) -> bool:
    got = Counter(r.channel for r in received(standins))
    return all(got[c] >= 1 for c in CHANNELS)


def outbox(tmp_path: Path) -> list[tuple]:
    """The outbox of a database no process holds any more (serve was stopped or killed)."""
    con = duckdb.connect(str(tmp_path / "serve.duckdb"))
    try:
        return con.execute("SELECT channel, address, alert_id, status, attempts FROM outbox ORDER BY id").fetchall()
    finally:
        con.close()


def alert_of(text: str) -> str:
    m = re.search(r"/alerts\?alert=(A\d+)", text)
    assert m, text
    return m.group(1)


def assert_exactly_once(tmp_path: Path, standins) -> None:
    rows = outbox(tmp_path)
    assert rows and all(r[3] == "sent" for r in rows), rows
    sent = Counter((r.channel, r.address, alert_of(r.text)) for r in received(standins))
    assert sent == Counter((r[0], r[1], r[2]) for r in rows)  # each outbox row arrived, once


def test_serve_delivers_the_demo_burst_alert_by_email_telegram_and_zalo(tmp_path, config, standins):
    srv = serve_rig.ServeProcess(config, tmp_path)
    try:
        srv.wait_until(lambda: one_each(standins), WAIT, "the burst alert on every channel")
    finally:
        code = srv.terminate()  # as systemd stops it: a clean stop, not a death by signal
    assert code == 0, srv.output[-3000:]
    state = json.loads((tmp_path / "var" / "langnghe-serve.json").read_text(encoding="utf-8"))
    assert state["pid"] is None and state["stopped_at"]  # the finally block ran: state file marked stopped
    assert (tmp_path / "serve.snapshot.duckdb").exists()  # and the final snapshot was written
    smtp, api = standins
    (mail,) = smtp.of("email")
    assert mail.address == "chuyenvien@uongbi.test" and "bãi thải" in mail.subject
    assert "Vì sao:" in mail.text and "Vàng Danh" in mail.text
    assert mail.key.startswith("<langnghe.") and mail.key.endswith("@uongbi.test>")
    (tg,) = api.of("telegram")
    assert tg.address == "-100200300" and tg.text == mail.text
    assert api.of("zalo")[0].address == "8800990011"
    assert_exactly_once(tmp_path, standins)


def test_serve_killed_before_the_send_sends_once_after_a_restart(tmp_path, config, standins):
    smtp, api = standins
    smtp.refuse = api.refuse = True  # every channel says "later": the alert's messages wait in the outbox
    first = serve_rig.ServeProcess(config, tmp_path)
    try:
        for channel in CHANNELS:  # logged after the try's outcome is committed (attempts, next try)
            first.wait_for_output(rf"notification via {channel} failed", WAIT)
    finally:
        assert first.kill() == -signal.SIGKILL
    assert smtp.refused and api.refused and not received(standins)
    waiting = outbox(tmp_path)
    assert sorted(r[0] for r in waiting) == sorted(CHANNELS)
    # pending, or 'sending' if the kill fell inside a later try (released when serve starts again)
    assert all(r[3] in ("pending", "sending") and r[4] >= 1 for r in waiting), waiting

    smtp.refuse = api.refuse = False
    second = serve_rig.ServeProcess(config, tmp_path)
    try:
        second.wait_until(lambda: one_each(standins), WAIT, "the waiting messages after the restart")
    finally:
        assert second.stop() in (0, 130), second.output[-3000:]
    assert_exactly_once(tmp_path, standins)
    assert len({alert_of(r.text) for r in received(standins)}) == 1  # the restart raised no second alert
