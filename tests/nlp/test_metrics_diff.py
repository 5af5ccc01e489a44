"""nlp.eval.metrics_diff: every figure that moved between two metrics files (round 28)."""

from __future__ import annotations

import json

from nlp.eval import metrics_diff as M


def test_flatten_names_every_leaf():
    got = M.flatten({"heldout": {"topic_macro_f1": 0.8368, "per_topic": {"land": {"f1": 0.5}}},
                     "info": {"topic_rule": {"top_k": 2}, "codes": ["a", "b"], "none": {}}})
    assert got == {"heldout.topic_macro_f1": 0.8368, "heldout.per_topic.land.f1": 0.5, "info.topic_rule.top_k": 2,
                   "info.codes.0": "a", "info.codes.1": "b", "info.none": {}}


def test_differences_exact_and_one_sided(tmp_path, capsys):
    a = {"heldout": {"f1": 0.8872, "n": 463}, "info": {"trained_at": "2026-12-01", "topic_threshold": -0.201}}
    b = {"heldout": {"f1": 0.8872, "n": 463.0}, "info": {"trained_at": "2026-12-07", "topic_threshold": -0.405,
                                                         "new": 1}}
    assert M.differences(a, b) == [("heldout.n", 463, 463.0), ("info.new", M.MISSING, 1),
                                   ("info.topic_threshold", -0.201, -0.405)]
    assert M.differences(a, a) == []
    pa, pb = tmp_path / "a.json", tmp_path / "b.json"
    pa.write_text(json.dumps(a))
    pb.write_text(json.dumps(b))
    assert M.main([str(pa), str(pb)]) == 1
    out = capsys.readouterr().out
    assert "info.topic_threshold: -0.201 → -0.405" in out and "info.new: (absent) → 1" in out
    assert "3 of 4 keys differ" in out and "trained_at" not in out.splitlines()[0]
    assert M.main([str(pa), str(pa)]) == 0
