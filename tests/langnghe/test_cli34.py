"""What cli33 and ux33 left on the command line (round 28, cli34): `status` judges the last collection by the
dashboard's rule, `train` speaks Vietnamese on the console, `tag --pending` honours --batch and refuses --workers,
`search ""` says it lists the newest items."""

from __future__ import annotations

import pytest

from tests.conftest import cli_in_process


def _env(db) -> dict[str, str]:
    return {"LANGNGHE_DB": str(db)}


# --- tag --pending: --batch honoured, --workers refused ------------------------------------------------------------

def _fake_pending(monkeypatch) -> dict:
    from nlp import service

    class Pipe:
        model_version = "9.9/test"

    calls: dict = {}

    def tag_pending(cfg, db, batch=500, pipeline=None, **_kw):
        calls["batch"] = batch
        return 0

    monkeypatch.setattr(service, "get_pipeline", lambda cfg: Pipe())
    monkeypatch.setattr(service, "tag_pending", tag_pending)
    return calls


def test_tag_pending_tags_in_batches_of_the_batch_given(tmp_path, monkeypatch):
    """`tag --pending --batch 50` tagged in batches of [nlp] batch_size (500) without a word (round 28)."""
    from store.db import Database

    calls = _fake_pending(monkeypatch)
    with Database(tmp_path / "t.duckdb"):
        pass
    res = cli_in_process(["tag", "--pending", "--batch", "50"], _env(tmp_path / "t.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 0 and calls["batch"] == 50, (res.stderr, calls)
    res = cli_in_process(["tag", "--pending"], _env(tmp_path / "t.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 0 and calls["batch"] == 500, (res.stderr, calls)  # [nlp] batch_size's default


@pytest.mark.parametrize("workers", ["4", "0"])
def test_tag_pending_refuses_workers_in_vietnamese(tmp_path, monkeypatch, workers):
    """`tag --pending --workers 4` ran in one process, as stored items are always tagged, and said nothing."""
    from store.db import Database

    calls = _fake_pending(monkeypatch)
    with Database(tmp_path / "t.duckdb"):
        pass
    res = cli_in_process(["tag", "--pending", "--workers", workers], _env(tmp_path / "t.duckdb"),
                         unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 2 and "--workers không dùng được cùng --pending" in res.stderr, res.stderr
    assert "batch" not in calls


def test_tag_help_says_what_pending_does_with_batch_and_workers():
    res = cli_in_process(["tag", "--help"])
    text = " ".join(res.stdout.split())
    assert "với --pending mặc định theo [nlp] batch_size" in text and "không dùng cùng --pending" in text, text
