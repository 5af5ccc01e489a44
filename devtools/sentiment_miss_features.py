"""Why comments of another domain get the wrong sentiment, in aggregate: the n-grams behind each confusion.

    PYTHONPATH=. nice -n 5 .venv/bin/python -m devtools.sentiment_miss_features --set vsfc|vlsp|ubs \
        [--model-dir /tmp/m] [--top 30] [--cache /tmp/sent-lab]

Why: the zero-shot sets of nlp/eval/eval_only.py (VSFC student feedback, VLSP 2016 product comments) say *how
often* the comment model is wrong; to write social-register training lines for the kinds it misreads, the
writer needs to know *what kind* of comment is misread without reading any (the sets are eval-only: their texts
are never printed nor read; their normalised form stays in the local --cache file, as for
nlp/eval/sentiment_variants.py, which normalises with the shipped restorer whatever --model-dir says).

`--set ubs` reads the UBS bank posts that eval_only scores (`eval_only.ubs_test`: posts with one polarity, negative
or positive; the gold has no neutral, so "→ neutral" cells are misses that eval_only counts too).

What: the set's comments (no title, as eval_only tags them) are read as the Sentiment step reads them (the comment
sentiment model, then neutral for a text the language step calls not Vietnamese and negative for a listed insult:
`nlp.eval.sentiment_variants.predict`); the confusion counts are that reading. For each confusion cell (gold →
predicted) with at least --min-items comments (never fewer than 20) that the model itself read so (a reading set by
the language step or the insult rule is counted, and left out of the n-grams):
- "pulled by": the n-grams of our vocabulary with the largest summed contribution (TF-IDF value × (predicted
  class coefficient − gold class coefficient)) over the cell's comments: what pulls them to the wrong class;
- "missing cues": word n-grams found in many of the cell's comments and relatively more often than in the
  comments of the same gold class read right, with their gold-class coefficient: frequent words of the misses
  that the model does not reward name the varieties of comment that the training lines lack.
Only n-grams of the model's vocabulary (fitted on our training rows) and counts are printed, never a text.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from devtools.topic_miss_features import add_model_args, load_model, normalised_matrix

LABELS = ("negative", "neutral", "positive")


def sentiment_names(clf) -> np.ndarray:
    """Names of the comment sentiment model's columns: shared, comment-only, cues, then the comment flag."""
    parts = [clf.features.get_feature_names_out()]
    if clf.cues is not None:
        comment = clf.comment_features if clf.comment_features is not None else clf.features
        parts += [np.array([f"c:{n}" for n in comment.get_feature_names_out()]), clf.cues.get_feature_names_out()]
        if clf.press_sentiment_model is not None:
            parts.append(np.array(["flag"]))
    names = np.concatenate(parts).astype(object)
    n = clf.sentiment_model.coef_.shape[1]
    assert len(names) == n, (len(names), n)
    return names


def _is_word(name: str) -> bool:
    return name.split(":", 1)[-1].startswith("word__")


def _show(name: str) -> str:
    block = "c:" if name.startswith("c:") else ""
    return block + name.split(":", 1)[-1].split("__", 1)[-1]


def cell_report(X, names, coef, classes, gold, pred, g: str, p: str, top: int, out) -> None:
    """Print what pulls the comments of gold class `g` that were read as `p`."""
    rows = np.flatnonzero((gold == g) & (pred == p))
    hits = np.flatnonzero((gold == g) & (pred == g))
    gi, pi = classes.index(g), classes.index(p)
    w = coef[pi] - coef[gi]
    con = np.asarray(X[rows].multiply(w[None, :]).sum(axis=0)).ravel()
    word = np.array([_is_word(s) for s in names])
    other = ~word & np.array([not s.startswith("flag") for s in names])
    share = con[other].clip(0).sum() / max(con.clip(0).sum(), 1e-9)
    order = [j for j in np.argsort(-con) if word[j] and con[j] > 0][:top]
    print(f" {g} read as {p}: {len(rows)} comments (non-word columns {share:.0%} of the pull); pulled by", file=out)
    print("   " + ", ".join(f"{_show(names[j])} {con[j]:+.2f}" for j in order), file=out)
    cues = [j for j in np.argsort(-con) if names[j].startswith("cue_") and con[j] > 0][:8]
    if cues:
        print("   cue columns: " + ", ".join(f"{names[j]} {con[j]:+.2f}" for j in cues), file=out)
    wj = np.flatnonzero(word)
    Xw = X[:, wj]
    df_m = np.asarray((Xw[rows] > 0).sum(axis=0)).ravel() / len(rows)
    df_h = np.asarray((Xw[hits] > 0).sum(axis=0)).ravel() / max(len(hits), 1)
    lift = (df_m + 0.005) / (df_h + 0.005)
    cand = np.flatnonzero((df_m >= 10 / len(rows)) & (lift > 1.5))
    cand = cand[np.argsort(-(df_m[cand] * np.log(lift[cand])))][:top]
    print(f"   missing cues (share of these / of the {g} read right, {g} coef, {p} coef):", file=out)
    print("   " + ", ".join(f"{_show(names[wj[j]])} {df_m[j]:.2f}/{df_h[j]:.2f} {coef[gi, wj[j]]:+.2f} "
                            f"{coef[pi, wj[j]]:+.2f}" for j in cand), file=out)


def report(clf, X, gold: list[str], top: int, min_items: int, out=None, reading: list[str] | None = None,
           foreign: list[bool] | None = None) -> dict:
    """Confusion counts of `reading` (the Sentiment step's; default the comment model's own) on X, then the aggregate
    n-grams of every large enough cell, over the comments whose reading is the model's: not those the language step
    calls `foreign` (read neutral whatever the model says) nor those the insult rule turned negative."""
    out = out or sys.stdout
    names = sentiment_names(clf)
    model = clf.sentiment_model
    Xs = X[:, :model.coef_.shape[1]].tocsr()  # the sentiment columns come first (Classifier.transform)
    classes = [str(c) for c in model.classes_]
    coef = np.asarray(model.coef_)
    own = np.array([str(s) for s in model.predict(Xs)])
    pred = own if reading is None else np.array([str(s) for s in reading])
    gold_a = np.array(gold)
    cells = Counter(zip(gold_a, pred))
    print("confusion (gold → predicted): " + ", ".join(f"{g}→{p} {cells[(g, p)]}" for g in LABELS for p in LABELS),
          file=out)
    away = np.zeros(len(pred), bool) if foreign is None else np.asarray(foreign, bool)
    ruled = (pred != own) | away
    if ruled.any():
        per = Counter(gold_a[ruled])
        print(f" {int(ruled.sum())} readings set by the language step or the insult rule, not by the model "
              f"({int(away.sum())} texts the language step calls not Vietnamese, read neutral; by gold class: "
              + ", ".join(f"{g} {per[g]}" for g in LABELS if per[g]) + "): counted above, left out of the n-grams "
              "below", file=out)
    by_model = np.where(ruled, "", pred)
    model_cells = Counter(zip(gold_a, by_model))
    for g in LABELS:
        for p in LABELS:
            if g != p and model_cells[(g, p)] >= min_items:
                cell_report(Xs, names, coef, classes, gold_a, by_model, g, p, top, out)
    return {f"{g}->{p}": cells[(g, p)] for g in LABELS for p in LABELS}


def step_reading(clf, texts: list[str], norm: list[tuple[str, str]], X) -> list[str]:  # noqa: N803
    """The Sentiment step's reading of untitled `texts` (the reading eval_only scores); `X` is their matrix."""
    from nlp.eval.sentiment_variants import predict

    return predict(clf, [("", t) for t in texts], norm, X)


def main(argv: list[str] | None = None) -> int:
    from nlp.eval.eval_only import DEFAULT, ubs_test, vlsp_test, vsfc_test

    sets = {"vsfc": vsfc_test, "vlsp": vlsp_test, "ubs": ubs_test}
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=sorted(sets), required=True)
    ap.add_argument("--data", default=DEFAULT)
    add_model_args(ap, "/tmp/sent-lab", "print nothing for a cell smaller than this")
    args = ap.parse_args(argv)
    clf = load_model(args.model_dir)
    texts, gold = sets[args.set](Path(args.data))
    X, norm = normalised_matrix(clf, args.cache, texts)
    report(clf, X, gold, args.top, max(args.min_items, 20), reading=step_reading(clf, texts, norm, X),
           foreign=[lang not in ("vi", "none") for _, lang in norm])
    return 0


if __name__ == "__main__":
    sys.exit(main())
