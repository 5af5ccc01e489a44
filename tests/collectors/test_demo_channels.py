"""The demo's own channels: the ward fanpage and Zalo OA stand-ins are collected by the real kinds, three
cases open over the first minutes, and a reply from the Phản ánh flow reaches the stand-in over HTTP."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest

from collectors.runner import Runner
from devtools import demo_channels
from devtools import demo_server as demo
from orchestration import cases
from store import cases as store_cases
from tests.conftest import database, make_config
from kindhelpers import fresh_gates  # noqa: F401

pytestmark = pytest.mark.usefixtures("fresh_gates")
START = datetime(2026, 11, 1, 0, 0, tzinfo=timezone.utc)


def test_three_cases_open_during_the_demo_and_a_reply_goes_back(tmp_path, monkeypatch):
    monkeypatch.setenv(demo_channels.TOKEN_ENV, "demo-token")
    clock = {"now": START + timedelta(minutes=1)}
    server = demo.DemoFeedServer(0, start=START, items=[], clock=lambda: clock["now"]).start_background()
    try:
        cfg = make_config(tmp_path, demo_channels.sources(server.base_url))
        with database(cfg.storage.db_path) as db:
            def tick(minutes: int) -> int:
                clock["now"] = START + timedelta(minutes=minutes)
                at = clock["now"].replace(tzinfo=None)  # one clock for the poll and the cases it opens
                runner = Runner(cfg, db, on_new_items=lambda ids: cases.open_for_items(cfg, db, ids, now=at),
                                clock=lambda: at)
                summary = asyncio.run(runner.run_due(force=True))
                assert not summary.errors, [(o.source, o.error) for o in summary.errors]
                with db.read() as cur:
                    return len(store_cases.list_cases(cur, now=clock["now"].replace(tzinfo=None)))

            assert tick(1) == 1            # the water-cut comment (the page's own post opens none)
            assert tick(3) == 2            # + the Zalo message
            assert tick(5) == 3            # + the coal-dust comment
            assert tick(6) == 3            # polling again adds nothing
            with db.read() as cur:
                rows = store_cases.list_cases(cur, now=clock["now"].replace(tzinfo=None))
            zalo = next(r for r in rows if r["channel"] == "zalo_oa")
            status = cases.send_reply(cfg, db, zalo["id"], "Phường đã báo điện lực sửa đèn tổ 5.", "chuyenvien",
                                      now=clock["now"].replace(tzinfo=None))
            assert status.startswith("sent")
            with db.read() as cur:
                assert store_cases.get_case(cur, zalo["id"])["opened_at"] == START.replace(tzinfo=None) + timedelta(minutes=3)
    finally:
        server.stop()
    path, body = server.sent[0]
    assert path == "/zalo/v3.0/oa/message/cs"
    assert json.loads(body)["recipient"] == {"user_id": "5566001"}
