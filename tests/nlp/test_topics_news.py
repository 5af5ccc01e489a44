"""The real-variety news slices (labelled_N*.jsonl, issue 13): their files, that they train the topic models
only (not sentiment, not the restorer), and the per-topic thresholds of the topic rule."""

from __future__ import annotations

import unicodedata

import numpy as np
from sklearn.metrics import f1_score

from nlp.train import (_per_topic_thresholds, is_news_set, is_social_set, load_labelled, trains_restorer,
                       trains_sentiment)
from vocab.labels import TOPICS


def test_news_slices_are_loaded_and_well_formed():
    news = [r for r in load_labelled() if is_news_set(r)]
    assert len(news) >= 500
    assert len({r["id"] for r in news}) == len(news)
    for r in news:
        assert r["id"].startswith("N") and r["_file"].startswith("labelled_N")
        assert r["topics"] and set(r["topics"]) <= set(TOPICS), r["id"]
        assert r["style"] == "press" and r["diacritics"] is True and r["title"] and r["text"]
        assert unicodedata.normalize("NFC", r["title"] + r["text"]) == r["title"] + r["text"], r["id"]
        assert not is_social_set(r)
    per = {t: sum(t in r["topics"] for r in news) for t in ("education", "economy", "health")}
    assert min(per.values()) >= 100, per


def test_news_rows_train_topics_only():
    news = {"id": "N1-0001", "_file": "labelled_N1.jsonl", "sentiment": "neutral", "diacritics": True}
    press = {"id": "A-0001", "_file": "labelled_A.jsonl", "sentiment": "neutral", "diacritics": True}
    social = {"id": "S1-0001", "_file": "labelled_S1.jsonl", "sentiment": "neutral", "diacritics": True}
    assert not trains_sentiment(news) and not trains_restorer(news)
    assert trains_sentiment(press) and trains_restorer(press)
    assert trains_sentiment(social) and not trains_restorer(social)
    assert not trains_restorer({**press, "diacritics": False})
    assert trains_restorer({"id": "human:1", "title": "Tin", "sentiment": None})  # a staff correction with a title
    assert not trains_restorer({"id": "human:2", "title": "", "sentiment": None})  # of a comment: like the social rows


def test_per_topic_thresholds_raise_the_cross_validated_f1():
    rng = np.random.default_rng(0)
    Y = rng.random((400, 3)) < 0.3
    # topic 0 scores are shifted up (its best threshold is higher), topic 2 down
    S = np.where(Y, 0.3, -0.6) + rng.normal(0, 0.35, Y.shape) + np.array([0.4, 0.0, -0.25])

    def macro(P):
        return float(np.mean([f1_score(Y[:, j], P[:, j]) for j in range(3)]))

    rule = {"threshold": -0.1, "fallback": 9.0, "margin": 9.0, "top_k": 3}
    th = _per_topic_thresholds(S.astype(np.float32), rule, macro)
    assert len(th) == 3
    assert th[0] > -0.1 > th[2]
    assert macro(S > np.array(th)) > macro(S > -0.1)
