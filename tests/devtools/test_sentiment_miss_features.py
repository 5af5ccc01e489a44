"""devtools/sentiment_miss_features.py prints aggregates only: no cell under the minimum of comments, and for a
large enough confusion cell the n-grams that pull its comments to the wrong class (never a text). A stand-in
comment model on a tiny vocabulary: no trained model is loaded."""

from __future__ import annotations

import io
from types import SimpleNamespace

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from devtools.sentiment_miss_features import report

# 25 suggestions that name a fault (gold negative) read as positive by the stand-in, 25 complaints read right
WISH = [f"thầy nên giảng dễ hiểu hơn phần {i}" for i in range(25)]
COMPLAINT = [f"phòng học số {i} nóng quá" for i in range(25)]


def _clf(texts):
    feats = FeatureUnion([("word", TfidfVectorizer(ngram_range=(1, 2)))]).fit(texts)
    names = [n.split("__", 1)[1] for n in feats.get_feature_names_out()]
    coef = np.zeros((3, len(names)))  # classes: negative, neutral, positive
    for j, n in enumerate(names):
        coef[0, j] = 2.0 if n in ("nóng", "nóng quá") else 0.0
        coef[2, j] = 1.5 if n in ("dễ hiểu", "hiểu") else 0.0
    classes = np.array(["negative", "neutral", "positive"])

    def predict(X):
        return classes[np.argmax(np.asarray(X @ coef.T), axis=1)]

    model = SimpleNamespace(classes_=classes, coef_=coef, predict=predict)
    clf = SimpleNamespace(features=feats, cues=None, comment_features=None, press_sentiment_model=None,
                          sentiment_model=model)
    return clf, feats.transform(texts)


def _run(n_wish: int) -> str:
    texts = WISH[:n_wish] + COMPLAINT
    clf, X = _clf(texts)
    out = io.StringIO()
    report(clf, X, ["negative"] * len(texts), top=10, min_items=20, out=out)
    return out.getvalue()


def test_small_cells_print_no_ngram():
    text = _run(5)
    assert "negative→positive 5" in text and "read as" not in text


def test_a_large_cell_prints_what_pulls_it_and_no_text():
    text = _run(25)
    assert "negative→positive 25" in text and "negative read as positive: 25 comments" in text
    pulled = text.split("pulled by", 1)[1].splitlines()[1]
    assert "dễ hiểu" in pulled and "nóng" not in pulled
    assert "missing cues" in text and "nên" in text.split("missing cues", 1)[1]
    assert not any(t in text for t in WISH + COMPLAINT)
