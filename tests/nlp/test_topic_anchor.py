"""The press topic rule's threshold anchored (round 28, issue 13): the search keeps model 1.0's p 0.45 unless another
rule beats it by more than TOPIC_RULE_ANCHOR_MARGIN of cross-validated macro-F1, so that a retrain on slightly
different rows no longer flips it between neighbours of a flat top (docs/NLP.md, "How the press topic rule is chosen").
The comment route's threshold likewise (round 31): model 1.0's p 0.25 unless beaten by more than
COMMENT_ROUTE_ANCHOR_MARGIN of the route's cross-validated figure."""

from __future__ import annotations

import json

import numpy as np
import pytest

import nlp.train as T
from tests.nlp.rows import CORPUS, comment_route_rows, topic_docs, topic_lines


def spy_rule(monkeypatch, index: int, name: str) -> list:
    """Every call of the topic rule's search, as (its argument `name`, at `index` when passed by position; what it
    chose): which search was anchored, and with what."""
    seen: list = []
    real = T._tune_topic_rule

    def spy(*a, **k):
        out = real(*a, **k)
        seen.append((a[index] if len(a) > index else k.get(name), out))
        return out

    monkeypatch.setattr(T, "_tune_topic_rule", spy)
    return seen


def heldin_lines() -> list[dict]:
    return [d for d in topic_lines() if not T.is_heldout(d["id"])]


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
    # the anchor is the shipped model's own p (round 31: 0.40, after its retrain gave way from 0.45)
    assert T.TOPIC_RULE_ANCHOR_P == 0.40 and T.TOPIC_RULE_ANCHOR_MARGIN == 0.001
    assert ANCHOR == -0.201 and ANCHOR in GRID
    shipped = json.loads((T.MODELS_DIR / "metrics-1.0.json").read_text(encoding="utf-8"))
    # round 31's retrain (N38 + N39): p 0.40 beat the anchor by 0.0015 > the margin, so the anchor gave way by its
    # rule and the shipped threshold is −0.405 (docs/NLP_ROUNDS.md, "Round 31: the retrain"); the metrics record the
    # anchor that retrain had
    assert shipped["info"]["topic_rule_anchor"] == {"p": 0.45, "threshold": ANCHOR, "margin": 0.001, "held": False}
    assert shipped["info"]["topic_threshold"] == logit(0.40) == logit(T.TOPIC_RULE_ANCHOR_P)


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
    seen = spy_rule(monkeypatch, 11, "anchor_p")
    monkeypatch.setattr(T, "TOPIC_RULE_CV_SEEDS", (13,))
    monkeypatch.setattr(T, "TOPIC_RULE_ANCHOR_P", 0.85)  # not where this data's best is
    monkeypatch.setattr(T, "TOPIC_RULE_ANCHOR_MARGIN", 1.0)
    docs = topic_docs()
    texts = [f"{d['title']}\n{d['text']}" for d in docs]
    feats, X_top, _, rule = T.fit_topics(None, texts, docs, np.ones(len(docs)), docs, [], [], 1.0)
    assert seen[-1][0] == 0.85 and rule["threshold"] == logit(0.85) and rule["anchor"]["held"]
    # the comment model's own search (the same function, on the social lines) is not anchored: its route is
    # (`_comment_route_rule`, below), whose threshold is the one the comment model uses
    lines = heldin_lines()
    X_lines = feats.transform([f"\n{d['text']}" for d in lines])
    seen.clear()
    assert T.fit_comment_topics(X_lines, lines, lines, [], 1.0, len(feats.transformer_list[0][1].vocabulary_))
    assert seen and seen[0][0] is None and "anchor" not in seen[0][1]


# --- the comment route's anchor (round 31) -------------------------------------------------------------------------
C_ANCHOR = logit(0.25)  # model 1.0's comment threshold
C_FREE = logit(0.20)  # where both round-30 retrains' first best went


def _route(gain: float) -> tuple[dict, tuple]:
    """Synthetic route candidates (press share, longest item, threshold, fallback) → figure, in the search's order,
    shaped like round 30's: the anchor's best is press 0.25, ≤ 40 words, no fallback; the first best of the whole
    search sits at −1.386, `gain` above it."""
    figs = {(v, c, th, fb): 0.70 for v in (0.0, 0.25) for c in (25, 40) for th in GRID for fb in (9.0, logit(0.05))}
    figs[(0.0, 40, C_ANCHOR, 9.0)] = 0.8000
    figs[(0.25, 40, C_ANCHOR, 9.0)] = 0.8074
    figs[(0.25, 40, C_FREE, 9.0)] = 0.8074 + gain
    return figs, max(figs, key=figs.get)


def test_shipped_comment_anchor_is_model_1_0s_threshold():
    assert T.COMMENT_ROUTE_ANCHOR_P == 0.25 and T.COMMENT_ROUTE_ANCHOR_MARGIN == 0.001
    assert C_ANCHOR == -1.099 and T.rule_logit(0.25) == C_ANCHOR and C_ANCHOR in GRID
    shipped = json.loads((T.MODELS_DIR / "metrics-1.0.json").read_text(encoding="utf-8"))
    assert shipped["info"]["comment_topics"]["route"]["threshold"] == C_ANCHOR


def test_comment_anchor_is_held_within_the_margin():
    figs, best = _route(0.0004)  # round 30: the first best beat the anchor's best by 0.0004
    assert best == (0.25, 40, C_FREE, 9.0)
    taken, verdict = T.anchor_route(figs, best, C_ANCHOR, 0.001)
    assert taken == (0.25, 40, C_ANCHOR, 9.0)  # the anchor's own best share, length and fallback
    assert verdict["held"] and verdict["threshold"] == C_ANCHOR and verdict["gain"] == pytest.approx(0.0004)
    # a tie at the anchor goes to the first candidate in the search's order, as the search's own max does
    figs[(0.0, 25, C_ANCHOR, logit(0.05))] = 0.8074
    assert T.anchor_route(figs, best, C_ANCHOR, 0.001)[0] == (0.0, 25, C_ANCHOR, logit(0.05))
    # the first best at the anchor (the shipped model's case): nothing changes
    figs, best = _route(-0.01)
    assert best[2] == C_ANCHOR
    taken, verdict = T.anchor_route(figs, best, C_ANCHOR, 0.001)
    assert taken == best and verdict["held"] and verdict["gain"] == 0


def test_comment_anchor_gives_way_beyond_the_margin():
    figs, best = _route(0.0013)
    taken, verdict = T.anchor_route(figs, best, C_ANCHOR, 0.001)
    assert taken == best == (0.25, 40, C_FREE, 9.0) and not verdict["held"] and verdict["threshold"] == C_FREE
    assert T.anchor_route(figs, best, C_ANCHOR, 0.002)[0][2] == C_ANCHOR  # a wider margin holds it
    assert not T.anchor_route(figs, best, logit(0.47), 1.0)[1]["held"]  # an anchor off the grid is never held


def _comment_route(monkeypatch, p, margin) -> dict:
    """`langnghe train`'s comment route at a small scale (the rows of test_topics_route's end-to-end test)."""
    monkeypatch.setattr(T, "TOPIC_RULE_CV_SEEDS", (13,))
    monkeypatch.setattr(T, "COMMENT_ROUTE_ANCHOR_P", p)
    monkeypatch.setattr(T, "COMMENT_ROUTE_ANCHOR_MARGIN", margin)
    monkeypatch.setattr(T, "corpus_texts", lambda: iter(CORPUS))
    rows = comment_route_rows()
    clf = T.train(labelled=rows, use_vntc=False).classifier
    assert clf.comment_topics.threshold == clf.comment_topics.info["route"]["threshold"]
    return clf.comment_topics.info["route"]


def test_train_anchors_the_comment_route_and_records_the_verdict(monkeypatch):
    free = _comment_route(monkeypatch, None, 0.001)  # rounds 12–30: the first best
    assert "anchor" not in free
    p = 0.05  # these lines separate cleanly: p 0.5 and above all read them right, p 0.05 chips every line
    assert free["threshold"] == logit(0.5) and free["cv_figure"] == 1.0
    held = _comment_route(monkeypatch, p, 1.0)  # a margin no candidate beats it by: the anchor
    assert held["threshold"] == logit(p)
    assert {k: held["anchor"][k] for k in ("p", "threshold", "margin", "held")} == \
        {"p": p, "threshold": logit(p), "margin": 1.0, "held": True}
    assert held["anchor"]["gain"] > 0 and held["cv_figure"] < free["cv_figure"]  # the figure is the anchor's own
    moved = _comment_route(monkeypatch, p, 0.0)  # a margin of 0: the first best, as without the anchor
    assert moved["anchor"]["held"] is False
    keys = ("press_share", "max_words", "threshold", "fallback", "cv_figure", "cv_chip_precision")
    assert {k: moved[k] for k in keys} == {k: free[k] for k in keys}


# --- the press models' NB shares (round 31) -------------------------------------------------------------------------
# culture_tourism's share search with N38 + N39 trained (docs/NLP_ROUNDS.md, "Round 31"): 0.33 led 0.5 by 0.00026 of
# mean out-of-fold AP, and taking it scaled the culture model down (the proxy's culture_tourism 0.810 → 0.793)
CULTURE_AP = {0.25: 0.80301, 0.33: 0.80670, 0.5: 0.80644, 0.67: 0.80210, 0.75: 0.79902}


def test_shipped_share_anchors_are_model_1_0s_shares_for_every_topic():
    from vocab.labels import TOPICS

    assert T.TOPIC_NB_SHARE_ANCHOR_MARGIN == 0.001
    assert set(T.TOPIC_NB_SHARE_ANCHORS) == set(TOPICS)
    assert all(v in T.TOPIC_NB_SHARES for v in T.TOPIC_NB_SHARE_ANCHORS.values())
    assert T.TOPIC_NB_SHARE_ANCHORS["culture_tourism"] == 0.5 and T.TOPIC_NB_SHARE_ANCHORS["economy"] == 0.67
    # the shipped model (round 31's retrain) took every anchor: culture_tourism's first best 0.33 was held at 0.5
    shipped = json.loads((T.MODELS_DIR / "metrics-1.0.json").read_text(encoding="utf-8"))["info"]
    assert shipped["topic_nb_shares"] == T.TOPIC_NB_SHARE_ANCHORS
    assert shipped["topic_nb_share_anchor"]["topics"]["culture_tourism"] == \
        {"anchor": 0.5, "first_best": 0.33, "held": True, "gain": 0.00026}


def test_share_anchor_is_held_within_the_margin(caplog):
    caplog.set_level("INFO", logger=T.log.name)
    share, verdict = T.anchor_share("culture_tourism", CULTURE_AP, 0.5, 0.001)
    assert share == 0.5 and verdict == {"anchor": 0.5, "first_best": 0.33, "held": True, "gain": 0.00026}
    assert "NB share of culture_tourism: the first best 0.33 (AP 0.80670) beats the anchor 0.50 by 0.00026 ≤ " \
           "0.0010: the anchor is kept" in caplog.text
    # a tie goes to the anchor; the first best at the anchor changes nothing and logs nothing
    caplog.clear()
    tie = {**CULTURE_AP, 0.5: CULTURE_AP[0.33]}
    assert T.anchor_share("culture_tourism", tie, 0.5, 0.001)[0] == 0.5
    assert T.anchor_share("culture_tourism", CULTURE_AP, 0.33, 0.001) == \
        (0.33, {"anchor": 0.33, "first_best": 0.33, "held": True, "gain": 0.0})
    assert "the anchor is kept" in caplog.text and caplog.text.count("NB share of") == 1


def test_share_anchor_gives_way_beyond_the_margin(caplog):
    caplog.set_level("INFO", logger=T.log.name)
    ap = {**CULTURE_AP, 0.33: CULTURE_AP[0.5] + 0.0015}
    share, verdict = T.anchor_share("culture_tourism", ap, 0.5, 0.001)
    assert share == 0.33 and verdict["held"] is False and verdict["gain"] == pytest.approx(0.0015)
    assert "the anchor gives way" in caplog.text
    assert T.anchor_share("culture_tourism", ap, 0.5, 0.002)[0] == 0.5  # a wider margin holds it
    # an anchor that is not a candidate share is never held
    share, verdict = T.anchor_share("culture_tourism", CULTURE_AP, 0.6, 1.0)
    assert share == 0.33 and verdict["held"] is False and verdict["gain"] is None


def test_share_verdicts_have_their_vietnamese_console_lines():
    from langnghe.commands.train import console_text

    kept = console_text("NB share of %s: the first best %.2f (AP %.5f) beats the anchor %.2f by %.5f ≤ %.4f: the "
                        "anchor is kept", ("culture_tourism", 0.33, 0.8067, 0.5, 0.00026, 0.001))
    assert kept is not None and "vẫn giữ tỷ trọng neo" in kept and "0,00026" in kept
    gone = console_text("NB share of %s: the first best %.2f (AP %.5f) beats the anchor %.2f by %.5f > %.4f: the "
                        "anchor gives way", ("economy", 0.5, 0.8, 0.67, 0.002, 0.001))
    assert gone is not None and "bỏ tỷ trọng neo" in gone


def _nb_data():
    """Non-negative features (NB reads counts): three topics, each a noisy column block."""
    import scipy.sparse as sp

    rng = np.random.default_rng(3)
    Y = (rng.random((160, 3)) < 0.3).astype(int)
    X = np.abs(np.hstack([Y * rng.random((160, 3)) * 2 + rng.random((160, 3)) * 0.8, rng.random((160, 6))]))
    return sp.csr_matrix(X), Y, np.ones(160), np.arange(160)


def test_share_search_keeps_each_anchor_gives_way_and_leaves_a_topic_without_one_free(monkeypatch):
    from vocab.labels import TOPICS

    monkeypatch.setattr(T, "TOPIC_RULE_CV_SEEDS", (13, 7))
    X, Y, w, groups = _nb_data()
    free = T._tune_topic_rule(X, Y, w, groups, 160, 1.0)  # no anchors: each topic's first best
    assert "nb_share_anchor" not in free
    first = free["nb_shares"][:3]
    other = [T.TOPIC_NB_SHARES[0] if v != T.TOPIC_NB_SHARES[0] else T.TOPIC_NB_SHARES[-1] for v in first]
    # topics 0 and 1 anchored on a share their first best is not; topic 2 has no anchor
    anchors = {TOPICS[0]: other[0], TOPICS[1]: other[1]}
    monkeypatch.setattr(T, "TOPIC_NB_SHARE_ANCHOR_MARGIN", 1.0)  # no share beats an anchor by that much
    held = T._tune_topic_rule(X, Y, w, groups, 160, 1.0, anchor_shares=anchors)
    assert held["nb_shares"][:3] == [other[0], other[1], first[2]]
    rec = held["nb_share_anchor"]
    assert rec["margin"] == 1.0 and set(rec["topics"]) == {TOPICS[0], TOPICS[1]}  # no verdict without an anchor
    assert all(v["held"] and v["gain"] > 0 for v in rec["topics"].values())
    assert [rec["topics"][TOPICS[j]]["first_best"] for j in (0, 1)] == first[:2]
    monkeypatch.setattr(T, "TOPIC_NB_SHARE_ANCHOR_MARGIN", 0.0)  # every anchor beaten: the first bests, as free
    moved = T._tune_topic_rule(X, Y, w, groups, 160, 1.0, anchor_shares=anchors)
    assert moved["nb_shares"] == free["nb_shares"] and moved["threshold"] == free["threshold"]
    assert not any(v["held"] for v in moved["nb_share_anchor"]["topics"].values())


def test_train_anchors_the_press_shares_and_records_them_in_the_metrics(monkeypatch):
    """End to end through `fit_topics` (what `langnghe train` calls) and the metrics' info."""
    seen = spy_rule(monkeypatch, 12, "anchor_shares")
    monkeypatch.setattr(T, "TOPIC_RULE_CV_SEEDS", (13,))
    monkeypatch.setattr(T, "TOPIC_NB_SHARE_ANCHOR_MARGIN", 1.0)
    monkeypatch.setattr(T, "TOPIC_NB_SHARE_ANCHORS", {"education": 0.75, "economy": 0.25})
    docs = topic_docs()
    texts = [f"{d['title']}\n{d['text']}" for d in docs]
    _, _, _, rule = T.fit_topics(None, texts, docs, np.ones(len(docs)), docs, [], [], 1.0)
    assert seen[0][0] == {"education": 0.75, "economy": 0.25}
    shares = dict(zip(T.TOPICS, rule["nb_shares"]))
    assert shares["education"] == 0.75 and shares["economy"] == 0.25
    assert set(rule["nb_share_anchor"]["topics"]) == {"education", "economy"}
    # the comment model's share search is not anchored
    seen.clear()
    lines = heldin_lines()
    feats, *_ = T.fit_topics(None, texts, docs, np.ones(len(docs)), docs, [], [], 1.0)
    seen.clear()
    X_lines = feats.transform([f"\n{d['text']}" for d in lines])
    assert T.fit_comment_topics(X_lines, lines, lines, [], 1.0, len(feats.transformer_list[0][1].vocabulary_))
    assert seen and seen[0][0] is None and "nb_share_anchor" not in seen[0][1]


def test_train_writes_the_shares_and_their_verdicts_into_the_metrics(monkeypatch):
    monkeypatch.setattr(T, "TOPIC_RULE_CV_SEEDS", (13,))
    monkeypatch.setattr(T, "TOPIC_NB_SHARE_ANCHOR_MARGIN", 1.0)
    monkeypatch.setattr(T, "TOPIC_NB_SHARE_ANCHORS", {"environment": 0.75})
    monkeypatch.setattr(T, "corpus_texts", lambda: iter(CORPUS))
    rows = comment_route_rows()  # the rows of _comment_route
    info = T.train(labelled=rows, use_vntc=False).classifier.info
    assert info["topic_nb_shares"]["environment"] == 0.75
    assert info["topic_nb_share_anchor"]["margin"] == 1.0
    assert set(info["topic_nb_share_anchor"]["topics"]) == {"environment"}
    assert info["topic_nb_share_anchor"]["topics"]["environment"]["held"] is True
