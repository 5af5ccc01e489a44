"""Topic decision-rule variants on one fit (round 10; run by hand, reads the eval-only sets for figures only).

    PYTHONPATH=. .venv/bin/python -m nlp.eval.topic_rules [--cache /tmp/topics-lab] [--labelled DIR] [--out F.json]

Fits the topic side of `langnghe train` once (as nlp/eval/topic_variants.py "base": `nlp.train.fit_topics` with the
shipped settings), keeps the out-of-fold scores the shipped rule search reads (3 repeats of 4-fold CV over the
labelled training rows, after the NB shares and the Platt scale: log-odds), and measures decision-rule variants on
them — the figures that choose:
- cv: topic macro-F1 over the out-of-fold rows (local labelled set + news slices), mean over the repeats, with each
  variant's parameters chosen on that same figure (as the shipped search); per repeat too;
- nested: the same rule family chosen on one random half of the rows and scored on the other (both ways, 5
  halvings): what a family with more parameters gains without its own optimism;
- news_hit: share of the news-slice rows (labelled_N*) given a right topic; local_macro: macro-F1 on the local rows;
- chips on comments: on the local rows without a title, topics per item and the share of rows without a gold topic
  that get one (a wrong "chủ đề" chip on a comment is worse than none).
Then, for the final models (trained on the whole training split), only reporting: own held-out (all / no
diacritics), news held-out, topics per item on the own social held-out rows (labelled_S*, no topic labels), and the
real-news proxy of nlp/eval/topics_real.py (hit rate per set and topic). Families (VARIANT_GRIDS):
- base: threshold × fallback, the first best of this grid (the shipped search before round 28, which since then
  keeps model 1.0's p > 0.45 unless beaten by more than 0.001: nlp.train.anchor_rule; p > 0.40, fallback p > 0.12,
  top 2 when written);
- fallback-wide: the fallback grid up to p 0.30 and "always the best topic";
- fallback-titled: items with a title (news-like: press, title + lead) get their own fallback;
- second: the runner-up is given when the best passes the threshold, its p ≥ y and p ≥ r × the best's;
- second-titled: items with a title take a rule of the base or the second-topic grid, the others a base rule;
- per-topic: one threshold per topic (nlp.train._per_topic_thresholds' coordinate ascent).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from nlp.eval.sentiment_variants import NormCache
from nlp.train import macro_f1 as columns_macro_f1, rule_logit

ALWAYS = -99.0  # a fallback every best topic passes
NONE = 9.0  # no fallback (decide_topics' convention)


# log-odds rounded as nlp.train's rule grid (so that "base" chooses what it chooses)
logit = rule_logit


def decide(S: np.ndarray, rule: dict, titled: np.ndarray | None = None) -> np.ndarray:
    """Topic decisions of one rule on log-odds scores S (items × topics), top 2 as shipped.

    rule: threshold (scalar or one per topic), fallback; optional fallback_titled (for rows where `titled`),
    second / second_ratio (runner-up given when the best passes the threshold, the runner-up's score passes
    `second` and its probability is ≥ second_ratio × the best's), titled_rule (a whole rule for the rows where
    `titled`; the rest for the others)."""
    S = np.asarray(S, dtype=np.float32)
    if "titled_rule" in rule:  # titled rows decided by a rule of their own
        P = decide(S, {k: v for k, v in rule.items() if k != "titled_rule"})
        if titled is not None and titled.any():
            P[titled] = decide(S[titled], rule["titled_rule"])
        return P
    th = np.asarray(rule["threshold"], dtype=np.float32)
    order = np.argsort(-S, axis=1)
    rows = np.arange(S.shape[0])
    b, r = order[:, 0], order[:, 1]
    if "second" in rule:
        P = np.zeros(S.shape, dtype=bool)
        first = S[rows, b] > (th[b] if th.ndim else th)
        p1, p2 = 1 / (1 + np.exp(-S[rows, b])), 1 / (1 + np.exp(-S[rows, r]))
        P[rows, b] = first
        P[rows, r] = first & (S[rows, r] > rule["second"]) & (p2 >= rule.get("second_ratio", 0.0) * p1)
    else:
        P = S > th
        kth = S[rows, r][:, None]
        P &= S >= kth
    fb = np.full(S.shape[0], rule["fallback"], dtype=np.float32)
    if titled is not None and "fallback_titled" in rule:
        fb[titled] = rule["fallback_titled"]
    none = ~P.any(axis=1) & (S[rows, b] > fb)
    P[rows[none], b[none]] = True
    return P


def macro_f1(Y: np.ndarray, P: np.ndarray) -> float:
    """Macro-F1 over the topics present in Y: nlp.train.macro_f1 on those columns, as nlp.train._tune_topic_rule's
    `macro` scores them (one formula for the shipped search and these variants; round 24)."""
    present = Y.sum(axis=0) > 0
    return columns_macro_f1(Y[:, present], P[:, present])


TH_P = (0.30, 0.35, 0.40, 0.45, 0.50, 0.55)
FB_P = (0.01, 0.02, 0.05, 0.08, 0.12)  # nlp.train.TOPIC_FALLBACK_P


def _th(p_list) -> list[float]:
    return [logit(p) for p in p_list]


def variant_grids() -> dict[str, list[dict]]:
    """family → every rule of its grid (thresholds in log-odds)."""
    ths, fbs = _th(TH_P), [NONE] + _th(FB_P)
    grids: dict[str, list[dict]] = {
        "base": [{"threshold": t, "fallback": f} for t, f in itertools.product(ths, fbs)],
        "fallback-wide": [{"threshold": t, "fallback": f} for t, f in itertools.product(
            ths, fbs + _th((0.15, 0.20, 0.25, 0.30)) + [ALWAYS])],
        "fallback-titled": [{"threshold": t, "fallback": f, "fallback_titled": ft} for t, f, ft in itertools.product(
            ths, fbs + _th((0.15, 0.20, 0.25, 0.30)), [ALWAYS] + _th((0.01, 0.02, 0.05, 0.08, 0.12, 0.20, 0.30)))],
        "second": [{"threshold": t, "fallback": f, "second": logit(y), "second_ratio": q}
                   for t, f, y, q in itertools.product(ths, fbs, (0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.50, 0.60),
                                                       (0.0, 0.5, 0.67, 0.8))],
    }
    return grids


def per_topic(S_list: list[np.ndarray], Y: np.ndarray, rule: dict) -> dict:
    """One threshold per topic around the rule's (coordinate ascent on the mean macro-F1 over the repeats, two
    passes; a change kept only when it gains ≥ 1e-4), as nlp.train._per_topic_thresholds."""
    th = np.full(Y.shape[1], rule["threshold"], dtype=np.float32)
    score = lambda t: np.mean([macro_f1(Y, decide(S, {**rule, "threshold": t})) for S in S_list])  # noqa: E731
    cur = score(th)
    for _ in range(2):
        for j in range(Y.shape[1]):
            for cand in _th(np.arange(0.15, 0.80, 0.05)):
                trial = th.copy()
                trial[j] = cand
                v = score(trial)
                if v > cur + 1e-4:
                    cur, th = v, trial
    return {**rule, "threshold": th}


def _counts(Y: np.ndarray, P: np.ndarray) -> np.ndarray:
    return np.stack([(P & (Y > 0)).sum(axis=0), P.sum(axis=0)])


def choose_split(S_list: list[np.ndarray], Y: np.ndarray, titled: np.ndarray) -> tuple[dict, float]:
    """"second-titled": rows without a title take a rule of the base grid, titled rows one of the base or the
    second-topic grid; the pair with the best mean macro-F1 (per-topic counts add up over the two row groups, so
    every pair is scored without deciding it again)."""
    grids = variant_grids()
    U, T = grids["base"], grids["base"] + grids["second"]
    g = (Y > 0).sum(axis=0)
    present = g > 0
    total = np.zeros((len(U), len(T)))
    for S in S_list:
        cu = np.array([_counts(Y[~titled], decide(S[~titled], r)) for r in U], dtype=float)  # (U, 2, k)
        ct = np.array([_counts(Y[titled], decide(S[titled], r)) for r in T], dtype=float)
        tp = cu[:, None, 0, :] + ct[None, :, 0, :]
        pp = cu[:, None, 1, :] + ct[None, :, 1, :]
        f1 = np.where(pp + g > 0, 2 * tp / np.maximum(pp + g, 1), 0.0)
        total += f1[..., present].mean(axis=-1)
    total /= len(S_list)
    u, t = np.unravel_index(int(np.argmax(total)), total.shape)  # first best in grid order, like choose
    return {**U[u], "titled_rule": T[t]}, float(total[u, t])


def choose(family: str, S_list: list[np.ndarray], Y: np.ndarray, titled: np.ndarray) -> tuple[dict, float]:
    """The family's rule with the best mean macro-F1 over the repeats (ties: the first of the grid)."""
    if family == "second-titled":
        return choose_split(S_list, Y, titled)
    if family == "per-topic":
        base, _ = choose("base", S_list, Y, titled)
        rule = per_topic(S_list, Y, base)
        return rule, float(np.mean([macro_f1(Y, decide(S, rule, titled)) for S in S_list]))
    best: tuple[float, dict] | None = None
    for rule in variant_grids()[family]:
        v = float(np.mean([macro_f1(Y, decide(S, rule, titled)) for S in S_list]))
        if best is None or v > best[0] + 1e-9:
            best = (v, rule)
    assert best is not None
    return best[1], best[0]


def nested(family: str, S_list: list[np.ndarray], Y: np.ndarray, titled: np.ndarray, halvings: int = 5) -> float:
    """Macro-F1 of the family's rule chosen on one half of the rows, scored on the other (both ways, `halvings`
    random halvings, mean): the family's figure without the optimism of choosing on what it is scored on."""
    rng = np.random.default_rng(0)
    out = []
    for _ in range(halvings):
        half = rng.random(Y.shape[0]) < 0.5
        for a in (half, ~half):
            rule, _ = choose(family, [S[a] for S in S_list], Y[a], titled[a])
            out += [macro_f1(Y[~a], decide(S[~a], rule, titled[~a])) for S in S_list]
    return float(np.mean(out))


def describe(rule: dict) -> dict:
    """The rule in probabilities, for reading."""
    p = lambda v: round(float(1 / (1 + np.exp(-v))), 3)  # noqa: E731
    out: dict = {}
    for k, v in rule.items():
        if k == "titled_rule":
            out[k] = describe(v)
        elif k == "second_ratio":
            out[k] = v
        elif k == "threshold" and np.ndim(v):
            out[k] = [p(x) for x in v]
        else:
            out[k] = "none" if v == NONE else "always" if v == ALWAYS else p(v)
    return out


def oof_figures(rule: dict, S_list: list[np.ndarray], Y: np.ndarray, titled: np.ndarray, news: np.ndarray) -> dict:
    """The own out-of-fold figures of one rule (mean over the repeats, and macro-F1 per repeat)."""
    per, news_hit, local, chips, false_chip = [], [], [], [], []
    local_untitled = ~news & ~titled
    empty = local_untitled & (Y.sum(axis=1) == 0)
    for S in S_list:
        P = decide(S, rule, titled)
        per.append(macro_f1(Y, P))
        news_hit.append(float((P[news] & (Y[news] > 0)).any(axis=1).mean()))
        local.append(macro_f1(Y[~news], P[~news]))
        chips.append(float(P[local_untitled].sum(axis=1).mean()))
        false_chip.append(float(P[empty].any(axis=1).mean()))
    return {"cv": round(float(np.mean(per)), 4), "cv_per_repeat": [round(v, 4) for v in per],
            "local_macro": round(float(np.mean(local)), 4), "news_hit": round(float(np.mean(news_hit)), 4),
            "comment_topics_per_item": round(float(np.mean(chips)), 3),
            "comment_no_topic_given_one": round(float(np.mean(false_chip)), 3),
            "rows": int(Y.shape[0]), "news_rows": int(news.sum()), "comment_rows": int(local_untitled.sum()),
            "comment_rows_no_topic": int(empty.sum())}


def curves(S_list: list[np.ndarray], Y: np.ndarray, titled: np.ndarray, news: np.ndarray, sets: dict,
           codes: list[str]) -> list[dict]:
    """One parameter at a time around the shipped rule (p > 0.40, fallback p > 0.12): own out-of-fold figures and
    topics per item on the own social held-out rows, so that a reader sees how flat each choice is."""
    base = {"threshold": logit(0.40), "fallback": logit(0.12)}
    rules = [("fallback", {**base, "fallback": f}) for f in [NONE] + _th(FB_P + (0.15, 0.20, 0.25, 0.30)) + [ALWAYS]]
    rules += [("fallback_titled", {**base, "fallback_titled": f})
              for f in [ALWAYS] + _th((0.01, 0.02, 0.05, 0.08, 0.20, 0.30))]
    rules += [("second", {**base, "second": logit(y), "second_ratio": q})
              for y, q in itertools.product((0.20, 0.25, 0.30, 0.35, 0.40, 0.50, 0.60), (0.0, 0.5, 0.8))]
    out = []
    for name, rule in rules:
        fig = oof_figures(rule, S_list, Y, titled, news)
        S, tl, _, vi = sets["social"]
        social = float((decide(S, rule, tl) & vi[:, None]).sum(axis=1).mean())
        out.append({"vary": name, "rule": describe(rule), **{k: fig[k] for k in (
            "cv", "local_macro", "news_hit", "comment_topics_per_item", "comment_no_topic_given_one")},
            "social_topics_per_item": round(social, 3)})
    return out


def fit(cache: NormCache, labelled: str):
    """The shipped topic fit on the training split; returns (classifier, rows, out-of-fold dict, sup)."""
    import nlp.train as T
    from nlp.classify import Classifier

    rows = T.load_labelled(Path(labelled)) if labelled else T.load_labelled()
    sup = T.split(rows)[0]
    aug, vntc, docs, w = T.training_docs(sup)
    X_text = [c for c, _ in cache.get([(d.get("title") or "", d.get("text") or "") for d in docs])]
    oof: dict = {}
    feats, _, models, rule = T.fit_topics(None, X_text, docs, w, sup, aug, vntc, T.TOPIC_ALPHA, oof=oof)
    th = {c: rule["threshold"] for c in T.TOPICS}
    info = {"topic_rule": {k: rule[k] for k in ("fallback", "margin", "top_k")}}
    clf = Classifier(feats, models, th, None, "lab", info)  # type: ignore[arg-type]
    print(f"shipped search: {describe({k: rule[k] for k in ('threshold', 'fallback')})}, cv {rule['cv_macro_f1']}",
          file=sys.stderr)
    return clf, rows, oof, sup


def final_scores(clf, cache: NormCache, data: Path, rows: list[dict]) -> dict:
    """name → (scores, titled, gold, is Vietnamese) of the final models on the reporting sets."""
    import nlp.train as T
    from nlp.eval.topic_variants import eval_sets

    sets = eval_sets(data, rows)
    _, held = T.split(rows)
    sets["social"] = [((r.get("title") or "", r.get("text") or ""), []) for r in held if T.is_social_set(r)]
    out = {}
    for name, items in sets.items():
        norm = cache.get([p for p, _ in items])
        S = clf.topic_scores(clf.transform([c for c, _ in norm]))
        titled = np.array([bool(t) for (t, _), _ in items])
        out[name] = (S, titled, [g for _, g in items], np.array([lang == "vi" for _, lang in norm]))
    cache.save()
    return out


def report(rule: dict, codes: list[str], sets: dict, news_form: bool = False) -> dict:
    """Final-model figures of one rule; `news_form`: the real-news items counted as titled (the product receives
    an RSS item as title + description; the proxy files give one text)."""
    from nlp.eval.topic_variants import hit_counts, macro

    res: dict = {}
    hit_all, n_all = Counter(), Counter()
    for name, (S, titled, gold, vi) in sets.items():
        if name.startswith("real_") and news_form:
            titled = np.ones_like(titled)
        P = decide(S, rule, titled) & vi[:, None]
        pred = [[codes[j] for j in np.flatnonzero(row)] for row in P]
        if name == "social":
            c = Counter(len(p) for p in pred)
            res["social_topics_per_item"] = round(sum(len(p) for p in pred) / len(pred), 3)
            res["social_counts"] = {k: c[k] for k in sorted(c)}
            continue
        if not name.startswith("real_"):
            res[name] = round(macro(gold, pred)[0], 4)
            continue
        hit, n = hit_counts(gold, pred)
        if name != "real_vnexpress_rss":
            hit_all.update(hit)
            n_all.update(n)
        res[name] = {"hit": round(sum(hit.values()) / len(gold), 4),
                     "none": round(sum(not p for p in pred) / len(pred), 3),
                     "per_item": round(sum(len(p) for p in pred) / len(pred), 2),
                     "topics": {c: round(hit[c] / n[c], 3) for c in sorted(n)}}
        if name == "real_victsd":
            res["victsd_f1"] = round(macro(gold, pred)[0], 4)
    res["real"] = round(sum(hit_all.values()) / sum(n_all.values()), 4)
    res["real_topics"] = {c: round(hit_all[c] / n_all[c], 3) for c in sorted(n_all)}
    kept = [c for c in n_all if c not in ("environment", "land")]
    res["real_but_shelves"] = round(sum(hit_all[c] for c in kept) / sum(n_all[c] for c in kept), 4)
    return res


def main(argv: list[str] | None = None) -> int:
    import nlp.train as T
    from nlp.eval.eval_only import DEFAULT

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(Path(DEFAULT).parent))
    ap.add_argument("--cache", default="/tmp/topics-lab")
    ap.add_argument("--labelled", default="", help="another data/training directory")
    ap.add_argument("--families", nargs="*", default=["base", "fallback-wide", "fallback-titled", "second",
                                                      "second-titled", "per-topic"])
    ap.add_argument("--no-curves", action="store_true")
    ap.add_argument("--no-nested", action="store_true")
    ap.add_argument("--seeds", nargs="*", type=int, default=[], help="CV split seeds (default TOPIC_RULE_CV_SEEDS)")
    ap.add_argument("--out", default="", help="also write the figures here (JSON)")
    args = ap.parse_args(argv)
    cache = NormCache(Path(args.cache) / "norm.pkl")
    if args.seeds:
        T.TOPIC_RULE_CV_SEEDS = tuple(args.seeds)
    clf, rows, oof, sup = fit(cache, args.labelled)
    S_list, Y = oof["scores"], oof["Y"]
    oof_rows = [sup[i] for i in oof["rows"]]
    titled = np.array([bool(r.get("title")) for r in oof_rows])
    news = np.array([T.is_news_set(r) for r in oof_rows])
    sets = final_scores(clf, cache, Path(args.data), rows)
    results: list[dict] = []
    for c in [] if args.no_curves else curves(S_list, Y, titled, news, sets, clf.codes):
        print(json.dumps(c, ensure_ascii=False), flush=True)
        results.append(c)
    for fam in args.families:
        rule, _ = choose(fam, S_list, Y, titled)
        res = {"family": fam, "rule": describe(rule), **oof_figures(rule, S_list, Y, titled, news)}
        if not args.no_nested:
            res["nested"] = round(nested(fam, S_list, Y, titled), 4)
        res["final"] = report(rule, clf.codes, sets)
        if fam in ("fallback-titled", "second-titled"):
            res["final_news_form"] = report(rule, clf.codes, sets, news_form=True)
        results.append(res)
        print(json.dumps(res, ensure_ascii=False), flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
