"""The press topic rule's threshold anchored (round 28, issue 13): the search keeps model 1.0's p 0.45 unless another
rule beats it by more than TOPIC_RULE_ANCHOR_MARGIN of cross-validated macro-F1, so that a retrain on slightly
different rows no longer flips it between neighbours of a flat top (docs/NLP.md, "How the topic rule is chosen")."""

from __future__ import annotations

import json

import numpy as np
import pytest

import nlp.train as T


def logit(p: float) -> float:
    return float(np.round(np.log(p / (1 - p)), 3))  # as the search's grid


GRID = [logit(p) for p in np.arange(0.05, 0.86, 0.05)]
ANCHOR = logit(0.45)


def _curve(vals: list[float]) -> tuple[dict, tuple]:
    """A synthetic curve (threshold → (CV macro-F1, its rule)) and its first best, as the search builds them."""
    by = {t: (v, {"threshold": t, "fallback": -1.992}) for t, v in zip(GRID, vals)}
    best = max(by.values(), key=lambda b: b[0])  # first best on a tie (max keeps the first)
    return by, best


# model 1.0's curve near the top (docs/NLP_ROUNDS.md, round 28): p 0.35 / 0.40 / 0.45 / 0.50 / 0.55
TOP = [0.80] * 6 + [0.83704, 0.83763, 0.83790, 0.83671, 0.83509] + [0.82] * 6


def test_shipped_anchor_is_model_1_0s_threshold():
    assert T.TOPIC_RULE_ANCHOR_P == 0.45 and T.TOPIC_RULE_ANCHOR_MARGIN == 0.001
    assert ANCHOR == -0.201 and ANCHOR in GRID
    shipped = json.loads((T.MODELS_DIR / "metrics-1.0.json").read_text(encoding="utf-8"))
    assert shipped["info"]["topic_threshold"] == ANCHOR


def test_anchor_is_kept_when_the_best_is_within_the_margin():
    vals = list(TOP)
    by, best = _curve(vals)
    assert best[1]["threshold"] == ANCHOR  # today: the anchor is the best
    a = T.anchor_rule(by, best, ANCHOR, 0.001)
    assert a["held"] and a["threshold"] == ANCHOR and a["gain"] == 0
    # round 27's retrain: p 0.40 the first best by 0.0007 — argmax moves, the anchor is kept
    vals[7] = 0.83860
    by, best = _curve(vals)
    assert best[1]["threshold"] == logit(0.40)
    a = T.anchor_rule(by, best, ANCHOR, 0.001)
    assert a["held"] and a["threshold"] == ANCHOR and a["gain"] == pytest.approx(0.0007)
    # a tie goes to the anchor too
    vals[7] = vals[8]
    by, best = _curve(vals)
    assert best[1]["threshold"] == logit(0.40) and T.anchor_rule(by, best, ANCHOR, 0.001)["held"]


def test_anchor_moves_when_another_beats_it_by_more_than_the_margin():
    vals = list(TOP)
    vals[7] = 0.83790 + 0.0012  # p 0.40 beats the anchor by 0.0012
    by, best = _curve(vals)
    a = T.anchor_rule(by, best, ANCHOR, 0.001)
    assert not a["held"] and a["threshold"] == logit(0.40)
    assert T.anchor_rule(by, best, ANCHOR, 0.002)["held"]  # a wider margin keeps it
    # far off the top (p 0.70 clearly best): the search takes it
    vals[13] = 0.85
    by, best = _curve(vals)
    assert T.anchor_rule(by, best, ANCHOR, 0.001)["threshold"] == logit(0.70)
    # an anchor off the grid is never held
    assert not T.anchor_rule(by, best, logit(0.47), 1.0)["held"]


def _search_data():
    import scipy.sparse as sp

    rng = np.random.default_rng(1)
    Y = (rng.random((160, 3)) < 0.3).astype(int)
    X = sp.csr_matrix(np.hstack([Y + rng.normal(0, 0.8, Y.shape), rng.normal(0, 1, (160, 5))]))
    return X, Y, np.ones(160), np.arange(160)


def test_rule_search_keeps_the_anchor_only_within_the_margin(monkeypatch):
    monkeypatch.setattr(T, "TOPIC_MODEL", "ridge")  # the features above are not TF-IDF (negative: no NB)
    monkeypatch.setattr(T, "TOPIC_RULE_CV_SEEDS", (13, 7))
    X, Y, w, groups = _search_data()
    free = T._tune_topic_rule(X, Y, w, groups, 160, 1.0)  # no anchor: the first best
    assert "anchor" not in free
    p = 0.85 if free["threshold"] != logit(0.85) else 0.05  # an anchor the first best is not
    # a margin no rule beats it by: the anchor, with its own best fallback and figure
    monkeypatch.setattr(T, "TOPIC_RULE_ANCHOR_MARGIN", 1.0)
    held = T._tune_topic_rule(X, Y, w, groups, 160, 1.0, anchor_p=p)
    assert held["threshold"] == logit(p) and held["anchor"] == {"p": p, "threshold": logit(p), "margin": 1.0,
                                                                "held": True}
    assert held["cv_macro_f1"] < free["cv_macro_f1"]  # an anchor far from the top costs: the figure is its own
    # a margin of 0: the anchor moves to the first best, as without it
    monkeypatch.setattr(T, "TOPIC_RULE_ANCHOR_MARGIN", 0.0)
    moved = T._tune_topic_rule(X, Y, w, groups, 160, 1.0, anchor_p=p)
    assert moved["anchor"]["held"] is False
    assert {k: moved[k] for k in ("threshold", "fallback", "cv_macro_f1")} == \
        {k: free[k] for k in ("threshold", "fallback", "cv_macro_f1")}
    # without the Platt scale the grid is not one of probabilities: no anchor
    monkeypatch.setattr(T, "TOPIC_CALIBRATION", False)
    assert "anchor" not in T._tune_topic_rule(X, Y, w, groups, 160, 1.0, anchor_p=p)


def test_press_rule_is_anchored_and_the_comment_rule_is_not(monkeypatch):
    seen: list = []
    real = T._tune_topic_rule

    def spy(*a, **k):
        out = real(*a, **k)
        seen.append((a[11] if len(a) > 11 else k.get("anchor_p"), out))
        return out

    monkeypatch.setattr(T, "_tune_topic_rule", spy)
    monkeypatch.setattr(T, "TOPIC_RULE_CV_SEEDS", (13,))
    monkeypatch.setattr(T, "TOPIC_RULE_ANCHOR_P", 0.85)  # not where this data's best is
    monkeypatch.setattr(T, "TOPIC_RULE_ANCHOR_MARGIN", 1.0)
    words = {"education": "học phí sinh viên trường đại học", "economy": "giá vàng doanh nghiệp xuất khẩu",
             "health": "bệnh viện bác sĩ khám bệnh"}
    codes = list(words)
    docs = [{"id": f"A-{i:04d}", "title": f"Tin {i}", "text": f"{words[codes[i % 3]]} số {i % 7}",
             "topics": [codes[i % 3]], "_file": "labelled_A.jsonl"} for i in range(60)]
    texts = [f"{d['title']}\n{d['text']}" for d in docs]
    feats, X_top, _, rule = T.fit_topics(None, texts, docs, np.ones(len(docs)), docs, [], [], 1.0)
    assert seen[-1][0] == 0.85 and rule["threshold"] == logit(0.85) and rule["anchor"]["held"]
    # the comment model's search (the same function, on the social lines) keeps its first best
    lines = [{"id": f"S1-{i:04d}", "title": "", "text": f"{words[codes[i % 3]]} quá {i % 5}",
              "topics": [codes[i % 3]], "_file": "labelled_S1.jsonl"} for i in range(60)]
    lines = [d for d in lines if not T.is_heldout(d["id"])]
    X_lines = feats.transform([f"\n{d['text']}" for d in lines])
    seen.clear()
    assert T.fit_comment_topics(X_lines, lines, lines, [], 1.0, len(feats.transformer_list[0][1].vocabulary_))
    assert seen and seen[0][0] is None and "anchor" not in seen[0][1]
