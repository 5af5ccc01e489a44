"""Topic (multi-label) and sentiment (3-class) classifiers sharing one feature space.

    normalised title + text (diacritics restored when the item had none)
        ├─ word 1–2-gram TF-IDF on the text as written (lowercased)
        ├─ char_wb 2–5-gram TF-IDF on the accent-folded text (robust to missing or wrong accents)
        └─ (optional, off) team lexicon cue counts (nlp/data/lexicon.tsv), one feature per tag
        ▼  one sparse matrix, computed once per batch
    topics:    one ridge classifier per topic code (balanced classes); a code is given when its score
               passes the threshold chosen by cross-validation on the training rows
    sentiment: one LinearSVC (negative / neutral / positive)

Saved with joblib (compressed) as nlp/models/classifier-<version>.joblib.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from vocab.folding import fold
from vocab.labels import SENTIMENTS, TOPICS

LEXICON_PATH = Path(__file__).with_name("data") / "lexicon.tsv"
_TOK = re.compile(r"[^\W_]+", re.UNICODE)


def load_lexicon(path: Path = LEXICON_PATH) -> list[tuple[str, str]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for ln in fh:
            if ln.startswith("#") or not ln.strip():
                continue
            term, tag = ln.rstrip("\n").split("\t")[:2]
            out.append((term.strip(), tag.strip()))
    return out


class LexiconFeatures(BaseEstimator, TransformerMixin):
    """log1p(count) of lexicon hits per tag, on accent-folded whole words."""

    def __init__(self, entries: Sequence[tuple[str, str]] = ()):
        self.entries = list(entries)

    def fit(self, X, y=None):  # noqa: N803
        self.tags_ = sorted({t for _, t in self.entries})
        self.tag_index_ = {t: i for i, t in enumerate(self.tags_)}
        self.table_: dict[tuple[str, ...], list[int]] = {}
        for term, tag in self.entries:
            key = tuple(fold(w) for w in _TOK.findall(term))
            if key:
                self.table_.setdefault(key, []).append(self.tag_index_[tag])
        self.maxlen_ = max((len(k) for k in self.table_), default=1)
        return self

    def transform(self, X):  # noqa: N803
        rows, cols, vals = [], [], []
        for r, text in enumerate(X):
            toks = _TOK.findall(fold(text))
            counts: dict[int, int] = {}
            n = len(toks)
            for i in range(n):
                for L in range(1, min(self.maxlen_, n - i) + 1):
                    tags = self.table_.get(tuple(toks[i:i + L]))
                    if tags:
                        for t in tags:
                            counts[t] = counts.get(t, 0) + 1
            for c, v in counts.items():
                rows.append(r)
                cols.append(c)
                vals.append(math.log1p(v))
        return sp.csr_matrix((vals, (rows, cols)), shape=(len(X), len(self.tags_)), dtype=np.float64)

    def get_feature_names_out(self, input_features=None):
        return np.array([f"lex_{t}" for t in self.tags_])


def _lower(s: str) -> str:
    return s.lower()


def make_features(lexicon: Sequence[tuple[str, str]] | None = None, use_lexicon: bool = False) -> FeatureUnion:
    """The shared feature space. The lexicon block is off by default: on the held-out split it did not
    help (topic macro-F1 −0.01, sentiment −0.005 with it), the TF-IDF blocks learn the same cues."""
    blocks = [
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, max_df=0.5, sublinear_tf=True,
                                 preprocessor=_lower, token_pattern=r"(?u)\b\w+\b", max_features=150_000,
                                 dtype=np.float32)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                                 preprocessor=fold, max_features=200_000, dtype=np.float32)),
    ]
    if use_lexicon:
        blocks.append(("lex", LexiconFeatures(lexicon if lexicon is not None else load_lexicon())))
    return FeatureUnion(blocks)


def decide_topics(S: np.ndarray, th, fallback: float = 9.0, margin: float = 9.0, top_k: int = 13) -> np.ndarray:
    """Topic decisions from scores S (items × topics).

    A topic is given when its score passes `th`, is within `margin` of the item's best score, and is
    among the item's `top_k` best; an item with no topic gets its best one if that scores above
    `fallback`. The values are chosen by cross-validation in nlp/train.py.
    """
    S = np.asarray(S, dtype=np.float32)
    P = S > th
    if margin < 9:
        P &= S >= S.max(axis=1, keepdims=True) - margin
    if top_k < S.shape[1]:
        kth = -np.sort(-S, axis=1)[:, top_k - 1:top_k]
        P &= S >= kth
    if fallback < 9:
        none = ~P.any(axis=1) & (S.max(axis=1) > fallback)
        rows = np.flatnonzero(none)
        P[rows, S[rows].argmax(axis=1)] = True
    return P


class Classifier:
    """Features + topic models + sentiment model, with the version they were trained as."""

    def __init__(self, features: FeatureUnion, topic_models: dict[str, Any], thresholds: dict[str, float],
                 sentiment_model: LinearSVC, version: str, info: dict | None = None):
        self.features = features
        self.topic_models = topic_models
        self.thresholds = thresholds
        self.sentiment_model = sentiment_model
        self.version = version
        self.info = info or {}
        self._stack()

    def _stack(self) -> None:
        codes = [c for c in TOPICS if c in self.topic_models]
        self.codes = codes
        if codes:
            self.W = np.vstack([self.topic_models[c].coef_.ravel() for c in codes]).T.astype(np.float32)
            self.b = np.array([self.topic_models[c].intercept_[0] for c in codes], dtype=np.float32)
            self.th = np.array([self.thresholds.get(c, 0.0) for c in codes], dtype=np.float32)

    def __setstate__(self, state):  # rebuild derived arrays after unpickling
        self.__dict__.update(state)
        self._stack()

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k not in ("W", "b", "th", "codes")}

    def transform(self, texts: Sequence[str]):
        return self.features.transform(list(texts))

    def topic_scores(self, X) -> np.ndarray:  # noqa: N803
        return np.asarray(X @ self.W) + self.b

    def predict_topics(self, X) -> list[list[str]]:  # noqa: N803
        if not self.codes:
            return [[] for _ in range(X.shape[0])]
        P = decide_topics(self.topic_scores(X), self.th, **self.info.get("topic_rule", {}))
        return [[self.codes[j] for j in np.flatnonzero(row)] for row in P]

    def predict_sentiment(self, X) -> list[str]:  # noqa: N803
        return [str(s) for s in self.sentiment_model.predict(X)]

    def save(self, path: str | Path) -> None:
        import joblib

        joblib.dump(self, path, compress=("xz", 6))

    @staticmethod
    def load(path: str | Path) -> "Classifier":
        import joblib

        return joblib.load(path)


__all__ = ["Classifier", "LexiconFeatures", "make_features", "load_lexicon", "SENTIMENTS", "TOPICS"]
