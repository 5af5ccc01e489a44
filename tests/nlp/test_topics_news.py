"""The real-variety news slices (labelled_N*.jsonl, issue 13): their files, that they train the topic models
only (not sentiment, not the restorer), and the per-topic thresholds of the topic rule."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from nlp.train import (_per_topic_thresholds, is_news_set, is_social_set, load_labelled, macro_f1, trains_restorer,
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

    def macro(P):  # sklearn's per-topic F1 mean, to the last bit (tests/nlp/test_macro_f1.py), without its checks
        return macro_f1(Y, P)

    rule = {"threshold": -0.1, "fallback": 9.0, "margin": 9.0, "top_k": 3}
    th = _per_topic_thresholds(S.astype(np.float32), rule, macro)
    assert len(th) == 3
    assert th[0] > -0.1 > th[2]
    assert macro(S > np.array(th)) > macro(S > -0.1)


def test_news_rows_train_only_the_topics_in_scope(monkeypatch):
    import nlp.train as T
    from nlp.train import topic_rows

    docs = [{"id": "N1-0001", "_file": "labelled_N1.jsonl", "topics": ["education"]},
            {"id": "N1-0002", "_file": "labelled_N1.jsonl", "topics": ["welfare"]},
            {"id": "A-0001", "_file": "labelled_A.jsonl", "topics": []},
            {"id": "S1-0001", "_file": "labelled_S1.jsonl", "topics": [], "_no_topics": True}]
    Y = np.array([[1 if c in d["topics"] else 0 for c in TOPICS] for d in docs])
    assert topic_rows(docs, Y)[:3].all()  # the shipped setting: every topic model reads every news row
    monkeypatch.setattr(T, "NEWS_TOPIC_SCOPE", ("education", "economy", "health", "public_order", "culture_tourism"))
    trains = topic_rows(docs, Y)
    edu, welfare, land = TOPICS.index("education"), TOPICS.index("welfare"), TOPICS.index("land")
    assert trains[0, edu] and not trains[0, welfare] and not trains[0, land]  # no negative for welfare, land
    assert trains[1, welfare] and trains[1, edu]  # labelled with welfare: trains it; in scope: education
    assert trains[2].all() and not trains[3].any()


def test_topic_models_read_their_own_columns_and_sentiment_the_shared_ones():
    from nlp.classify import Classifier, SentimentCues, make_features

    texts = ["Học phí\nhọc sinh trường học phí", "\ncô giáo dạy hay", "Giá vàng\ngiá vàng tăng mạnh",
             "\nđường nát quá", "Bệnh viện\nbác sĩ bệnh viện khám", "\nthầy giáo tận tâm"] * 2
    shared = make_features().fit(texts[1::2])  # without the titled rows: "vàng", "bệnh" are not in it
    own = make_features().fit(texts)

    class Model:  # a linear model over `width` columns that records what it was given
        def __init__(self, width, w=None):
            self.coef_ = np.zeros((3, width)) if w is None else w[None, :]
            self.intercept_ = np.zeros(1)

        classes_ = np.array(["negative", "neutral", "positive"])

        def decision_function(self, X):  # noqa: N803
            self.width = X.shape[1]
            return np.tile([0.0, 1.0, 0.0], (X.shape[0], 1))  # "neutral"

    n_own = own.transform(texts[:1]).shape[1]
    gold = np.zeros(n_own)
    gold[[i for i, n in enumerate(own.get_feature_names_out()) if n.endswith("__vàng")]] = 1.0
    clf = Classifier(shared, {"economy": Model(n_own, gold)}, {"economy": 0.5}, Model(1), "t", {},
                     cues=SentimentCues().fit())
    sent = Model(clf.transform(texts[:1]).shape[1])  # the sentiment columns: shared, comment copy, cues
    clf.sentiment_model, clf.topic_features = sent, own
    X = clf.transform(["Giá vàng\ngiá vàng", "\nđường nát"])
    assert clf.predict_topics(X) == [["economy"], []]
    assert clf.predict_sentiment(X) == ["neutral", "neutral"]
    assert sent.width == sent.coef_.shape[1]  # the sentiment model reads its own columns only


def test_shared_analysis_gives_the_numbers_of_two_transforms():
    from nlp.classify import SharedAnalysis, make_features

    texts = ["Học phí tăng\nhọc sinh nghèo", "\ncô giáo dạy hay", "Giá vàng\ngiá vàng tăng", "\nđường nát quá",
             "Bệnh viện tỉnh\nbác sĩ khám", "\nthầy giáo tận tâm", "Giá xăng\nxăng tăng giá"] * 2
    a = make_features().fit(texts[1::2])
    b = make_features().fit(texts)
    A, B = SharedAnalysis(a, b).transform(texts + ["vàng và xăng, bác sĩ"])
    for got, want in ((A, a.transform(texts + ["vàng và xăng, bác sĩ"])), (B, b.transform(texts + ["vàng và xăng, bác sĩ"]))):
        assert got.shape == want.shape and abs(got - want).max() == 0
    assert np.array_equal(A.data, a.transform(texts + ["vàng và xăng, bác sĩ"]).data)  # the first side: exactly
    b.transformer_list[1][1].set_params(ngram_range=(2, 4))  # other n-grams: one count cannot serve both
    with pytest.raises(ValueError):
        SharedAnalysis(a, b)


def test_topic_rule_is_chosen_on_the_mean_of_repeated_cross_validation(monkeypatch):
    import scipy.sparse as sp

    import nlp.train as T

    assert len(T.TOPIC_RULE_CV_SEEDS) >= 2  # one split flipped the rule (docs/NLP_ROUNDS.md, "Round 4")
    monkeypatch.setattr(T, "TOPIC_MODEL", "ridge")  # the features below are not TF-IDF (negative: no NB)
    monkeypatch.setattr(T, "TOPIC_CALIBRATION", False)  # Platt scales fitted on each set of repeats differ
    rng = np.random.default_rng(1)
    Y = (rng.random((160, 3)) < 0.3).astype(int)
    X = sp.csr_matrix(np.hstack([Y + rng.normal(0, 0.8, Y.shape), rng.normal(0, 1, (160, 5))]))
    groups, w = np.arange(160), np.ones(160)
    seeds_seen = []
    real_kfold = T.KFold
    monkeypatch.setattr(T, "KFold", lambda **kw: seeds_seen.append(kw["random_state"]) or real_kfold(**kw))
    cv = {}
    for seeds in [(13,), (7,), (13, 7)]:
        monkeypatch.setattr(T, "TOPIC_RULE_CV_SEEDS", seeds)
        cv[seeds] = T._tune_topic_rule(X, Y, w, groups, 160, 1.0)["cv_macro_f1"]
    assert seeds_seen == [13, 7, 13, 7]
    assert cv[(13, 7)] <= (cv[(13,)] + cv[(7,)]) / 2 + 1e-4  # the best mean, not the best of one split


def test_news_rows_reach_the_topic_vocabulary_and_leave_sentiment_as_it_was(monkeypatch):
    """End to end at a small scale: with and without the topic models' own vocabulary, the sentiment models and
    their columns are the same; only the topic vocabulary has the news words."""
    import nlp.train as T

    monkeypatch.setattr(T, "corpus_texts", lambda: iter(["bụi than ô nhiễm", "thông báo lịch họp phường"]))
    monkeypatch.setattr(T, "TOPIC_RULE_CV_SEEDS", (13,))
    words = {"negative": "bức xúc ô nhiễm tệ", "neutral": "thông báo lịch họp", "positive": "tuyệt vời cảm ơn"}
    rows = [{"id": f"A-{i:04d}", "title": f"Tin {i} {words[s]}", "text": words[s], "sentiment": s,
             "topics": ["environment" if i % 2 else "governance"], "_file": "labelled_A.jsonl"}
            for i, s in enumerate(list(words) * 12)]
    rows += [{"id": f"S1-{i:04d}", "title": "", "text": f"{words[s]} quá", "topics": [], "_no_topics": True,
              "sentiment": s, "_file": "labelled_S1.jsonl"} for i, s in enumerate(list(words) * 12)]
    rows += [{"id": f"N1-{i:04d}", "title": f"Học phí đại học {i}", "text": "tuyển sinh học phí sinh viên",
              "topics": ["education"], "sentiment": "neutral", "_file": "labelled_N1.jsonl"} for i in range(12)]
    out = {}
    for own in (False, True):
        monkeypatch.setattr(T, "TOPIC_VOCABULARY", own)
        out[own] = T.train(labelled=rows, use_vntc=False).classifier
    before, after = out[False], out[True]
    assert before.topic_features is None and after.topic_features is not None
    shared = set(after.features.get_feature_names_out())
    assert shared == set(before.features.get_feature_names_out()) and not any("tuyển" in f for f in shared)
    assert any("tuyển" in f for f in after.topic_features.get_feature_names_out())
    for m in ("sentiment_model", "press_sentiment_model"):
        assert np.array_equal(getattr(before, m).coef_, getattr(after, m).coef_)
    texts = ["Tin mới\nbức xúc ô nhiễm", "\ntuyệt vời cảm ơn", "Tuyển sinh\nhọc phí sinh viên"]
    assert before.predict_sentiment(before.transform(texts)) == after.predict_sentiment(after.transform(texts))
    assert "education" in after.predict_topics(after.transform(texts))[2]
