"""`langnghe replay` end to end on the short burst stream: as a separate process (the fixture tagger), and in the
test's process where that is the same command (a bad step; the real pipeline, whose models the worker has loaded)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import cli_in_process

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
STREAM = HERE / "fixtures" / "burst_short.jsonl"


def burst_day(tmp_path: Path) -> Path:
    """The burst's day of burst_short.jsonl (its 12 items and that day's background), to keep the run short."""
    rows = [json.loads(x) for x in STREAM.read_text(encoding="utf-8").splitlines() if x.strip()]
    day = next(r["published"][:10] for r in rows if r["truth"]["kind"] == "burst")
    path = tmp_path / "stream.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows if r["published"][:10] == day),
                    encoding="utf-8")
    return path


def replay(tmp_path: Path, *extra: str, stream: Path = STREAM,
           in_process: bool = False) -> tuple[subprocess.CompletedProcess, list[dict]]:
    """`langnghe replay` as a separate process, or `in_process` (`cli_in_process`: no start-up to pay, and the real
    pipeline's models are the worker's, loaded once)."""
    out = tmp_path / "alerts.jsonl"
    args = ["replay", "--input", str(stream), "--db", str(tmp_path / "r.duckdb"), "--alerts-out", str(out),
            "--step", "15m", *extra]
    if in_process:
        proc = cli_in_process(args, unset=("LANGNGHE_CONFIG",), cwd=tmp_path)
    else:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("LANGNGHE_CONFIG", None)
        env.pop("LANGNGHE_DB", None)
        proc = subprocess.run([sys.executable, "-m", "langnghe.cli", *args], capture_output=True, text=True, env=env,
                              cwd=str(tmp_path), timeout=300)
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    return proc, rows


def burst_ids() -> set[str]:
    return {json.loads(x)["id"] for x in STREAM.read_text(encoding="utf-8").splitlines() if '"kind": "burst"' in x}


@pytest.mark.slow  # 10–30 s: CLI processes; started first under xdist
def test_replay_cli_writes_one_row_per_alert(tmp_path):
    proc, rows = replay(tmp_path, "--tagger", "fixture", "--alarms-out", str(tmp_path / "alarms.jsonl"),
                        stream=burst_day(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert len(rows) == 1, rows
    a = rows[0]
    assert {"alert_id", "raised_at", "title", "topics", "places", "item_ids", "severity", "reason"} <= set(a)
    assert a["raised_at"].endswith("+00:00")
    assert set(a["item_ids"]) <= burst_ids() and len(a["item_ids"]) >= 3
    assert "tin, bài trong" in a["reason"] and "Vàng Danh" in a["reason"]
    assert "Xong: 1 cảnh báo" in proc.stderr
    assert (tmp_path / "alarms.jsonl").exists()
    # the database it built is a normal Lắng Nghe database: the alert is there with its audit row
    from store import alerts as store_alerts
    from store.db import Database

    with Database(str(tmp_path / "r.duckdb"), read_only=True) as db, db.read() as cur:
        full = store_alerts.get_alert(cur, a["alert_id"])
        assert set(full["item_ids"]) == burst_ids()  # the open alert followed its story to the end
        assert len(store_alerts.audit_log(cur)) == 1


def test_replay_cli_rejects_a_bad_step(tmp_path):
    proc, rows = replay(tmp_path, "--step", "soon", in_process=True)
    assert proc.returncode == 2 and "--step" in proc.stderr


@pytest.mark.slow  # 10–30 s: CLI processes; started first under xdist
def test_replay_cli_with_the_real_nlp_pipeline(tmp_path):
    """Default tagging: the installed NLP pipeline tags items exactly as in the live service."""
    pytest.importorskip("nlp.pipeline")
    proc, rows = replay(tmp_path, stream=burst_day(tmp_path), in_process=True)  # the same command, the same models
    assert proc.returncode == 0, proc.stderr
    assert "NLP pipeline" in proc.stderr
    hits = [a for a in rows if set(a["item_ids"]) & burst_ids()]
    assert len(hits) == 1, rows
    assert not [a for a in rows if not set(a["item_ids"]) & burst_ids()], "false alert on the day's background"
