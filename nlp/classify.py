"""Topic (multi-label) and sentiment (3-class) classifiers reading one analysis of the text.

    normalised title + text (diacritics restored when the item had none)
        ├─ word 1–2-gram TF-IDF on the text as written (lowercased)
        ├─ char_wb 2–5-gram TF-IDF on the accent-folded text (robust to missing or wrong accents)
        └─ (optional, off) team lexicon cue counts (nlp/data/lexicon.tsv), one feature per tag
        ▼  one sparse matrix, computed once per batch
    topics:    one linear score per topic code on a word + char vocabulary of their own, fitted with the news
               slices (Classifier.topic_features; read from the same analysis of the text as the shared one,
               SharedAnalysis): the mean of a ridge classifier and a complement naive Bayes on the word block
               (balanced classes), Platt-scaled to log-odds (LinearTopicModel; older models: plain ridge); a code
               is given when its score passes the threshold chosen by cross-validation on the training rows
    sentiment: LinearSVC (negative / neutral / positive); items with a title are read by one trained without
               the social slices on the shared columns, comments by one that also reads a comment-only
               vocabulary (its word block reads negated words apart: ScopeMarker) and the cue block
               (sentiment_matrix, Classifier.predict_sentiment); the comment model's scores are mixed half with
               a word-block multinomial NB's, folded into its coef_ / intercept_ (nlp.train.SENT_MIX,
               mix_comment_model: still one LinearSVC); nlp.train.SENT_NB can make it an NB-SVM folded the same
               way (nlp.train.nb_svm; tried, not shipped)

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

from vocab.folding import fold, fold_word
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


def make_features(lexicon: Sequence[tuple[str, str]] | None = None, use_lexicon: bool = False,
                  word_preprocessor=None) -> FeatureUnion:
    """The shared feature space. The lexicon block is off by default: on the held-out split it did not
    help (topic macro-F1 −0.01, sentiment −0.005 with it), the TF-IDF blocks learn the same cues.
    `word_preprocessor` replaces the word block's lowercasing (the comment-only vocabulary: ScopeMarker)."""
    blocks = [
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, max_df=0.5, sublinear_tf=True,
                                 preprocessor=word_preprocessor or _lower, token_pattern=r"(?u)\b\w+\b", max_features=150_000,
                                 dtype=np.float32)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                                 preprocessor=fold, max_features=200_000, dtype=np.float32)),
    ]
    if use_lexicon:
        blocks.append(("lex", LexiconFeatures(lexicon if lexicon is not None else load_lexicon())))
    return FeatureUnion(blocks)


class SharedAnalysis:
    """Two fitted unions of `make_features` blocks (the shared columns and the topic models' own) read from one
    analysis of the text: each block's n-grams are counted once over the union of the two vocabularies, then
    each side takes its columns with its own IDF and norm. The numbers are those of two `transform` calls (the
    first side's exactly: its columns come first, in its order), at about the cost of one: the n-gram analysis
    is most of a TF-IDF transform."""

    def __init__(self, first: FeatureUnion, second: FeatureUnion):
        from sklearn.feature_extraction.text import CountVectorizer

        self.blocks = []
        count_params = set(CountVectorizer().get_params())
        for (_, a), (_, b) in zip(first.transformer_list, second.transformer_list):
            differ = [k for k in count_params - {"vocabulary", "min_df", "max_df", "max_features"}
                    if a.get_params()[k] != b.get_params()[k]]
            if differ:  # the n-grams must be the same ones for one count to serve both sides
                raise ValueError(f"the two vocabularies are not read the same way: {sorted(differ)}")
            vocab = dict(a.vocabulary_)
            for term in b.vocabulary_:
                vocab.setdefault(term, len(vocab))
            counter = CountVectorizer(**{k: v for k, v in a.get_params().items()
                                         if k in count_params and k != "vocabulary"}, vocabulary=vocab)
            b_cols = np.empty(len(b.vocabulary_), dtype=np.int64)
            for term, j in b.vocabulary_.items():
                b_cols[j] = vocab[term]
            self.blocks.append((counter, a, len(a.vocabulary_), b, b_cols))

    def transform(self, texts: Sequence[str]):
        texts = list(texts)
        first, second = [], []
        for counter, a, n_a, b, b_cols in self.blocks:
            counts = counter.transform(texts)
            # `_tfidf` is the vectorizer's own IDF + norm step (private in scikit-learn, the one its transform calls)
            first.append(a._tfidf.transform(counts[:, :n_a], copy=False))
            second.append(b._tfidf.transform(counts[:, b_cols], copy=False))
        return sp.hstack(first, format="csr"), sp.hstack(second, format="csr")


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


class LinearTopicModel:
    """A topic model kept as its linear score only (what Classifier stacks): for families without their own
    coef_ / intercept_ (naive Bayes, a mean of two models) and for scores rescaled by calibration. The weights
    are kept in float32, the precision Classifier._stack scores with anyway: the same decisions in half the file
    (float64 weights made the classifier file 10.5 MB instead of 7.1)."""

    def __init__(self, coef: np.ndarray, intercept: float):
        self.coef_ = np.asarray(coef, dtype=np.float32).reshape(1, -1)
        self.intercept_ = np.array([float(intercept)])

    def decision_function(self, X) -> np.ndarray:  # noqa: N803
        return np.asarray(X @ self.coef_.ravel()).ravel() + self.intercept_[0]


def sentiment_matrix(X, texts: Sequence[str], cues: "SentimentCues", comment_features: FeatureUnion | None = None,
                     flag: bool = False):
    """The sentiment model's input: the shared columns, then comment-only columns (non-zero only for
    comment-like items: no title, the classifier text starts with a newline) and the cue columns.

    One model, two registers ("frustratingly easy" feature augmentation): weights learnt from the social
    slices sit mostly in the comment-only columns, so press and official items keep their reading.
    The comment-only columns are a copy of the shared ones, or (`comment_features`) a vocabulary of their
    own fitted on the comment-like training rows, the social slices included, so that words only comments
    use ("lag", "slide", "giảng") are read; only comment-like rows are transformed.
    With `flag`, a last column marks comment-like rows (Classifier.predict_sentiment reads it). The topic
    models read only the first, shared columns (or, with Classifier.topic_features, their own columns after all these).
    """
    r = np.array([1.0 if t.startswith("\n") else 0.0 for t in texts], dtype=np.float32)
    R = sp.diags(r)
    if comment_features is None:
        C = R @ X
    else:
        idx = np.flatnonzero(r)
        sub = comment_features.transform([texts[i] for i in idx] if len(idx) else [""]).tocoo()
        rows = idx[sub.row] if len(idx) else sub.row[:0]
        C = sp.csr_matrix((sub.data[:len(rows)], (rows, sub.col[:len(rows)])), shape=(len(texts), sub.shape[1]),
                          dtype=np.float32)
    blocks = [X, C, R @ cues.transform(texts)]
    if flag:
        blocks.append(sp.csr_matrix(r[:, None]))
    return sp.hstack(blocks, format="csr")


def _class_scores(model, X) -> np.ndarray:  # noqa: N803
    """A linear model's scores as one column per class (a two-class model's one margin as [−m, m]), so that
    the argmax is its prediction."""
    S = np.asarray(model.decision_function(X), dtype=np.float64)
    return np.column_stack([-S, S]) if S.ndim == 1 else S


class TwoStageSentiment:
    """Round 21 (nlp.train.SENT_TWO_STAGE): the comment model as two decisions — does the comment voice an opinion
    at all (a binary model of every row: neutral against the rest), and if so which (a binary model of the polar
    rows only: negative against positive). The polarity is then learnt without the neutral rows pulling at its
    boundary, and "no opinion" gets a boundary of its own. It reads as the 3-class linear model it replaces:
    `classes_`, `decision_function` with one column per class whose argmax is the two-stage decision, `predict`;
    `coef_` only gives the column count (and a linear view for devtools: opinion ∓ polarity, −opinion)."""

    def __init__(self, opinion: Any, polarity: Any):
        if [str(c) for c in opinion.classes_] != ["neutral", "opinion"] or [
                str(c) for c in polarity.classes_] != ["negative", "positive"]:
            raise ValueError(f"two-stage sentiment: stage classes {opinion.classes_} / {polarity.classes_}")
        self.opinion = opinion  # margin > 0: an opinion
        self.polarity = polarity  # margin > 0: positive
        self.classes_ = np.array(["negative", "neutral", "positive"])
        self.n_features_in_ = opinion.coef_.shape[1]

    @property
    def coef_(self) -> np.ndarray:
        o, p = self.opinion.coef_.ravel(), self.polarity.coef_.ravel()
        return np.vstack([o - p, -o, o + p])

    def decision_function(self, X) -> np.ndarray:  # noqa: N803
        """Columns negative / neutral / positive: o − max(p, 0), −o, o + min(p, 0) (o: the opinion margin, p: the
        polarity margin). Neutral wins exactly when o < 0; otherwise the pole p points to (its score o beats the
        other pole's o − |p|)."""
        o = np.asarray(self.opinion.decision_function(X), dtype=np.float64).ravel()
        p = np.asarray(self.polarity.decision_function(X), dtype=np.float64).ravel()
        return np.column_stack([o - np.maximum(p, 0), -o, o + np.minimum(p, 0)])

    def predict(self, X) -> np.ndarray:  # noqa: N803
        return self.classes_[np.argmax(self.decision_function(X), axis=1)]


class CommentTopicModel:
    """Round 12: the topic models of social items without a real title (comments, posts), on the press topic
    models' columns, with a decision rule of their own. A comment names no matter of ours far more often than an
    article does, and in words articles do not use; one model for both registers read comments badly (trained on
    the press rows) or cost the press figures (trained on both: docs/NLP_ROUNDS.md, round 11). Kept as stacked
    weights: `codes` (the topics it has a model for: others are never given), W (columns × codes), b, the
    threshold and the rule (decide_topics' fallback, margin, top_k) and the longest item it reads (`max_words`), all
    chosen by cross-validation on its own training rows (nlp.train.fit_comment_topics)."""

    def __init__(self, models: dict[str, Any], threshold: float, rule: dict[str, float], info: dict | None = None,
                 max_words: int | None = None, press_share: float = 0.0):
        # the longest item (words of its text) it reads; longer social posts read like articles (press model)
        self.max_words = max_words
        # the press topic models' share v in the score of the items it reads: (1 − v)·own + v·press (log-odds)
        self.press_share = press_share
        self.codes = [c for c in TOPICS if c in models]
        self.W = np.vstack([models[c].coef_.ravel() for c in self.codes]).T.astype(np.float32)
        self.b = np.array([models[c].intercept_[0] for c in self.codes], dtype=np.float32)
        self.threshold = float(threshold)
        self.rule = {k: rule[k] for k in ("fallback", "margin", "top_k") if k in rule}
        self.info = info or {}

    def reads(self, n_words: int) -> bool:
        """Whether an item of `n_words` words (its text's) is this model's to read."""
        return self.max_words is None or n_words <= self.max_words

    def scores(self, X) -> np.ndarray:  # noqa: N803
        return np.asarray(X @ self.W) + self.b

    def predict(self, X, press_scores: np.ndarray | None = None,  # noqa: N803
                press_codes: Sequence[str] = ()) -> list[list[str]]:
        """Topic codes of each row (X: the topic columns; `press_scores`: the press models' scores of the same rows,
        columns `press_codes`, needed when `press_share` > 0)."""
        if not X.shape[0]:
            return []
        S, codes = self.scores(X), self.codes
        if self.press_share:
            if press_scores is None:
                raise ValueError("the comment topic model mixes the press scores: pass them")
            mine = {c: j for j, c in enumerate(self.codes)}
            own = np.full((X.shape[0], len(press_codes)), -50.0, dtype=np.float32)  # a topic it lacks: p ≈ 0
            for k, c in enumerate(press_codes):
                if c in mine:
                    own[:, k] = S[:, mine[c]]
            S, codes = (1 - self.press_share) * own + self.press_share * np.asarray(press_scores), list(press_codes)
        P = decide_topics(S, self.threshold, **self.rule)
        return [[codes[j] for j in np.flatnonzero(row)] for row in P]


class Classifier:
    """Features + topic models + sentiment model, with the version they were trained as."""

    def __init__(self, features: FeatureUnion, topic_models: dict[str, Any], thresholds: dict[str, float],
                 sentiment_model: LinearSVC, version: str, info: dict | None = None,
                 cues: "SentimentCues | None" = None, comment_features: FeatureUnion | None = None,
                 press_sentiment_model: LinearSVC | None = None, topic_features: FeatureUnion | None = None,
                 comment_topics: "CommentTopicModel | None" = None):
        self.features = features
        # round 12: the topic model of social items without a real title (predict_topics `social`); None: the press
        # topic models read every item, as before
        self.comment_topics = comment_topics
        # the topic models' own vocabulary (fitted with the news slices, nlp.train.TOPIC_VOCABULARY); None: they
        # read the shared columns
        self.topic_features = topic_features
        self._shared: SharedAnalysis | None = None  # built on first use (not saved)
        self.cues = cues  # extra columns after the shared ones, read by the sentiment model only
        self.comment_features = comment_features  # the comment-only vocabulary (see sentiment_matrix)
        self.press_sentiment_model = press_sentiment_model  # sentiment of items with a title (predict_sentiment)
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
        state.setdefault("cues", None)  # models saved before the cue block
        state.setdefault("comment_features", None)  # models saved before the comment-only vocabulary
        state.setdefault("press_sentiment_model", None)  # models saved before the per-register models
        state.setdefault("topic_features", None)  # models saved before the topic models' own vocabulary
        state.setdefault("comment_topics", None)  # models saved before round 12: the press topic models read all
        state["_shared"] = None
        self.__dict__.update(state)
        self._stack()

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k not in ("W", "b", "th", "codes", "_shared")}

    def transform(self, texts: Sequence[str]):
        """One matrix for both steps: the sentiment models' columns, then (with `topic_features`) the topic
        models' own columns last; both vocabularies are read from one analysis of the text (SharedAnalysis)."""
        texts = list(texts)
        X_topics = None
        if self.topic_features is None:
            X = self.features.transform(texts)
        else:
            if self._shared is None:
                self._shared = SharedAnalysis(self.features, self.topic_features)
            X, X_topics = self._shared.transform(texts)
        if self.cues is not None:
            X = sentiment_matrix(X, texts, self.cues, self.comment_features,
                                 flag=self.press_sentiment_model is not None)
        if X_topics is not None:
            X = sp.hstack([X, X_topics], format="csr")
        return X

    def _sentiment_columns(self, X):  # noqa: N803
        if self.topic_features is None:
            return X
        return X[:, :self.sentiment_model.coef_.shape[1]]

    def topic_columns(self, X):  # noqa: N803
        """The columns the topic models read: their own, last (with `topic_features`), else the shared ones."""
        if self.topic_features is not None:
            return X[:, X.shape[1] - self.W.shape[0]:]
        if X.shape[1] > self.W.shape[0]:  # the sentiment-only columns (see sentiment_matrix)
            return X[:, :self.W.shape[0]]
        return X

    def topic_scores(self, X) -> np.ndarray:  # noqa: N803
        return np.asarray(self.topic_columns(X) @ self.W) + self.b

    def topic_transform(self, texts: Sequence[str]):
        """The topic columns alone of `texts` (the comment topic model's input for a social item whose title is
        a copy of its text, read without it: Topics step); one TF-IDF transform, not the sentiment blocks."""
        if self.topic_features is None:
            return self.topic_columns(self.features.transform(list(texts)))
        return self.topic_features.transform(list(texts))

    def untitled_rows(self, X) -> np.ndarray | None:  # noqa: N803
        """Rows of items without a title (comments, posts): the flag column of sentiment_matrix, which only a
        model with a press sentiment model has; None when it cannot tell."""
        if getattr(self, "press_sentiment_model", None) is None or self.sentiment_model is None or not X.shape[0]:
            return None
        return np.asarray(self._sentiment_columns(X)[:, -1].todense()).ravel() != 0

    def predict_topics(self, X, untitled: Sequence[bool] | None = None,  # noqa: N803
                       n_words: Sequence[int] | None = None, social: Sequence[bool] | None = None,
                       X_social=None) -> list[list[str]]:  # noqa: N803
        """Topics of each row by the cross-validated rule; rows of items without a title (`untitled`, else read
        from the flag column) take the rule chosen for them when the model has one ("topic_rule_untitled", round
        11: a comment names no matter of ours far more often than an article does); with its "max_words", only
        those of at most that many words (`n_words`), so that an article given as one text keeps the titled rule.
        Rows marked `social` (round 12: social items without a real title, routed by the Topics step) are read by
        the comment topic model when the model has one, from their rows of X or, when given, from `X_social` (their
        topic columns, one row per social row, in order: Classifier.topic_transform)."""
        if not self.codes:
            return [[] for _ in range(X.shape[0])]
        comment = getattr(self, "comment_topics", None)
        rows = np.flatnonzero(np.asarray(social, dtype=bool)) if social is not None and comment is not None else []
        if len(rows):
            out = self.predict_topics(X, untitled, n_words)
            Xs = self.topic_columns(X[rows]) if X_social is None else X_social
            Sp = np.asarray(Xs @ self.W) + self.b if getattr(comment, "press_share", 0.0) else None
            for i, codes in zip(rows, comment.predict(Xs, Sp, self.codes)):
                out[i] = codes
            return out
        S = self.topic_scores(X)
        P = decide_topics(S, self.th, **self.info.get("topic_rule", {}))
        own = self.info.get("topic_rule_untitled")
        if own:
            rows = self.untitled_rows(X) if untitled is None else np.asarray(untitled, dtype=bool)
            if rows is not None and n_words is not None and own.get("max_words"):  # short items only
                rows = rows & (np.asarray(n_words) <= own["max_words"])
            if rows is not None and rows.any():
                P[rows] = decide_topics(S[rows], own["threshold"],
                                        **{k: own[k] for k in ("fallback", "margin", "top_k") if k in own})
        return [[self.codes[j] for j in np.flatnonzero(row)] for row in P]

    def sentiment_scores(self, X) -> tuple[np.ndarray, list[str]]:  # noqa: N803
        """Class scores of each row by the model that reads it, and the class names (columns).

        Items with a title (press, official, forum threads) are read by the model trained without the social
        slices, on the shared columns only, so that comments do not move their reading; comment-like items (the
        flag column, see sentiment_matrix) by the comment model. One place for that routing: predict_sentiment
        and devtools.label_audit read it."""
        X = self._sentiment_columns(X)
        S = _class_scores(self.sentiment_model, X)
        classes = [str(c) for c in self.sentiment_model.classes_]
        press_model = getattr(self, "press_sentiment_model", None)
        if press_model is not None and X.shape[0]:
            titled = np.asarray(X[:, -1].todense()).ravel() == 0
            if titled.any():
                if [str(c) for c in press_model.classes_] != classes:  # columns must mean the same class
                    raise ValueError(f"press and comment sentiment classes differ: {press_model.classes_} / {classes}")
                S[titled] = _class_scores(press_model, X[titled][:, :press_model.coef_.shape[1]])
        return S, classes

    def predict_sentiment(self, X) -> list[str]:  # noqa: N803
        S, classes = self.sentiment_scores(X)
        return [classes[j] for j in np.argmax(S, axis=1)] if len(S) else []

    def save(self, path: str | Path) -> None:
        import joblib

        joblib.dump(self, path, compress=("xz", 6))

    @staticmethod
    def load(path: str | Path) -> "Classifier":
        """From its unpacked copy after the first load (nlp/unpacked.py: 7–14 s of xz unpacking → under 1 s)."""
        import joblib

        from nlp.unpacked import load_unpacked

        return load_unpacked(path, joblib.load)


__all__ = ["Classifier", "CommentTopicModel", "LexiconFeatures", "SentimentCues", "TwoStageSentiment",
           "make_features", "load_lexicon", "SENTIMENTS", "TOPICS"]


# ------------------------------------------------------------------ sentiment cues for social text
OPINION_PATH = Path(__file__).with_name("data") / "opinion_lexicon.tsv"
# Emoticons and emoji by polarity (team-chosen). "Laugh" is kept apart: friendly or mocking, the model decides
# from the words around it.
EMO_POS = ("<3", "❤", "♥", "💕", "💖", "💗", "😍", "🥰", "😘", "😊", "🙂", "☺", "😄", "😁", "😃", "👍", "👏", "💪",
           "🙏", "🎉", "🥳", "🌹", "😎", "🤩", "😇", "🥹", "✨", "🔥", "💯", "🇻🇳", ":)", ":-)", ":d", ":-d", "^^",
           "^_^", ":3", ":*", ";)", "=)", "(y)", "<33")
EMO_NEG = ("😡", "😠", "🤬", "😤", "👎", "😢", "😭", "😞", "😔", "😩", "😫", "😒", "🙄", "💢", "😱", "😰", "😨",
           "🤮", "🤢", "😷", "💔", ":(", ":-(", ":((", ":'(", "-_-", "=.=", ">.<", ":/", "-.-", ":@", "😑", "🙃")
EMO_LAUGH = ("=))", ":))", "=)))", ":)))", "🤣", "😂", "😆", "😅", "haha", "hihi", "hehe", "kkk", "hahaha")
_EMO_RE = re.compile("|".join(re.escape(e) for e in sorted(set(EMO_POS + EMO_NEG + EMO_LAUGH), key=len, reverse=True)))
_CUE_TOK = re.compile(r"[^\W_]+|[?!.,;…]", re.UNICODE)


def has_polar_emoji(text: str) -> bool:
    """True when `text` holds an emoji or emoticon of EMO_POS or EMO_NEG (a laugh alone is friendly or mocking:
    without words it says nothing). The Sentiment step reads a reply made only of emoji when this holds."""
    return any(m.group(0) not in EMO_LAUGH for m in _EMO_RE.finditer(text.lower()))


_QWORDS = {"không", "chưa", "sao", "gì", "nào", "đâu", "bao", "mấy", "ai", "hả", "à", "nhỉ", "ạ", "chứ",
           "hông", "ko", "k", "hem"}
_QPHRASES = ("bao giờ", "bao nhiêu", "mấy giờ", "ở đâu", "cho hỏi", "cho em hỏi", "có ai", "ai biết", "thế nào",
             "như thế nào", "làm sao", "tại sao", "có không", "được không", "phải không", "gì vậy", "gì thế",
             "nào vậy", "sao vậy", "chưa ạ", "không ạ", "xin link", "xin giá", "ib", "inbox")
CUE_NAMES = ("emo_pos", "emo_neg", "emo_laugh", "lex_pos", "lex_neg", "neg_pos", "neg_neg", "int_pos", "int_neg",
             "praise_compare", "after_but_pos", "after_but_neg", "question", "exclaim", "laugh_x_neg", "laugh_x_pos",
             "balance", "yn_question", "question_x_opinion", "suggest", "suggest_x_pos", "degree_unknown", "mild",
             "neg_plain", "wish_pos", "wish_more")
# Columns of cue blocks fitted before "yn_question" and "question_x_opinion" were added (models saved then
# read only these).
_CUE_NAMES_V1 = 17
# Columns of cue blocks fitted before the wish cues (round 8) or with them switched off (SentimentCues.wish "").
_CUE_NAMES_V3 = 24
def _has_mark(toks: list[str], marks: set[tuple[str, ...]]) -> bool:
    """One of the phrases `marks` (token tuples) occurs in `toks`."""
    return any(tuple(toks[a:a + n]) in marks for n in {len(m) for m in marks} for a in range(len(toks)))


# Round 8, a wish scope: in a clause opened by a suggestion or wish, opinion words are wished, not said ("nên
# giảng dễ hiểu hơn", "cần nhiều ví dụ hơn", "mong cán bộ trả lời nhanh hơn" name what is lacking now). With one of
# these after the opener the wish asks for more of something: "wish_more".
_WISH_MORE = {"hơn", "thêm", "nữa", "lại", "chút", "hon", "them", "nua"}
# … unless the clause asks to keep or spread what is there ("nên nhân rộng hơn nữa", "cần phát huy", "mong thầy
# luôn vui khỏe", "mong có thêm nhiều chương trình ý nghĩa như này"): praise, read as before round 8.
_WISH_KEEP = {("nhân", "rộng"), ("phát", "huy"), ("duy", "trì"), ("tiếp", "tục"), ("giữ", "vững"), ("luôn",),
              ("mãi",), ("như", "này"), ("như", "vậy"), ("như", "thế"), ("như", "thế", "này"), ("học", "tập"),
              ("khỏe",), ("khoẻ",), ("thành", "công"), ("hạnh", "phúc"), ("nhan", "rong"), ("phat", "huy")}


def _keep_clause(toks: list[str]) -> bool:
    """The clause asks to keep or spread what is there, or wishes a person well (_WISH_KEEP)."""
    return _has_mark(toks, _WISH_KEEP)


# A suggestion or request ("thầy nên cho thêm bài tập", "mong shop kiểm tra lại", "cần cải thiện"): these open
# one anywhere in a clause; "nên"/"cần" only near the clause start (after at most 3 words: "giảng viên nên …"),
# as "nên" is also "so" ("dạy nhanh nên em không hiểu") and "cần bán/mua/tuyển" is an ad.
_SUGGEST_ANY = {"mong", "hy", "hi", "đề", "kiến", "yêu", "giá", "ước", "phải"}
_SUGGEST_PHRASES = {("mong",), ("mong", "muốn"), ("hy", "vọng"), ("hi", "vọng"), ("đề", "nghị"), ("kiến", "nghị"),
                    ("yêu", "cầu"), ("giá", "như"), ("giá", "mà"), ("ước", "gì"), ("phải", "chi"), ("đề", "xuất")}
_SUGGEST_NEAR = {"nên", "cần", "nen", "can"}
_NOT_SUGGEST_AFTER = {"bán", "mua", "tuyển", "thuê", "tìm", "gấp", "gì", "ban", "tuyen", "thue", "tim", "gap",
                      "gi",
                      # a recommendation to others, not a request to whoever is judged: "nên đi thử", "nên ghé"
                      "thử", "ghé", "xem", "đến", "tới", "đi", "ủng", "thu", "ghe", "den", "toi", "di"}
_CAUSE = {"vì", "do", "tại", "bởi"}  # "vì/do …" opens a cause: a "nên" after it is "so"
# Degree adverbs: next to a word the lexicon lacks they still mark an evaluation ("khá nhanh", "quá nhiều bài
# tập", "nói nhỏ quá"); "hơi" before a word is a mild criticism ("hơi nhanh", "hơi khó") unless it is the noun
# ("xe hơi", "hơi nước") or the slang "hơi bị" (= very).
_DEGREE_PRE = {"rất", "quá", "hơi", "khá", "cực", "siêu", "cực kỳ", "cực kì", "vô cùng", "hết sức", "khá là"}
_DEGREE_POST = {"quá", "lắm", "ghê"}
# (accented forms only: the classifier reads restored text, and "hoi", "qua" are mostly "hỏi", "qua")
_HOI_NOUN_BEFORE = {"xe", "nước", "bốc", "ga", "bếp", "thở", "hết", "một", "hút", "bình", "lò", "bom", "mùi", "súng"}
# A clause ending in one of these after "có/đã/được/bị …" is a yes/no question ("máy có nóng không").
_YN_END = {"không", "chưa", "ko", "k", "hông", "hem", "hok", "khong", "chua", "kh"}
_YN_OPEN = {"có", "đã", "được", "bị", "co", "da", "duoc", "bi"}
# Words that may follow the question word ("… không ạ", "… chưa mn", "… không shop").
_YN_TAIL = {"ạ", "a", "mn", "mng", "ad", "shop", "vậy", "vay", "nhỉ", "nhé", "ơi", "bạn", "các", "mọi", "người", "mẹ",
            "anh", "chị", "em", "bác", "ta", "thế", "hả"}


def load_opinion_lexicon(path: Path = OPINION_PATH) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for ln in fh:
            if ln.startswith("#") or not ln.strip():
                continue
            term, tag = ln.rstrip("\n").split("\t")[:2]
            out.setdefault(tag.strip(), []).append(term.strip().lower())
    return out


class SentimentCues(BaseEstimator, TransformerMixin):
    """Dense cue counts for sentiment on social text (one column per name in CUE_NAMES, log1p-scaled).

    Emoji/emoticon polarity; opinion words from the team lexicon, flipped by a negator up to 3 words before
    ("không tốt", "chẳng ra gì" → negative; "không có gì để chê" → positive); an opinion word after
    "chưa/không … nào/ai … như/bằng/hơn" is praise by comparison ("chưa từng thấy phim nào ý nghĩa như
    phim này"), not negated; intensifiers and "!" (stretched letters become "!" in normalisation);
    the clause after "nhưng" carries the point; question forms.
    """

    def __init__(self, scale: float = 1.0, wish: str = "", contrast: str = ""):
        self.scale = scale
        # round 8: "add" counts praise words after a suggestion opener in the clause also as `wish_pos` and
        # marks a wish for more (`wish_more`); "move" counts them there instead of lex_pos (and balance);
        # "" = the 24 cues of round 7 (nlp.train.WISH_CUES)
        self.wish = wish
        # round 22: "r22" also reads the lexicon's `contrast_r22` rows ("mỗi tội", "khổ nỗi", "chỉ tiếc" …) as
        # contrast words, so the clause after them carries the point; "" = the round-6 rows (nlp.train.CONTRAST_LEXICON)
        self.contrast = contrast

    def __setstate__(self, state: dict) -> None:
        """A block pickled before round 8 has no `wish`: without it get_params and repr fail (scikit-learn reads
        every __init__ argument back). A block of round 8's comparison variants (29 columns, removed in round 9)
        is refused here with a clear message; otherwise its model fails at the first item on a column count."""
        if state.get("n_cues_", 0) > len(CUE_NAMES):
            raise ValueError(f"Mô hình này đọc {state['n_cues_']} cột tín hiệu cảm xúc, mã hiện tại chỉ có "
                             f"{len(CUE_NAMES)} (các cột so sánh của vòng 8 đã bỏ ở vòng 9, xem commit 0c65bd1); "
                             "hãy huấn luyện lại bằng `langnghe train`.")
        super().__setstate__({"wish": "", "contrast": "", **state})

    def fit(self, X=None, y=None):  # noqa: N803
        lex = load_opinion_lexicon()
        self.table_: dict[tuple[str, ...], str] = {}
        for tag in ("pos", "neg", "negator", "intens", "contrast", "compare"):
            for term in lex.get(tag, []):
                toks = tuple(term.split())
                self.table_.setdefault(toks, tag)
                if len(toks) > 1:
                    self.table_.setdefault(tuple(fold(t) for t in toks), tag)
        if getattr(self, "contrast", ""):
            # as written only, never folded: "mỗi tội" folds to "moi toi", which "mới tới" folds to as well; the
            # forms typed without diacritics that are safe are rows of their own
            for term in lex.get(f"contrast_{self.contrast}", []):
                self.table_.setdefault(tuple(term.split()), "contrast")
        self.maxlen_ = max(len(k) for k in self.table_)
        self.n_cues_ = len(CUE_NAMES) if getattr(self, "wish", "") else _CUE_NAMES_V3
        return self

    def _tags(self, toks: list[str]) -> list[tuple[str, int]]:
        """Longest-match lexicon tags as (tag, token index); unmatched tokens give ("", i)."""
        out: list[tuple[str, int]] = []
        i, n = 0, len(toks)
        folded = [fold_word(t) for t in toks]  # tokens repeat across items: the cached fold
        while i < n:
            hit = None
            for L in range(min(self.maxlen_, n - i), 0, -1):
                tag = self.table_.get(tuple(toks[i:i + L]))
                if tag is None and L > 1:
                    tag = self.table_.get(tuple(folded[i:i + L]))
                if tag is not None:
                    hit = (tag, L)
                    break
            if hit is None:
                out.append(("", i))
                i += 1
            else:
                out.append((hit[0], i))
                i += hit[1]
        return out

    @staticmethod
    def _compare_ahead(tags: list[tuple[str, int]], toks: list[str], k: int) -> bool:
        """A comparison word ("như", "bằng", "hơn") follows in the same clause."""
        for tag, i in tags[k + 1:]:
            if toks[i] in "?!.,;…":
                return False
            if tag == "compare":
                return True
        return False

    @staticmethod
    def _suggestion(tags: list[tuple[str, int]], toks: list[str], k: int, clause_k: int) -> bool:
        """Tag k opens a suggestion or request (see _SUGGEST_ANY, _SUGGEST_NEAR); `clause_k` is its place in the
        clause (9 when an opinion word or "vì/do" came before it: then "nên" is "so")."""
        tok = toks[tags[k][1]]
        nxt = toks[tags[k + 1][1]] if k + 1 < len(tags) else ""
        if tok in _SUGGEST_NEAR:
            return clause_k <= 3 and nxt not in _NOT_SUGGEST_AFTER and not (tok in ("cần", "can") and clause_k
                                                                            and toks[tags[k - 1][1]] == "ai")
        if tok in _SUGGEST_ANY:
            return (tok,) in _SUGGEST_PHRASES or (tok, nxt) in _SUGGEST_PHRASES
        return False

    @staticmethod
    def _keep_flags(toks: list[str]) -> list[bool]:
        """Per token: its clause (between ?!.,;…) asks to keep or spread what is there (_keep_clause)."""
        out: list[bool] = []
        start = 0
        for i, t in enumerate(toks + ["."]):
            if t in "?!.,;…":
                out += [_keep_clause(toks[start:i])] * (i - start) + [False]
                start = i + 1
        return out[:len(toks)]

    @staticmethod
    def _degree(tags: list[tuple[str, int]], toks: list[str], k: int, v: np.ndarray) -> None:
        """A degree adverb next to a word that is not an opinion word (cue 21); "hơi" + word (cue 22)."""
        def plain(j: int) -> bool:
            return 0 <= j < len(tags) and tags[j][0] == "" and toks[tags[j][1]] not in "?!.,;…"

        i = tags[k][1]
        end = tags[k + 1][1] if k + 1 < len(tags) else len(toks)
        span = " ".join(toks[i:end])
        if span == "hơi" and k + 1 < len(tags) and toks[tags[k + 1][1]] not in "?!.,;…":
            before = toks[tags[k - 1][1]] if k else ""
            if before in _HOI_NOUN_BEFORE or toks[tags[k + 1][1]] in ("bị", "bi", "nước", "thở", "men", "ga"):
                return
            v[22] += 1
        if span in _DEGREE_PRE and plain(k + 1):
            v[21] += 1
        elif span in _DEGREE_POST and k and plain(k - 1) and not (k + 1 < len(tags) and tags[k + 1][0] in ("pos", "neg")):
            v[21] += 1

    def cues(self, text: str) -> np.ndarray:
        v = np.zeros(len(CUE_NAMES), dtype=np.float32)
        low = text.lower()
        for m in _EMO_RE.finditer(low):
            e = m.group(0)
            v[0 if e in EMO_POS else 1 if e in EMO_NEG else 2] += 1
        toks = [t for t in _CUE_TOK.findall(_EMO_RE.sub(" ", low))]
        tags = self._tags(toks)
        last_neg = -9      # position (in tags) of the last negator
        compare_open = False
        last_int = -9
        but = False
        clause_op, clause_open, prev = 0, False, ""
        clause_k, suggest, clause_pos = 0, False, 0  # tags since the clause started; a suggestion in it
        cause = False  # "vì/do …" opened the clause: a "nên" after it is "so"
        neg_word, neg_op = False, False  # a negator followed by a word in this clause; it negated an opinion word
        n_cues = getattr(self, "n_cues_", len(CUE_NAMES))
        wish = getattr(self, "wish", "") if n_cues > _CUE_NAMES_V3 else ""
        keep = self._keep_flags(toks) if wish else []
        more = False  # a "hơn / thêm / nữa / lại / chút" after the suggestion opener of this clause
        for k, (tag, i) in enumerate(tags + [("", -1)]):
            tok = toks[i] if i >= 0 else "."
            if tok in "?!.,;…":
                if tok == "?" or (clause_open and prev in _YN_END):
                    v[17] += prev in _YN_END and clause_open
                    v[18] += clause_op  # opinion words inside a question ("pin có trâu không"): asked, not said
                if suggest:
                    v[19] += 1
                    v[20] += clause_pos > 0  # "nên nhân rộng", "mong thầy luôn vui khỏe": a wish, not a fault
                    if wish:
                        v[25] += more  # "cần nhiều ví dụ hơn": what is wished is lacking now
                is_yn = clause_open and prev in _YN_END
                if n_cues > 23 and neg_word and not neg_op and not is_yn and tok != "?" and not compare_open:
                    v[23] += 1  # "không có tài liệu", "chưa ai trả lời": a lack or a refusal, with no opinion word
                neg_word, neg_op = False, False
                clause_op, clause_open, prev = 0, False, ""
                clause_k, suggest, clause_pos, cause, more = 0, False, 0, False, False
                if i < 0:
                    break
                last_neg, compare_open = -9, False
                if tok == "!":
                    v[13] += 1
                continue
            last = toks[tags[k + 1][1] - 1 if k + 1 < len(tags) else len(toks) - 1]  # last word of this span
            if last not in _YN_TAIL:
                prev = last
            clause_open = clause_open or tok in _YN_OPEN
            if n_cues > 19:
                suggest = suggest or self._suggestion(tags, toks, k, clause_k if not clause_op and not cause else 9)
                self._degree(tags, toks, k, v)
            clause_k += 1
            more = more or (bool(wish) and suggest and tok in _WISH_MORE and not keep[i])
            cause = cause or tok in _CAUSE
            if 0 < k - last_neg <= 2 and tok not in _YN_TAIL and tag != "negator":
                neg_word = True
            if tag == "negator":
                last_neg = k
                compare_open = False
            elif tag == "intens":
                last_int = k
            elif tag == "contrast" and k > 0:
                but = True
                if n_cues > 19:  # the clause after "nhưng" carries the point: suggestions, degree words and
                    v[19:26] = 0  # plain negations before it do not ("giá hơi cao nhưng chất lượng xứng đáng")
                    suggest, clause_pos, neg_word, more = False, 0, False, False
            elif tok in ("nào", "ai") and last_neg >= 0 and k - last_neg <= 4 and self._compare_ahead(tags, toks, k):
                compare_open = True
            elif tag in ("pos", "neg"):
                clause_op += 1
                negated = 0 <= k - last_neg <= 4
                pos = tag == "pos"
                clause_pos += pos
                if compare_open:
                    if pos:
                        v[9] += 1  # "chưa thấy phim nào hay như…": praise
                    v[3 if pos else 4] += 1  # "chưa thấy ai tệ như vậy": still negative
                elif negated:
                    v[5 if pos else 6] += 1
                    neg_op = True
                elif wish and pos and suggest and not keep[i]:
                    v[24] += 1  # "nên giảng dễ hiểu hơn": praise wished for, not given
                    if wish == "add":
                        v[3] += 1
                else:
                    v[3 if pos else 4] += 1
                    if 0 <= k - last_int <= 2 or (k + 1 < len(tags) and tags[k + 1][0] == "intens"):
                        v[7 if pos else 8] += 1
                    if but:
                        v[10 if pos else 11] += 1
        stripped = low.rstrip(" .!…")
        last_words = toks[-2:] if toks else []
        open_end = bool(tags) and tags[-1][0] == ""
        joined = " ".join(toks)
        if "?" in low or (open_end and last_words and last_words[-1] in _QWORDS) or any(
                q in joined for q in _QPHRASES):
            v[12] += 1
        if stripped.startswith(("cho hỏi", "cho em hỏi", "cho mình hỏi", "ai biết", "có ai")):
            v[12] += 1
        if v[2]:
            v[14] = v[2] * (v[4] + v[5] > 0)
            v[15] = v[2] * (v[3] + v[6] > 0)
        v[16] = (v[0] + v[3] + v[6] + v[9]) - (v[1] + v[4] + v[5])
        return v

    def transform(self, X):  # noqa: N803
        M = np.vstack([self.cues(t) for t in X]) if len(X) else np.zeros((0, len(CUE_NAMES)), np.float32)
        M = M[:, :getattr(self, "n_cues_", _CUE_NAMES_V1)]  # a block fitted with fewer cues reads only those
        M = np.sign(M) * np.log1p(np.abs(M)) * self.scale
        return sp.csr_matrix(M.astype(np.float32))

    def get_feature_names_out(self, input_features=None):
        return np.array([f"cue_{n}" for n in CUE_NAMES[:getattr(self, "n_cues_", _CUE_NAMES_V1)]])


# ------------------------------------------------------------------ scope marking for the comment-only vocabulary
# Negation scope (Das & Chen 2001; Pang et al. 2002): the words after a negator, up to the clause end, read as
# other words ("không tốt lắm" → "không neg_tốt neg_lắm"), so that "tốt" under a negation is a feature of its own.
# Contrast scope: the words of the sentence after "nhưng / tuy nhiên / có điều / tiếc là / , mà", which carries
# the point by the guideline ("giá hơi cao nhưng đáng tiền" → "… nhưng but_đáng but_tiền").
# Not "kg": the normaliser expands the teencode "kg" to "không" and keeps a "kg" that is a unit ("2 kg", "đồng/kg").
NEGATORS = {"không", "chẳng", "chả", "chưa", "ko", "k", "kh", "khg", "khong", "hok", "hông", "hổng", "hem",
            "khum", "chẳg", "đếch", "chang"}
# "không khí", "không gian", "không những … mà còn", "chả cá": no negation
_NOT_NEGATED_AFTER = {"khí", "gian", "quân", "phận", "lưu", "dây", "những", "chỉ", "riêng", "ngừng", "ngớt", "cá",
                      "giò", "lụa", "nem", "quế", "mực", "rươi", "trung", "tặc", "kích", "thể"}
_CONTRAST_OPEN = {("nhưng",), ("tuy", "nhiên"), ("có", "điều"), ("tiếc", "là"), ("song",), ("ngặt", "nỗi")}
# Round 21 (nlp.train.CONTRAST_OPENERS "r21"): the concessive openers the set above lacks, as written in comments —
# "nhân viên dễ thương, mỗi tội chờ lâu", "khổ nỗi", "chỉ tiếc", "hiềm nỗi", "cái tội", "vậy mà", "tuy vậy", "bù lại"
# ("đắt, bù lại ngon": the point follows too) —, and the unambiguous ones without diacritics (the restorer may leave
# them: "moi toi", "kho noi"). Left out: "được cái" (it opens the courtesy, not the point: "được cái nhiệt tình, mỗi
# tội chậm"), a bare "tuy" (the concession itself: "tuy đắt nhưng ngon"), "cai toi" ("cái tôi", the ego), "nhung"
# ("những").
_CONTRAST_OPEN_R21 = _CONTRAST_OPEN | {
    ("mỗi", "tội"), ("moi", "toi"), ("cái", "tội"),
    ("khổ", "nỗi"), ("khổ", "một", "nỗi"), ("khổ", "cái"), ("kho", "noi"),
    ("chỉ", "tiếc"), ("tiếc", "cái"), ("tiếc", "mỗi"), ("chi", "tiec"), ("tiec", "la"),
    ("hiềm", "nỗi"), ("hiềm", "một", "nỗi"), ("hiem", "noi"), ("ngặt", "một", "nỗi"), ("ngat", "noi"),
    ("co", "dieu"), ("tuy", "nhien"), ("tuy", "vậy"), ("tuy", "thế"), ("dù", "vậy"), ("dù", "thế"),
    ("vậy", "mà"), ("thế", "mà"), ("vay", "ma"), ("bù", "lại"), ("bu", "lai"),
}
CONTRAST_OPENERS = {"": _CONTRAST_OPEN, "r21": _CONTRAST_OPEN_R21}  # the names nlp.train.CONTRAST_OPENERS takes
_CONTRAST_AFTER_BREAK = {"mà"}  # "…, mà giá lại đắt": only at a clause start ("đẹp mà rẻ" is "and")
_CLAUSE_WORDS = {"nhưng", "mà", "tuy", "song"}
_SCOPE_TOK = re.compile(r"\w+|[^\w\s]+", re.UNICODE)
_COMPARE = {"như", "bằng", "hơn", "nhất"}


def _clauses(toks: list[str]) -> list[tuple[int, int]]:
    """(start, end) of the runs of word tokens between punctuation, emoji and contrast words."""
    out, start = [], 0
    for i, t in enumerate(toks + ["."]):
        if not t[0].isalnum() and t[0] != "_" or t in _CLAUSE_WORDS:
            if i > start:
                out.append((start, i))
            start = i + 1
    return out


def mark_negation(text: str, window: int = 0, prefix: str = "neg_") -> str:
    """The words after a negator up to the clause end (or `window` words, if > 0) get `prefix`.

    Left alone: a negator that ends its clause or is followed only by particles ("có tốt không ạ": the question
    particle), a clause that is a yes/no question ("có … không"), a comparison ("chưa thấy ai/nào … như / bằng /
    hơn", praise, as the cue block reads it), "không khí / không những / chả cá" and "y chang" (just like). Lowercase input; the
    tokens come back joined by one space (the word vocabulary reads only the words).
    """
    toks = _SCOPE_TOK.findall(text)
    out = list(toks)
    for s, e in _clauses(toks):
        tail = e
        while tail > s and toks[tail - 1] in _YN_TAIL:
            tail -= 1
        if tail - s >= 2 and toks[tail - 1] in _YN_END and any(w in _YN_OPEN for w in toks[s:tail - 1]):
            continue  # "máy có bị nóng không mn": asked, not said
        i = s
        while i < e:
            t = toks[i]
            if t in NEGATORS and i + 1 < tail and toks[i + 1] not in _NOT_NEGATED_AFTER and not (
                    t == "k" and i > s and toks[i - 1].isdigit()) and not (
                    t == "chang" and i > s and toks[i - 1] == "y"):  # "y chang": just like
                scope = toks[i + 1:e]
                if any(w in ("nào", "ai") for w in scope[:4]) and any(w in _COMPARE for w in scope):
                    break  # "chưa thấy phim nào ý nghĩa như phim này": praise by comparison
                j = i + 1
                while j < e and (window <= 0 or j - i <= window) and toks[j] not in NEGATORS:
                    out[j] = prefix + toks[j]
                    j += 1
                i = j
                continue
            i += 1
    return " ".join(out)


def _opener_spans(toks: list[str], openers: set[tuple[str, ...]]) -> tuple[set[int], set[int]]:
    """Token indices inside a contrast opener of `openers` (up to 3 words), and those that end one."""
    inside: set[int] = set()
    ends: set[int] = set()
    for i in range(len(toks)):
        for n in (1, 2, 3):
            if tuple(toks[i:i + n]) in openers:
                inside.update(range(i, i + n))
                ends.add(i + n - 1)
    return inside, ends


def mark_contrast(text: str, mode: str = "mark", prefix: str = "but_", openers: str = "") -> str:
    """The words of the sentence after a contrast word ("nhưng", "tuy nhiên", "có điều", "tiếc là", a clause-
    initial "mà"; with `openers` "r21" also "mỗi tội", "khổ nỗi", "chỉ tiếc" …: CONTRAST_OPENERS) get `prefix`
    (mode "mark"), or are repeated with it at the end (mode "dup")."""
    toks = _SCOPE_TOK.findall(text)
    inside, ends = _opener_spans(toks, CONTRAST_OPENERS[openers])
    out = list(toks)
    dup: list[str] = []
    on = False
    for i, t in enumerate(toks):
        if t[0] in ".!?…\n" or (not t[0].isalnum() and t[0] != "_" and t[0] not in ",;:-"):
            on = False  # a sentence end or an emoji ends the scope
            continue
        if i in ends or (t in _CONTRAST_AFTER_BREAK and (i == 0 or toks[i - 1] in (",", ";", "…"))):
            on = True
            continue
        if on and t[0].isalnum() and i not in inside:
            if mode == "dup":
                dup.append(prefix + t)
            else:
                out[i] = prefix + t
    if dup:
        out += ["|"] + dup
    return " ".join(out)


_OPINION_TERMS: set[tuple[str, ...]] | None = None  # _opinion_terms(), filled on first use


def _opinion_terms() -> set[tuple[str, ...]]:
    """The team lexicon's praise and complaint terms as token tuples (read once)."""
    global _OPINION_TERMS
    if _OPINION_TERMS is None:
        lex = load_opinion_lexicon()
        _OPINION_TERMS = {tuple(t.split()) for tag in ("pos", "neg") for t in lex.get(tag, [])}
    return _OPINION_TERMS


def _wish_opener(toks: list[str], s: int, i: int) -> int:
    """Length of the suggestion or wish opener at toks[i] in the clause starting at s (0: none); the same rule as
    the `suggest` cue: "mong / hy vọng / đề nghị …" anywhere, "nên / cần" within the first 3 words of the
    clause with no opinion word or "vì / do" before them, not "cần bán", "ai cần" nor "nên đi thử"."""
    t = toks[i]
    nxt = toks[i + 1] if i + 1 < len(toks) else ""
    if t in _SUGGEST_NEAR:
        before = toks[s:i]
        if i - s > 3 or nxt in _NOT_SUGGEST_AFTER or (t in ("cần", "can") and before[-1:] == ["ai"]):
            return 0
        if _CAUSE & set(before):
            return 0
        terms = _opinion_terms()
        if any(tuple(before[a:b]) in terms for a in range(len(before)) for b in range(a + 1, len(before) + 1)):
            return 0  # "dạy hay nên em thích": "nên" is "so"
        return 1
    if t in _SUGGEST_ANY:
        if (t, nxt) in _SUGGEST_PHRASES:
            return 2
        return 1 if (t,) in _SUGGEST_PHRASES else 0
    return 0


def _wish_scope(toks: list[str]) -> list[int]:
    """Indices of the words after a suggestion or wish opener, up to the clause end."""
    out: list[int] = []
    for s, e in _clauses(toks):
        if _keep_clause(toks[s:e]):
            continue  # "nên nhân rộng hơn nữa": praise, left as it was
        for i in range(s, e):
            n = _wish_opener(toks, s, i)
            if n:
                out.extend(range(i + n, e))
                break
    return out


def mark_wish(text: str, prefix: str = "wish_", marked: str | None = None) -> str:
    """The words after a suggestion or wish opener up to the clause end get `prefix` ("thầy nên giảng chậm hơn" →
    "thầy nên wish_giảng wish_chậm wish_hơn"): praise words in a wish are wished, not said. Lowercase input;
    `marked`: the same text after mark_negation (same tokens, some prefixed), to prefix instead."""
    toks = _SCOPE_TOK.findall(text)
    out = marked.split(" ") if marked else list(toks)
    if len(out) != len(toks):  # `marked` no longer has one token per token of `text`: mark the text itself
        out = list(toks)
    for j in _wish_scope(toks):
        out[j] = prefix + out[j]  # on top of earlier markings: "wish_neg_tốt"
    return " ".join(out)


class ScopeMarker:
    """Preprocessor of the comment-only word vocabulary: lowercase, then negation and/or contrast scope marking
    (nlp.train.NEG_SCOPE, CONTRAST_SCOPE). A class, not a closure, so that the fitted vocabulary pickles. The
    pickle keeps only the settings: a saved model reads with the mark_negation / mark_contrast of the running code,
    so a change to them changes how a shipped model reads comments until it is retrained."""

    def __init__(self, negation: bool = True, window: int = 0, contrast: str = "", wish: bool = False,
                 openers: str = ""):
        self.negation = negation
        self.window = window
        self.contrast = contrast
        self.wish = wish  # round 8: the words of a wish clause get "wish_" (mark_wish; nlp.train.WISH_MARK)
        # round 21: which contrast openers the contrast scope reads (CONTRAST_OPENERS; nlp.train.CONTRAST_OPENERS),
        # kept in the pickle so that a model keeps the openers it was trained with
        self.openers = openers

    def __call__(self, text: str) -> str:
        text = text.lower()
        wish = getattr(self, "wish", False)  # markers pickled before round 8 have no such setting
        if self.negation and wish:
            text = mark_wish(text, marked=mark_negation(text, self.window))  # "nên wish_neg_để …"
        elif self.negation:
            text = mark_negation(text, self.window)
        elif wish:
            text = mark_wish(text)
        if self.contrast:
            text = mark_contrast(text, self.contrast, openers=getattr(self, "openers", ""))  # pickled before round 21: ""
        return text
