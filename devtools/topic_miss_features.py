"""Why a topic is missed on real news, in aggregate: the n-grams that pull its missed items elsewhere.

    PYTHONPATH=. nice -n 5 .venv/bin/python -m devtools.topic_miss_features --topic education \
        [--set baomoi] [--model-dir /tmp/m] [--top 30] [--cache /tmp/topics-lab]

Why: the real-news proxies of nlp/eval/topics_real.py say *how often* a mapped topic is missed and which topics
were predicted instead; to write training data for the varieties we lack, the writer needs to know *what kind*
of news is missed without reading it (the sets are eval-only: their texts are never printed, read or copied).

What: the items of one mapped topic (title + lead, as topics_real.py tags them) are scored by the topic models;
for the missed ones (the topic not predicted) each topic model's score is split into per-feature contributions
(TF-IDF value × coefficient, on the topic models' own columns). Printed, summed over the missed items only, and
only when there are at least --min-items of them (n-grams and counts, never a text):
- per topic predicted instead: its n-grams with the largest summed positive contribution (what pulls there);
- for the true topic: the n-grams with the largest summed negative contribution (what pushes away), and its
  "missing cues": word n-grams found in many missed items (document frequency) and relatively more often than in
  the hit items, with the true topic's coefficient and the topic with the largest coefficient — frequent words of
  the misses that the true topic does not reward name the varieties of news that the training data lacks.
Word n-grams are shown as words; char n-grams (folded, 2–5 chars) are summed apart and only their share is shown.
Normalised texts are cached as in nlp/eval/topic_variants.py (--cache, same file format).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np


def load_model(model_dir: str):
    """The classifier of `model_dir` (or the configured one): the file the pipeline would load."""
    from nlp.classify import Classifier
    from nlp.pipeline import find_models, nlp_settings
    from nlp.pipeline import model_dir as resolve_dir
    from vocab.config import load

    settings = nlp_settings(load())
    if model_dir:
        settings = {**settings, "model_dir": model_dir}
    return Classifier.load(find_models(resolve_dir(settings), settings.get("version", ""))[0])


def topic_block(clf, X):
    """The columns the topic models read (their own vocabulary, last, or the shared ones) and their names."""
    feats = clf.topic_features if clf.topic_features is not None else clf.features
    names = np.asarray(feats.get_feature_names_out(), dtype=object)
    n = clf.W.shape[0]
    Xt = X[:, X.shape[1] - n:] if clf.topic_features is not None else X[:, :n]
    return Xt.tocsr(), names


def summed(Xt, w: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Per-feature contribution (value × coefficient) summed over `rows`."""
    if not len(rows):
        return np.zeros(Xt.shape[1])
    return np.asarray(Xt[rows].multiply(w[None, :]).sum(axis=0)).ravel()


def fmt(names: np.ndarray, vals: np.ndarray, k: int, sign: int = 1) -> list[str]:
    """The k n-grams with the largest `sign`·value, as "n-gram +v.vv". The names are the model's vocabulary
    (fitted on our training rows), so what is printed is never a stretch of an eval-only text."""
    order = np.argsort(-sign * vals)[:k]
    return [f"{names[j].split('__', 1)[-1]} {vals[j]:+.2f}" for j in order if sign * vals[j] > 0]


def report(clf, X, pred: list[list[str]], gold: str, top: int, min_items: int, out=sys.stdout) -> dict:
    """Print the aggregate contributions for the items of `gold` (all rows of X are items of `gold`)."""
    Xt, names = topic_block(clf, X)
    word = np.array([s.startswith("word__") for s in names])
    codes = clf.codes
    g = codes.index(gold)
    miss = np.array([gold not in p for p in pred])
    mrows, hrows = np.flatnonzero(miss), np.flatnonzero(~miss)
    instead = Counter(c for p, m in zip(pred, miss) if m for c in p)
    none = int(sum(1 for p, m in zip(pred, miss) if m and not p))
    print(f"{gold}: {len(pred)} items, {len(mrows)} missed ({none} with no topic); "
          f"predicted instead {instead.most_common(6)}", file=out)
    if len(mrows) < min_items:
        print(f"   fewer than {min_items} missed items: nothing printed", file=out)
        return {"missed": len(mrows), "instead": dict(instead)}
    for c, k in instead.most_common(4):
        if k < min_items:
            continue
        rows = np.array([i for i in mrows if c in pred[i]])
        con = summed(Xt, clf.W[:, codes.index(c)], rows)
        share = con[~word].clip(0).sum() / max(con.clip(0).sum(), 1e-9)
        print(f" → {c} ({k} items; char n-grams {share:.0%} of the positive pull): pulled by", file=out)
        print("   " + ", ".join(fmt(names[word], con[word], top)), file=out)
    con = summed(Xt, clf.W[:, g], mrows)
    print(f" {gold}: pushed away by (summed over the {len(mrows)} misses)", file=out)
    print("   " + ", ".join(fmt(names[word], con[word], top, sign=-1)), file=out)
    # missing cues: word n-grams frequent in the misses, relatively more than in the hits
    Xw = Xt[:, np.flatnonzero(word)]
    df_m = np.asarray((Xw[mrows] > 0).sum(axis=0)).ravel() / len(mrows)
    df_h = (np.asarray((Xw[hrows] > 0).sum(axis=0)).ravel() / len(hrows)) if len(hrows) else np.zeros_like(df_m)
    floor = max(min_items, 3) / len(mrows)
    lift = (df_m + 0.005) / (df_h + 0.005)
    cand = np.flatnonzero((df_m >= floor) & (lift > 1.5))
    cand = cand[np.argsort(-(df_m[cand] * np.log(lift[cand])))][:top]
    Ww = clf.W[np.flatnonzero(word)]
    wn = names[word]
    print(f" {gold}: missing cues (word n-gram: share of misses / of hits, {gold} coef, strongest topic coef)", file=out)
    two = np.array([" " in s for s in wn])
    # the same for two-word n-grams found in at least 5 missed items (one-word lists are mostly function words)
    cand2 = np.flatnonzero(two & (df_m >= 5 / len(mrows)) & (lift > 1.5))
    cand2 = cand2[np.argsort(-(df_m[cand2] * np.log(lift[cand2])))][:top]
    for j in list(cand) + ([-1] if len(cand2) else []) + list(cand2):
        if j == -1:
            print(f" {gold}: missing cues, two-word n-grams in ≥ 5 missed items", file=out)
            continue
        best = int(np.argmax(Ww[j]))
        print(f"   {wn[j].split('__', 1)[-1]}: {df_m[j]:.2f} / {df_h[j]:.2f}, {Ww[j, g]:+.2f}, "
              f"{codes[best]} {Ww[j, best]:+.2f}", file=out)
    return {"missed": len(mrows), "instead": dict(instead)}


def add_model_args(ap: argparse.ArgumentParser, cache: str, min_help: str) -> None:
    """The options both miss tools share: the model, the normalised-text cache, how much to print."""
    ap.add_argument("--model-dir", default="")
    ap.add_argument("--cache", default=cache)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--min-items", type=int, default=20, help=min_help)


def normalised_matrix(clf, cache_dir: str, texts: list[str]) -> tuple[Any, list[tuple[str, str]]]:
    """The classifier's matrix of untitled `texts` through the shipped normaliser (cached in `cache_dir`, the
    format of nlp/eval/sentiment_variants.py), and each text's (classifier text, language)."""
    from nlp.eval.sentiment_variants import NormCache

    cache = NormCache(Path(cache_dir) / "norm.pkl")
    norm = cache.get([("", t) for t in texts])
    cache.save()
    return clf.transform([c for c, _ in norm]), norm


def main(argv: list[str] | None = None) -> int:
    from nlp.eval.eval_only import DEFAULT
    from nlp.eval.topics_real import load_sets

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--topic", required=True, help="mapped topic code, e.g. education")
    ap.add_argument("--set", nargs="*", default=["baomoi", "victsd", "vntc"], help="sets of topics_real.py")
    ap.add_argument("--data", default=str(Path(DEFAULT).parent))
    add_model_args(ap, "/tmp/topics-lab", "print nothing for fewer missed items than this")
    args = ap.parse_args(argv)
    clf = load_model(args.model_dir)
    sets = load_sets(Path(args.data))
    items = [t for name in args.set for t, c in sets[name] if c == args.topic]
    if not items:
        print(f"no items of {args.topic} in {args.set}")
        return 1
    X, norm = normalised_matrix(clf, args.cache, items)
    pred = [p if lang == "vi" else [] for p, (_, lang) in zip(clf.predict_topics(X), norm)]
    report(clf, X, pred, args.topic, args.top, max(args.min_items, 20))
    return 0


if __name__ == "__main__":
    sys.exit(main())
