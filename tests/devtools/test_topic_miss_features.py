"""devtools/topic_miss_features.py prints aggregates only: nothing for fewer than the minimum of missed items, and
for enough of them the n-grams that pull toward the topic predicted instead (never a text). A two-topic stand-in
classifier on a tiny vocabulary: no trained model is loaded."""

from __future__ import annotations

import io
from types import SimpleNamespace

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from devtools.topic_miss_features import report

TEXTS = [f"học sinh trường {i} biểu diễn ca nhạc văn nghệ" for i in range(25)] + \
        [f"học sinh trường {i} thi tốt nghiệp" for i in range(25)]


def _clf(texts):
    feats = FeatureUnion([("word", TfidfVectorizer(ngram_range=(1, 2)))]).fit(texts)
    names = list(feats.get_feature_names_out())
    W = np.zeros((len(names), 2), dtype=np.float32)  # columns: culture_tourism, education
    for j, n in enumerate(names):
        term = n.split("__", 1)[1]
        W[j, 0] = 2.0 if term in ("ca nhạc", "văn nghệ", "biểu diễn") else 0.0
        W[j, 1] = 1.5 if term in ("thi", "tốt nghiệp") else (-0.5 if term == "ca" else 0.0)
    clf = SimpleNamespace(codes=["culture_tourism", "education"], W=W, topic_features=None, features=feats)
    return clf, feats.transform(texts)


def _run(n_missed: int) -> str:
    texts = TEXTS[25 - n_missed:]  # n_missed arts items (read as culture_tourism), then 25 exam items (hits)
    clf, X = _clf(texts)
    pred = [["culture_tourism"] if "văn nghệ" in t else ["education"] for t in texts]
    out = io.StringIO()
    report(clf, X, pred, "education", top=10, min_items=20, out=out)
    return out.getvalue()


def test_too_few_misses_print_no_ngram():
    text = _run(5)
    assert "5 missed" in text and "nothing printed" in text
    assert "văn nghệ" not in text and "pulled by" not in text


def test_enough_misses_print_the_pulling_ngrams_and_no_text():
    text = _run(25)
    assert "→ culture_tourism (25 items" in text
    pulled = text.split("pulled by", 1)[1].splitlines()[1]
    assert "văn nghệ" in pulled and "ca nhạc" in pulled and "tốt nghiệp" not in pulled
    assert "pushed away by" in text and "ca -" in text  # "ca" pushes away from education
    assert not any(t in text for t in TEXTS)
