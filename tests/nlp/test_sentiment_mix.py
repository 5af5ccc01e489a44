"""The comment model's second model family (nlp.train SENT_MIX, round 7): one linear model, the mix folded in."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import scipy.sparse as sp
from sklearn.naive_bayes import MultinomialNB
from sklearn.svm import LinearSVC

from nlp import train as T

LABELS = ["negative", "neutral", "positive"]


def _data():
    rng = np.random.default_rng(0)
    y = np.array(LABELS * 30)
    X = rng.random((90, 12)) * (rng.random((90, 12)) < 0.3)
    for j, c in enumerate(LABELS):
        X[np.flatnonzero(y == c), j] = 1.0  # one word per class
    return sp.csr_matrix(X), y


def test_mix_is_the_svm_and_the_matched_nb_score_in_one_linear_model(monkeypatch):
    monkeypatch.setattr(T, "SENT_MIX_ALPHA", 0.5)
    X, y = _data()
    w = np.ones(len(y))
    comment = np.arange(len(y)) % 2 == 0
    svm = LinearSVC(C=0.3, class_weight="balanced", random_state=0).fit(X, y)
    m = T.mix_comment_model(svm, X, y, w, comment, "mnb", 0.4, word_cols=np.arange(6))
    assert isinstance(m, LinearSVC) and m.coef_.shape == (3, 12) and list(m.classes_) == LABELS
    # the same scores by hand: NB's log-likelihoods on the word block, centred over the classes, matched per class
    # to the SVM score's mean and spread on the comment rows, then 0.6 · SVM + 0.4 · NB
    from sklearn.utils.class_weight import compute_sample_weight

    nb = MultinomialNB(alpha=0.5).fit(X[:, :6], y, sample_weight=compute_sample_weight("balanced", y))
    t = nb.predict_joint_log_proba(X[:, :6])
    t -= t.mean(axis=1, keepdims=True)
    s = svm.decision_function(X)
    k = s[comment].std(axis=0) / t[comment].std(axis=0)
    want = 0.6 * s + 0.4 * (k * (t - t[comment].mean(axis=0)) + s[comment].mean(axis=0))
    np.testing.assert_allclose(m.decision_function(X), want, atol=1e-8)
    assert list(m.predict(sp.csr_matrix(np.eye(3, 12)))) == LABELS


def _two_register_rows() -> tuple[list[dict], list[str]]:
    """30 press rows (with a title) and 30 comment rows, ten of each class, as fit_sentiment takes them."""
    words = {"negative": "bức xúc tệ quá", "neutral": "thông báo lịch họp", "positive": "tuyệt vời cảm ơn"}
    docs, texts = [], []
    for i in range(30):
        s = LABELS[i % 3]
        docs.append({"id": f"A-{i}", "title": "Tin", "text": words[s], "sentiment": s, "_file": "labelled_A.jsonl"})
        texts.append(f"Tin\n{words[s]} {i}")
        docs.append({"id": f"S1-{i}", "title": "", "text": words[s], "sentiment": s, "_file": "labelled_S1.jsonl"})
        texts.append(f"\n{words[s]} nha {i % 4}")
    return docs, texts


def test_shipped_comment_model_is_mixed_with_naive_bayes(monkeypatch):
    """fit_sentiment with the shipped settings returns the mix, not the plain LinearSVC (which SENT_MIX = ""
    gives)."""
    docs, texts = _two_register_rows()
    feats = T.make_features().fit(texts)
    X = feats.transform(texts)
    w = np.ones(len(docs))
    assert T.SENT_MIX == "mnb" and 0 < T.SENT_MIX_SHARE < 1
    _, _, mixed, _ = T.fit_sentiment(X, texts, docs, w, features=feats)
    monkeypatch.setattr(T, "SENT_MIX", "")
    _, _, plain, _ = T.fit_sentiment(X, texts, docs, w, features=feats)
    assert mixed.coef_.shape == plain.coef_.shape
    assert not np.allclose(mixed.coef_, plain.coef_)


def test_classifier_reads_comments_with_the_folded_mix_and_titled_items_with_the_press_model():
    """At predict time the saved mix is the score fitted (comment rows) and titled rows stay with the press model."""
    from nlp.classify import Classifier

    docs, texts = _two_register_rows()
    feats = T.make_features().fit(texts)
    X = feats.transform(texts)
    cues, cf, sent, press = T.fit_sentiment(X, texts, docs, np.ones(len(docs)), features=feats)
    assert press is not None
    # a press model that always says "positive", so that a row sent to the wrong model shows
    always = SimpleNamespace(coef_=press.coef_, classes_=press.classes_,
                             decision_function=lambda Z: np.tile([0.0, 0.0, 1.0], (Z.shape[0], 1)))
    clf = Classifier(feats, {}, {}, sent, "t", {}, cues=cues, comment_features=cf, press_sentiment_model=always)
    Xc = clf.transform(texts)
    got = clf.predict_sentiment(Xc)
    titled = np.array([not t.startswith("\n") for t in texts])
    assert {g for g, t in zip(got, titled) if t} == {"positive"}
    want = list(sent.predict(Xc[~titled]))
    assert [g for g, t in zip(got, titled) if not t] == want and set(want) == set(LABELS)
