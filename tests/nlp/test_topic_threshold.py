"""nlp.eval.topic_threshold (round 28): the four ways of taking a threshold from the cross-validated curve, and
its macro-F1 under row weights equal to nlp.train's."""

from __future__ import annotations

import numpy as np

from nlp.classify import decide_topics
from nlp.eval import topic_threshold as TT
from nlp.train import macro_f1


def _curve(vals: list[float]) -> dict[float, tuple[float, float]]:
    return {t: (v, -1.992) for t, v in zip(TT.GRID, vals)}


def test_choices_on_a_flat_top():
    # p 0.35 / 0.40 / 0.45 within 0.001 of the best (0.45), as model 1.0's curve; p 0.50 0.0012 under
    vals = [0.80] * 6 + [0.8370, 0.8376, 0.8379, 0.8367, 0.8351] + [0.83] * 6
    c = _curve(vals)
    # the anchor of rounds 28–30 (model 1.0's p 0.45 then), whatever the training's is now
    p = lambda how, **k: round(TT.prob(TT.choose(c, how, **{"anchor": TT.logit(0.45), **k})), 2)  # noqa: E731
    assert p("argmax") == 0.45 and p("plateau") == 0.40 and p("smooth") == 0.40 and p("anchored") == 0.45
    # a tie goes to the first threshold, as the search; the anchor yields only to a clear gain
    c[TT.logit(0.40)] = (0.8379, -1.992)
    assert p("argmax") == 0.40 and p("anchored") == 0.45
    c[TT.logit(0.40)] = (0.8391, -1.992)
    assert p("anchored") == 0.40 and p("anchored", eps=0.002) == 0.45


def test_weighted_macro_f1_is_the_searchs():
    rng = np.random.default_rng(3)
    Y = (rng.random((60, 4)) < 0.3).astype(int)
    Y[:, 3] = 0  # a topic without rows is left out, as the search's `present`
    S = [rng.normal(size=(60, 4)).astype(np.float32) + 2 * Y - 1 for _ in range(2)]
    c = TT.Curve(S, Y, [9.0, -1.992], thresholds=[-0.405, -0.201])
    for t in (-0.405, -0.201):
        want = [macro_f1(Y[:, :3] > 0, decide_topics(s, t, fallback=-1.992, top_k=2)[:, :3]) for s in S]
        assert np.allclose(c.f1(t, -1.992), want)
        w = np.bincount(rng.integers(0, 60, 60), minlength=60).astype(float)  # a bootstrap: rows repeated
        rows = np.repeat(np.arange(60), w.astype(int))
        want = [macro_f1(Y[rows][:, :3] > 0, decide_topics(s[rows], t, fallback=-1.992, top_k=2)[:, :3]) for s in S]
        assert np.allclose(c.f1(t, -1.992, w), want)
