"""nlp/eval/topic_rules.py measures decision-rule variants on the out-of-fold scores of the shipped rule search; its
`decide` must be the shipped rule when no variant parameter is set, or every comparison is against the wrong base."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score

from nlp.classify import decide_topics
from nlp.eval import topic_rules as R


def _scores(n: int = 400, k: int = 13, seed: int = 3) -> np.ndarray:
    return np.random.default_rng(seed).normal(-2.0, 1.5, size=(n, k)).astype(np.float32)


def test_decide_is_the_shipped_rule_without_variant_parameters():
    S = _scores()
    rule = {"threshold": R.logit(0.40), "fallback": R.logit(0.12)}
    assert (R.decide(S, rule) == decide_topics(S, rule["threshold"], fallback=rule["fallback"], top_k=2)).all()
    # a second threshold equal to the first, no ratio: the same decisions
    assert (R.decide(S, {**rule, "second": rule["threshold"], "second_ratio": 0.0}) == R.decide(S, rule)).all()


def test_fallback_titled_reaches_titled_rows_only():
    S = np.array([[-3.0, -4.0], [-3.0, -4.0]], dtype=np.float32)  # best p ≈ 0.047: under a fallback of 0.12
    rule = {"threshold": R.logit(0.40), "fallback": R.logit(0.12), "fallback_titled": R.ALWAYS}
    P = R.decide(S, rule, titled=np.array([True, False]))
    assert P.tolist() == [[True, False], [False, False]]


def test_second_topic_needs_its_share_of_the_best():
    S = np.array([[2.0, -0.6, -5.0], [2.0, -1.5, -5.0]], dtype=np.float32)  # p ≈ 0.88, 0.35 / 0.88, 0.18
    rule = {"threshold": R.logit(0.40), "fallback": R.NONE, "second": R.logit(0.15), "second_ratio": 0.3}
    assert R.decide(S, rule).tolist() == [[True, True, False], [True, False, False]]


def test_macro_f1_is_sklearn_over_present_topics():
    rng = np.random.default_rng(0)
    Y = (rng.random((60, 5)) < 0.3).astype(int)
    Y[:, 4] = 0  # absent topic: not averaged
    P = rng.random((60, 5)) < 0.3
    want = np.mean([f1_score(Y[:, j], P[:, j], zero_division=0) for j in range(4)])
    assert R.macro_f1(Y, P) == want  # to the last bit: nlp.train.macro_f1 over the present columns


def test_titled_rule_decides_titled_rows_and_choose_split_scores_like_decide():
    S = _scores(200, 4)
    Y = (np.random.default_rng(5).random((200, 4)) < 0.3).astype(int)
    titled = np.arange(200) % 3 > 0
    base = {"threshold": R.logit(0.40), "fallback": R.logit(0.12)}
    loose = {"threshold": R.logit(0.05), "fallback": R.NONE}
    P = R.decide(S, {**base, "titled_rule": loose}, titled)
    assert (P[~titled] == R.decide(S[~titled], base)).all() and (P[titled] == R.decide(S[titled], loose)).all()
    rule, v = R.choose_split([S], Y, titled)
    assert abs(v - R.macro_f1(Y, R.decide(S, rule, titled))) < 1e-9
