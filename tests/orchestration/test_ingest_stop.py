"""The ingest path told to stop (serve stopping): new items are tagged [nlp] batch_size at a time, each batch saved,
and a stop ends it between two; cases and watchlists, which read the tags, wait for a batch tagged whole."""

from __future__ import annotations

import threading

import pytest

from nlp import service as nlp_service
from orchestration import cases, ingest
from detection import watch
from tests.conftest import make_config


@pytest.fixture
def calls(tmp_path, monkeypatch):
    """The steps after full text, recorded instead of run (no model, no database needed)."""
    seen: dict[str, list] = {"tag": [], "cases": [], "watch": []}
    stop = threading.Event()

    def tag_ids(cfg, db, ids, pipeline=None, now=None):
        seen["tag"].append(list(ids))
        if seen.get("stop_at") == len(seen["tag"]):
            stop.set()  # Ctrl+C arrives while this batch is tagged
        return len(ids)

    monkeypatch.setattr(nlp_service, "tag_ids", tag_ids)
    monkeypatch.setattr(cases, "open_for_items", lambda cfg, db, ids, now=None: seen["cases"].append(ids))
    monkeypatch.setattr(watch, "match_new", lambda db, ids, now: seen["watch"].append(ids))
    cfg = make_config(tmp_path, [], fulltext={"enabled": False}, nlp={"batch_size": 3})
    return seen, stop, cfg


def test_a_stop_ends_the_tagging_of_a_big_batch_between_two_batches(calls):
    seen, stop, cfg = calls
    seen["stop_at"] = 2
    ingest.processor(cfg, None, stop=stop)([f"i{k}" for k in range(8)])
    assert seen["tag"] == [["i0", "i1", "i2"], ["i3", "i4", "i5"]]  # i6, i7: the catch-up at the next start
    assert seen["cases"] == [] and seen["watch"] == []  # the batch's tags are not all there


def test_a_stop_during_the_last_batch_still_opens_cases_and_matches_watchlists(calls):
    seen, stop, cfg = calls
    seen["stop_at"] = 3
    ingest.processor(cfg, None, stop=stop)([f"i{k}" for k in range(8)])
    assert [len(b) for b in seen["tag"]] == [3, 3, 2]
    assert len(seen["cases"]) == len(seen["watch"]) == 1


def test_without_a_stop_every_batch_is_tagged(calls):
    seen, _stop, cfg = calls
    ingest.processor(cfg, None)([f"i{k}" for k in range(7)])
    assert [len(b) for b in seen["tag"]] == [3, 3, 1] and seen["cases"] and seen["watch"]
