"""nlp/eval/topic_variants.py puts every nlp.train setting back after a variant, so that the next variant of the
same run (a "base…" one above all, which does not apply the RIDGE settings) measures what its name says."""

from __future__ import annotations

import nlp.train as T
from nlp.eval import topic_variants as V


def test_variant_settings_are_all_restored_even_those_set_twice():
    names = {a for a, _ in V.RIDGE} | {a for v in V.VARIANTS.values() for a, _ in v}
    before = {a: getattr(T, a) for a in names}
    # sets TOPIC_MODEL / TOPIC_C / TOPIC_CALIBRATION twice: RIDGE, then its own
    with V.variant_settings(T, "ridge+nb-word-nba0.1"):
        assert (T.TOPIC_MODEL, T.TOPIC_C, T.TOPIC_CALIBRATION) == ("ridge+nb-word", 0.1, True)
    assert {a: getattr(T, a) for a in names} == before
    with V.variant_settings(T, "base-no-sublinear"):  # the shipped setting with one change
        assert T.TOPIC_MODEL == before["TOPIC_MODEL"] and T.TOPIC_FEATURE_PARAMS != before["TOPIC_FEATURE_PARAMS"]
    assert {a: getattr(T, a) for a in names} == before


def test_round20_variants_change_only_the_weak_codes_of_the_shipped_code_weights():
    """Round 20's rows are read as "round 20's shipped setting + the weak codes' V positives up": each keeps every
    code weight that setting had (economy ×3, `ECON3`; ×4 since round 21) and adds factors for the named weak codes
    only."""
    shipped = V.ECON3
    for name in ("base-v-weak-pos2", "base-v-weak-pos3", "base-v-weak-pos5", "base-v-traffic-pos3", "base-v-gov-pos3",
                 "base-v-env-pos3"):
        (attr, weights), = V.VARIANTS[name]
        assert attr == "VNTC_TOPIC_CODE_WEIGHT"
        assert {c: w for c, w in weights.items() if c in shipped} == shipped
        assert set(weights) - set(shipped) <= set(V.WEAK) and set(weights) - set(shipped)
        assert all(neg == 1.0 and pos > 1.0 for c, (pos, neg) in weights.items() if c in V.WEAK)


def test_section_ranks_split_hits_and_misses_by_the_rank_of_the_section_topic():
    """Round 22: why a code sits near the issue's bar, from aggregates only — a hit as a second chip, a miss whose
    best guess was right (the rule's), a miss lower down (the words'), and what was given instead."""
    import numpy as np

    codes = ["economy", "traffic", "health"]
    gold = [["economy"], ["economy"], ["economy"], ["economy"], ["health"]]
    pred = [["economy"], ["traffic", "economy"], [], ["traffic"], ["health"]]
    order = np.array([[0, 1, 2], [1, 0, 2], [0, 1, 2], [1, 2, 0], [2, 0, 1]])
    out = V.section_ranks(gold, pred, order, codes)
    assert out["economy"] == {"n": 4, "hit1": 1, "hit2": 1, "hit3+": 0, "miss1": 1, "miss2": 0, "miss3+": 1,
                              "instead": {"(none)": 1, "traffic": 1}}
    assert out["health"]["hit1"] == 1 and out["health"]["n"] == 1


def _sklearn_macro(Y, P, columns) -> float:
    """The per-topic f1_score loop topic_variants ran before round 25."""
    import numpy as np
    from sklearn.metrics import f1_score

    return float(np.mean([f1_score(Y[:, j], P[:, j], zero_division=0) for j in columns]))


def test_the_held_out_macro_is_the_per_topic_f1_mean_it_was_to_the_last_bit():
    """Round 25: scored by nlp.train.macro_f1 instead of its own f1_score loop; the same float."""
    import numpy as np

    gold = [["economy"], ["traffic", "economy"], ["environment"], ["traffic"], ["health"], ["economy"], []]
    pred = [["economy"], ["traffic"], ["economy"], [], ["health", "traffic"], ["environment"], ["traffic"]]
    codes = sorted({c for g in gold for c in g})
    Y = np.array([[c in g for c in codes] for g in gold])
    P = np.array([[c in p for c in codes] for p in pred])
    assert V.macro(gold, pred) == _sklearn_macro(Y, P, range(len(codes)))
    assert round(V.macro(gold, pred), 4) == 0.45  # economy 2/5, traffic 2/5, environment 0, health 1


def test_the_cv_without_v_rows_is_the_per_topic_f1_mean_it_was():
    import numpy as np

    from nlp.classify import decide_topics

    rng = np.random.default_rng(25)
    n, k = 60, len(T.TOPICS)
    sup = [{"_file": "labelled_V1.jsonl" if i % 4 == 0 else "labelled_S1.jsonl"} for i in range(n)]
    Y = (rng.random((n, k)) < 0.15).astype(np.int8)
    Y[:, 3] = 0  # a topic absent from the rows: not scored
    oof = {"rows": np.arange(n), "Y": Y, "scores": [rng.normal(size=(n, k)) for _ in range(3)]}
    rule = {"threshold": 0.8, "fallback": 1.5, "margin": 9.0, "top_k": 2, "thresholds": [0.5 + 0.05 * j for j in range(k)]}
    got = V.cv_without_v(rule, oof, sup)
    own = np.array([i % 4 != 0 for i in range(n)])
    present = [j for j in range(k) if Y[own][:, j].any()]
    kw = {"fallback": 1.5, "margin": 9.0, "top_k": 2}
    want = [_sklearn_macro(Y[own], decide_topics(S[own], 0.8, **kw), present) for S in oof["scores"]]
    assert got["per_repeat"] == [round(m, 4) for m in want] and got["v_rows_scored"] == n // 4
    th = np.array(rule["thresholds"], dtype=np.float32)
    assert got["per_topic"] == round(float(np.mean([_sklearn_macro(Y[own], decide_topics(S[own], th, **kw), present)
                                                      for S in oof["scores"]])), 4)
