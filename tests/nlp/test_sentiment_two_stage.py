"""The two-stage comment model (nlp.train SENT_TWO_STAGE, round 21): opinion or none, then which pole."""

from __future__ import annotations

import pickle
from types import SimpleNamespace

import numpy as np
import pytest

from nlp import train as T
from nlp.classify import Classifier, TwoStageSentiment

LABELS = ["negative", "neutral", "positive"]


def _stage(classes: list[str], margins: np.ndarray) -> SimpleNamespace:
    """A fitted binary model whose margin on row i is margins[i] (rows are given as their index)."""
    return SimpleNamespace(classes_=np.array(classes), coef_=np.ones((1, 4)),
                           decision_function=lambda X: margins[np.asarray(X).ravel().astype(int)])


def test_argmax_of_the_three_columns_is_the_two_stage_decision():
    rng = np.random.default_rng(0)
    o, p = rng.normal(size=500), rng.normal(size=500)
    model = TwoStageSentiment(_stage(["neutral", "opinion"], o), _stage(["negative", "positive"], p))
    got = list(model.predict(np.arange(500)[:, None]))
    want = ["neutral" if a < 0 else "positive" if b > 0 else "negative" for a, b in zip(o, p)]
    assert got == want and set(got) == set(LABELS)
    assert model.coef_.shape == (3, 4) and list(model.classes_) == LABELS


def test_stages_must_be_the_opinion_and_the_polarity_model():
    with pytest.raises(ValueError):
        TwoStageSentiment(_stage(["negative", "positive"], np.zeros(1)), _stage(["neutral", "opinion"], np.zeros(1)))


def test_fit_sentiment_with_the_switch_gives_a_two_stage_model_that_the_classifier_reads(monkeypatch):
    """The polarity stage sees polar rows only; the classifier reads comments with it and titled items with the
    press model; it pickles. Off (the default), the comment model is one 3-class linear model."""
    from tests.nlp.test_sentiment_mix import _two_register_rows

    docs, texts = _two_register_rows()
    feats = T.make_features().fit(texts)
    X = feats.transform(texts)
    w = np.ones(len(docs))
    assert T.SENT_TWO_STAGE is False
    _, _, one, _ = T.fit_sentiment(X, texts, docs, w, features=feats)
    assert not isinstance(one, TwoStageSentiment)
    monkeypatch.setattr(T, "SENT_TWO_STAGE", True)
    cues, cf, sent, press = T.fit_sentiment(X, texts, docs, w, features=feats)
    assert isinstance(sent, TwoStageSentiment)
    assert sent.polarity.coef_.shape == sent.opinion.coef_.shape == (1, one.coef_.shape[1])
    clf = pickle.loads(pickle.dumps(Classifier(feats, {}, {}, sent, "t", {}, cues=cues, comment_features=cf,
                                               press_sentiment_model=press)))
    Xc = clf.transform(texts)
    got = clf.predict_sentiment(Xc)
    comment = [i for i, t in enumerate(texts) if t.startswith("\n")]
    assert [got[i] for i in comment] == [docs[i]["sentiment"] for i in comment]
    titled = [i for i, t in enumerate(texts) if not t.startswith("\n")]
    assert [got[i] for i in titled] == list(press.predict(Xc[titled][:, :press.coef_.shape[1]]))


def test_a_binary_stage_is_mixed_with_the_log_odds_of_its_nb_model(monkeypatch):
    """mix_comment_model on a binary LinearSVC: one margin, NB's log-odds of classes_[1] matched to it."""
    from tests.nlp.test_sentiment_mix import _data
    from sklearn.svm import LinearSVC

    X, y = _data()
    keep = y != "neutral"
    X, y = X[np.flatnonzero(keep)], y[keep]
    svm = LinearSVC(C=0.3, class_weight="balanced", random_state=0).fit(X, y)
    m = T.mix_comment_model(svm, X, y, np.ones(len(y)), np.ones(len(y), bool), "mnb", 0.5, word_cols=np.arange(6))
    assert m.coef_.shape == (1, 12) and list(m.classes_) == ["negative", "positive"]
    assert list(m.predict(X)) == list(y)
