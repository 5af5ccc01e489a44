"""Label audit of the sentiment training rows (confident-learning style): where the models disagree with a label.

    PYTHONPATH=. nice -n 5 .venv/bin/python -m devtools.label_audit [--out /tmp/audit.tsv] [--cache /tmp/sent-lab]

Why: the sentiment rows were written and labelled in slices by several people against one guideline
(data/training/GUIDELINE_sentiment.md); 20 lines per slice were reviewed. A label that the rest of the data
contradicts is the first place to look for noise or for a rule applied two ways.

What: out-of-fold predictions of the two sentiment models (`nlp.train.fit_sentiment`, as `langnghe train`
fits them) over the **training rows only** — held-out rows (`nlp.train.is_heldout`) are never scored, never
listed. The sentiment rows' ids are split in k folds as `nlp.eval.sentiment_variants.cv_social` does: a row
leaves its fold's training set together with its stripped copy. A row with a title is read by the press model,
one without by the comment model (`Classifier.predict_sentiment`); the insult rule of the Sentiment step is
not applied (the classifier is audited). The shared TF-IDF vocabulary is fitted once on all training rows
(unsupervised); the comment vocabulary is refitted per fold inside `fit_sentiment`.

Output: a TSV ranked by margin — the decision-function gap between the predicted class and the given label
(larger = the other rows disagree more) — of every row whose out-of-fold prediction is not its label:
rank, margin, id, file, label, predicted, text (title and text joined by " | "). The ranking only says where
to read: a label is changed by the guideline, never because the model disagrees.
Normalised texts are cached like in sentiment_variants (--cache), so a run costs k fits of the models.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import KFold
from sklearn.pipeline import FeatureUnion

LABELS = ["negative", "neutral", "positive"]


def out_of_fold(docs: list[dict], X, X_text: list[str], w: np.ndarray, folds: int = 5, seed: int = 13,
                features: FeatureUnion | None = None) -> dict[str, dict]:
    """id → {pred, margin, scores} for every sentiment training row, each scored by models that never saw it
    (nor its stripped copy). `features`: the fitted union of `X` (the comment model's NB mix reads its word block)."""
    import nlp.train as T
    from nlp.classify import Classifier, sentiment_matrix

    ids = np.array([d["id"] for d in docs])
    audited = sorted({d["id"] for d in docs if T.trains_sentiment(d) and not T.is_heldout(d["id"])})
    first: dict[str, int] = {}
    for i, d in enumerate(docs):
        if d["id"] in audited:
            first.setdefault(d["id"], i)  # the row as written, not its stripped copy
    out: dict[str, dict] = {}
    for k, (_, te) in enumerate(KFold(folds, shuffle=True, random_state=seed).split(audited)):
        leave = {audited[i] for i in te}
        keep = np.array([i not in leave for i in ids])
        cues, cf, sent, press = T.fit_sentiment(X[keep], [t for t, m in zip(X_text, keep) if m],
                                                [d for d, m in zip(docs, keep) if m], w[keep], features=features)
        idx = [first[i] for i in sorted(leave)]
        clf = Classifier(features, {}, {}, sent, "audit", cues=cues, comment_features=cf, press_sentiment_model=press)
        M = sentiment_matrix(X[idx], [X_text[i] for i in idx], cues, cf, flag=press is not None)
        S, classes = clf.sentiment_scores(M)
        for i, s in zip(idx, S):
            d = docs[i]
            label = d["sentiment"]
            pred = classes[int(np.argmax(s))]
            out[d["id"]] = {"pred": pred, "margin": float(np.max(s) - s[classes.index(label)]),
                            "scores": dict(zip(classes, map(float, s)))}
        print(f"fold {k + 1}/{folds}: {len(idx)} rows scored", file=sys.stderr, flush=True)
    return out


def audit(labelled: Path | None, cache_dir: Path, folds: int = 5) -> tuple[list[dict], dict[str, dict]]:
    """The sentiment training rows and their out-of-fold readings."""
    import nlp.train as T
    from nlp.classify import make_features
    from nlp.eval.sentiment_variants import NormCache

    rows = T.load_labelled(labelled) if labelled else T.load_labelled()
    train, _ = T.split(rows)
    _, _, docs, w = T.training_docs(train)
    cache = NormCache(cache_dir / "norm.pkl")
    X_text = [c for c, _ in cache.get([(d.get("title") or "", d.get("text") or "") for d in docs])]
    cache.save()
    feats = make_features().fit([t for t, d in zip(X_text, docs) if T.in_shared_vocabulary(d)])
    X = feats.transform(X_text)
    oof = out_of_fold(docs, X, X_text, w, folds, features=feats)
    return [r for r in train if r["id"] in oof], oof


def ranked(rows: list[dict], oof: dict[str, dict]) -> list[dict]:
    """The rows whose out-of-fold prediction is not their label, largest margin first."""
    out = []
    for r in rows:
        o = oof[r["id"]]
        if o["pred"] != r["sentiment"]:
            text = " | ".join(x for x in (r.get("title") or "", r.get("text") or "") if x).replace("\n", " ")
            out.append({"margin": round(o["margin"], 3), "id": r["id"], "file": r["_file"],
                        "label": r["sentiment"], "predicted": o["pred"], "text": text})
    out.sort(key=lambda x: -x["margin"])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labelled", default="", help="another data/training directory")
    ap.add_argument("--cache", default="/tmp/sent-lab")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", default="/tmp/label_audit.tsv")
    args = ap.parse_args(argv)
    rows, oof = audit(Path(args.labelled) if args.labelled else None, Path(args.cache), args.folds)
    lst = ranked(rows, oof)
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        wr = csv.writer(fh, delimiter="\t")
        wr.writerow(["rank", "margin", "id", "file", "label", "predicted", "text"])
        for n, x in enumerate(lst, 1):
            wr.writerow([n, x["margin"], x["id"], x["file"], x["label"], x["predicted"], x["text"]])
    agree = sum(oof[r["id"]]["pred"] == r["sentiment"] for r in rows)
    print(f"{len(rows)} training rows scored out of fold, {agree} agree ({agree / max(len(rows), 1):.3f}); "
          f"{len(lst)} disagreements → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
