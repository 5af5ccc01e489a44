"""Topic-model variants measured in one process (run by hand; reads the eval-only sets for figures only).

    PYTHONPATH=. .venv/bin/python -m nlp.eval.topic_variants [--variant NAME ...] [--cache /tmp/topics-lab]

Trains only the topic side of `langnghe train` (`nlp.train.fit_topics`: the topic models' vocabulary, the 13
topic models and the decision rule cross-validated over TOPIC_RULE_CV_SEEDS) on the training split, with the
shipped restorer, then prints: the rule and its cross-validated macro-F1 (the figure that chooses), the own
held-out topic macro-F1 (all / no diacritics), the news held-out (labelled_N*), the held-out V rows labelled for
topics ("vntc": `nlp.train.vntc_topic_scores`, round 16), the real-news hit rate of
nlp/eval/topics_real.py per set and topic, and ViCTSD titles topic macro-F1 (as nlp/eval/eval_only.py); per
real-news set and section topic, where that topic ranked on its hits and misses and what was given instead
("real_<set>_ranks", round 22: counts only).
Normalised texts are cached in --cache (keyed by title and text; the cache of nlp/eval/sentiment_variants.py),
so a variant costs the vocabulary and the model fits only. Variants set module attributes of nlp.train
(VARIANTS below); "base" is the shipped setting and reproduces the topic figures of `langnghe train`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from nlp.eval.sentiment_variants import NormCache

# The topic setting before round 5 (one ridge per topic, rule on its raw scores, no round-6 setting); every variant but "base" (the
# shipped setting) and those named "base-…" (a change to the shipped setting) starts from it.
RIDGE: list[tuple[str, object]] = [("TOPIC_MODEL", "ridge"), ("TOPIC_ALPHA", 1.0), ("TOPIC_C", 1.0),
                                   ("TOPIC_CALIBRATION", False), ("TOPIC_NB_WEIGHT", 0.5), ("TOPIC_NB_SHARES", ()),
                                   ("VNTC_SECTION_WEIGHT", {})]
# The shipped setting of round 5 (main 0e2731c); the round-6 rows "base-…" were measured as changes to it, so they
# name both round-6 settings they run with (the shipped "base" is now "base-nb-shares-vntc-econ2").
ROUND5: list[tuple[str, object]] = [("TOPIC_NB_SHARES", ()), ("VNTC_SECTION_WEIGHT", {})]
# Round 19's starting point: round 16's "V 0.3 + vocabulary" (the V rows train the topics, their training copies out)
V03: list[tuple[str, object]] = [("VNTC_TOPIC_WEIGHT", 0.3), ("VNTC_TOPIC_VOCABULARY", True),
                                 ("VNTC_CORPUS_TRAINING_COPIES", False), ("VNTC_TOPIC_CODE_WEIGHT", {})]
# Round 16's rows ran before VNTC_TOPIC_CODE_WEIGHT existed: they name it empty (round 19 ships economy ×3)
R16: list[tuple[str, object]] = [("VNTC_TOPIC_CODE_WEIGHT", {})]
# Round 20: the per-code weight shipped then (economy's V positives ×3; ×4 since round 21, "base") and the codes
# weakest on the V held-out in round 19
ECON3: dict[str, tuple[float, float]] = {"economy": (3.0, 1.0)}
WEAK = ("traffic", "governance", "environment")
# name → settings of nlp.train applied before the run (attribute, value), after RIDGE
VARIANTS: dict[str, list[tuple[str, object]]] = {
    "base": [],
    "ridge": [],
    "ridge-a0.5": [("TOPIC_ALPHA", 0.5)],
    "ridge-a2": [("TOPIC_ALPHA", 2.0)],
    "svm-C0.1": [("TOPIC_MODEL", "svm"), ("TOPIC_C", 0.1)],
    "svm-C0.3": [("TOPIC_MODEL", "svm"), ("TOPIC_C", 0.3)],
    "svm-C1": [("TOPIC_MODEL", "svm"), ("TOPIC_C", 1.0)],
    "nb": [("TOPIC_MODEL", "nb"), ("TOPIC_C", 0.1)],  # rule grid of ridge scores (not calibrated)
    "nb-word": [("TOPIC_MODEL", "nb-word"), ("TOPIC_C", 0.1)],
    "platt": [("TOPIC_CALIBRATION", True)],
    "ridge+nb": [("TOPIC_MODEL", "ridge+nb"), ("TOPIC_CALIBRATION", True)],
    "ridge+nb-word": [("TOPIC_MODEL", "ridge+nb-word"), ("TOPIC_CALIBRATION", True)],
    "no-sublinear": [("TOPIC_FEATURE_PARAMS", {"word__sublinear_tf": False, "char__sublinear_tf": False})],
    "word-no-sublinear": [("TOPIC_FEATURE_PARAMS", {"word__sublinear_tf": False})],
    "char-max-df0.5": [("TOPIC_FEATURE_PARAMS", {"char__max_df": 0.5})],
    "ridge+nb-word-w0.33": [("TOPIC_MODEL", "ridge+nb-word"), ("TOPIC_CALIBRATION", True), ("TOPIC_NB_WEIGHT", 0.33)],
    "ridge+nb-word-w0.67": [("TOPIC_MODEL", "ridge+nb-word"), ("TOPIC_CALIBRATION", True), ("TOPIC_NB_WEIGHT", 0.67)],
    "ridge+nb-word-nba0.1": [("TOPIC_MODEL", "ridge+nb-word"), ("TOPIC_CALIBRATION", True), ("TOPIC_C", 0.1)],
    "ridge+nb-word-nba0.3": [("TOPIC_MODEL", "ridge+nb-word"), ("TOPIC_CALIBRATION", True), ("TOPIC_C", 0.3)],
    "nb-word-platt": [("TOPIC_MODEL", "nb-word"), ("TOPIC_CALIBRATION", True)],
    "ridge+nb-word-nba0.1-nocal": [("TOPIC_MODEL", "ridge+nb-word"), ("TOPIC_C", 0.1)],
    "ridge+nb-word-nba0.03": [("TOPIC_MODEL", "ridge+nb-word"), ("TOPIC_CALIBRATION", True), ("TOPIC_C", 0.03)],
    "base-no-sublinear": [("TOPIC_FEATURE_PARAMS", {"word__sublinear_tf": False, "char__sublinear_tf": False})],
    "base-char-max-df0.5": [("TOPIC_FEATURE_PARAMS", {"char__max_df": 0.5})],
    "base-fallback-0.3": [("TOPIC_FALLBACK_P", (0.01, 0.02, 0.05, 0.08, 0.12, 0.15, 0.2, 0.25, 0.3))],
    # round 6 (changes to the shipped setting)
    "base-round5": ROUND5,
    "base-nb-shares": ROUND5 + [("TOPIC_NB_SHARES", (0.25, 0.33, 0.5, 0.67, 0.75))],
    "base-vntc-econ2": ROUND5 + [("VNTC_SECTION_WEIGHT", {"Kinh doanh": 2.0})],
    "base-vntc-econ0.5": ROUND5 + [("VNTC_SECTION_WEIGHT", {"Kinh doanh": 0.5})],
    "base-vntc-econ1.5": ROUND5 + [("VNTC_SECTION_WEIGHT", {"Kinh doanh": 1.5})],
    "base-vntc-econ3": ROUND5 + [("VNTC_SECTION_WEIGHT", {"Kinh doanh": 3.0})],
    "base-nb-shares-vntc-econ2": ROUND5 + [("TOPIC_NB_SHARES", (0.25, 0.33, 0.5, 0.67, 0.75)),
                                  ("VNTC_SECTION_WEIGHT", {"Kinh doanh": 2.0})],
    "base-nb-shares-wide": ROUND5 + [("TOPIC_NB_SHARES", (0.0, 0.25, 0.5, 0.75, 1.0))],
    "base-nb-shares-vntc-econ3": ROUND5 + [("TOPIC_NB_SHARES", (0.25, 0.33, 0.5, 0.67, 0.75)),
                                  ("VNTC_SECTION_WEIGHT", {"Kinh doanh": 3.0})],
    "base-seeds2": ROUND5 + [("TOPIC_RULE_CV_SEEDS", (1, 2, 3))],
    "base-nb-shares-vntc-econ2-seeds2": ROUND5 + [("TOPIC_NB_SHARES", (0.25, 0.33, 0.5, 0.67, 0.75)),
                                         ("VNTC_SECTION_WEIGHT", {"Kinh doanh": 2.0}), ("TOPIC_RULE_CV_SEEDS", (1, 2, 3))],
    # round 7: the rule flips between p > 0.40 / 0.45 / 0.50 from one data set to the next; six splits instead of three
    "base-seeds6": [("TOPIC_RULE_CV_SEEDS", (13, 7, 29, 1, 2, 3))],
    "base-vntc-culture1.5": [("VNTC_SECTION_WEIGHT", {"Kinh doanh": 2.0, "Van hoa": 1.5})],
    # round 16: the V rows labelled for topics (labelled_V*.jsonl) in the topic models, at a weight, with or without
    # the topic vocabulary ("base" now leaves every V article out of the corpus rows whatever the weight)
    "base-vtopic0": R16 + [("VNTC_TOPIC_WEIGHT", 0.0)],
    "base-vtopic0.3": R16 + [("VNTC_TOPIC_WEIGHT", 0.3)],
    "base-vtopic0.6": R16 + [("VNTC_TOPIC_WEIGHT", 0.6)],
    "base-vtopic1": R16 + [("VNTC_TOPIC_WEIGHT", 1.0)],
    "base-vtopic0.3-vocab": R16 + [("VNTC_TOPIC_WEIGHT", 0.3), ("VNTC_TOPIC_VOCABULARY", True)],
    "base-vtopic0.6-vocab": R16 + [("VNTC_TOPIC_WEIGHT", 0.6), ("VNTC_TOPIC_VOCABULARY", True)],
    "base-vtopic1-vocab": R16 + [("VNTC_TOPIC_WEIGHT", 1.0), ("VNTC_TOPIC_VOCABULARY", True)],
    # … and the V training articles' corpus copies kept with their section's topic (only the held-out ones out)
    "base-vtopic0.3-vocab-copies": R16 + [("VNTC_TOPIC_WEIGHT", 0.3), ("VNTC_TOPIC_VOCABULARY", True),
                                          ("VNTC_CORPUS_TRAINING_COPIES", True)],
    "base-vtopic0-copies": R16 + [("VNTC_TOPIC_WEIGHT", 0.0), ("VNTC_CORPUS_TRAINING_COPIES", True)],
    # round 19: keep economy's recall with the V rows — a weight per code (economy's V positives / negatives), the V
    # rows scored in the rule search, a threshold of economy's own (every row below is V 0.3 + vocabulary, the training
    # copies out unless "-copies"; "base" is the shipped "base-v-econ-pos4" since round 21 (round 19–20:
    # "base-v-econ-pos3"), "base-vtopic0-copies" round 16's)
    "base-v-plain": V03,
    "base-v-econ-off": V03 + [("VNTC_TOPIC_CODE_WEIGHT", {"economy": (0.0, 0.0)})],
    "base-v-econ-off-copies": V03 + [("VNTC_TOPIC_CODE_WEIGHT", {"economy": (0.0, 0.0)}),
                                     ("VNTC_CORPUS_TRAINING_COPIES", True)],
    "base-v-econ-neg0": V03 + [("VNTC_TOPIC_CODE_WEIGHT", {"economy": (1.0, 0.0)})],
    "base-v-econ-neg0.5": V03 + [("VNTC_TOPIC_CODE_WEIGHT", {"economy": (1.0, 0.5)})],
    "base-v-econ-pos2": V03 + [("VNTC_TOPIC_CODE_WEIGHT", {"economy": (2.0, 1.0)})],
    "base-v-econ-pos3": V03 + [("VNTC_TOPIC_CODE_WEIGHT", {"economy": (3.0, 1.0)})],
    "base-v-econ-pos4": V03 + [("VNTC_TOPIC_CODE_WEIGHT", {"economy": (4.0, 1.0)})],
    "base-v-econ-pos3-neg0.5": V03 + [("VNTC_TOPIC_CODE_WEIGHT", {"economy": (3.0, 0.5)})],
    "base-v-rule": V03 + [("VNTC_TOPIC_RULE", True)],
    "base-v-rule-econ-th": V03 + [("VNTC_TOPIC_RULE", True), ("TOPIC_THRESHOLD_PER_TOPIC", True),
                                  ("TOPIC_THRESHOLD_CODES", ("economy",))],
    "base-v-econ-th": V03 + [("TOPIC_THRESHOLD_PER_TOPIC", True), ("TOPIC_THRESHOLD_CODES", ("economy",))],
    "base-v-rule-econ-neg0": V03 + [("VNTC_TOPIC_RULE", True), ("VNTC_TOPIC_CODE_WEIGHT", {"economy": (1.0, 0.0)})],
    "base-v-rule-econ-pos3": V03 + [("VNTC_TOPIC_RULE", True), ("VNTC_TOPIC_CODE_WEIGHT", {"economy": (3.0, 1.0)})],
    "base-v-rule-econ-off": V03 + [("VNTC_TOPIC_RULE", True), ("VNTC_TOPIC_CODE_WEIGHT", {"economy": (0.0, 0.0)})],
    # round 20: the weakest V codes (traffic, governance, environment) weighted up as economy was, alone and together
    "base-v-weak-pos2": [("VNTC_TOPIC_CODE_WEIGHT", {**ECON3, **{c: (2.0, 1.0) for c in WEAK}})],
    "base-v-weak-pos3": [("VNTC_TOPIC_CODE_WEIGHT", {**ECON3, **{c: (3.0, 1.0) for c in WEAK}})],
    "base-v-weak-pos5": [("VNTC_TOPIC_CODE_WEIGHT", {**ECON3, **{c: (5.0, 1.0) for c in WEAK}})],
    "base-v-traffic-pos3": [("VNTC_TOPIC_CODE_WEIGHT", {**ECON3, "traffic": (3.0, 1.0)})],
    "base-v-gov-pos3": [("VNTC_TOPIC_CODE_WEIGHT", {**ECON3, "governance": (3.0, 1.0)})],
    "base-v-env-pos3": [("VNTC_TOPIC_CODE_WEIGHT", {**ECON3, "environment": (3.0, 1.0)})],
}


def eval_sets(data: Path, rows: list[dict]) -> dict[str, list[tuple[tuple[str, str], list[str]]]]:
    """name → [((title, text), gold topics)]: own held-out (all, no diacritics), news held-out, the three
    real-news sets of topics_real.py (one gold topic each, text without a title) and ViCTSD titles."""
    import nlp.train as T
    from nlp.eval.topics_real import load_sets

    _, held = T.split(rows)
    own = [r for r in held if T.is_own_set(r)]
    pair = lambda r: ((r.get("title") or "", r.get("text") or ""), list(r["topics"]))  # noqa: E731
    out = {"own": [pair(r) for r in own], "own_nd": [pair(r) for r in own if r.get("diacritics") is False],
           "news": [pair(r) for r in held if T.is_news_set(r)],
           "vntc": [pair(r) for r in held if T.is_vntc_topic_row(r)]}  # round 16: real articles, multi-label
    for name, items in load_sets(data).items():
        out["real_" + name] = [(("", t), [c]) for t, c in items]
    return out


def macro(gold: list[list[str]], pred: list[list[str]]) -> float:
    """Topic macro-F1 over the topics present in gold (as nlp.train._scores and eval_only.topic_sections): the
    rule search's nlp.train.macro_f1, sklearn's per-topic F1 mean to the last bit, over those topics' columns."""
    import nlp.train as T

    codes = sorted({c for g in gold for c in g})
    Y = np.array([[c in g for c in codes] for g in gold], dtype=bool).reshape(len(gold), len(codes))
    P = np.array([[c in p for c in codes] for p in pred], dtype=bool).reshape(len(pred), len(codes))
    return T.macro_f1(Y, P)


def run(variant: str, cache: NormCache, data: Path, labelled: str) -> dict:
    import nlp.train as T
    from nlp.classify import Classifier

    rows = T.load_labelled(Path(labelled)) if labelled else T.load_labelled()
    sup = T.split(rows)[0]
    aug, vntc, docs, w = T.training_docs(sup)
    X_text = [c for c, _ in cache.get([(d.get("title") or "", d.get("text") or "") for d in docs])]
    t0 = time.time()
    oof: dict = {}
    feats, _, models, rule = T.fit_topics(None, X_text, docs, w, sup, aug, vntc, T.TOPIC_ALPHA, oof=oof)
    th = {c: rule["thresholds"][j] if "thresholds" in rule else rule["threshold"] for j, c in enumerate(T.TOPICS)}
    info = {"topic_rule": {k: rule[k] for k in ("fallback", "margin", "top_k")}}
    if "untitled" in rule:  # items without a title decided by their own rule, as Classifier reads it
        info["topic_rule_untitled"] = rule["untitled"]
    clf = Classifier(feats, models, th, None, "lab", info)  # type: ignore[arg-type]
    res: dict = {"variant": variant, "fit_s": round(time.time() - t0),
                 "rule": {k: rule[k] for k in ("threshold", "fallback", "top_k")}, "cv": rule["cv_macro_f1"]}
    res["cv_own"] = cv_without_v(rule, oof, sup)
    if "thresholds" in rule:
        res["thresholds"] = dict(zip(T.TOPICS, rule["thresholds"]))
    if "untitled" in rule:
        res["rule_untitled"] = {k: rule["untitled"][k] for k in ("threshold", "fallback")}
    if "nb_shares" in rule:
        res["nb_shares"] = {c: v for c, v in zip(T.TOPICS, rule["nb_shares"]) if c in models}
    hit_all, n_all, rank_hit = Counter(), Counter(), Counter()
    for name, items in eval_sets(data, rows).items():
        norm = cache.get([p for p, _ in items])
        X = clf.transform([c for c, _ in norm])
        P = clf.predict_topics(X, untitled=[c.startswith("\n") for c, _ in norm], n_words=[len(c.split()) for c, _ in norm])
        pred = [p if lang == "vi" else [] for p, (_, lang) in zip(P, norm)]
        gold = [g for _, g in items]
        if name == "vntc":  # heldout_vntc_topics, as `langnghe train` reports it
            if items:
                res[name] = T.vntc_topic_scores(gold, pred)
            continue
        if not name.startswith("real_"):
            res[name] = round(macro(gold, pred), 4)
            continue
        hit, n = hit_counts(gold, pred)
        hit_all.update(hit)
        # ranking alone, whatever the rule: the section's topic among the best 1 / 2 scores
        order = np.argsort(-clf.topic_scores(X), axis=1)
        for k in (1, 2):
            top = [{clf.codes[j] for j in row[:k]} for row in order]
            rank_hit[k] += sum(g[0] in t for g, t in zip(gold, top))
        n_all.update(n)
        res[name + "_ranks"] = section_ranks(gold, pred, order, clf.codes)
        res[name] = round(sum(hit.values()) / len(gold), 4)
        res[name + "_none"] = round(sum(not p for p in pred) / len(pred), 3)
        res[name + "_per_item"] = round(sum(len(p) for p in pred) / len(pred), 2)
        if name == "real_victsd":
            res["victsd_f1"] = round(macro(gold, pred), 4)
    res["real"] = round(sum(hit_all.values()) / sum(n_all.values()), 4)
    res["real_top1"], res["real_top2"] = (round(rank_hit[k] / sum(n_all.values()), 4) for k in (1, 2))
    res["real_topics"] = {c: round(hit_all[c] / n_all[c], 3) for c in sorted(n_all)}
    cache.save()
    return res


def cv_without_v(rule: dict, oof: dict, sup: list[dict]) -> dict:
    """The rule's cross-validated macro-F1 on the out-of-fold rows that are not V rows (mean over the repeats), with
    its one threshold and, when it has them, its per-topic ones: with VNTC_TOPIC_RULE the search also scores the V
    rows, so its own figure is not comparable with the others' (round 19); without it this equals "cv"."""
    import nlp.train as T
    from nlp.classify import decide_topics

    own = np.array([not T.is_vntc_set(sup[i]) for i in oof["rows"]], dtype=bool)
    Y = oof["Y"][own]
    present = [j for j in range(Y.shape[1]) if Y[:, j].any()]
    kw = {k: rule[k] for k in ("fallback", "margin", "top_k")}

    def macro(S: np.ndarray, th) -> float:
        P = decide_topics(S[own], th, **kw)
        return T.macro_f1(Y[:, present], P[:, present])

    per = [macro(S, rule["threshold"]) for S in oof["scores"]]  # each repeat decided once, for both figures
    out = {"one_threshold": round(float(np.mean(per)), 4), "per_repeat": [round(m, 4) for m in per],
           "v_rows_scored": int((~own).sum())}
    if "thresholds" in rule:
        th = np.array(rule["thresholds"], dtype=np.float32)
        out["per_topic"] = round(float(np.mean([macro(S, th) for S in oof["scores"]])), 4)
    return out


def section_ranks(gold: list[list[str]], pred: list[list[str]], order: np.ndarray,
                  codes: list[str]) -> dict[str, dict[str, object]]:
    """Per section topic, where its score ranked among the topics' (aggregates only, round 22): hits and misses
    split by rank 1 / 2 / lower, and the topics given instead on its misses. A miss at rank 1 is the rule's (the
    best guess was right but under the threshold); a hit at rank 2 is a second chip, which a stricter rule or a
    rival code's gain takes away first; a miss lower down is the words'. Why a code sits near a bar, told
    without reading a text."""
    out: dict[str, dict[str, object]] = {}
    for g, p, row in zip(gold, pred, order):
        code = g[0]
        rank = next((k for k, j in enumerate(row) if codes[j] == code), len(codes)) + 1
        c = out.setdefault(code, {"n": 0, "hit1": 0, "hit2": 0, "hit3+": 0, "miss1": 0, "miss2": 0, "miss3+": 0,
                                  "instead": Counter()})
        c["n"] += 1  # type: ignore[operator]
        key = ("hit" if code in p else "miss") + (str(rank) if rank <= 2 else "3+")
        c[key] += 1  # type: ignore[operator]
        if code not in p:
            c["instead"].update(p or ["(none)"])  # type: ignore[union-attr]
    for c in out.values():
        c["instead"] = dict(c["instead"].most_common(4))  # type: ignore[union-attr]
    return out


def hit_counts(gold: list[list[str]], pred: list[list[str]]) -> tuple[Counter, Counter]:
    """(hits, items) per section topic: an item is a hit when its section's topic is among those predicted (the
    real-news check's "hit rate"; nlp/eval/topic_rules.py counts the same way)."""
    hit, n = Counter(), Counter()
    for g, p in zip(gold, pred):
        n[g[0]] += 1
        hit[g[0]] += g[0] in p
    return hit, n


def main(argv: list[str] | None = None) -> int:
    import nlp.train as T
    from nlp.eval.eval_only import DEFAULT

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(Path(DEFAULT).parent))
    ap.add_argument("--cache", default="/tmp/topics-lab")
    ap.add_argument("--variant", nargs="*", default=["base"], help=f"any of {', '.join(VARIANTS)}")
    ap.add_argument("--labelled", default="", help="another data/training directory (e.g. a copy with new slices)")
    args = ap.parse_args(argv)
    cache = NormCache(Path(args.cache) / "norm.pkl")
    for v in args.variant:
        with variant_settings(T, v):
            print(json.dumps(run(v, cache, Path(args.data), args.labelled), ensure_ascii=False), flush=True)
    return 0


@contextmanager
def variant_settings(module, variant: str) -> Iterator[None]:
    """The variant's settings on `module` (nlp.train) for the block, then every one back as it was. Restored in
    reverse: a variant sets some attributes twice (RIDGE, then its own), and restoring in order left the RIDGE
    value behind for the next variant (a "base…" one after it ran with ridge settings)."""
    saved = []
    try:
        for attr, val in ([] if variant.startswith("base") else RIDGE) + VARIANTS[variant]:
            saved.append((attr, getattr(module, attr)))
            setattr(module, attr, val)
        yield
    finally:
        for attr, val in reversed(saved):
            setattr(module, attr, val)


if __name__ == "__main__":
    sys.exit(main())
